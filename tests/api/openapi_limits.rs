//! The length limits integrators read in the OpenAPI document are the ones the domain
//! enforces: poem-openapi validators take literals, so this test keeps the two equal.

use duban_domain::calendar::DAY_NAME_MAX_CHARS;
use duban_domain::complaint::contact::{EMAIL_MAX, NAME_MAX, POSTAL_ADDRESS_MAX};
use duban_domain::complaint::links::LINK_REASON_MAX;
use duban_domain::complaint::registration::ACCOUNT_MAX;
use duban_domain::complaint::service::{
    EXPLANATION_MAX, NOTE_MAX, OUTCOME_MAX, REASON_MAX, REFERRAL_MAX, REMARKS_MAX,
};
use duban_domain::supervision::service::TEXT_MAX as ORDER_TEXT_MAX;
use serde_json::Value;

/// `(schema, property, the domain's limit)` for every limited field the domain checks too.
const LIMITS: &[(&str, &str, usize)] = &[
    ("RegisterComplaint", "account", ACCOUNT_MAX),
    ("ComplainantInput", "name", NAME_MAX),
    ("ComplainantInput", "email", EMAIL_MAX),
    ("ComplainantInput", "postal_address", POSTAL_ADDRESS_MAX),
    ("ScreeningRequest", "explanation", EXPLANATION_MAX),
    ("ScreeningRequest", "referral", REFERRAL_MAX),
    ("ClassificationRequest", "reason", REASON_MAX),
    ("OnSiteResolutionRequest", "note", NOTE_MAX),
    ("FeedbackDispositionRequest", "note", NOTE_MAX),
    ("CloseRequest", "outcome", OUTCOME_MAX),
    ("ReturnVisitRequest", "remarks", REMARKS_MAX),
    ("ReopenRequest", "reason", REASON_MAX),
    ("NewLink", "reason", LINK_REASON_MAX),
    ("IssueOrder", "opinion", ORDER_TEXT_MAX),
    ("ReturnOrder", "reason", ORDER_TEXT_MAX),
    ("ReturnOrder", "basis", ORDER_TEXT_MAX),
    ("ReturnRulingRequest", "reason", ORDER_TEXT_MAX),
    ("ReturnRulingRequest", "opinion", ORDER_TEXT_MAX),
    ("ExtensionRequestBody", "reason", ORDER_TEXT_MAX),
    ("ExtensionDecisionBody", "reason", ORDER_TEXT_MAX),
    ("ReplyBody", "result", ORDER_TEXT_MAX),
    ("ReplyBody", "rectification", ORDER_TEXT_MAX),
    ("ReviewBody", "reasons", ORDER_TEXT_MAX),
    ("ReviewBody", "next_opinion", ORDER_TEXT_MAX),
    ("ReminderBody", "note", ORDER_TEXT_MAX),
];

fn max_length(document: &Value, schema: &str, property: &str) -> Option<u64> {
    let field = &document["components"]["schemas"][schema]["properties"][property];
    field["maxLength"]
        .as_u64()
        .or_else(|| field["items"]["maxLength"].as_u64())
}

#[test]
fn the_documented_length_limits_are_the_domains() {
    let document: Value = serde_json::from_str(&duban_api::openapi_json())
        .unwrap_or_else(|e| panic!("the document is not JSON: {e}"));
    let differing: Vec<String> = LIMITS
        .iter()
        .filter_map(|(schema, property, limit)| {
            let documented = max_length(&document, schema, property);
            (documented != u64::try_from(*limit).ok())
                .then(|| format!("{schema}.{property}: documented {documented:?}, domain {limit}"))
        })
        .collect();
    assert!(differing.is_empty(), "{differing:#?}");
}

#[test]
fn a_calendar_day_name_is_limited_as_the_domain_limits_it() {
    let document: Value = serde_json::from_str(&duban_api::openapi_json())
        .unwrap_or_else(|e| panic!("the document is not JSON: {e}"));
    let schemas = document["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let documented: Vec<u64> = schemas
        .iter()
        .filter(|(name, _)| name.contains("Calendar") || name.contains("Day"))
        .filter_map(|(_, s)| s["properties"]["name"]["maxLength"].as_u64())
        .collect();
    for limit in documented {
        assert_eq!(Some(limit), u64::try_from(DAY_NAME_MAX_CHARS).ok());
    }
}
