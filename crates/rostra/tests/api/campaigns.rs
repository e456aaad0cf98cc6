//! Donation campaigns: an owner creates one, enters donations by hand and
//! from CSV, and the bar as HTML in each language and time zone. Payment
//! webhooks and live totals are in `campaign_webhooks`.

use crate::helpers::*;
use reqwest::{RequestBuilder, StatusCode};
use rostra_core::{Role, SiteId, Timestamp};
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";
pub(crate) const STRIPE_SECRET: &str = "whsec_test_0123456789abcdef";

/// The app with `olga` owning demo and `mo` moderating it; their tokens.
pub(crate) async fn owned() -> Option<(TestApp, String, String)> {
    let app = TestApp::spawn().await?;
    let service = &app.state.service;
    let demo = SiteId::parse("demo").unwrap();
    service
        .add_user("olga", Some(PASSWORD), None, &demo, Role::Owner)
        .await
        .unwrap();
    service
        .add_user("mo", Some(PASSWORD), None, &demo, Role::Moderator)
        .await
        .unwrap();
    let olga = service.create_token("olga", None).await.unwrap();
    let mo = service.create_token("mo", None).await.unwrap();
    Some((app, olga.as_str().to_owned(), mo.as_str().to_owned()))
}

pub(crate) fn campaign_body() -> Value {
    json!({
        "slug": "fall",
        "title": "Support SouthFront",
        "currency": "USD",
        "goal": 500000,
        "milestones": [0, 250000],
        "starts_at": "2020-01-01",
        "ends_at": "2099-01-01",
        "offset": 10000,
        "cta_text": "Support SouthFront",
        "cta_url": "https://news.example/donate",
        "show_donors": true,
        "stripe_secret": STRIPE_SECRET
    })
}

pub(crate) async fn send(req: RequestBuilder) -> (StatusCode, Value) {
    let r = req.send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Creates `fall` as olga; returns the generic webhook's secret.
pub(crate) async fn create(app: &TestApp, token: &str, body: Value) -> String {
    let (status, v) = send(
        app.client
            .post(app.api("/campaigns"))
            .bearer_auth(token)
            .json(&body),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    v["webhook_secret"].as_str().unwrap().to_owned()
}

pub(crate) fn now_secs() -> i64 {
    Timestamp::now().0 / 1000
}

pub(crate) async fn public(app: &TestApp) -> Value {
    let (status, v) = send(app.client.get(app.api("/campaigns/fall"))).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

#[tokio::test]
async fn an_owner_creates_a_campaign_that_the_public_reads() {
    let Some((app, olga, mo)) = owned().await else {
        return;
    };
    // Owners only.
    let r = app
        .client
        .post(app.api("/campaigns"))
        .json(&campaign_body())
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::UNAUTHORIZED, "unauthenticated", None).await;
    let r = app
        .client
        .post(app.api("/campaigns"))
        .bearer_auth(&mo)
        .json(&campaign_body())
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "not_a_moderator", None).await;

    let secret = create(&app, &olga, campaign_body()).await;
    assert!(secret.starts_with("rsec_"), "{secret}");
    let v = public(&app).await;
    assert_eq!(
        (&v["raised"], &v["donors"], &v["goal"], &v["milestones"]),
        (
            &json!(10000),
            &json!(0),
            &json!(500000),
            &json!([0, 250000])
        )
    );
    assert_eq!(v["ends_at"], "2099-01-01T00:00:00Z");
    assert!(
        v.get("webhook_secret").is_none() && v.get("stripe_secret").is_none(),
        "{v}"
    );

    let (status, list) = send(app.client.get(app.api("/campaigns")).bearer_auth(&olga)).await;
    assert_eq!(status, StatusCode::OK);
    let listed = &list["campaigns"][0];
    assert_eq!(listed["stripe_configured"], true);
    assert_eq!(listed["webhook_secret"], secret.as_str());
    assert_eq!(
        listed["stripe_webhook"],
        "/api/v1/sites/demo/campaigns/fall/webhooks/stripe"
    );
    assert!(!list.to_string().contains(STRIPE_SECRET), "never shown");

    // The same slug again; a missing field; a float amount; a bad URL.
    let r = app
        .client
        .post(app.api("/campaigns"))
        .bearer_auth(&olga)
        .json(&campaign_body())
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::CONFLICT, "conflict", None).await;
    let cases = [
        ("title", json!({"slug": "b", "title": null})),
        ("goal", json!({"slug": "c", "goal": 25.5})),
        (
            "cta_url",
            json!({"slug": "d", "cta_url": "javascript:alert(1)"}),
        ),
        ("ends_at", json!({"slug": "e", "ends_at": "2019-01-01"})),
        ("currency", json!({"slug": "f", "currency": "dollars"})),
        (
            "milestones[0]",
            json!({"slug": "g", "milestones": [900000]}),
        ),
    ];
    for (field, change) in cases {
        let mut body = campaign_body();
        for (k, v) in change.as_object().unwrap() {
            if v.is_null() {
                body.as_object_mut().unwrap().remove(k);
            } else {
                body[k] = v.clone();
            }
        }
        let r = app
            .client
            .post(app.api("/campaigns"))
            .bearer_auth(&olga)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_error(
            r,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            Some(field),
        )
        .await;
    }

    // Changing a field keeps the others.
    let (status, v) = send(
        app.client
            .patch(app.api("/campaigns/fall"))
            .bearer_auth(&olga)
            .json(&json!({"goal": 600000})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        (&v["goal"], &v["title"]),
        (&json!(600000), &json!("Support SouthFront"))
    );
    let missing = app
        .client
        .get(app.api("/campaigns/spring"))
        .send()
        .await
        .unwrap();
    assert_error(missing, StatusCode::NOT_FOUND, "not_found", None).await;
}

#[tokio::test]
async fn manual_entries_and_csv_imports_count_once() {
    let Some((app, olga, mo)) = owned().await else {
        return;
    };
    create(&app, &olga, campaign_body()).await;
    let entry = json!({"amount": 2000, "id": "cheque-17", "note": "by post"});
    let post = |token: &str, body: &Value| {
        app.client
            .post(app.api("/campaigns/fall/donations"))
            .bearer_auth(token)
            .json(body)
    };
    let (status, v) = send(post(&olga, &entry)).await;
    assert_eq!((status, &v["raised"]), (StatusCode::CREATED, &json!(12000)));
    let (status, v) = send(post(&olga, &entry)).await;
    assert_eq!(
        (status, &v["outcome"]),
        (StatusCode::OK, &json!("duplicate"))
    );
    let r = post(&mo, &entry).send().await.unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "not_a_moderator", None).await;

    let csv = "id,amount,date,note\nrow-1,25.50,2026-09-02,first\nrow-2,100,,\nrow-3,-10,,refund\n";
    let import = |body: &'static str| {
        app.client
            .post(app.api("/campaigns/fall/donations/import"))
            .bearer_auth(&olga)
            .header("content-type", "text/csv")
            .body(body)
    };
    let (status, v) = send(import(csv)).await;
    assert_eq!(
        (status, v),
        (StatusCode::OK, json!({"recorded": 3, "duplicates": 0}))
    );
    let (_, v) = send(import(csv)).await;
    assert_eq!(v, json!({"recorded": 0, "duplicates": 3}));
    assert_eq!(public(&app).await["raised"], 12000 + 2550 + 10000 - 1000);
    let r = import("id,amount\nok,1\nbad,1.234\n").send().await.unwrap();
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("line 3: amount"),
    )
    .await;
}

