//! Rupiah as planners type them: `1.250.000.000`, `1250000000`, `Rp 1.250.000.000`, `Rp1.250.000,-`
//! or `1.250.000,00`. Indonesian writing groups thousands with dots and uses the comma for
//! decimals, so `1,5` and `1,250,000` are refused rather than guessed at: a wrong guess would store
//! an amount a thousand times off. Whatever the text, the parser answers a value or a reason in
//! Indonesian; it never panics.

/// Why a text is not an amount; the message is shown beside the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadAmount(pub String);

impl std::fmt::Display for BadAmount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

const EXAMPLE: &str = "tulis Rupiah utuh, misalnya 1.250.000.000 atau 1250000000";

fn bad(why: &str) -> BadAmount {
    BadAmount(format!("{why}: {EXAMPLE}"))
}

/// Parses whole Rupiah; `Ok(None)` for an empty field. Negative amounts are refused here (no money
/// the hub records is negative), and so are amounts beyond what a BIGINT column holds.
pub fn parse(raw: &str) -> Result<Option<i64>, BadAmount> {
    let text = raw.trim_matches(is_space);
    if text.is_empty() {
        return Ok(None);
    }
    let text = strip_currency(text).trim_matches(is_space);
    if text.starts_with('-') || text.starts_with('\u{2212}') {
        return Err(BadAmount("nilai tidak boleh negatif".into()));
    }
    let text = text.strip_prefix('+').unwrap_or(text);
    let whole = strip_zero_cents(text)?;
    if whole.is_empty() {
        return Err(bad("belum ada angkanya"));
    }
    if !whole.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(bad("hanya angka dan titik pemisah ribuan"));
    }
    let digits = if whole.contains('.') {
        let groups: Vec<&str> = whole.split('.').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(bad("titik memisahkan setiap tiga angka"));
        }
        groups.concat()
    } else {
        whole.to_string()
    };
    digits
        .parse::<i64>()
        .map(Some)
        .map_err(|_| BadAmount("nilai terlalu besar".into()))
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}'
}

/// Drops a leading `Rp`, `Rp.` or `IDR` in any case.
fn strip_currency(text: &str) -> &str {
    for prefix in ["rp.", "rp", "idr"] {
        if let Some(head) = text.get(..prefix.len())
            && head.eq_ignore_ascii_case(prefix)
        {
            return &text[prefix.len()..];
        }
    }
    text
}

/// Drops the `,-` or `,00` that often ends a written Rupiah amount; any other decimal part is
/// refused (the hub records whole Rupiah).
fn strip_zero_cents(text: &str) -> Result<&str, BadAmount> {
    match text.split_once(',') {
        None => Ok(text),
        Some((whole, cents))
            if cents == "-"
                || (!cents.is_empty() && cents.len() <= 2 && cents.bytes().all(|b| b == b'0')) =>
        {
            Ok(whole)
        }
        Some((_, cents)) if cents.bytes().all(|b| b.is_ascii_digit()) && cents.len() <= 2 => {
            Err(BadAmount("Rupiah dicatat utuh, tanpa sen".into()))
        }
        Some(_) => Err(bad("koma bukan pemisah ribuan")),
    }
}

/// An amount the way the form shows it back: `1.250.000.000` (what `parse` reads).
pub fn show(amount: i64) -> String {
    super::super::format::thousands(amount.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_ways_planners_write_amounts() {
        for (raw, want) in [
            ("1.250.000.000", 1_250_000_000),
            ("1250000000", 1_250_000_000),
            ("Rp 1.250.000.000", 1_250_000_000),
            ("Rp1.250.000.000", 1_250_000_000),
            ("rp. 1.250.000", 1_250_000),
            ("IDR 5.000", 5_000),
            ("Rp 1.250.000,-", 1_250_000),
            ("1.250.000,00", 1_250_000),
            ("  750\u{a0}", 750),
            ("0", 0),
            ("+12.000", 12_000),
            ("9.223.372.036.854.775.807", i64::MAX),
        ] {
            assert_eq!(parse(raw), Ok(Some(want)), "{raw:?}");
        }
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("  Rp "), Err(bad("belum ada angkanya")));
    }

    #[test]
    fn doubtful_amounts_are_refused_with_a_reason() {
        for raw in [
            "1,250,000",
            "1,5",
            "1.25.000",
            "12.50",
            "1.2500",
            ".250",
            "1..000",
            "1.250.000.",
            "satu juta",
            "1 250 000",
            "1e9",
            "12O.000",
            "Rp -5.000",
            "-1",
            "9.223.372.036.854.775.808",
            "99999999999999999999999",
            "Rp 1.250.000,50",
            "١٢٣",
        ] {
            let err = parse(raw).expect_err(raw);
            assert!(!err.0.is_empty(), "{raw:?}");
        }
        assert_eq!(
            parse("-1").unwrap_err().0,
            "nilai tidak boleh negatif",
            "a negative amount says so"
        );
    }

    #[test]
    fn the_seed_corpus_never_panics() {
        for raw in crate::fuzz::seeds() {
            let _ = parse(&raw);
        }
    }

    proptest! {
        #[test]
        fn any_text_is_an_amount_or_a_reason(raw in any::<String>()) {
            match parse(&raw) {
                Ok(Some(n)) => prop_assert!(n >= 0, "{raw:?} gave {n}"),
                Ok(None) => prop_assert!(raw.trim_matches(is_space).is_empty(), "{raw:?}"),
                Err(e) => prop_assert!(!e.0.is_empty()),
            }
        }

        #[test]
        fn amount_like_text_never_panics(raw in "[-+ RrpIDp0-9.,\u{a0}\u{ad}\u{2212}e]{0,40}") {
            let _ = parse(&raw);
        }

        #[test]
        fn every_amount_reads_back_as_shown(n in 0i64..=i64::MAX) {
            prop_assert_eq!(parse(&show(n)), Ok(Some(n)));
            prop_assert_eq!(parse(&n.to_string()), Ok(Some(n)));
            let with_rp = format!("Rp {}", show(n));
            prop_assert_eq!(parse(&with_rp), Ok(Some(n)));
        }
    }
}
