//! The comment section as HTML: fragments, the thread page without
//! JavaScript and its form, the demo page, translations, and the embedded
//! files.

use crate::comments::set_site;
use crate::helpers::*;
use reqwest::{header, redirect, StatusCode};
use rostra_core::ModerationMode;
use serde_json::{json, Value};

const NAMES: [&str; 11] = [
    "Zionism = EVIL",
    "John",
    "Ingo Adam",
    "javier",
    "Vitex",
    "verner",
    "goingbrokes",
    "FlorianGeyer",
    "EmilyEnso",
    "Ashok Varma",
    "Carlo s",
];

impl TestApp {
    async fn fragment(&self, page: &str, query: &[(&str, &str)]) -> reqwest::Response {
        let mut q: Vec<(&str, String)> = vec![("url", self.page(page))];
        q.extend(query.iter().map(|(k, v)| (*k, (*v).to_owned())));
        self.client
            .get(self.api("/html/thread"))
            .query(&q)
            .send()
            .await
            .unwrap()
    }

    async fn fragment_text(&self, page: &str, query: &[(&str, &str)]) -> String {
        let r = self.fragment(page, query).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "text/html; charset=utf-8"
        );
        r.text().await.unwrap()
    }
}

/// Replaces what changes from run to run (times, ports) so a fragment can be
/// snapshotted.
fn stable(html: &str, app: &TestApp) -> String {
    let mut out = html.replace(&app.addr.port().to_string(), "PORT");
    for (attr, end) in [("data-created=\"", '"'), ("datetime=\"", '"'), ("UTC", '<')] {
        let mut s = String::new();
        let mut rest = out.as_str();
        while let Some(i) = rest.find(attr) {
            if attr == "UTC" {
                // "2026-11-24 18:37 UTC": drop the 16 characters before.
                let start = i.saturating_sub(17);
                s.push_str(&rest[..start]);
                s.push_str("[date] UTC");
                rest = &rest[i + 3..];
                continue;
            }
            s.push_str(&rest[..i + attr.len()]);
            rest = &rest[i + attr.len()..];
            let j = rest.find(end).unwrap();
            s.push_str("[time]");
            rest = &rest[j..];
        }
        s.push_str(rest);
        out = s;
    }
    out
}

