//! The questions asked of both servers, each as a pair of documents that must return the same rows:
//! the hub's, as a dashboard sends it, and PostGraphile's, written as a PostGraphile user would
//! (its default v4 inflection, the connection-filter plugin), with aliases where that costs nothing
//! so that both answers have the same shape.
//!
//! The bench viewer `generate` creates belongs to no organization and has no region scope, so the
//! hub hides every draft (status PLANNED) from it; PostGraphile, which knows nothing of drafts, is
//! given the same rule as a filter on every contribution list.

use crate::run::samples::Samples;
use rand::Rng;
use rand::SeedableRng;
use rand::rngs::SmallRng;
use rand::seq::IndexedRandom;
use serde_json::{Map, Value, json};

/// The input a pair draws its variables from.
pub struct Pools {
    pub contribution_ids: Vec<String>,
    pub villages: Vec<String>,
    pub province_years: Vec<(String, i32)>,
}

impl Pools {
    /// Small, fixed pools (from `seed`): every variable set is checked on both servers before any
    /// timing, so what is timed is exactly what was checked.
    pub fn draw(s: &Samples, seed: u64, size: usize) -> Self {
        let mut rng = SmallRng::seed_from_u64(seed);
        let contribution_ids = s
            .contribution_ids
            .choose_multiple(&mut rng, size)
            .cloned()
            .collect();
        let mut villages: Vec<String> = Vec::with_capacity(size);
        while villages.len() < size {
            match s.village(&mut rng) {
                Some(v) => villages.push(v.clone()),
                None => break,
            }
        }
        let province_years = (0..size.min(25))
            .filter_map(|_| {
                let regency = s.regencies.choose(&mut rng)?;
                Some((regency[..2].to_owned(), rng.random_range(2022..=2026)))
            })
            .collect();
        Self {
            contribution_ids,
            villages,
            province_years,
        }
    }
}

/// One side of a pair: the document and where, in its answer, the compared rows are.
pub struct Side {
    pub query: &'static str,
    pub root: &'static str,
}

/// A question asked of both servers (or of the hub alone when PostGraphile has no equivalent).
pub struct Pair {
    pub name: &'static str,
    pub hub: Side,
    pub postgraphile: Option<Side>,
    /// Why PostGraphile is not asked, when it is not.
    pub no_equivalent: &'static str,
    pub variables: fn(&Pools) -> Vec<Value>,
    /// Sent to the hub without the token: what HTTP and GraphQL cost without the sign-in's lookup.
    pub anonymous: bool,
}

/// The same draft rule as the hub applies for a viewer without organization or scope.
macro_rules! visible {
    () => {
        r#"filter: { status: { notEqualTo: "PLANNED" } }"#
    };
}

