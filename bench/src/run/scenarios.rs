//! The benchmark scenarios: the questions a dashboard asks most, as GraphQL documents. The field
//! names of the first five are the contract the API is being built to; the last two use only fields
//! that exist since the first release, so that every run has figures to compare.

use super::samples::{FOCUS_REGENCY, Samples};
use rand::Rng;
use rand::rngs::SmallRng;
use rand::seq::IndexedRandom;
use serde_json::{Value, json};

/// One scenario: a query and how to draw its variables (None when the database offers no input).
pub struct Scenario {
    /// Short name, as printed in the table.
    pub name: &'static str,
    /// The GraphQL document.
    pub query: &'static str,
    /// Variables for one request.
    pub variables: fn(&Samples, &mut SmallRng) -> Option<Value>,
}

/// All scenarios, in the order they run and are printed.
pub const ALL: &[Scenario] = &[
    Scenario {
        name: "contribution by id",
        query: "query($id: ID!) { contribution(id: $id) { id title amountCommitted \
                contributor { name } region { name } } }",
        variables: |s, rng| s.contribution_ids.choose(rng).map(|id| json!({ "id": id })),
    },
    Scenario {
        name: "village page",
        query: "query($code: String!) { region(code: $code) { name contributions(first: 20) { \
                totalCount edges { node { title fiscalYear amountCommitted source \
                contributor { name helix } program { name } } } } } }",
        variables: |s, rng| s.village(rng).map(|code| json!({ "code": code })),
    },
    Scenario {
        name: "regency dashboard",
        query: "{ region(code:\"33.26\") { villages(first: 50) { edges { node { name \
                contributions { edges { node { amountCommitted contributor { name helix } \
                program { name cluster } } } } } } } } }",
        variables: |_, _| Some(json!({})),
    },
    Scenario {
        name: "organization commitments",
        query: "query($id: ID!) { organization(id: $id) { name contributions(first: 50) { \
                totalCount edges { node { title fiscalYear amountCommitted amountRealised \
                region { code name } } } } } }",
        variables: |s, rng| s.organization_ids.choose(rng).map(|id| json!({ "id": id })),
    },
    Scenario {
        name: "search",
        query: "query($q: String!) { search(text: $q, first: 20) { totalCount edges { node { \
                __typename ... on Region { code name } ... on Organization { id name } \
                ... on Program { id name } } } } }",
        variables: |s, rng| s.word(rng).map(|q| json!({ "q": q })),
    },
    Scenario {
        name: "region by code (today)",
        query: "query($code: String!) { region(code: $code) { code name level villageKind \
                parent { code name } } }",
        variables: |s, rng| s.village(rng).map(|code| json!({ "code": code })),
    },
    Scenario {
        name: "regency year, root contributions (today)",
        query: "query($region: String!, $year: Int!) { contributions(filter: { region: $region, \
                fiscalYear: $year }, first: 50) { totalCount edges { node { title source \
                amountCommitted amountRealised contributor { name helix } \
                program { name cluster } region { name } } } } }",
        variables: |s, rng| {
            let region = if rng.random_bool(0.5) {
                FOCUS_REGENCY.to_owned()
            } else {
                s.regencies.choose(rng)?.clone()
            };
            Some(json!({ "region": region, "year": rng.random_range(2022..=2026) }))
        },
    },
    Scenario {
        name: "fundingSummary province x regency x source",
        query: "query($p: String!, $y: Int!) { fundingSummary(filter: { region: $p, fiscalYear: $y }, \
                groupBy: [REGENCY, SOURCE]) { key { source region { code name } } count planned \
                committed realised perPoorHousehold } }",
        variables: |s, rng| {
            let regency = s.regencies.choose(rng)?;
            Some(json!({ "p": &regency[..2], "y": rng.random_range(2022..=2026) }))
        },
    },
    Scenario {
        name: "coverageGaps province",
        query: "query($p: String!, $y: Int!) { coverageGaps(region: $p, fiscalYear: $y, first: 50) { \
                edges { node { village { code name } poorHouseholds priority committed \
                contributions } } } }",
        // The generated indicators cover these provinces, for 2024-2026.
        variables: |_, rng| {
            let p = ["33", "18", "35"].choose(rng)?;
            Some(json!({ "p": p, "y": rng.random_range(2024..=2026) }))
        },
    },
];