async fn bar(app: &TestApp, query: &[(&str, &str)]) -> String {
    let r = app
        .client
        .get(app.api("/campaigns/fall/html"))
        .query(query)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

#[tokio::test]
async fn the_bar_speaks_the_readers_language_and_escapes_the_publishers_words() {
    let Some((app, olga, _)) = owned().await else {
        return;
    };
    let mut body = campaign_body();
    body["title"] = json!("<script>alert(1)</script> Fund");
    body["offset"] = json!(140000);
    create(&app, &olga, body).await;
    let en = bar(&app, &[("lang", "en")]).await;
    // A native progressbar, its value in words for screen readers.
    assert!(
        en.contains(r#"<progress class="rc-bar" max="500000" value="140000""#),
        "{en}"
    );
    assert!(
        !en.contains("style="),
        "no inline styles: a CSP may forbid them"
    );
    assert!(en.contains(r#"aria-valuetext="$1,400 of $5,000""#), "{en}");
    for tick in ["$0", "$2,500", "$5,000"] {
        assert!(en.contains(&format!(">{tick}</li>")), "tick {tick}: {en}");
    }
    assert!(en.contains("Next milestone: $2,500"), "{en}");
    assert!(en.contains("days left until"), "{en}");
    assert!(en.contains(r#"href="https://news.example/donate""#), "{en}");
    assert!(!en.contains("<script>"), "{en}");
    assert!(
        en.contains("script&#62;") || en.contains("script&gt;"),
        "{en}"
    );
    let de = bar(&app, &[("lang", "de")]).await;
    assert!(de.contains("1.400\u{a0}$") && de.contains("Noch "), "{de}");
    let ar = bar(&app, &[("lang", "ar")]).await;
    assert!(ar.contains(r#"dir="rtl""#), "{ar}");
    let r = app
        .client
        .get(app.api("/campaigns/fall/html"))
        .query(&[("tz", "-900")])
        .send()
        .await
        .unwrap();
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("tz"),
    )
    .await;

    // Once it has ended: the words say so and the button goes.
    let (status, _) = send(
        app.client
            .patch(app.api("/campaigns/fall"))
            .bearer_auth(&olga)
            .json(&json!({"ends_at": "2021-01-01"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let ended = bar(&app, &[("tz", "540")]).await;
    assert!(
        ended.contains("Campaign ended") && !ended.contains("rc-cta"),
        "{ended}"
    );
}
