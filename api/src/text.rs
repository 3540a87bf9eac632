use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds a name for search: decomposes accents away, lower-cases, and collapses white space, so that
/// "Désa  BOTOSARI" and "desa botosari" compare equal on SQLite and PostgreSQL alike.
pub fn fold(s: &str) -> String {
    let lowered: String = s
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase();
    lowered.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Folds a free-text filter, refusing absurd lengths and NUL, which no name contains and which
/// PostgreSQL text and SQLite's FTS5 queries cannot carry (they failed as internal errors).
pub fn check_text(field: &str, text: Option<String>) -> crate::error::AppResult<Option<String>> {
    match text {
        None => Ok(None),
        Some(t) if t.chars().count() > 200 => Err(crate::error::AppError::bad_input(
            field,
            "at most 200 characters",
        )),
        Some(t) if t.contains('\0') => Err(crate::error::AppError::bad_input(
            field,
            "must not contain a NUL character",
        )),
        Some(t) => {
            let folded = fold(&t);
            Ok((!folded.is_empty()).then_some(folded))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_accents_and_spaces() {
        assert_eq!(fold("  Désa   BOTOSARI "), "desa botosari");
        assert_eq!(fold("Kabupaten Pekalongan"), "kabupaten pekalongan");
    }
}
