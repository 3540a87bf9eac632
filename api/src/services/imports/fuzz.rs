//! Properties of the spreadsheet cell parsers over arbitrary text: they never panic, and they answer
//! a value or a reason. Run by `cargo test -p sinergi` (`PROPTEST_CASES` bounds the pass in CI).

use super::*;
use proptest::prelude::*;

proptest! {
    #[test]
    fn amount_cells_never_panic(raw in any::<String>()) {
        if let Ok(v) = parse_amount(&raw) {
            prop_assert!(v >= 0 || raw.contains('-'), "{raw:?} gave {v}");
        }
    }

    #[test]
    fn amount_like_cells_never_panic(raw in "[-+ Rrp0-9.,\u{a0}\u{ad}e]{0,40}") {
        let _ = parse_amount(&raw);
    }

    #[test]
    fn date_cells_never_panic(raw in any::<String>()) {
        let _ = parse_date(&raw);
    }

    #[test]
    fn date_like_cells_never_panic(raw in "[0-9/\\-. :TZa-zA-Z]{0,30}") {
        let _ = parse_date(&raw);
    }

    #[test]
    fn region_cells_never_panic(raw in any::<String>()) {
        let _ = region_cell(&raw);
    }

    #[test]
    fn csv_and_xlsx_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read_table(&bytes, Format::Csv);
        let _ = read_table(&bytes, Format::Xlsx);
    }
}

#[test]
fn seed_cells_never_panic() {
    for raw in crate::fuzz::seeds() {
        let _ = parse_amount(&raw);
        let _ = parse_date(&raw);
        let _ = region_cell(&raw);
        let _ = read_table(raw.as_bytes(), Format::Csv);
    }
}