#[tokio::test]
async fn the_demo_page_is_the_reference_article_with_the_widget() {
    let Some(app) = TestApp::spawn_with(|c| c.demo.seed = true).await else {
        return;
    };
    let r = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    let html = r.text().await.unwrap();
    assert!(html.contains("US Policy in Iraq Is Failing"));
    assert!(html.contains("Click to see full-size image"));
    assert!(html.contains("MORE ON THE TOPIC"));
    // The reference page's bar is the seeded campaign's, included for
    // readers without JavaScript: 0 $, 2,500 $, 5,000 $; 1,400 $ raised.
    assert!(
        html.contains(r#"data-rostra-campaign="southfront""#),
        "{html}"
    );
    assert!(html.contains(r#"<progress class="rc-bar" max="500000" value="140000""#));
    for tick in ["$0", "$2,500", "$5,000"] {
        assert!(html.contains(&format!(">{tick}</li>")), "{tick}");
    }
    assert!(html.contains(">$1,400</strong>") && html.contains("· 10 donors"));
    assert!(
        html.contains("left until the end of") || html.contains("Last day"),
        "the demo campaign runs through the current month"
    );
    assert!(html.contains(r#"<script src="/embed.js" data-site="demo" async></script>"#));
    assert!(html.contains(r#"<div id="rostra-thread">"#));
    let canonical = format!(r#"<link rel="canonical" href="{}">"#, app.page("/"));
    assert!(html.contains(&canonical), "no {canonical}");
    // Every file the page names is served.
    for needle in ["href=\"/demo/", "src=\"/demo/"] {
        for (i, _) in html.match_indices(needle) {
            let start = i + needle.len() - "/demo/".len();
            let path = &html[start..start + html[start..].find('"').unwrap()];
            let r = app.client.get(app.url(path)).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{path}");
        }
    }
}

/// The reference comments the default policy holds: the shipped model
/// scores them at or above the hold threshold (see the model's README).
/// "Zionism = EVIL" (slurs: 0.62) and verner ("morons", "white trash":
/// 0.55) are the thread's insults; EmilyEnso's (0.54) is a false positive
/// (harsh political writing, no insult). Written down here so a retrained
/// model that changes what is held fails this test loudly.
const HELD: [&str; 3] = ["Zionism = EVIL", "verner", "EmilyEnso"];

/// How many reference comments the demo shows.
const SHOWN: usize = NAMES.len() - HELD.len();

#[tokio::test]
async fn the_demo_thread_shows_the_reference_comments_in_order_and_holds_the_abusive() {
    let Some(app) = TestApp::spawn_with(|c| c.demo.seed = true).await else {
        return;
    };
    let html = app.fragment_text("/", &[]).await;
    assert!(html.contains(&format!("<span data-r-count-text>{SHOWN} Comments</span>")));
    let mut at = 0;
    for name in NAMES.iter().filter(|n| !HELD.contains(n)) {
        let i = html[at..]
            .find(&format!(">{name}<"))
            .unwrap_or_else(|| panic!("{name} missing or out of order"));
        at += i + 1;
    }
    let site = rostra_core::SiteId::parse("demo").unwrap();
    let store = app.state.service.store();
    for (i, name) in NAMES.iter().enumerate() {
        let c = store
            .comment(&site, rostra_core::CommentId(i as i64 + 1))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(&c.author_name, name);
        if HELD.contains(name) {
            assert!(!html.contains(&format!(">{name}<")), "{name} is shown");
            assert_eq!(c.status, rostra_core::CommentStatus::Pending, "{name}");
            let reasons = c.assessment.unwrap().reasons;
            assert_eq!(reasons[0].code, "toxicity", "{name}");
            assert!(!reasons[0].terms.is_empty(), "{name}: the words behind it");
        }
        // The quotation in EmilyEnso's comment is Markdown, rendered.
        if *name == "EmilyEnso" {
            assert!(c
                .body_html
                .contains("<blockquote>\n<p>sovereignty, independence, and clean government</p>"));
        }
    }
}

#[tokio::test]
async fn what_readers_write_is_escaped_in_every_fragment() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    // About escaping, not moderation: publish whatever the model thinks.
    crate::comments::set_site(&app, |s| {
        s.settings.moderation = rostra_core::ModerationMode::Post;
    })
    .await;
    let r = app
        .client
        .post(app.api("/comments"))
        .json(&json!({
            "url": app.page("/x"),
            "title": "\"><script>alert('title')</script>",
            "author": {"name": "<script>alert(1)</script>", "website": "https://e.example/\"onmouseover=\"x"},
            "body": "<img src=x onerror=alert(2)> [a](javascript:alert(3))",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["comment"]["id"]
        .as_i64()
        .unwrap();
    let section = app.fragment_text("/x", &[("title", "<b onclick=x>")]).await;
    let one = app
        .client
        .get(app.api(&format!("/html/comments/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for html in [&section, &one] {
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("href=\"javascript:"), "{html}");
        assert!(!html.contains("\"onmouseover"), "{html}");
        assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
    }
    assert!(!section.contains("<b onclick"));
}

#[tokio::test]
async fn a_comment_fragment_has_the_shape_the_widget_relies_on() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (root, _) = app.comment("/shape", None, "Hello **world**").await;
    let (reply, _) = app.comment("/shape", Some(root), "A reply").await;
    assert_eq!(
        app.vote(reply, "voter-one-0123456789", 1).await.status(),
        StatusCode::OK
    );
    let list = app.fragment_text("/shape", &[("part", "list")]).await;
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("api__html__list", stable(&list, &app));
    });
}

#[tokio::test]
async fn load_more_pages_through_the_list_part() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    for i in 0..3 {
        app.comment("/more", None, &format!("comment number {i}"))
            .await;
    }
    let first = app.fragment_text("/more", &[("limit", "2")]).await;
    assert!(first.contains("comment number 1"));
    assert!(!first.contains("comment number 2"));
    let marker = "data-r-more href=\"";
    let start = first.find(marker).expect("a load-more link") + marker.len();
    let href = first[start..start + first[start..].find('"').unwrap()].replace("&#38;", "&");
    assert!(href.starts_with("/sites/demo/thread?"), "{href}");
    let after = url::Url::parse(&format!("http://x{href}"))
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "after")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let rest = app
        .fragment_text(
            "/more",
            &[("limit", "2"), ("after", &after), ("part", "list")],
        )
        .await;
    assert!(rest.starts_with("<ol class=\"r-list\""));
    assert!(rest.contains("comment number 2"));
    assert!(!rest.contains("comment number 0"));
    assert!(!rest.contains("data-r-more href"));
    assert!(!rest.contains("<form"));
}

#[tokio::test]
async fn a_permalink_opens_the_page_that_holds_the_comment() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(app.comment("/perma", None, &format!("number {i}")).await.0);
    }
    let around = ids[2].to_string();
    let html = app
        .fragment_text("/perma", &[("limit", "1"), ("around", &around)])
        .await;
    assert!(html.contains(&format!("id=\"rostra-c-{around}\"")));
    assert!(!html.contains("number 0"));
    assert!(html.contains("data-r-all"), "a way back to all comments");
    let gone = app.fragment("/perma", &[("around", "999999")]).await;
    assert_error(gone, StatusCode::NOT_FOUND, "not_found", None).await;
}

#[tokio::test]
async fn a_held_comment_shows_as_pending_to_its_author_only() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    set_site(&app, |s| s.settings.moderation = ModerationMode::Pre).await;
    let r = app.post_comment("/held", None, "Ann", "wait for me").await;
    let v: Value = r.json().await.unwrap();
    let id = v["comment"]["id"].as_i64().unwrap();
    let token = v["edit_token"].as_str().unwrap();
    let url = app.api(&format!("/html/comments/{id}"));
    let public = app.client.get(&url).send().await.unwrap();
    assert_eq!(public.status(), StatusCode::NOT_FOUND);
    let mine = app
        .client
        .get(&url)
        .header("x-edit-token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status(), StatusCode::OK);
    assert_eq!(mine.headers()[header::CACHE_CONTROL], "private, no-store");
    let html = mine.text().await.unwrap();
    assert!(html.contains("Awaiting moderation") && html.contains("wait for me"));
    assert!(!app
        .fragment_text("/held", &[])
        .await
        .contains("wait for me"));
}

#[tokio::test]
async fn the_section_speaks_the_readers_language() {
    let Some(app) = TestApp::spawn_with(|c| c.demo.seed = true).await else {
        return;
    };
    let ar = app.fragment_text("/", &[("lang", "ar")]).await;
    assert!(ar.contains(r#"lang="ar" dir="rtl""#));
    // Arabic's "few" form covers 3 to 10.
    assert!((3..=10).contains(&SHOWN));
    assert!(
        ar.contains(&format!("{SHOWN} تعليقات")),
        "Arabic plural (few)"
    );
    let r = app
        .client
        .get(app.api("/html/thread"))
        .query(&[("url", app.page("/"))])
        .header(header::ACCEPT_LANGUAGE, "xx, de-CH;q=0.9, fr;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()[header::VARY], "accept-language");
    let de = r.text().await.unwrap();
    assert!(de.contains(&format!("{SHOWN} Kommentare")) && de.contains(r#"dir="ltr""#));
    let en = app.fragment_text("/empty", &[("lang", "tlh")]).await;
    assert!(en.contains("0 Comments") && en.contains("No comments yet"));
}

#[tokio::test]
async fn a_preview_renders_like_a_post() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let r = app
        .client
        .post(app.api("/preview"))
        .json(&json!({"body": "**bold** <script>alert(1)</script>"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.json::<Value>().await.unwrap()["html"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(html.contains("<strong>bold</strong>") && !html.contains("<script"));
    let empty = app
        .client
        .post(app.api("/preview"))
        .json(&json!({"body": "   "}))
        .send()
        .await
        .unwrap();
    assert_error(
        empty,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("body"),
    )
    .await;
}

#[tokio::test]
async fn the_widget_is_served_compressed_and_cached_by_content_hash() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let r = app.client.get(app.url("/embed.js")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers().clone();
    assert_eq!(h[header::CACHE_CONTROL], "public, max-age=600");
    assert!(h[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let js = r.text().await.unwrap();
    let start = js.find("/assets/embed.").expect("the hashed stylesheet");
    let css = &js[start..start + js[start..].find(".css").unwrap() + 4];
    let r = app
        .client
        .get(app.url(css))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(
        r.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let again = app
        .client
        .get(app.url("/embed.js"))
        .header(header::IF_NONE_MATCH, h[header::ETAG].clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let missing = app
        .client
        .get(app.url("/assets/embed.0000.css"))
        .send()
        .await
        .unwrap();
    assert_error(missing, StatusCode::NOT_FOUND, "not_found", None).await;
}

#[tokio::test]
async fn the_thread_page_works_without_javascript() {
    let Some(app) = TestApp::spawn_with(|c| c.demo.seed = true).await else {
        return;
    };
    let page_url = app.page("/");
    let thread = app.url("/sites/demo/thread");
    let r = app
        .client
        .get(&thread)
        .query(&[("url", &page_url), ("sort", &"newest".to_owned())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().contains_key(header::CONTENT_SECURITY_POLICY));
    let html = r.text().await.unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("/assets/embed.") && html.contains("Carlo s"));
    assert!(html.find("Carlo s") < html.find("John"), "newest first");

    let no_redirects = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    let form = [
        ("url", page_url.as_str()),
        ("title", "The article"),
        ("parent", ""),
        ("name", "Nadia"),
        ("email", ""),
        ("body", "Posted *without* JavaScript"),
        ("notify", ""),
        ("lang", "en"),
    ];
    let post = app.url("/sites/demo/post");
    let r = no_redirects
        .post(&post)
        .header(header::ORIGIN, app.url(""))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(
        to.starts_with("/sites/demo/thread?") && to.contains("#rostra-c-12"),
        "{to}"
    );
    let html = app
        .client
        .get(app.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Posted <em>without</em> JavaScript"));
    assert!(html.contains(&format!("{} Comments", SHOWN + 1)));

    // A mistake comes back as the page, with the form's alert filled in.
    let mut bad = form;
    bad[3] = ("name", "   ");
    let r = no_redirects.post(&post).form(&bad).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("role=\"alert\" data-r-error>"),
        "the alert is shown"
    );

    // Another site's page may not post here.
    let r = no_redirects
        .post(&post)
        .header(header::ORIGIN, "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "origin_not_allowed", None).await;
}

#[tokio::test]
async fn fragments_are_compressed_and_live_streams_are_not() {
    let Some(app) = TestApp::spawn_with(|c| c.demo.seed = true).await else {
        return;
    };
    let url = app.page("/");
    let get = |path: &'static str| {
        app.client
            .get(app.api(path))
            .query(&[("url", &url)])
            .header(header::ACCEPT_ENCODING, "gzip")
    };
    let fragment = get("/html/thread").send().await.unwrap();
    assert_eq!(fragment.status(), StatusCode::OK);
    assert_eq!(fragment.headers()[header::CONTENT_ENCODING], "gzip");
    let zipped = fragment.bytes().await.unwrap().len();
    let plain = app.fragment_text("/", &[]).await.len();
    assert!(zipped * 3 < plain, "{zipped} B gzipped of {plain} B");
    let stream = get("/stream").send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert!(
        !stream.headers().contains_key(header::CONTENT_ENCODING),
        "an event stream must reach the browser event by event"
    );
}
