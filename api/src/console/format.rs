//! Figures the way Indonesian planners write them: `Rp 1.250.000.000`, `12,5%`, `1 November 2016`.

/// Digits grouped by dots: `1250000` → `1.250.000` (a minus sign is kept).
pub fn thousands(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A `Rupiah` of an answer (the API's decimal string of whole Rupiah) as `Rp 1.250.000.000`;
/// text that is not an amount is a dash, so a surprise is visible rather than a wrong figure.
pub fn money(value: &str) -> String {
    match value.trim().parse::<i128>() {
        Ok(n) => format!("Rp {}", thousands(n)),
        Err(_) => "–".into(),
    }
}

/// A decimal with a comma and at most `places` decimals (`12,5`); `–` when absent.
pub fn decimal(value: Option<f64>, places: usize) -> String {
    match value {
        Some(v) if v.is_finite() => {
            let s = format!("{v:.places$}");
            let s = if s.contains('.') {
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                s
            };
            let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
            let int_part = int
                .parse::<i128>()
                .map(thousands)
                .unwrap_or_else(|_| int.into());
            if frac.is_empty() {
                int_part
            } else {
                format!("{int_part},{frac}")
            }
        }
        _ => "–".into(),
    }
}

/// A percentage from a rate (0.125 → `12,5%`).
pub fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) if r.is_finite() => format!("{}%", decimal(Some(r * 100.0), 1)),
        _ => "–".into(),
    }
}

const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// An ISO date (`2016-11-01`) or date-time (`2016-11-01T03:00:00Z`, shown in WIB) as
/// `1 November 2016` (with `, 10.00 WIB` for a date-time); unparsable text is shown as it is.
pub fn date_text(text: &str) -> String {
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(text) {
        let wib = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
        let local = at.with_timezone(&wib);
        return format!(
            "{}, {} WIB",
            long_date(local.date_naive()),
            local.format("%H.%M")
        );
    }
    match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) => long_date(d),
        Err(_) => text.to_string(),
    }
}

/// `1 November 2016`.
pub fn long_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_uses_dots() {
        assert_eq!(money("1250000000"), "Rp 1.250.000.000");
        assert_eq!(money("0"), "Rp 0");
        assert_eq!(money("999"), "Rp 999");
        assert_eq!(money("1000"), "Rp 1.000");
        assert_eq!(money("-1500"), "Rp -1.500");
        assert_eq!(money("9223372036854775807"), "Rp 9.223.372.036.854.775.807");
        assert_eq!(money("sejuta"), "–");
    }

    #[test]
    fn dates_in_indonesian() {
        assert_eq!(date_text("2016-11-01"), "1 November 2016");
        assert_eq!(
            date_text("2025-03-09T17:30:00Z"),
            "10 Maret 2025, 00.30 WIB"
        );
        assert_eq!(date_text("kemarin"), "kemarin");
    }

    #[test]
    fn decimals_use_commas() {
        assert_eq!(decimal(Some(12.5), 1), "12,5");
        assert_eq!(decimal(Some(1234.0), 1), "1.234");
        assert_eq!(percent(Some(0.125)), "12,5%");
        assert_eq!(percent(None), "–");
    }

    #[test]
    fn thousands_never_panics() {
        for n in [i128::MIN + 1, -1, 0, 1, 12, 123, 1234, i128::MAX] {
            let s = thousands(n);
            let back: i128 = s.replace('.', "").parse().unwrap();
            assert_eq!(back, n);
        }
    }
}
