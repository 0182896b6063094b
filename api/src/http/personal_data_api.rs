//! The personal-data access log for the leading group: `GET /complaints/{id}/personal-data-reads`
//! and `GET /personal-data-reads` (a period, as JSON pages or CSV). Every read of the log is
//! itself logged, naming the log operation.

use chrono::{DateTime, Duration, Utc};
use duban_domain::ids::{ComplaintId, UserId};
use duban_domain::personal_data::PersonalDataRead;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{ApiResponse, Enum, Object, OpenApi, ResponseContent};
use uuid::Uuid;

use super::auth::{Staff, StaffAuth};
use super::csv::{document, field};
use super::pagination::{DEFAULT_LIMIT, decode_cursor, page};
use super::problem::{ApiError, FieldError};
use super::wire_time::{WireInstant, both};
use super::{ApiTags, State};

/// One answer that showed a complainant's details (or read this log).
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PersonalDataReadView {
    pub id: Uuid,
    pub read_at: DateTime<Utc>,
    pub reader_id: Uuid,
    /// The reader's display name, as the account reads now.
    pub reader_display_name: Option<String>,
    /// The complaint whose details were shown; absent for a read of the log that showed no
    /// entry.
    pub complaint_id: Option<Uuid>,
    /// The operationId of the answer (`getComplaint`, `listComplaints`, …).
    pub operation: String,
    /// The client's IP address.
    pub client_address: String,
}

/// A page of the log, newest first.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PersonalDataReadPage {
    pub items: Vec<PersonalDataReadView>,
    /// Pass as `cursor` for the next (older) page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// The export's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ExportFormat {
    Json,
    /// `text/csv`: one row per entry, the columns in the order of the JSON fields.
    Csv,
}

#[derive(ResponseContent)]
pub enum ExportBody {
    Json(Json<PersonalDataReadPage>),
    #[oai(content_type = "text/csv; charset=utf-8")]
    Csv(PlainText<String>),
}

#[derive(ApiResponse)]
pub enum ReadPageOk {
    #[oai(status = 200)]
    Ok(Json<PersonalDataReadPage>),
}

#[derive(ApiResponse)]
pub enum ExportOk {
    /// The entries (JSON, or CSV with `?format=csv`; a CSV page names the next page's cursor
    /// in `Next-Cursor`).
    #[oai(status = 200)]
    Ok(ExportBody, #[oai(header = "Next-Cursor")] Option<String>),
}

/// The longest period of one export.
const MAX_PERIOD_DAYS: i64 = 3660;

async fn views(
    state: &State<'_>,
    staff: &Staff,
    reads: Vec<PersonalDataRead>,
) -> Result<Vec<PersonalDataReadView>, ApiError> {
    let mut readers: Vec<UserId> = reads.iter().map(|r| r.reader_id).collect();
    readers.sort_unstable();
    readers.dedup();
    let names = state.accounts.display_names(&readers).await?;
    staff
        .disclosures
        .reads_log(reads.iter().map(|r| r.complaint_id));
    Ok(reads
        .into_iter()
        .map(|r| PersonalDataReadView {
            id: r.id,
            read_at: r.read_at,
            reader_id: r.reader_id.as_uuid(),
            reader_display_name: names.get(&r.reader_id).cloned(),
            complaint_id: r.complaint_id.map(|c| c.as_uuid()),
            operation: r.operation,
            client_address: r.client_address,
        })
        .collect())
}

fn csv(items: &[PersonalDataReadView], bom: bool) -> String {
    let rows = items.iter().map(|r| {
        [
            r.id.to_string(),
            r.read_at.to_rfc3339(),
            r.reader_id.to_string(),
            r.reader_display_name.clone().unwrap_or_default(),
            r.complaint_id.map(|c| c.to_string()).unwrap_or_default(),
            r.operation.clone(),
            r.client_address.clone(),
        ]
        .iter()
        .map(|v| field(v))
        .collect::<Vec<_>>()
        .join(",")
    });
    document(
        &[
            "id",
            "read_at",
            "reader_id",
            "reader_display_name",
            "complaint_id",
            "operation",
            "client_address",
        ],
        rows,
        bom,
    )
}

fn period(
    from: &WireInstant,
    to: &WireInstant,
) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
    let (from, to) = both(from.parse("from"), to.parse("to"))?;
    if to <= from || to - from > Duration::days(MAX_PERIOD_DAYS) {
        return Err(ApiError::invalid_fields(vec![FieldError::new(
            "to",
            &duban_domain::msg!("field_period_to", max = MAX_PERIOD_DAYS),
        )]));
    }
    Ok((from, to))
}

