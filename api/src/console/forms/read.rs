//! Reading a posted form: typed text becomes the API's values, or a reason in Indonesian beside
//! the field (and then no mutation runs).

use super::{Form, VERSION, rupiah};
use crate::console::words as w;
use crate::labels::{self, Kind};

impl Form {
    /// A non-blank value, trimmed.
    pub fn text(&self, name: &str) -> Option<String> {
        Some(self.value(name).trim().to_string()).filter(|t| !t.is_empty())
    }

    /// A value that must be given.
    pub fn required(&mut self, name: &str) -> Option<String> {
        let v = self.text(name);
        if v.is_none() {
            self.reject(name, w::REQUIRED);
        }
        v
    }

    /// Whole Rupiah, typed as `1.250.000.000`, `1250000000` or `Rp 1.250.000.000`.
    pub fn rupiah(&mut self, name: &str, required: bool) -> Option<i64> {
        match rupiah::parse(self.value(name)) {
            Ok(Some(n)) => Some(n),
            Ok(None) => {
                if required {
                    self.reject(name, w::REQUIRED);
                }
                None
            }
            Err(e) => {
                self.reject(name, e.0);
                None
            }
        }
    }

    /// A whole number in `range` (thousands may be grouped with dots, `1.200`).
    pub fn whole(
        &mut self,
        name: &str,
        range: std::ops::RangeInclusive<i64>,
        required: bool,
    ) -> Option<i64> {
        let reason = format!(
            "bilangan bulat antara {} dan {}",
            rupiah::show(*range.start()),
            rupiah::show(*range.end())
        );
        let raw = self.value(name).trim();
        let negative = raw.starts_with('-');
        match rupiah::parse(raw) {
            Ok(Some(n)) if range.contains(&n) => Some(n),
            Ok(None) if !required => None,
            Ok(None) => {
                self.reject(name, w::REQUIRED);
                None
            }
            _ if negative && *range.start() >= 0 => {
                self.reject(name, format!("tidak boleh negatif; {reason}"));
                None
            }
            _ => {
                self.reject(name, reason);
                None
            }
        }
    }

    /// A date as the API takes it (`YYYY-MM-DD`); typed as `2016-11-01`, `1/11/2016` or
    /// `01-11-2016` (a browser's date picker sends the first).
    pub fn date(&mut self, name: &str, required: bool) -> Option<String> {
        let raw = self.value(name).trim().to_string();
        if raw.is_empty() {
            if required {
                self.reject(name, w::REQUIRED);
            }
            return None;
        }
        let parsed = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
            .iter()
            .find_map(|f| chrono::NaiveDate::parse_from_str(&raw, f).ok());
        match parsed {
            Some(d) => Some(d.format("%Y-%m-%d").to_string()),
            None => {
                self.reject(name, w::BAD_DATE);
                None
            }
        }
    }

    /// One of an enum's wire names (a select's value).
    pub fn choice(&mut self, name: &str, kind: Kind, required: bool) -> Option<&'static str> {
        let raw = self.value(name).trim().to_string();
        if raw.is_empty() {
            if required {
                self.reject(name, w::PICK_ONE);
            }
            return None;
        }
        let found = labels::table(kind)
            .iter()
            .map(|(wire, _)| *wire)
            .find(|wire| *wire == raw);
        if found.is_none() {
            self.reject(name, w::UNKNOWN_CHOICE);
        }
        found
    }

    /// The non-blank lines of a text area (agenda items, one a line).
    pub fn lines(&self, name: &str) -> Vec<String> {
        self.value(name)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// The version the record was read at (hidden field).
    pub fn version(&mut self) -> Option<i64> {
        let v = self.value(VERSION).trim().parse::<i64>().ok();
        if v.is_none() {
            self.notice = Some(w::FORM_INCOMPLETE.into());
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[test]
    fn readers_put_reasons_beside_fields_and_keep_what_was_typed() {
        let mut f = Form::filled([
            ("komitmen", "1.25O.000".to_string()),
            ("tanggal", "31/02/2025".to_string()),
            ("tahun", "1999".to_string()),
            ("judul", "  ".to_string()),
        ]);
        assert_eq!(f.rupiah("komitmen", true), None);
        assert_eq!(f.date("tanggal", true), None);
        assert_eq!(f.whole("tahun", 2000..=2100, true), None);
        assert_eq!(f.required("judul"), None);
        assert!(f.error("komitmen").unwrap().contains("1.250.000.000"));
        assert!(f.error("tanggal").unwrap().contains("2016-11-01"));
        assert_eq!(
            f.error("tahun"),
            Some("bilangan bulat antara 2.000 dan 2.100")
        );
        assert_eq!(f.error("judul"), Some("wajib diisi"));
        assert_eq!(f.value("komitmen"), "1.25O.000");
        assert_eq!(f.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}
