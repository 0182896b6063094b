//! Request bodies: a field the schema does not name is refused with 422 naming it, and a
//! missing or mistyped field's 400 names the field as it is spelt on the wire.

use serde_json::json;

use crate::complaints_support::{Desk, walk_in};

#[tokio::test]
async fn a_misspelt_field_is_refused_and_nothing_is_registered() {
    let desk = Desk::open().await;
    let (staff_id, _) = desk
        .app
        .staff("clerk", "unit_handler", Some(&desk.section))
        .await;
    let mut body = walk_in(&desk.unit, "the clerk was rude");
    body["respondant_staff_id"] = json!(staff_id);
    body["complainant"]["nmae"] = json!("Li");

    let reply = desk.register(body).await;
    assert_eq!(reply.problem(422), "validation_failed");
    let mut fields = reply.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        ["complainant.nmae", "respondant_staff_id"],
        "{:#}",
        reply.body
    );

    let list = desk.app.get("/api/v1/complaints", &desk.intake).await;
    assert_eq!(list.status, 200, "{:#}", list.body);
    assert_eq!(list.body["items"], json!([]), "{:#}", list.body);
}

#[tokio::test]
async fn unknown_fields_are_refused_on_updates_too() {
    let desk = Desk::open().await;
    let reply = desk
        .app
        .call(
            reqwest::Method::PATCH,
            &format!("/api/v1/units/{}", desk.unit),
            Some(&desk.app.admin),
            Some(json!({"nmae": "Tax Office"})),
        )
        .await;
    assert_eq!(reply.problem(422), "validation_failed");
    assert_eq!(reply.error_fields(), ["nmae"]);
}

#[tokio::test]
async fn a_missing_or_mistyped_field_is_named_in_the_wire_words() {
    let desk = Desk::open().await;
    for (value, message) in [
        (json!(null), "is required"),
        (json!(42), "must be a UUID string"),
        (json!("not-a-uuid"), "must be a UUID string"),
    ] {
        let mut body = walk_in(&desk.unit, "the window closed early");
        body["respondent_unit_id"] = value.clone();
        let reply = desk.register(body).await;
        assert_eq!(reply.problem(400), "invalid_request", "{value}");
        assert_eq!(
            reply.error_fields(),
            ["respondent_unit_id"],
            "{:#}",
            reply.body
        );
        assert_eq!(
            reply.body["errors"][0]["message"], message,
            "{:#}",
            reply.body
        );
        let detail = reply.body["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("respondent_unit_id"), "{detail}");
        assert!(!detail.contains("param0"), "{detail}");
    }

    let mut body = walk_in(&desk.unit, "the window closed early");
    body["complainant"] = json!({"name": 7});
    let reply = desk.register(body).await;
    assert_eq!(reply.problem(400), "invalid_request");
    assert_eq!(
        reply.error_fields(),
        ["complainant.name"],
        "{:#}",
        reply.body
    );
}

/// The document's "not blank" pattern and the server agree on what is blank: a
/// JSON-Schema client must not find a value it thinks valid refused, nor the reverse
/// (U+0085 is blank to the server; U+FEFF is blank to ECMA-262 regular expressions).
#[tokio::test]
async fn blank_means_the_same_to_the_document_and_the_server() {
    let desk = Desk::open().await;
    let spec = desk
        .app
        .call(reqwest::Method::GET, "/openapi.json", None, None)
        .await;
    let pattern = spec.body["components"]["schemas"]["RegisterComplaint"]["properties"]["account"]
        ["pattern"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        pattern.contains("u0085") && pattern.contains("ufeff"),
        "{pattern}"
    );
    for blank in ["\u{85}", "\u{feff}", " \t\n"] {
        let reply = desk.register(walk_in(&desk.unit, blank)).await;
        assert!(
            reply.status == 400 || reply.status == 422,
            "{blank:?}: {} {:#}",
            reply.status,
            reply.body
        );
    }
    let reply = desk.register(walk_in(&desk.unit, "x\u{feff}y")).await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
}

#[tokio::test]
async fn an_unknown_field_is_refused_even_when_null() {
    let desk = Desk::open().await;
    for body in [
        json!({"name": "Tax Office", "kind": "agency", "": null}),
        json!({"name": "Tax Office", "kind": "agency", "parnet_id": null}),
    ] {
        let reply = desk
            .app
            .post("/api/v1/units", &desk.app.admin, body.clone())
            .await;
        assert_eq!(reply.problem(422), "validation_failed", "{body}");
    }
}
