//! GraphQL enums, mirrored from the stored enums (`remote`) so the wire names stay stable when
//! storage changes.

use async_graphql::Enum;

/// Level of a region in the Kemendagri hierarchy.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::RegionLevel")]
pub enum RegionLevel {
    /// Provinsi, e.g. `33` Jawa Tengah.
    Province,
    /// Kabupaten or kota, e.g. `33.26` Kabupaten Pekalongan.
    Regency,
    /// Kecamatan, e.g. `33.26.02` Paninggaran.
    District,
    /// Desa or kelurahan, e.g. `33.26.02.2008` Botosari.
    Village,
}

/// A desa (village government with its own APBDes) or a kelurahan (urban ward, no APBDes).
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::VillageKind")]
pub enum VillageKind {
    /// A village with its own government and budget (APBDes, including Dana Desa).
    Desa,
    /// An urban ward administered by the regency or city; it has no APBDes.
    Kelurahan,
}

/// The side an actor comes from.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::Helix")]
pub enum Helix {
    /// Provincial and regency governments and their work units (SKPD/OPD), Bappeda.
    Government,
    /// Village governments (pemerintah desa).
    Village,
    /// Companies, organised in a regional Forum CSR.
    Business,
    /// Universities: budgets, technology, KKN student service, research.
    Academia,
    /// Community groups, NGOs, PKK, cadres: self-help money, labour, volunteers.
    Community,
    /// Local media: campaigns and publicity.
    Media,
}

/// What kind of body an organization is.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::OrganizationKind")]
pub enum OrganizationKind {
    /// Pemerintah provinsi.
    ProvincialGovernment,
    /// Pemerintah kabupaten/kota.
    RegencyGovernment,
    /// Regional planning agency; secretariat of the TKPK.
    Bappeda,
    /// A regional work unit (SKPD/OPD), e.g. Dinas Sosial.
    Skpd,
    /// Pemerintah desa.
    VillageGovernment,
    /// A private company.
    Company,
    /// A state- or region-owned enterprise (BUMN/BUMD).
    StateOwnedEnterprise,
    /// A university (perguruan tinggi).
    University,
    /// A community group: PKK, cadres, farmers' groups.
    CommunityGroup,
    /// A non-governmental organization.
    Ngo,
    /// A media outlet.
    Media,
    /// Anything else.
    Other,
}

/// Where a contribution's resources come from.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::FundingSource")]
pub enum FundingSource {
    /// National budget.
    Apbn,
    /// Provincial budget (APBD provinsi).
    ApbdProvince,
    /// Regency or city budget (APBD kabupaten/kota).
    ApbdRegency,
    /// Village budget (APBDes, includes Dana Desa); desa only.
    Apbdes,
    /// Company CSR funds.
    Csr,
    /// University budgets.
    University,
    /// Community self-help (swadaya).
    Community,
    /// Any other source.
    Other,
}

/// Poverty-reduction cluster of Perpres 15/2010: I social assistance and basic services, II community empowerment, III micro and small enterprise, IV other pro-people programs.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::Cluster")]
pub enum Cluster {
    /// Cluster I: family-based social assistance and basic services.
    SocialAssistance,
    /// Cluster II: community empowerment.
    CommunityEmpowerment,
    /// Cluster III: micro and small enterprise.
    MicroSmallEnterprise,
    /// Cluster IV: other pro-people programs.
    ProPeople,
}

/// The form a contribution takes.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::ContributionKind")]
pub enum ContributionKind {
    /// Money.
    Cash,
    /// Goods (natura).
    InKind,
    /// Expertise, training, research.
    Expertise,
    /// Volunteer labour (gotong royong).
    VolunteerLabour,
}

/// Life cycle of a contribution. PLANNED is a draft, visible only to its organization and to the coordinators of its region.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::ContributionStatus")]
pub enum ContributionStatus {
    /// Draft: planned, not yet committed; visible only to its organization and its region's coordinators.
    Planned,
    /// Committed.
    Committed,
    /// Being carried out.
    InProgress,
    /// Done.
    Completed,
    /// Cancelled; kept for the record, never deleted.
    Cancelled,
}

