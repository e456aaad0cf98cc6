//! The moderation page at `/moderation`, as a browser without JavaScript
//! uses it: the sign-in form, the queue with the policy's reasons and
//! words, actions through forms (303 back, audited, published), the origin
//! check on every POST, other sites' moderators refused, hostile input
//! escaped.

use crate::comments::set_site;
use crate::helpers::*;
use crate::moderation::{count, json_ok, moderation, staffed};
use reqwest::{header, redirect, Client, StatusCode};
use rostra_core::ModerationMode;
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";
/// Made up for these tests: no slur, no real person.
pub(crate) const ABUSE: &str = "You are a pathetic idiot and a worthless moron, shut up.";

/// A client that shows redirects instead of following them, and keeps no
/// cookies of its own.
fn browser() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

/// Posts a form to the page with this server's own `Origin`.
pub(crate) async fn post_form(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut req = browser()
        .post(app.url(path))
        .header(header::ORIGIN, app.url(""))
        .form(form);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.send().await.unwrap()
}

/// Signs in through the form; the session cookie (`name=value`).
pub(crate) async fn sign_in(app: &TestApp, name: &str) -> String {
    let r = post_form(
        app,
        "/moderation/login",
        None,
        &[("name", name), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[header::LOCATION], "/moderation");
    let set = r.headers()[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(
        set.starts_with("rostra_session=")
            && set.contains("HttpOnly")
            && set.contains("SameSite=Strict"),
        "{set}"
    );
    set.split(';').next().unwrap().to_owned()
}

async fn get_page(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    browser()
        .get(app.url(path))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .unwrap()
}

pub(crate) async fn page_text(app: &TestApp, path: &str, cookie: &str) -> String {
    let r = get_page(app, path, cookie).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

/// Posts a comment to `/p` as `name`; its id and status.
pub(crate) async fn post(app: &TestApp, name: &str, title: &str, body: &str) -> (i64, String) {
    let r = app
        .client
        .post(app.api("/comments"))
        .json(&json!({
            "url": app.page("/p"),
            "title": title,
            "author": {"name": name},
            "body": body,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    (
        v["comment"]["id"].as_i64().unwrap(),
        v["comment"]["status"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn signing_in_and_out_through_the_form() {
    let Some((app, _, _)) = staffed().await else {
        return;
    };
    let r = browser().get(app.url("/moderation")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers();
    assert_eq!(h[header::CACHE_CONTROL], "no-store");
    assert_eq!(h["x-robots-tag"], "noindex, nofollow");
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("default-src 'self'") && csp.contains("script-src 'none'"),
        "{csp}"
    );
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"<meta name="robots" content="noindex, nofollow">"#));
    assert!(html.contains(r#"action="/moderation/login""#));
    assert!(html.contains(r#"name="password" type="password""#));
    assert!(!html.contains("role=\"alert\""));

    // A wrong password: the form again, with an alert and the name kept.
    let r = post_form(
        &app,
        "/moderation/login",
        None,
        &[("name", "alice"), ("password", "wrong password!")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(!r.headers().contains_key(header::SET_COOKIE));
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"<p class="r-error" role="alert">Wrong name or password.</p>"#));
    assert!(html.contains(r#"value="alice""#));

    let cookie = sign_in(&app, "alice").await;
    let html = page_text(&app, "/moderation", &cookie).await;
    assert!(html.contains("Signed in as <strong>alice</strong>"));
    assert!(html.contains("Queue: demo"));
    assert!(html.contains("Nothing to review."));

    // The cookie is the API's session too.
    let me = json_ok(
        app.client
            .get(app.url("/api/v1/auth/me"))
            .header(header::COOKIE, &cookie),
    )
    .await;
    assert_eq!(me["name"], "alice");

    let r = post_form(&app, "/moderation/logout", Some(&cookie), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let set = r.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(set.contains("Max-Age=0"), "{set}");
    let html = page_text(&app, "/moderation", &cookie).await;
    assert!(
        html.contains(r#"name="password""#),
        "the session ended: {html}"
    );

    // In another language.
    let r = browser()
        .get(app.url("/moderation?lang=de"))
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"<html lang="de""#) && html.contains("Anmelden"));
}

#[tokio::test]
async fn a_held_comment_shows_its_reasons_and_approving_publishes_it() {
    let Some((app, alice, _)) = staffed().await else {
        return;
    };
    // Held, not rejected: the demo's reference comments are held the same way.
    set_site(&app, |s| s.settings.toxicity.reject = 1.0).await;
    post(
        &app,
        "Ann",
        "A page",
        "Thank you for the careful reporting.",
    )
    .await;
    let (held, status) = post(&app, "Troll", "A page", ABUSE).await;
    assert_eq!(status, "pending");
    assert_eq!(count(&app, "/p").await, 1);

    let cookie = sign_in(&app, "alice").await;
    let html = page_text(&app, "/moderation?filter=held&order=urgent", &cookie).await;
    assert!(html.contains(&format!(r#"id="r-mod-{held}""#)), "{html}");
    assert!(html.contains(r#"<span class="r-author" id="r-mod-a-"#));
    assert!(html.contains(">Troll</span>"));
    assert!(html.contains(&format!(
        r#"<a href="{}" rel="noopener">A page</a>"#,
        app.page("/p")
    )));
    assert!(html.contains("pathetic idiot"), "the body is shown");
    assert!(html.contains("<code>toxicity</code>"), "the reason");
    assert!(
        ["idiot", "moron", "pathetic", "worthless"]
            .iter()
            .any(|w| html.contains(&format!(r#"<mark class="r-mod-term">{w}</mark>"#))),
        "the words that weighed most"
    );
    assert!(html.contains(r#"<span class="r-mod-score">"#), "the scores");
    assert!(
        html.contains(&format!(
            r#"<p class="r-mod-record"><a href="/moderation?site=demo&amp;by={held}">By this author</a>: 1 Published · 1 Held · 0 Rejected · 0 Spam"#
        )),
        "the author's record on the site, linked to all their comments: {html}"
    );
    let by = page_text(&app, &format!("/moderation?site=demo&by={held}"), &cookie).await;
    assert!(
        by.contains(&format!("Every comment by the author of #{held}")),
        "{by}"
    );
    assert!(
        by.contains("Thank you for the careful"),
        "their published one too"
    );
    assert!(by.contains(&format!(
        r#"<input type="hidden" name="by" value="{held}">"#
    )));
    assert!(
        !by.contains(r#"aria-current="true">Held</a>"#),
        "no tab is current"
    );
    // A form sent from the author's view comes back to it.
    let held_id = held.to_string();
    let r = post_form(
        &app,
        "/moderation/actions",
        Some(&cookie),
        &[
            ("site", "demo"),
            ("action", "approve"),
            ("by", held_id.as_str()),
        ],
    )
    .await;
    let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(to.contains(&format!("by={held}")), "{to}");
    assert!(html.contains(r#"aria-current="true">Held</a>"#));
    assert!(html.contains(r#"aria-current="true">Most urgent</a>"#));
    assert!(
        !html.contains("Thank you for the careful"),
        "only held ones"
    );

    // Nothing selected in the bulk bar: back with a word, nothing changed.
    let r = post_form(
        &app,
        "/moderation/actions",
        Some(&cookie),
        &[("site", "demo"), ("action", "approve"), ("reason", "")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(page_text(&app, &to, &cookie)
        .await
        .contains("Select at least one comment."));

    let id = held.to_string();
    let r = post_form(
        &app,
        "/moderation/actions",
        Some(&cookie),
        &[
            ("site", "demo"),
            ("filter", "held"),
            ("order", "urgent"),
            ("ids", id.as_str()),
            ("action", "approve"),
            ("reason", "harsh but fair"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(
        to.starts_with("/moderation?site=demo&filter=held&order=urgent&action=approve&ok=1"),
        "{to}"
    );
    assert_eq!(
        count(&app, "/p").await,
        2,
        "published in the thread's count"
    );

    let html = page_text(&app, &to, &cookie).await;
    assert!(html.contains(r#"role="status" aria-live="polite">Approved: 1</p>"#));
    assert!(
        !html.contains(&format!(r#"id="r-mod-{held}""#)),
        "gone from the queue"
    );
    assert!(html.contains(&format!(
        "<strong>alice</strong> Approve <code>comment:{held}</code> — harsh but fair"
    )));

    // The same audit entry the API shows.
    let audit = json_ok(
        app.client
            .get(moderation(&app, "demo", "audit"))
            .bearer_auth(&alice),
    )
    .await;
    assert_eq!(audit["entries"][0]["action"], "approve");
    assert_eq!(audit["entries"][0]["target"], format!("comment:{held}"));
    assert_eq!(audit["entries"][0]["user_name"], "alice");

    // Several at once through the bulk bar.
    let (a, _) = post(&app, "Troll", "A page", ABUSE).await;
    let (b, _) = post(
        &app,
        "Troll",
        "A page",
        "What a pathetic idiot, a worthless moron.",
    )
    .await;
    let (a, b) = (a.to_string(), b.to_string());
    let r = post_form(
        &app,
        "/moderation/actions",
        Some(&cookie),
        &[
            ("site", "demo"),
            ("action", "reject"),
            ("ids", a.as_str()),
            ("ids", b.as_str()),
            ("ids", "999999"),
        ],
    )
    .await;
    let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let html = page_text(&app, &to, &cookie).await;
    assert!(html.contains("Rejected: 2 · Not found: 1"), "{to}");
    assert!(html.contains("Nothing to review."));
    assert_eq!(count(&app, "/p").await, 2);

    // The rejected view finds them again, and a refusal is undone there.
    let html = page_text(&app, "/moderation?site=demo&filter=rejected", &cookie).await;
    assert!(
        html.contains(r#"aria-current="true">Rejected</a>"#),
        "{html}"
    );
    for id in [&a, &b] {
        assert!(html.contains(&format!(r#"id="r-mod-{id}""#)), "{html}");
    }
    assert_eq!(
        html.matches(r#"<span class="r-mod-refused">Rejected</span>"#)
            .count(),
        2
    );
    let r = post_form(
        &app,
        "/moderation/actions",
        Some(&cookie),
        &[
            ("site", "demo"),
            ("filter", "rejected"),
            ("ids", a.as_str()),
            ("action", "approve"),
            ("reason", "rejected by mistake"),
        ],
    )
    .await;
    let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(to.contains("filter=rejected"), "{to}");
    let html = page_text(&app, &to, &cookie).await;
    assert!(html.contains("Approved: 1"), "{html}");
    assert!(!html.contains(&format!(r#"id="r-mod-{a}""#)));
    assert!(html.contains(&format!(r#"id="r-mod-{b}""#)));
    assert_eq!(count(&app, "/p").await, 3, "published again");

    // Under post-moderation the page opens on the published view.
    set_site(&app, |s| s.settings.moderation = ModerationMode::Post).await;
    let html = page_text(&app, "/moderation?site=demo", &cookie).await;
    assert!(
        html.contains(r#"aria-current="true">Published</a>"#),
        "{html}"
    );
    set_site(&app, |s| s.settings.moderation = ModerationMode::Model).await;
    let html = page_text(&app, "/moderation?site=demo", &cookie).await;
    assert!(html.contains(r#"aria-current="true">Held</a>"#), "{html}");

    // The published view lists what the page shows, newest first.
    let html = page_text(&app, "/moderation?site=demo&filter=published", &cookie).await;
    assert!(
        html.contains(r#"aria-current="true">Published</a>"#),
        "{html}"
    );
    let (first, second) = (
        html.find(&format!(r#"id="r-mod-{a}""#)).unwrap(),
        html.find(&format!(r#"id="r-mod-{held}""#)).unwrap(),
    );
    assert!(first < second, "newest first");
    assert!(
        !html.contains(&format!(r#"id="r-mod-{b}""#)),
        "not the refused"
    );
}

#[tokio::test]
async fn foreign_origins_and_other_sites_moderators_are_refused() {
    let Some((app, _, _)) = staffed().await else {
        return;
    };
    set_site(&app, |s| s.settings.moderation = ModerationMode::Pre).await;
    let (held, _) = post(&app, "Ann", "A page", "Held for review.").await;
    let id = held.to_string();
    let alice = sign_in(&app, "alice").await;
    let form = [
        ("site", "demo"),
        ("action", "approve"),
        ("ids", id.as_str()),
    ];

    for path in [
        "/moderation/actions",
        "/moderation/login",
        "/moderation/logout",
    ] {
        // Another origin, a foreign Referer without Origin, or neither.
        for (name, value) in [
            (Some(header::ORIGIN), "https://evil.example"),
            (Some(header::ORIGIN), "null"),
            (Some(header::REFERER), "https://evil.example/moderation"),
            (None, ""),
        ] {
            let mut req = browser()
                .post(app.url(path))
                .header(header::COOKIE, &alice)
                .form(&form);
            if let Some(name) = name {
                req = req.header(name, value);
            }
            let r = req.send().await.unwrap();
            assert_error(r, StatusCode::FORBIDDEN, "origin_not_allowed", None).await;
        }
    }
    // The server's own page as Referer (a browser that sends no Origin).
    let r = browser()
        .post(app.url("/moderation/actions"))
        .header(header::COOKIE, &alice)
        .header(header::REFERER, app.url("/moderation?site=demo"))
        .form(&[("site", "demo"), ("action", "approve")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Bob moderates only the other site.
    let bob = sign_in(&app, "bob").await;
    let html = page_text(&app, "/moderation", &bob).await;
    assert!(html.contains("Queue: other"));
    let r = get_page(&app, "/moderation?site=demo", &bob).await;
    assert_error(r, StatusCode::FORBIDDEN, "not_a_moderator", None).await;
    let r = post_form(&app, "/moderation/actions", Some(&bob), &form).await;
    assert_error(r, StatusCode::FORBIDDEN, "not_a_moderator", None).await;

    // Without a session an action goes back to the sign-in form.
    let r = post_form(&app, "/moderation/actions", None, &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[header::LOCATION], "/moderation");
    assert_eq!(count(&app, "/p").await, 0, "nothing was approved");
}

#[tokio::test]
async fn hostile_names_titles_and_bodies_are_escaped() {
    let Some((app, _, _)) = staffed().await else {
        return;
    };
    set_site(&app, |s| s.settings.moderation = ModerationMode::Pre).await;
    post(
        &app,
        r#"<script>alert("name")</script>"#,
        r#""><img src=x onerror=alert(1)>"#,
        "<script>alert('body')</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))",
    )
    .await;
    let cookie = sign_in(&app, "alice").await;
    let html = page_text(&app, "/moderation", &cookie).await;
    assert!(
        html.contains(r#"<span class="r-author" id="r-mod-a-1">&#60;script&#62;alert(&#34;name&#34;)&#60;/script&#62;</span>"#),
        "{html}"
    );
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img src=x onerror"), "{html}");
    assert!(
        html.contains(r#"rel="noopener">&#34;&#62;&#60;img src=x onerror=alert(1)&#62;</a>"#),
        "the title as text: {html}"
    );
    assert!(!html.contains("href=\"javascript:"), "{html}");

    // A hostile name typed into the sign-in form comes back escaped too.
    let r = post_form(
        &app,
        "/moderation/login",
        None,
        &[("name", r#""><script>x()</script>"#), ("password", "nope")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let html = r.text().await.unwrap();
    assert!(!html.contains("<script"), "{html}");
}

#[tokio::test]
async fn a_moderator_of_several_sites_picks_one_and_sees_readers_reports() {
    let Some((app, _, _)) = staffed().await else {
        return;
    };
    let other = rostra_core::SiteId::parse("other").unwrap();
    app.state
        .service
        .add_user("alice", None, None, &other, rostra_core::Role::Moderator)
        .await
        .unwrap();
    let (id, status) = post(&app, "Ann", "A page", "A calm and friendly remark.").await;
    assert_eq!(status, "approved");
    let r = app
        .client
        .post(app.api(&format!("/comments/{id}/report")))
        .header("x-rostra-voter", "my-browser-id-0123456789")
        .json(&json!({"reason": "abuse", "text": "<b>rude</b> to me"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let cookie = sign_in(&app, "alice").await;
    let html = page_text(&app, "/moderation?site=demo&filter=reported", &cookie).await;
    assert!(html.contains(r#"<nav class="r-sorts r-mod-sites" aria-label="Sites">"#));
    assert!(html.contains(r#"href="/moderation?site=demo" aria-current="true">demo</a>"#));
    assert!(html.contains(r#"href="/moderation?site=other">other</a>"#));
    assert!(html.contains(&format!(r#"id="r-mod-{id}""#)), "{html}");
    assert!(html.contains("<h3>Reports: 1</h3>"));
    assert!(html.contains("<code>abuse</code> &#60;b&#62;rude&#60;/b&#62; to me"));
    assert!(html.contains(r#"<span class="r-mod-pub">Published</span>"#));
    assert!(html.contains(r#"aria-current="true">Reported</a>"#));

    let html = page_text(&app, "/moderation?site=other", &cookie).await;
    assert!(html.contains("Queue: other") && html.contains("Nothing to review."));
}
