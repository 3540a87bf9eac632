//! The demo's data files, as written: one struct per CSV line or JSON object. Keys name other records
//! (`demo_id(key)` is their id); enumerations are spelled as in the database.

use anyhow::Context;
use chrono::NaiveDate;
use entity::enums::*;
use serde::de::{DeserializeOwned, IntoDeserializer};
use serde::{Deserialize, Deserializer};

macro_rules! demo_file {
    ($name:literal) => {
        ($name, include_str!(concat!("../../../data/demo/", $name)))
    };
}

/// Everything in the data files.
pub(super) struct Demo {
    pub organizations: Vec<Organization>,
    pub users: Vec<User>,
    pub programs: Vec<Program>,
    pub phases: Vec<Phase>,
    pub targets: Vec<Target>,
    pub contributions: Vec<Contribution>,
    pub indicators: Vec<Indicators>,
    pub meetings: Vec<Meeting>,
    pub synergies: Vec<Synergy>,
}

impl Demo {
    /// Reads the files compiled into the binary.
    pub fn parse() -> anyhow::Result<Self> {
        let (name, meetings) = demo_file!("meetings.json");
        Ok(Self {
            organizations: csv_rows(demo_file!("organizations.csv"))?,
            users: csv_rows(demo_file!("users.csv"))?,
            programs: csv_rows(demo_file!("programs.csv"))?,
            phases: csv_rows(demo_file!("program_phases.csv"))?,
            targets: csv_rows(demo_file!("program_targets.csv"))?,
            contributions: csv_rows(demo_file!("contributions.csv"))?,
            indicators: csv_rows(demo_file!("indicators.csv"))?,
            meetings: serde_json::from_str(meetings)
                .with_context(|| format!("demo file {name}"))?,
            synergies: csv_rows(demo_file!("synergies.csv"))?,
        })
    }
}

/// The records of a CSV file with a header line; lines starting with `#` are comments.
fn csv_rows<T: DeserializeOwned>((name, text): (&str, &str)) -> anyhow::Result<Vec<T>> {
    csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes())
        .deserialize()
        .enumerate()
        .map(|(i, row)| row.with_context(|| format!("demo file {name}, record {}", i + 1)))
        .collect()
}

/// A list in one CSV field, separated by spaces.
fn words<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    String::deserialize(d)?
        .split_whitespace()
        .map(|w| T::deserialize(w.into_deserializer()))
        .collect()
}

/// Years in one CSV field, separated by spaces.
fn years<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i32>, D::Error> {
    String::deserialize(d)?
        .split_whitespace()
        .map(|w| w.parse().map_err(serde::de::Error::custom))
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Organization {
    pub key: String,
    pub name: String,
    pub helix: Helix,
    pub kind: OrganizationKind,
    pub region: String,
    pub parent: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct User {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organization: Option<String>,
    pub region_scope: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Program {
    pub key: String,
    pub name: String,
    pub owner: String,
    pub cluster: Cluster,
    pub start_year: i32,
    pub end_year: i32,
    #[serde(deserialize_with = "words")]
    pub strategies: Vec<Strategy>,
    #[serde(deserialize_with = "words")]
    pub target_groups: Vec<TargetGroup>,
    #[serde(deserialize_with = "words")]
    pub villages: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Phase {
    pub program: String,
    pub fiscal_year: i32,
    pub name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Target {
    pub program: String,
    pub fiscal_year: i32,
    pub unit: String,
    pub target: f64,
    pub realised: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Contribution {
    pub key: String,
    pub contributor: String,
    pub source: FundingSource,
    pub kind: ContributionKind,
    pub village: String,
    pub program: Option<String>,
    pub title: String,
    pub target_group: TargetGroup,
    /// Planned in the first year, whole Rupiah.
    pub base_amount: i64,
}

/// A village's indicators in the first demo year.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Indicators {
    pub village: String,
    pub households: i32,
    pub poor_households: i32,
    pub stunting_risk_families: i32,
    /// Years the village is flagged desa merah / lokus.
    #[serde(deserialize_with = "years")]
    pub priority_in: Vec<i32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Synergy {
    pub key: String,
    pub program_a: String,
    pub program_b: String,
    pub relation: SynergyRelation,
    pub cluster: Cluster,
    pub status: SynergyStatus,
    pub meeting: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Meeting {
    pub key: String,
    pub title: String,
    pub level: MeetingLevel,
    pub region: String,
    pub held_on: NaiveDate,
    pub host: String,
    pub location: String,
    pub agenda: Vec<String>,
    pub minutes: String,
    pub participants: Vec<Participant>,
    pub decisions: Vec<Decision>,
    pub programs: Vec<String>,
    pub regions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Participant {
    pub organization: String,
    pub representative: String,
    pub role: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Decision {
    pub text: String,
    pub action_items: Vec<ActionItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ActionItem {
    pub key: String,
    pub text: String,
    pub owner: String,
    pub due_on: NaiveDate,
    pub status: ActionItemStatus,
    /// Progress notes, oldest first.
    pub updates: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_files_parse_and_refer_to_known_keys() {
        let demo = Demo::parse().unwrap();
        let orgs: Vec<&str> = demo.organizations.iter().map(|o| o.key.as_str()).collect();
        let programs: Vec<&str> = demo.programs.iter().map(|p| p.key.as_str()).collect();
        let org_refs = demo
            .organizations
            .iter()
            .filter_map(|o| o.parent.as_deref())
            .chain(demo.users.iter().filter_map(|u| u.organization.as_deref()))
            .chain(demo.programs.iter().map(|p| p.owner.as_str()))
            .chain(demo.contributions.iter().map(|c| c.contributor.as_str()))
            .chain(demo.meetings.iter().map(|m| m.host.as_str()));
        for key in org_refs {
            assert!(orgs.contains(&key), "unknown organization {key}");
        }
        let program_refs = demo
            .contributions
            .iter()
            .filter_map(|c| c.program.as_deref())
            .chain(demo.phases.iter().map(|p| p.program.as_str()))
            .chain(demo.targets.iter().map(|t| t.program.as_str()))
            .chain(demo.synergies.iter().map(|s| s.program_a.as_str()))
            .chain(demo.synergies.iter().map(|s| s.program_b.as_str()));
        for key in program_refs {
            assert!(programs.contains(&key), "unknown program {key}");
        }
    }
}