/// Who a program or contribution is meant to reach.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::TargetGroup")]
pub enum TargetGroup {
    /// Poor households (RTM, deciles 1–4).
    PoorHouseholds,
    /// Families at risk of stunting.
    StuntingRiskFamilies,
    /// Pregnant and breastfeeding mothers and infants.
    MothersAndInfants,
    /// Children under five.
    Toddlers,
    /// Farmers and fishers.
    FarmersAndFishers,
    /// Women.
    Women,
    /// Micro enterprises (UMKM).
    MicroEnterprises,
    /// School children and students.
    Students,
    /// Elderly and disabled people.
    ElderlyAndDisabled,
    /// The whole community.
    General,
}

/// National poverty-reduction strategy a program serves.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::Strategy")]
pub enum Strategy {
    /// Reduce the spending burden of the poor.
    ReduceSpendingBurden,
    /// Raise the capability and income of the poor.
    RaiseCapabilityAndIncome,
    /// Develop and sustain micro and small enterprises (UMKM).
    DevelopMsme,
    /// Synergise poverty-reduction policies and programs.
    SynergisePrograms,
}

/// A money movement recorded against a contribution.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::TransactionType")]
pub enum TransactionType {
    /// Funds committed (e.g. a budget document signed).
    Commitment,
    /// Funds released to the implementer.
    Disbursement,
    /// Funds spent on the ground; realisation is the sum of these.
    Expenditure,
}

/// Indeks Desa Membangun status of a village.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::IdmStatus")]
pub enum IdmStatus {
    /// Sangat tertinggal.
    VeryUnderdeveloped,
    /// Tertinggal.
    Underdeveloped,
    /// Berkembang.
    Developing,
    /// Maju.
    Advanced,
    /// Mandiri.
    Independent,
}

/// How two programs relate.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::SynergyRelation")]
pub enum SynergyRelation {
    /// Each covers what the other does not.
    Complements,
    /// Both fund the same activity.
    CoFinances,
    /// One continues the other.
    Continues,
    /// They duplicate each other (to be resolved).
    Overlaps,
}

/// Whether a program synergy is agreed.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::SynergyStatus")]
pub enum SynergyStatus {
    /// Proposed, not yet agreed.
    Proposed,
    /// Agreed, normally at a coordination meeting.
    Agreed,
    /// Dropped.
    Dropped,
}

/// Government level at which a coordination meeting was held.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::MeetingLevel")]
pub enum MeetingLevel {
    /// National.
    National,
    /// Provincial TKPK.
    Province,
    /// Regency or city TKPK.
    Regency,
    /// Kecamatan.
    District,
    /// Village (e.g. rembug stunting).
    Village,
}

/// Progress of an action item.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::ActionItemStatus")]
pub enum ActionItemStatus {
    /// Not started.
    Open,
    /// Under way.
    InProgress,
    /// Carried out.
    Done,
    /// Abandoned.
    Dropped,
}

/// What a user may do.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::Role")]
pub enum Role {
    /// Manages everything.
    Admin,
    /// Bappeda/TKPK secretariat: manages programs, synergies, meetings and indicators inside its region.
    Coordinator,
    /// Records its own organization's contributions.
    Member,
    /// Reads only.
    Viewer,
}

/// Where a member's record stands with the TKPK secretariat.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::Verification")]
pub enum Verification {
    /// Written or changed by a member; waits in the region's verification queue.
    Submitted,
    /// Checked by a coordinator of the region (or written by one, an admin or the system).
    Verified,
    /// Sent back by a coordinator with a note saying what to fix; editing it submits it again.
    Returned,
}

/// Where a data complaint (pengaduan) stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(remote = "entity::enums::ComplaintStatus")]
pub enum ComplaintStatus {
    /// Filed; no coordinator has taken it up yet.
    Received,
    /// A coordinator of the region is looking into it.
    InReview,
    /// Corrected: the complaint links the audit rows of the correction.
    Resolved,
    /// Not corrected, with the reason.
    Rejected,
}
