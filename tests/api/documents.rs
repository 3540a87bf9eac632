//! The console's GraphQL documents are held to the whole GraphQL specification, as partners' tools
//! (graphql-js, codegen, Relay, Apollo) apply it: the server's own validation is laxer (it lets
//! overlapping fields of different types through), so a document it accepts could still be one a
//! partner copying it from "Lihat GraphQL" cannot use. apollo-compiler implements every validation
//! rule of the specification, including "fields in a selection set can merge".

use apollo_compiler::{ExecutableDocument, Schema};
use std::path::{Path, PathBuf};

fn schema() -> apollo_compiler::validation::Valid<Schema> {
    let path = crate::helpers::checkout_path("schema.graphql");
    let sdl = std::fs::read_to_string(&path).expect("schema.graphql is committed");
    Schema::parse_and_validate(sdl, "schema.graphql")
        .unwrap_or_else(|e| panic!("schema.graphql is not a valid schema:\n{}", e.errors))
}

/// Every `.graphql` file under `dir`, at any depth: documents may sit beside their pages.
fn documents(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("console source folder") {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            documents(&path, found);
        } else if path.extension().is_some_and(|e| e == "graphql") {
            found.push(path);
        }
    }
}

#[test]
fn every_console_document_validates_against_the_committed_schema() {
    let schema = schema();
    let mut files = Vec::new();
    documents(
        &crate::helpers::checkout_path("api/src/console"),
        &mut files,
    );
    files.sort();
    assert!(
        files.len() >= 60,
        "expected the console's documents under api/src/console, found {}",
        files.len()
    );
    let mut refused = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("document is readable");
        let name = file.display().to_string();
        if let Err(e) = ExecutableDocument::parse_and_validate(&schema, text, &name) {
            refused.push(format!("{name}:\n{}", e.errors));
        }
    }
    assert!(
        refused.is_empty(),
        "{} console document(s) break the GraphQL specification:\n{}",
        refused.len(),
        refused.join("\n")
    );
}

/// The check above is only worth something if it applies the rule the server skips: a selection
/// asking `source` of two members of a union, typed differently, must be refused.
#[test]
fn the_specification_check_refuses_overlapping_fields_of_different_types() {
    let schema = schema();
    let conflicting = r#"
        query Conflict {
          verificationQueue(first: 1) {
            items { record {
              ... on Contribution { source }
              ... on VillageIndicators { source }
            } }
          }
        }"#;
    let refused = ExecutableDocument::parse_and_validate(&schema, conflicting, "conflict.graphql")
        .expect_err("overlapping fields of different types must not validate");
    assert!(
        refused.errors.to_string().contains("source"),
        "the refusal names the field: {}",
        refused.errors
    );
}