pub const ALL: &[Pair] = &[
    Pair {
        name: "{ __typename } signed in",
        hub: Side {
            query: "{ __typename }",
            root: "/data",
        },
        postgraphile: Some(Side {
            query: "{ __typename }",
            root: "/data",
        }),
        no_equivalent: "",
        variables: |_| vec![json!({})],
        anonymous: false,
    },
    Pair {
        name: "{ __typename } anonymous",
        hub: Side {
            query: "{ __typename }",
            root: "/data",
        },
        postgraphile: Some(Side {
            query: "{ __typename }",
            root: "/data",
        }),
        no_equivalent: "",
        variables: |_| vec![json!({})],
        anonymous: true,
    },
    Pair {
        name: "contribution by id",
        hub: Side {
            query: "query($id: ID!) { contribution(id: $id) { id title amountCommitted \
                    contributor { name } region { name } } }",
            root: "/data/contribution",
        },
        postgraphile: Some(Side {
            query: "query($id: String!) { contribution: contributionById(id: $id) { id title \
                    amountCommitted contributor: organizationByContributorId { name } \
                    region: regionByRegionCode { name } } }",
            root: "/data/contribution",
        }),
        no_equivalent: "",
        variables: |p| {
            p.contribution_ids
                .iter()
                .map(|id| json!({ "id": id }))
                .collect()
        },
        anonymous: false,
    },
    Pair {
        name: "village page",
        hub: Side {
            query: "query($code: String!) { region(code: $code) { name contributions(first: 20) { \
                    totalCount edges { node { title fiscalYear amountCommitted source \
                    contributor { name helix } program { name } } } } } }",
            root: "/data/region",
        },
        postgraphile: Some(Side {
            query: concat!(
                "query($code: String!) { region: regionByCode(code: $code) { name ",
                "contributions: contributionsByRegionCode(first: 20, orderBy: ID_ASC, ",
                visible!(),
                ") { totalCount nodes { title fiscalYear amountCommitted source ",
                "contributor: organizationByContributorId { name helix } ",
                "program: programByProgramId { name } } } } }"
            ),
            root: "/data/region",
        }),
        no_equivalent: "",
        variables: |p| p.villages.iter().map(|c| json!({ "code": c })).collect(),
        anonymous: false,
    },
    Pair {
        name: "regency dashboard",
        hub: Side {
            query: "{ region(code:\"33.26\") { villages(first: 50) { edges { node { name \
                    contributions { edges { node { amountCommitted contributor { name helix } \
                    program { name cluster } } } } } } } } }",
            root: "/data/region/villages",
        },
        // PostGraphile cannot reach a regency's villages through the region (they are the
        // grandchildren, through the districts), so the root list takes the code range the hub
        // uses itself, on the primary key's index. 20 contributions per village: the hub's
        // default page size.
        postgraphile: Some(Side {
            query: concat!(
                "{ villages: allRegions(first: 50, orderBy: CODE_ASC, filter: { ",
                "level: { equalTo: \"VILLAGE\" }, code: { greaterThan: \"33.26.\", lessThan: \"33.26/\" } }) ",
                "{ nodes { name contributions: contributionsByRegionCode(first: 20, orderBy: ID_ASC, ",
                visible!(),
                ") { nodes { amountCommitted contributor: organizationByContributorId { name helix } ",
                "program: programByProgramId { name cluster } } } } } }"
            ),
            root: "/data/villages",
        }),
        no_equivalent: "",
        variables: |_| vec![json!({})],
        anonymous: false,
    },
    Pair {
        name: "fundingSummary province x regency x source",
        hub: Side {
            query: "query($p: String!, $y: Int!) { fundingSummary(filter: { region: $p, \
                    fiscalYear: $y }, groupBy: [REGENCY, SOURCE]) { key { source region { code name } } \
                    count planned committed realised perPoorHousehold } }",
            root: "/data/fundingSummary",
        },
        postgraphile: None,
        no_equivalent: "PostGraphile 4 has no aggregates without another plugin \
                        (@graphile/pg-aggregates), and none over region prefixes",
        variables: |p| {
            p.province_years
                .iter()
                .map(|(p, y)| json!({ "p": p, "y": y }))
                .collect()
        },
        anonymous: false,
    },
];

/// Both answers in one shape: a connection (`edges { node }` or `nodes`) becomes an object whose
/// `rows` are the nodes, next to its other fields (totalCount).
pub fn normalise(v: &Value) -> Value {
    match v {
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        Value::Object(o) => {
            let mut out = Map::new();
            for (k, x) in o {
                match (k.as_str(), x) {
                    ("nodes", Value::Array(a)) => {
                        out.insert(
                            "rows".into(),
                            Value::Array(a.iter().map(normalise).collect()),
                        );
                    }
                    ("edges", Value::Array(a)) => {
                        let rows = a
                            .iter()
                            .map(|e| normalise(e.get("node").unwrap_or(&Value::Null)))
                            .collect();
                        out.insert("rows".into(), Value::Array(rows));
                    }
                    _ => {
                        out.insert(k.clone(), normalise(x));
                    }
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// Where two normalised answers first differ, or None when they are equal.
pub fn difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                let (p, q) = (x.get(k), y.get(k));
                match (p, q) {
                    (Some(p), Some(q)) => {
                        if let Some(d) = difference(p, q, &format!("{path}/{k}")) {
                            return Some(d);
                        }
                    }
                    _ => return Some(format!("{path}/{k}: {p:?} vs {q:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{path}: {} rows vs {}", x.len(), y.len()));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (p, q))| difference(p, q, &format!("{path}/{i}")))
        }
        _ if a == b => None,
        _ => Some(format!("{path}: {a} vs {b}")),
    }
}
