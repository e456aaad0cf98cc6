//! Posting, replying, editing, deleting, moderation status.

use crate::helpers::*;
use reqwest::StatusCode;
use rostra_core::{CommentId, CommentStatus, ModerationMode, SiteId};
use serde_json::{json, Value};

fn demo() -> SiteId {
    SiteId::parse("demo").unwrap()
}

pub(crate) async fn set_site(app: &TestApp, change: impl FnOnce(&mut rostra_core::Site)) {
    let sites = app.state.service.sites();
    let mut site = (*sites.get(&demo()).await.unwrap()).clone();
    change(&mut site);
    sites.update(site).await.unwrap();
}

#[tokio::test]
async fn posting_answers_201_with_the_comment_and_a_token() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let r = app
        .post_comment("/a", None, "  Ann  ", "Hello **world**")
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        location,
        format!("/api/v1/sites/demo/comments/{}", v["comment"]["id"])
    );
    assert_eq!(v["edit_token"].as_str().unwrap().len(), 43);
    // Named in full, without the test target's module path, so that every
    // backend's target compares against the same snapshot.
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_json_snapshot!("api__comments__posted", v, {
            ".comment.created_at" => "[time]",
            ".edit_token" => "[token]",
        });
    });
}

#[tokio::test]
async fn replies_form_a_tree() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (a, _) = app.comment("/t", None, "root").await;
    let (a1, _) = app.comment("/t", Some(a), "reply").await;
    app.comment("/t", Some(a1), "reply to reply").await;
    app.comment("/t", None, "second root").await;
    let page = app.thread_json("/t", &[]).await;
    assert_eq!(page["thread"]["count"], 4);
    assert_eq!(page["thread"]["title"], "A page");
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_json_snapshot!("api__comments__tree", page, {
            ".**.created_at" => "[time]",
            ".thread.url" => "[url]",
        });
    });
}

#[tokio::test]
async fn email_is_stored_but_never_shown() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let r = app
        .client
        .post(app.api("/comments"))
        .json(&json!({"url": app.page("/e"), "author": {"name": "Ann", "email": "ann@secret.example", "website": "ann.example"}, "body": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let posted = r.text().await.unwrap();
    let id = serde_json::from_str::<Value>(&posted).unwrap()["comment"]["id"]
        .as_i64()
        .unwrap();
    let thread = app.thread("/e", &[]).await.text().await.unwrap();
    let one = app
        .client
        .get(app.api(&format!("/comments/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for body in [&posted, &thread, &one] {
        assert!(!body.contains("secret.example"), "{body}");
        assert!(body.contains("https://ann.example/"), "{body}");
    }
    let stored = app
        .state
        .service
        .store()
        .comment(&demo(), CommentId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.author_email.as_deref(), Some("ann@secret.example"));
}

#[tokio::test]
async fn markdown_is_rendered_and_sanitized() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let r = app
        .post_comment(
            "/m",
            None,
            "Ann",
            "[site](https://example.org) <img src=x onerror=alert(1)> `code`",
        )
        .await;
    let v: Value = r.json().await.unwrap();
    let html = v["comment"]["html"].as_str().unwrap();
    assert!(
        html.contains(r#"<a href="https://example.org" rel="nofollow ugc noopener">site</a>"#),
        "{html}"
    );
    assert!(html.contains("&lt;img"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("<code>code</code>"), "{html}");
}

#[tokio::test]
async fn authors_edit_with_their_token() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (id, token) = app.comment("/ed", None, "before").await;
    let url = app.api(&format!("/comments/{id}"));
    let r = app
        .client
        .patch(&url)
        .header("x-edit-token", &token)
        .json(&json!({"body": "after *now*"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["html"], "<p>after <em>now</em></p>\n");
    assert!(v["edited_at"].is_string());
    // The token may also come in the body.
    let r = app
        .client
        .patch(&url)
        .json(&json!({"body": "again", "edit_token": token}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let page = app.thread_json("/ed", &[]).await;
    assert_eq!(page["comments"][0]["html"], "<p>again</p>\n");

    let r = app
        .client
        .patch(&url)
        .header("x-edit-token", "not-the-token")
        .json(&json!({"body": "x"}))
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "edit_token_mismatch", None).await;
    let r = app
        .client
        .patch(&url)
        .json(&json!({"body": "x"}))
        .send()
        .await
        .unwrap();
    assert_error(
        r,
        StatusCode::BAD_REQUEST,
        "edit_token_required",
        Some("X-Edit-Token"),
    )
    .await;
    let r = app
        .client
        .patch(&url)
        .header("x-edit-token", &token)
        .json(&json!({"body": "   "}))
        .send()
        .await
        .unwrap();
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("body"),
    )
    .await;
    let r = app
        .client
        .patch(app.api("/comments/999999"))
        .header("x-edit-token", &token)
        .json(&json!({"body": "x"}))
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::NOT_FOUND, "not_found", None).await;
}

#[tokio::test]
async fn the_edit_window_closes() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    set_site(&app, |s| s.settings.edit_window_secs = 0).await;
    let (id, token) = app.comment("/w", None, "text").await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let url = app.api(&format!("/comments/{id}"));
    let r = app
        .client
        .patch(&url)
        .header("x-edit-token", &token)
        .json(&json!({"body": "late"}))
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "edit_window_closed", None).await;
    let r = app
        .client
        .delete(&url)
        .header("x-edit-token", &token)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "edit_window_closed", None).await;
}

#[tokio::test]
async fn deleting_leaves_a_tombstone_only_over_replies() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (root, root_token) = app.comment("/d", None, "root").await;
    let (reply, reply_token) = app.comment("/d", Some(root), "reply").await;
    let (lone, lone_token) = app.comment("/d", None, "lone").await;
    let del = |id: i64, token: String| {
        let app = &app;
        async move {
            app.client
                .delete(app.api(&format!("/comments/{id}")))
                .header("x-edit-token", token)
                .send()
                .await
                .unwrap()
        }
    };
    let r = del(root, root_token.clone()).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (
            v["status"].as_str(),
            v["tombstone"].as_bool(),
            v["html"].as_str()
        ),
        (Some("deleted"), Some(true), Some(""))
    );
    assert_eq!(del(lone, lone_token).await.status(), StatusCode::OK);
    let page = app.thread_json("/d", &[]).await;
    assert_eq!(page["thread"]["count"], 1);
    assert_eq!(
        top_ids(&page),
        vec![root],
        "the lone comment is gone, the tombstone stays"
    );
    assert_eq!(page["comments"][0]["author"]["name"], "");
    assert_eq!(page["comments"][0]["replies"][0]["id"], reply);
    // Deleting twice: gone.
    assert_error(
        del(root, root_token).await,
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    )
    .await;
    // The last reply takes the tombstone with it.
    assert_eq!(del(reply, reply_token).await.status(), StatusCode::OK);
    let page = app.thread_json("/d", &[]).await;
    assert_eq!(page["thread"]["count"], 0);
    assert!(top_ids(&page).is_empty());
}

