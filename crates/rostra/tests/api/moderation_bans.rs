//! Bans from the moderation page: a queue item's "ban the author" form, the
//! list of bans in force with their "lift" buttons, and what they do to the
//! author's next comment; other sites' moderators refused.

use crate::helpers::*;
use crate::moderation::staffed;
use crate::moderation_page::{page_text, post, post_form, sign_in, ABUSE};
use reqwest::{header, StatusCode};

/// The value of the first `name="NAME" value="…"` after `from` in `html`.
fn field(html: &str, from: &str, name: &str) -> String {
    let at = html
        .find(from)
        .unwrap_or_else(|| panic!("{from} in {html}"));
    let rest = &html[at..];
    let key = format!(r#"name="{name}" value=""#);
    let start = rest.find(&key).unwrap() + key.len();
    rest[start..start + rest[start..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn a_moderator_bans_the_author_of_a_held_comment_then_lifts_it() {
    let Some((app, _, _)) = staffed().await else {
        return;
    };
    let (held, status) = post(&app, "Troll", "A page", ABUSE).await;
    assert_eq!(status, "pending");
    let cookie = sign_in(&app, "alice").await;
    let html = page_text(&app, "/moderation?site=demo&filter=held", &cookie).await;
    assert!(html.contains("No bans in force."), "{html}");
    // The item's form bans the author by address: no e-mail was given.
    let item = format!(r#"id="r-mod-{held}""#);
    assert_eq!(field(&html, &item, "kind"), "address");
    let hash = field(&html, &item, "value");
    assert_eq!(hash.len(), 32, "{hash}");

    let r = post_form(
        &app,
        "/moderation/bans",
        Some(&cookie),
        &[
            ("site", "demo"),
            ("filter", "held"),
            ("kind", "address"),
            ("value", hash.as_str()),
            ("duration", "86400"),
            ("reason", "insults"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(
        to.contains("filter=held") && to.contains("action=ban"),
        "{to}"
    );
    let html = page_text(&app, &to, &cookie).await;
    assert!(
        html.contains(r#"aria-live="polite">Banned: 1</p>"#),
        "{html}"
    );
    assert!(html.contains(&format!("Address: <code>{}…</code> until ", &hash[..8])));
    assert!(html.contains(" — insults"));
    // The author's next comment is refused.
    let r = app.post_comment("/p", None, "Troll", "Back again.").await;
    assert_error(r, StatusCode::FORBIDDEN, "banned", None).await;

    let id = field(&html, r#"class="r-mod-lift""#, "id");
    let r = post_form(
        &app,
        "/moderation/unban",
        Some(&cookie),
        &[("site", "demo"), ("id", id.as_str())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
    let html = page_text(&app, &to, &cookie).await;
    assert!(html.contains("Bans lifted: 1"), "{html}");
    assert!(html.contains("No bans in force."));
    let r = app.post_comment("/p", None, "Troll", "Back again.").await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn bans_through_the_page_are_checked_and_kept_to_the_moderators_sites() {
    let Some((app, _, _)) = staffed().await else {
        return;
    };
    let alice = sign_in(&app, "alice").await;
    let ban = |cookie: String, site: &'static str, duration: &'static str| {
        let app = &app;
        async move {
            post_form(
                app,
                "/moderation/bans",
                Some(&cookie),
                &[
                    ("site", site),
                    ("kind", "email"),
                    ("value", "troll@example.org"),
                    ("duration", duration),
                ],
            )
            .await
        }
    };
    let r = ban(alice.clone(), "demo", "a while").await;
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("duration"),
    )
    .await;
    let r = ban(alice.clone(), "other", "ever").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = ban(alice.clone(), "demo", "ever").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = page_text(&app, "/moderation?site=demo", &alice).await;
    assert!(
        html.contains("E-mail: <code>troll@example.org</code> For ever"),
        "{html}"
    );
    // Only this server's pages may post the form.
    let r = reqwest::Client::new()
        .post(app.url("/moderation/bans"))
        .header(header::ORIGIN, "https://evil.example")
        .header(header::COOKIE, alice.as_str())
        .form(&[
            ("site", "demo"),
            ("kind", "email"),
            ("value", "x@example.org"),
            ("duration", "ever"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Bob moderates the other site only: he cannot lift demo's ban.
    let bob = sign_in(&app, "bob").await;
    let r = post_form(
        &app,
        "/moderation/unban",
        Some(&bob),
        &[("site", "demo"), ("id", "1")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
