/// The committed `schema.graphql` is what partners build against: it must be exactly the code's schema.
#[test]
fn committed_schema_matches_the_code() {
    let path = crate::helpers::checkout_path("schema.graphql");
    let committed = std::fs::read_to_string(path).expect("schema.graphql is committed");
    assert!(
        committed == sinergi::schema::sdl(),
        "schema.graphql is out of date: run `cargo run --bin sinergi -- export-schema` and commit it"
    );
}
