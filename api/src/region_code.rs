//! Kemendagri codes: `33` province, `33.26` regency, `33.26.02` district, `33.26.02.2008` village.
//! Publishers write them dotted or undotted (`3326022008`); the hub stores them dotted.

use entity::enums::{RegionLevel, VillageKind};

/// Lengths of the dotted parts, level by level.
const PARTS: [usize; 4] = [2, 2, 2, 4];

/// A checked, dotted region code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(String);

impl RegionCode {
    /// Parses a dotted or undotted code, explaining what is wrong when it is not a valid code.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("the code is empty".into());
        }
        // Only ASCII digits and dots can be a code; checking first also keeps the byte-offset
        // splitting below on character boundaries (a soft hyphen once panicked `split_at`).
        if let Some(bad) = raw.chars().find(|c| !c.is_ascii_digit() && *c != '.') {
            return Err(format!(
                "`{}` is not a Kemendagri code: {:?} is neither a digit nor a dot",
                raw.escape_default(),
                bad
            ));
        }
        let parts: Vec<&str> = if raw.contains('.') {
            raw.split('.').collect()
        } else {
            let mut parts = Vec::new();
            let mut rest = raw;
            for len in PARTS {
                if rest.is_empty() {
                    break;
                }
                if rest.len() < len {
                    return Err(format!(
                        "`{raw}` is not a Kemendagri code (2, 4, 6 or 10 digits)"
                    ));
                }
                let (head, tail) = rest.split_at(len);
                parts.push(head);
                rest = tail;
            }
            if !rest.is_empty() {
                return Err(format!("`{raw}` is too long for a Kemendagri code"));
            }
            parts
        };
        if parts.len() > PARTS.len() {
            return Err(format!("`{raw}` has more than four parts"));
        }
        for (part, len) in parts.iter().zip(PARTS) {
            if part.len() != len || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "`{raw}` is not a Kemendagri code: part `{part}` should be {len} digits"
                ));
            }
        }
        if parts.iter().any(|p| p.bytes().all(|b| b == b'0')) {
            return Err(format!(
                "`{raw}` is not a Kemendagri code: a part is all zeros"
            ));
        }
        Ok(Self(parts.join(".")))
    }

    /// The dotted code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code's level, from its number of parts.
    pub fn level(&self) -> RegionLevel {
        match self.0.split('.').count() {
            1 => RegionLevel::Province,
            2 => RegionLevel::Regency,
            3 => RegionLevel::District,
            _ => RegionLevel::Village,
        }
    }

    /// The parent's code; a province has none.
    pub fn parent(&self) -> Option<RegionCode> {
        self.0.rfind('.').map(|i| Self(self.0[..i].to_string()))
    }

    /// For a village: a kelurahan when its last part starts with 1, otherwise a desa (2xxx, and the
    /// 3xxx "desa adat" of Papua).
    pub fn village_kind(&self) -> Option<VillageKind> {
        (self.level() == RegionLevel::Village).then(|| {
            if self
                .0
                .rsplit('.')
                .next()
                .is_some_and(|p| p.starts_with('1'))
            {
                VillageKind::Kelurahan
            } else {
                VillageKind::Desa
            }
        })
    }

    /// Bounds of every code strictly below this one: `[self + ".", self + "/")`. '/' is the byte after
    /// '.', so the pair is a range scan on the primary-key index on both databases.
    pub fn descendant_range(&self) -> (String, String) {
        (format!("{}.", self.0), format!("{}/", self.0))
    }

    /// Whether `code` is this region or inside it (the in-memory twin of `region_condition`).
    pub fn covers(&self, code: &str) -> bool {
        code.strip_prefix(self.0.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
    }

    /// The codes of this region and its ancestors, province first.
    pub fn lineage(&self) -> Vec<RegionCode> {
        let mut out = vec![self.clone()];
        while let Some(p) = out.last().and_then(|c| c.parent()) {
            out.push(p);
        }
        out.reverse();
        out
    }
}

impl std::fmt::Display for RegionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses a region argument of a request, naming `field` (the argument or input field) when it is
/// not a code.
pub fn parse_code(field: &str, raw: &str) -> crate::error::AppResult<RegionCode> {
    RegionCode::parse(raw).map_err(|m| crate::error::AppError::bad_input(field, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_and_undotted_agree() {
        assert_eq!(
            RegionCode::parse("3326022008").unwrap().as_str(),
            "33.26.02.2008"
        );
        assert_eq!(
            RegionCode::parse("33.26.02.2008").unwrap().as_str(),
            "33.26.02.2008"
        );
        assert_eq!(
            RegionCode::parse("33").unwrap().level(),
            RegionLevel::Province
        );
        assert_eq!(RegionCode::parse("3326").unwrap().as_str(), "33.26");
    }

    #[test]
    fn rejects_malformed_codes() {
        for bad in [
            "",
            "3",
            "33.2",
            "33.26.02.208",
            "332602200",
            "33.26.02.2008.1",
            "ab",
            "00",
            "33..02",
        ] {
            assert!(RegionCode::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn derives_parent_kind_and_range() {
        let c = RegionCode::parse("33.26.02.2008").unwrap();
        assert_eq!(c.parent().unwrap().as_str(), "33.26.02");
        assert_eq!(c.village_kind(), Some(VillageKind::Desa));
        assert_eq!(
            RegionCode::parse("18.71.01.1003").unwrap().village_kind(),
            Some(VillageKind::Kelurahan)
        );
        assert_eq!(
            RegionCode::parse("33.26").unwrap().descendant_range(),
            ("33.26.".into(), "33.26/".into())
        );
        assert_eq!(c.lineage().len(), 4);
    }
}