#[tokio::test]
async fn held_comments_are_seen_only_by_their_author() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    set_site(&app, |s| s.settings.moderation = ModerationMode::Pre).await;
    let r = app.post_comment("/p", None, "Ann", "held for review").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["comment"]["status"], "pending");
    assert_eq!(v["thread_count"], 0);
    let id = v["comment"]["id"].as_i64().unwrap();
    let token = v["edit_token"].as_str().unwrap();
    let page = app.thread_json("/p", &[]).await;
    assert!(top_ids(&page).is_empty());
    assert_eq!(page["thread"]["count"], 0);
    let one = app.api(&format!("/comments/{id}"));
    assert_error(
        app.client.get(&one).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
        None,
    )
    .await;
    let mine = app
        .client
        .get(&one)
        .header("x-edit-token", token)
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status(), StatusCode::OK);
    assert_eq!(mine.json::<Value>().await.unwrap()["status"], "pending");
    let r = app
        .client
        .get(&one)
        .header("x-edit-token", "wrong")
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "edit_token_mismatch", None).await;
    // A reply to a held comment is refused; approval publishes it.
    let r = app.post_comment("/p", Some(id), "Bo", "can I?").await;
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("parent"),
    )
    .await;
    app.state
        .service
        .set_status(&demo(), CommentId(id), CommentStatus::Approved)
        .await
        .unwrap();
    let page = app.thread_json("/p", &[]).await;
    assert_eq!(top_ids(&page), vec![id]);
    assert_eq!(page["thread"]["count"], 1);
}

#[tokio::test]
async fn replies_must_stay_in_their_thread_and_depth() {
    let Some(app) = TestApp::spawn_with(|c| c.limits.max_depth = 2).await else {
        return;
    };
    let (a, _) = app.comment("/x", None, "a").await;
    app.comment("/y", None, "b").await;
    let r = app.post_comment("/y", Some(a), "Ann", "wrong thread").await;
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("parent"),
    )
    .await;
    let r = app
        .post_comment("/x", Some(424242), "Ann", "no parent")
        .await;
    assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("parent"),
    )
    .await;
    let (a1, _) = app.comment("/x", Some(a), "1").await;
    let (a2, _) = app.comment("/x", Some(a1), "2").await;
    let r = app.post_comment("/x", Some(a2), "Ann", "3: too deep").await;
    let v = assert_error(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_field",
        Some("parent"),
    )
    .await;
    assert!(
        v["error"]["message"].as_str().unwrap().contains("2 levels"),
        "{v}"
    );
}
