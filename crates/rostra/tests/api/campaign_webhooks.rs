//! Donations from payment providers' webhooks: signatures checked (wrong
//! secret, stale or future timestamp, none), each event and payment counted
//! once, refunds subtracted, currencies kept apart; and the totals arriving
//! live over Server-Sent Events.

use crate::campaigns::{campaign_body, create, now_secs, owned, public, send, STRIPE_SECRET};
use crate::helpers::*;
use reqwest::StatusCode;
use rostra_core::campaign::signature::sign;
use serde_json::{json, Value};

async fn webhook(
    app: &TestApp,
    kind: &str,
    header: &str,
    secret: &str,
    at: i64,
    body: &Value,
) -> (StatusCode, Value) {
    let raw = serde_json::to_vec(body).unwrap();
    send(
        app.client
            .post(app.api(&format!("/campaigns/fall/webhooks/{kind}")))
            .header("content-type", "application/json")
            .header(header, sign(secret.as_bytes(), at, &raw))
            .body(raw),
    )
    .await
}

async fn stripe(app: &TestApp, body: &Value) -> (StatusCode, Value) {
    webhook(
        app,
        "stripe",
        "stripe-signature",
        STRIPE_SECRET,
        now_secs(),
        body,
    )
    .await
}

fn stripe_event(id: &str, kind: &str, object: Value) -> Value {
    json!({"id": id, "object": "event", "type": kind, "created": now_secs(), "data": {"object": object}})
}

fn paid(id: &str, pi: &str, cents: i64) -> Value {
    stripe_event(
        id,
        "payment_intent.succeeded",
        json!({"id": pi, "object": "payment_intent", "amount_received": cents, "currency": "usd"}),
    )
}

#[tokio::test]
async fn stripe_signatures_are_checked_and_each_payment_counts_once() {
    let Some((app, olga, _)) = owned().await else {
        return;
    };
    create(&app, &olga, campaign_body()).await;
    let event = paid("evt_1", "pi_1", 2500);
    let (status, v) = stripe(&app, &event).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        v,
        json!({"outcome": "recorded", "raised": 12500, "donors": 1})
    );

    // A replayed event, and the same payment's Checkout Session: once.
    let (_, v) = stripe(&app, &event).await;
    assert_eq!(v["outcome"], "duplicate");
    let session = stripe_event(
        "evt_2",
        "checkout.session.completed",
        json!({"id": "cs_1", "payment_intent": "pi_1", "payment_status": "paid", "amount_total": 2500, "currency": "usd"}),
    );
    let (_, v) = stripe(&app, &session).await;
    assert_eq!(
        (&v["outcome"], &v["raised"]),
        (&json!("duplicate"), &json!(12500))
    );

    // A wrong secret, a stale or future timestamp, no signature: 401, nothing recorded.
    let other = paid("evt_3", "pi_3", 9900);
    let (status, v) = webhook(
        &app,
        "stripe",
        "stripe-signature",
        "whsec_wrong_secret_000000",
        now_secs(),
        &other,
    )
    .await;
    assert_eq!(
        (status, &v["error"]["code"]),
        (StatusCode::UNAUTHORIZED, &json!("unauthenticated"))
    );
    for at in [now_secs() - 301, now_secs() + 301] {
        let (status, v) = webhook(
            &app,
            "stripe",
            "stripe-signature",
            STRIPE_SECRET,
            at,
            &other,
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("tolerance"),
            "{v}"
        );
    }
    let r = app
        .client
        .post(app.api("/campaigns/fall/webhooks/stripe"))
        .json(&other)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::UNAUTHORIZED, "unauthenticated", None).await;
    assert_eq!(public(&app).await["raised"], 12500);

    // Refunds are cumulative in Stripe: 500, then 2500 in all.
    for (id, refunded, raised) in [("evt_4", 500, 12000), ("evt_5", 2500, 10000)] {
        let refund = stripe_event(
            id,
            "charge.refunded",
            json!({"id": "ch_1", "payment_intent": "pi_1", "amount_refunded": refunded, "currency": "usd"}),
        );
        let (_, v) = stripe(&app, &refund).await;
        assert_eq!(
            (&v["outcome"], &v["raised"]),
            (&json!("recorded"), &json!(raised)),
            "{id}"
        );
    }
    assert_eq!(
        public(&app).await["donors"],
        0,
        "a wholly refunded payment no longer counts"
    );

    // Events that are no donation for this campaign are acknowledged.
    let (status, v) = stripe(
        &app,
        &stripe_event("evt_6", "customer.created", json!({"id": "cus_1"})),
    )
    .await;
    assert_eq!((status, &v["outcome"]), (StatusCode::OK, &json!("ignored")));
    let mut elsewhere = paid("evt_7", "pi_7", 100);
    elsewhere["data"]["object"]["metadata"] = json!({"rostra_campaign": "spring"});
    let (_, v) = stripe(&app, &elsewhere).await;
    assert_eq!(v["outcome"], "ignored");
    let unpaid = stripe_event(
        "evt_8",
        "checkout.session.completed",
        json!({"id": "cs_8", "payment_status": "unpaid", "amount_total": 100, "currency": "usd"}),
    );
    assert_eq!(stripe(&app, &unpaid).await.1["outcome"], "ignored");
    let (status, v) = stripe(&app, &json!({"id": "evt_9"})).await;
    assert_eq!(
        (status, &v["error"]["field"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("body"))
    );
}

