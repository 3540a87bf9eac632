//! GraphQL enums, mirrored from the stored enums (`remote`) so the wire names stay stable when
//! storage changes.

use async_graphql::Enum;

/// Level of a region in the Kemendagri hierarchy.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::RegionLevel")]
pub enum RegionLevel {
    /// Province
    Province,
    /// Regency
    Regency,
    /// District
    District,
    /// Village
    Village,
}

/// A desa (village government with its own APBDes) or a kelurahan (urban ward, no APBDes).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::VillageKind")]
pub enum VillageKind {
    /// Desa
    Desa,
    /// Kelurahan
    Kelurahan,
}

/// The side an actor comes from.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::Helix")]
pub enum Helix {
    /// Government
    Government,
    /// Village
    Village,
    /// Business
    Business,
    /// Academia
    Academia,
    /// Community
    Community,
    /// Media
    Media,
}

/// What kind of body an organization is.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::OrganizationKind")]
pub enum OrganizationKind {
    /// ProvincialGovernment
    ProvincialGovernment,
    /// RegencyGovernment
    RegencyGovernment,
    /// Bappeda
    Bappeda,
    /// Skpd
    Skpd,
    /// VillageGovernment
    VillageGovernment,
    /// Company
    Company,
    /// StateOwnedEnterprise
    StateOwnedEnterprise,
    /// University
    University,
    /// CommunityGroup
    CommunityGroup,
    /// Ngo
    Ngo,
    /// Media
    Media,
    /// Other
    Other,
}

/// Where a contribution's resources come from.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::FundingSource")]
pub enum FundingSource {
    /// Apbn
    Apbn,
    /// ApbdProvince
    ApbdProvince,
    /// ApbdRegency
    ApbdRegency,
    /// Apbdes
    Apbdes,
    /// Csr
    Csr,
    /// University
    University,
    /// Community
    Community,
    /// Other
    Other,
}

/// Poverty-reduction cluster of Perpres 15/2010: I social assistance and basic services, II community empowerment, III micro and small enterprise, IV other pro-people programs.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::Cluster")]
pub enum Cluster {
    /// SocialAssistance
    SocialAssistance,
    /// CommunityEmpowerment
    CommunityEmpowerment,
    /// MicroSmallEnterprise
    MicroSmallEnterprise,
    /// ProPeople
    ProPeople,
}

/// The form a contribution takes.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::ContributionKind")]
pub enum ContributionKind {
    /// Cash
    Cash,
    /// InKind
    InKind,
    /// Expertise
    Expertise,
    /// VolunteerLabour
    VolunteerLabour,
}

/// Life cycle of a contribution. PLANNED is a draft, visible only to its organization and to the coordinators of its region.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::ContributionStatus")]
pub enum ContributionStatus {
    /// Planned
    Planned,
    /// Committed
    Committed,
    /// InProgress
    InProgress,
    /// Completed
    Completed,
    /// Cancelled
    Cancelled,
}

/// Who a program or contribution is meant to reach.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::TargetGroup")]
pub enum TargetGroup {
    /// PoorHouseholds
    PoorHouseholds,
    /// StuntingRiskFamilies
    StuntingRiskFamilies,
    /// MothersAndInfants
    MothersAndInfants,
    /// Toddlers
    Toddlers,
    /// FarmersAndFishers
    FarmersAndFishers,
    /// Women
    Women,
    /// MicroEnterprises
    MicroEnterprises,
    /// Students
    Students,
    /// ElderlyAndDisabled
    ElderlyAndDisabled,
    /// General
    General,
}
