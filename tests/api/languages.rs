//! Problem details in Chinese or English, chosen by `Accept-Language`; zh-CN by default, or
//! `DUBAN_DEFAULT_LANGUAGE`. Codes and field names are the same in both.

use duban_infra::config::Language;
use duban_tests::{Reply, TestApp};
use reqwest::Method;
use serde_json::json;

/// A unit complained about and an intake clerk's token.
async fn desk(app: &TestApp) -> (String, String) {
    let unit = app.create_unit("Licensing Bureau", "agency", None).await;
    let (_, intake) = app.staff("wang.fang", "intake", None).await;
    (unit, intake)
}

/// A letter without a postal address or the letter's date, as in the README.
async fn refused_letter(app: &TestApp, desk: &(String, String), language: Option<&str>) -> Reply {
    let (unit, intake) = desk;
    app.call_in(
        language,
        Method::POST,
        "/api/v1/complaints",
        Some(intake),
        Some(
            json!({"channel": "letter", "respondent_unit_id": unit, "matter": "fees",
                    "account": "Charged twice.", "complainant": {"name": "Zhao Lei"}}),
        ),
    )
    .await
}

fn content_language(reply: &Reply) -> &str {
    reply
        .headers
        .get("content-language")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

fn message_of(reply: &Reply, field: &str) -> String {
    reply.body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["field"] == field)
        .and_then(|e| e["message"].as_str())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn without_accept_language_problems_are_in_chinese() {
    let app = TestApp::spawn().await;
    let desk = desk(&app).await;
    let reply = refused_letter(&app, &desk, None).await;
    assert_eq!(reply.problem(422), "validation_failed");
    assert_eq!(content_language(&reply), "zh-CN");
    assert_eq!(
        reply.body["title"], "请求未通过规则校验",
        "{:#}",
        reply.body
    );
    assert_eq!(
        message_of(&reply, "letter_date"),
        "来信须填写信件落款日期",
        "{:#}",
        reply.body
    );
    assert_eq!(
        message_of(&reply, "complainant.postal_address"),
        "来信须登记用于答复的通信地址"
    );
    let detail = reply.body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("来信须填写信件落款日期"), "{detail}");
}

#[tokio::test]
async fn accept_language_switches_texts_but_not_codes_or_fields() {
    let app = TestApp::spawn().await;
    let desk = desk(&app).await;
    let zh = refused_letter(&app, &desk, Some("zh-CN")).await;
    let en = refused_letter(&app, &desk, Some("en")).await;
    assert_eq!(zh.problem(422), en.problem(422));
    assert_eq!(zh.error_fields(), en.error_fields());
    assert_eq!(content_language(&zh), "zh-CN");
    assert_eq!(content_language(&en), "en");
    assert_eq!(en.body["title"], "Unprocessable Entity");
    assert_eq!(
        message_of(&en, "letter_date"),
        "a letter needs the date written on it"
    );
    assert_eq!(message_of(&zh, "letter_date"), "来信须填写信件落款日期");
    // Weights decide; any Chinese tag means simplified Chinese.
    let weighted = refused_letter(&app, &desk, Some("fr;q=0.9, en;q=0.3, zh-Hans;q=0.7")).await;
    assert_eq!(content_language(&weighted), "zh-CN");
    let english = refused_letter(&app, &desk, Some("en-US,zh;q=0.5")).await;
    assert_eq!(content_language(&english), "en");
}

#[tokio::test]
async fn the_default_language_is_a_setting() {
    let app = TestApp::spawn_with(|s| s.default_language = Language::En).await;
    let desk = desk(&app).await;
    let reply = refused_letter(&app, &desk, None).await;
    assert_eq!(content_language(&reply), "en");
    assert_eq!(
        message_of(&reply, "letter_date"),
        "a letter needs the date written on it"
    );
    let asked = refused_letter(&app, &desk, Some("zh")).await;
    assert_eq!(content_language(&asked), "zh-CN");
}

#[tokio::test]
async fn the_services_own_refusals_are_translated_too() {
    let app = TestApp::spawn().await;
    // No token (poem's own 401), an unknown route (poem's 404), a wrong password.
    let anonymous = app
        .call_in(None, Method::GET, "/api/v1/complaints", None, None)
        .await;
    assert_eq!(anonymous.problem(401), "unauthenticated");
    assert_eq!(anonymous.body["title"], "未登录");
    assert_eq!(anonymous.body["detail"], "需要有效的 Bearer 令牌");
    let nowhere = app
        .call_in(
            Some("zh-CN"),
            Method::GET,
            "/api/v1/nowhere",
            Some(&app.admin),
            None,
        )
        .await;
    assert_eq!(nowhere.problem(404), "not_found");
    assert_eq!(nowhere.body["detail"], "资源不存在");
    let wrong = app
        .call_in(
            None,
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "admin", "password": "not-the-password"})),
        )
        .await;
    assert_eq!(wrong.problem(401), "unauthenticated");
    assert_eq!(wrong.body["detail"], "用户名或密码错误");
    assert_eq!(content_language(&wrong), "zh-CN");
}

#[tokio::test]
async fn a_refused_role_reads_what_it_may_not_do_in_chinese() {
    let app = TestApp::spawn().await;
    let unit = app.create_unit("Licensing Bureau", "agency", None).await;
    let reply = app
        .call_in(
            None,
            Method::POST,
            "/api/v1/complaints",
            Some(&app.admin),
            Some(
                json!({"channel": "walk_in", "respondent_unit_id": unit, "matter": "fees",
                        "account": "Charged twice.", "complainant": {"name": "Zhao Lei"}}),
            ),
        )
        .await;
    assert_eq!(reply.problem(403), "forbidden");
    assert_eq!(
        reply.body["detail"], "角色 `admin` 无权登记投诉",
        "{:#}",
        reply.body
    );
}