#[tokio::test]
async fn the_generic_webhook_keeps_currencies_apart_and_refunds_subtract() {
    let Some((app, olga, _)) = owned().await else {
        return;
    };
    let secret = create(&app, &olga, campaign_body()).await;
    let send_generic = |body: Value| {
        let (app, secret) = (&app, secret.clone());
        async move {
            webhook(
                app,
                "generic",
                "x-rostra-signature",
                &secret,
                now_secs(),
                &body,
            )
            .await
        }
    };
    let (_, v) = send_generic(json!({"id": "g1", "type": "donation", "amount": 5000, "currency": "usd", "reference": "p1"})).await;
    assert_eq!(
        (&v["outcome"], &v["raised"]),
        (&json!("recorded"), &json!(15000))
    );
    let (_, v) = send_generic(
        json!({"id": "g2", "type": "refund", "amount": 1000, "currency": "USD", "reference": "p1"}),
    )
    .await;
    assert_eq!(v["raised"], 14000);
    let (_, v) =
        send_generic(json!({"id": "g3", "type": "donation", "amount": 700, "currency": "EUR"}))
            .await;
    assert_eq!(
        (&v["raised"], &v["donors"]),
        (&json!(14000), &json!(1)),
        "euros kept apart"
    );
    let (_, list) = send(app.client.get(app.api("/campaigns")).bearer_auth(&olga)).await;
    assert_eq!(
        list["campaigns"][0]["elsewhere"],
        json!([{"currency": "EUR", "amount": 700}])
    );
    let (status, v) =
        send_generic(json!({"id": "g4", "type": "tip", "amount": 1, "currency": "USD"})).await;
    assert_eq!(
        (status, &v["error"]["field"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("type"))
    );
    let (status, v) =
        send_generic(json!({"id": "g5", "type": "donation", "amount": -5, "currency": "USD"}))
            .await;
    assert_eq!(
        (status, &v["error"]["field"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("amount"))
    );
    // Stripe's secret does not sign the generic webhook.
    let body = json!({"id": "g6", "type": "donation", "amount": 1, "currency": "USD"});
    let (status, _) = webhook(
        &app,
        "generic",
        "x-rostra-signature",
        STRIPE_SECRET,
        now_secs(),
        &body,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn totals_arrive_live_when_a_webhook_records_a_donation() {
    let Some((app, olga, _)) = owned().await else {
        return;
    };
    create(&app, &olga, campaign_body()).await;
    let r = app
        .client
        .get(app.api("/campaigns/fall/stream"))
        .send()
        .await
        .unwrap();
    let mut events = EventStream::new(r);
    let first = events.next().await;
    assert_eq!(
        (first.event.as_str(), first.data),
        ("totals", json!({"raised": 10000, "donors": 0}))
    );
    stripe(&app, &paid("evt_1", "pi_1", 2500)).await;
    let next = events.next().await;
    assert_eq!(
        (next.event.as_str(), next.data),
        ("totals", json!({"raised": 12500, "donors": 1}))
    );
    // A replay moves nothing and says nothing.
    stripe(&app, &paid("evt_1", "pi_1", 2500)).await;
    events.quiet(std::time::Duration::from_millis(300)).await;
    let missing = app
        .client
        .get(app.api("/campaigns/spring/stream"))
        .send()
        .await
        .unwrap();
    assert_error(missing, StatusCode::NOT_FOUND, "not_found", None).await;
}