pub struct PersonalDataApi;

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Complaints")]
impl PersonalDataApi {
    /// Who read a complaint's personal data (leading group)
    ///
    /// Every answer that showed this complaint's complainant details, newest first: who,
    /// when, by which operation, from which client address. This read is logged too.
    #[oai(
        path = "/complaints/:id/personal-data-reads",
        method = "get",
        operation_id = "listComplaintPersonalDataReads"
    )]
    async fn of_complaint(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u32>>,
        #[oai(validator(pattern = r"^k1\.[0-9a-f]{32}$"))] cursor: Query<Option<String>>,
    ) -> Result<ReadPageOk, ApiError> {
        let limit = limit.0.unwrap_or(DEFAULT_LIMIT);
        let before = decode_cursor(cursor.0.as_deref())?;
        let id = ComplaintId::from_uuid(id.0);
        let fetched = state
            .personal_data
            .of_complaint(&auth.0.actor, id, before, limit + 1)
            .await?;
        let (reads, next_cursor) = page(fetched, limit, |r| r.id);
        auth.0.disclosures.reads_log([Some(id)]);
        Ok(ReadPageOk::Ok(Json(PersonalDataReadPage {
            items: views(&state, &auth.0, reads).await?,
            next_cursor,
        })))
    }

    /// Export the personal-data access log for a period (leading group)
    ///
    /// The entries read in `[from, to)` (at most 3660 days), newest first, as JSON pages or,
    /// with `format=csv`, as `text/csv` (`limit` up to 1000 rows per page, the next page's
    /// cursor in `Next-Cursor`). This read is logged too, one entry per complaint it shows.
    #[oai(
        path = "/personal-data-reads",
        method = "get",
        operation_id = "exportPersonalDataReads"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn export(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        /// Start of the period (inclusive), RFC 3339.
        from: Query<WireInstant>,
        /// End of the period (exclusive), RFC 3339.
        to: Query<WireInstant>,
        /// `json` (default) or `csv`.
        format: Query<Option<ExportFormat>>,
        /// With `format=csv`: start with a UTF-8 byte-order mark (default `true`).
        bom: Query<Option<bool>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "1000")))] limit: Query<Option<u32>>,
        #[oai(validator(pattern = r"^k1\.[0-9a-f]{32}$"))] cursor: Query<Option<String>>,
    ) -> Result<ExportOk, ApiError> {
        auth.0.actor.require(
            &[duban_domain::role::Role::LeadingGroup],
            "read the personal-data access log",
        )?;
        let (from, to) = period(&from.0, &to.0)?;
        let limit = limit.0.unwrap_or(DEFAULT_LIMIT);
        let before = decode_cursor(cursor.0.as_deref())?;
        let fetched = state
            .personal_data
            .in_period(&auth.0.actor, from, to, before, limit + 1)
            .await?;
        let (reads, next_cursor) = page(fetched, limit, |r| r.id);
        let items = views(&state, &auth.0, reads).await?;
        Ok(match format.0 {
            Some(ExportFormat::Csv) => ExportOk::Ok(
                ExportBody::Csv(PlainText(csv(&items, bom.0.unwrap_or(true)))),
                next_cursor,
            ),
            _ => ExportOk::Ok(
                ExportBody::Json(Json(PersonalDataReadPage { items, next_cursor })),
                None,
            ),
        })
    }
}
