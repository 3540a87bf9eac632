//! The coordinators' downloads: the TKPK (LP2KD) workbook and the contributions CSV. Signed in by a
//! bearer token or by the console's session cookie.

use super::AppState;
use crate::error::{AppError, AppResult};
use crate::http::download;
use crate::region_code::parse_code;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// Parameters of the TKPK workbook download.
#[derive(Deserialize)]
pub struct WorkbookParams {
    region: String,
    year: String,
    semester: Option<String>,
    /// `true`: count only verified contributions (issue 14); the headings say which was used.
    verified: Option<String>,
}

/// Parameters of the CSV download: `filter` is a JSON `ContributionFilter`, as in GraphQL.
#[derive(Deserialize)]
pub struct CsvParams {
    filter: Option<String>,
}

/// The caller of a download, who must be a coordinator or an admin.
async fn coordinator(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<entity::user::Model, Response> {
    let viewer = crate::context::viewer(state, headers).await?;
    let user = viewer.user().map_err(IntoResponse::into_response)?.clone();
    if !matches!(
        user.role,
        entity::enums::Role::Admin | entity::enums::Role::Coordinator
    ) {
        return Err(AppError::Forbidden("downloads are for coordinators".into()).into_response());
    }
    Ok(user)
}

/// A fiscal year from a query-string value, with the API's rule and message
/// (`services::rules::fiscal_year`).
pub fn parse_year(field: &str, text: &str) -> AppResult<i32> {
    let year = text
        .trim()
        .parse::<i32>()
        .map_err(|_| AppError::bad_input(field, crate::services::rules::FISCAL_YEAR_MESSAGE))?;
    crate::services::rules::fiscal_year(field, year)?;
    Ok(year)
}

/// The TKPK workbook of a region for a year (`semester` 1 or 2 for half a year): coordinators of the
/// region and admins.
pub async fn workbook(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<WorkbookParams>,
) -> Response {
    let user = match coordinator(&state, &headers).await {
        Ok(u) => u,
        Err(res) => return res,
    };
    match workbook_for(&state, &user, &p).await {
        Ok(res) => res,
        Err(e) => e.into_response(),
    }
}

async fn workbook_for(
    state: &AppState,
    user: &entity::user::Model,
    p: &WorkbookParams,
) -> AppResult<Response> {
    use crate::services::reports::{Period, workbook};
    let region = parse_code("region", &p.region)?;
    let year = parse_year("year", &p.year)?;
    let semester = p
        .semester
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let period = match semester {
        None => Period::Year,
        Some("1") => Period::FirstSemester,
        Some("2") => Period::SecondSemester,
        Some(_) => return Err(AppError::bad_input("semester", "semester is 1 or 2")),
    };
    let verified_only = match p.verified.as_deref().map(str::trim) {
        None | Some("") | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(AppError::bad_input("verified", "verified is true or false")),
    };
    crate::services::authz::Actor::User(user)
        .require_coordinator_of(region.as_str(), "download this region's report")?;
    let vis = crate::auth::Viewer::User(Box::new(user.clone())).draft_visibility();
    let bytes = workbook(&state.db, &region, year, period, &vis, verified_only).await?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!(
            "sinergi-{}-{}{}.xlsx",
            region,
            year,
            semester.map(|s| format!("-s{s}")).unwrap_or_default()
        ),
    ))
}

/// Contributions matching a filter, as CSV: coordinators and admins (drafts as they may see them).
pub async fn csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(p): Query<CsvParams>,
) -> Response {
    let user = match coordinator(&state, &headers).await {
        Ok(u) => u,
        Err(res) => return res,
    };
    match csv_for(&state, user, p.filter.as_deref()).await {
        Ok(res) => res,
        Err(e) => e.into_response(),
    }
}

/// Parses the JSON `ContributionFilter` of a download with the GraphQL input's own rules.
pub fn parse_filter(
    text: Option<&str>,
) -> AppResult<crate::services::contributions::ContributionFilter> {
    use crate::schema::types::contribution::{ContributionFilter, check_filter};
    use async_graphql::InputType;
    let input = match text {
        None => None,
        Some(text) => {
            let json: serde_json::Value = serde_json::from_str(text)
                .map_err(|_| AppError::bad_input("filter", "filter must be JSON"))?;
            let value = async_graphql::Value::from_json(json).unwrap_or_default();
            Some(
                <ContributionFilter as InputType>::parse(Some(value)).map_err(|e| {
                    AppError::bad_input("filter", e.into_server_error(Default::default()).message)
                })?,
            )
        }
    };
    check_filter(input)
}

async fn csv_for(
    state: &AppState,
    user: entity::user::Model,
    filter: Option<&str>,
) -> AppResult<Response> {
    let filter = parse_filter(filter)?;
    let vis = crate::auth::Viewer::User(Box::new(user)).draft_visibility();
    let bytes = crate::services::reports::contributions_csv(&state.db, &filter, &vis).await?;
    Ok(download(
        bytes,
        "text/csv; charset=utf-8",
        "sinergi-kontribusi.csv".into(),
    ))
}
