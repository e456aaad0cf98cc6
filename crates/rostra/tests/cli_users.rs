//! `rostra user …` as the real binary: adding moderators (a generated
//! password printed once, or one read from standard input), API tokens and
//! the list; what it writes lets the user sign in.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use rostra_core::Limits;
use rostra_service::Service;
use rostra_store_sqlite::{SqliteOptions, SqliteStore};
use std::path::Path;
use std::process::{Output, Stdio};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

/// Runs the binary on `dir`, with `stdin` as its standard input.
async fn rostra(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_rostra"));
    cmd.args(args).arg("--data-dir").arg(dir);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ROSTRA_") {
            cmd.env_remove(key);
        }
    }
    cmd.env_remove("RUST_LOG")
        .env("ROSTRA_LOG__FILTER", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).await.unwrap();
    drop(input);
    child.wait_with_output().await.unwrap()
}

fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {stdout}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[tokio::test]
async fn users_get_passwords_roles_and_tokens_that_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&rostra(d, &["site", "add", "demo"], "").await);
    ok(&rostra(d, &["site", "add", "other"], "").await);

    let out = ok(&rostra(d, &["user", "add", "--site", "demo", "--name", "Alice"], "").await);
    assert!(
        out.contains("created user alice as moderator of demo"),
        "{out}"
    );
    let generated = out
        .lines()
        .find_map(|l| l.strip_prefix("password (shown once): "))
        .expect("a generated password")
        .to_owned();
    let out = ok(&rostra(
        d,
        &[
            "user",
            "add",
            "--site",
            "other",
            "--role",
            "owner",
            "--name",
            "bob",
            "--password-stdin",
        ],
        "a long enough password\n",
    )
    .await);
    assert!(!out.contains("password"), "{out}");
    // An existing user gets another role; a short password is refused.
    let out = ok(&rostra(
        d,
        &[
            "user", "add", "--site", "other", "--role", "owner", "--name", "alice",
        ],
        "",
    )
    .await);
    assert!(out.contains("already there"), "{out}");
    let short = rostra(
        d,
        &[
            "user",
            "add",
            "--site",
            "demo",
            "--name",
            "carol",
            "--password-stdin",
        ],
        "short\n",
    )
    .await;
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("password"));
    let bad_role = rostra(
        d,
        &[
            "user", "add", "--site", "demo", "--role", "admin", "--name", "dan",
        ],
        "",
    )
    .await;
    assert!(!bad_role.status.success());

    let token = ok(&rostra(
        d,
        &["user", "token", "--name", "alice", "--label", "ci"],
        "",
    )
    .await);
    let token = token.trim().to_owned();
    assert!(token.len() >= 40, "{token}");
    let unknown = rostra(d, &["user", "token", "--name", "nobody"], "").await;
    assert!(!unknown.status.success());

    let list = ok(&rostra(d, &["user", "list"], "").await);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(
        lines[0].ends_with("alice\tdemo:moderator,other:owner"),
        "{list}"
    );
    assert!(lines[1].ends_with("bob\tother:owner"), "{list}");

    // What the commands wrote lets them in.
    let store = SqliteStore::open(&d.join("rostra.db"), &SqliteOptions::default())
        .await
        .unwrap();
    let service = Service::new(Arc::new(store), Limits::default())
        .await
        .unwrap();
    let session = service.login("alice", &generated).await.unwrap();
    assert_eq!(session.principal.memberships.len(), 2);
    service
        .login("bob", "a long enough password")
        .await
        .unwrap();
    assert!(service.login("bob", "the wrong password").await.is_err());
    let principal = service.authenticate(&token).await.unwrap();
    assert_eq!(principal.name, "alice");
}

#[tokio::test]
async fn a_moderator_who_leaves_loses_the_site_and_every_credential_can_be_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(&rostra(d, &["site", "add", "demo"], "").await);
    ok(&rostra(d, &["site", "add", "other"], "").await);
    let add = |site: &'static str| {
        [
            "user",
            "add",
            "--site",
            site,
            "--name",
            "mo",
            "--password-stdin",
        ]
    };
    ok(&rostra(d, &add("demo"), "first password here\n").await);
    ok(&rostra(d, &add("other"), "").await);
    let token = |label: &'static str| ["user", "token", "--name", "mo", "--label", label];
    let ci = ok(&rostra(d, &token("ci"), "").await).trim().to_owned();
    let bot = ok(&rostra(d, &token("bot"), "").await).trim().to_owned();

    let open = || async {
        let store = SqliteStore::open(&d.join("rostra.db"), &SqliteOptions::default())
            .await
            .unwrap();
        Service::new(Arc::new(store), Limits::default())
            .await
            .unwrap()
    };
    let service = open().await;
    let session = service.login("mo", "first password here").await.unwrap();
    let session = session.secret.as_str().to_owned();
    drop(service);

    // Listed newest first, by id, kind and label, never by secret.
    let listed = ok(&rostra(d, &["user", "tokens", "--name", "mo"], "").await);
    let rows: Vec<Vec<&str>> = listed.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 3, "{listed}");
    let kinds: Vec<(&str, &str)> = rows.iter().map(|r| (r[1], r[2])).collect();
    assert_eq!(kinds.len(), 3);
    assert!(kinds.contains(&("token", "ci")) && kinds.contains(&("token", "bot")));
    assert!(kinds.contains(&("session", "-")), "{listed}");
    assert!(!listed.contains(&ci) && !listed.contains(&bot));
    let ci_id = rows.iter().find(|r| r[2] == "ci").unwrap()[0].to_owned();
    assert_eq!(ci_id.len(), 12, "{listed}");

    // One token revoked by its id: it stops working, the other does not.
    let out = ok(&rostra(d, &["user", "revoke", "--name", "mo", "--id", &ci_id], "").await);
    assert!(out.contains("revoked 1"), "{out}");
    let again = rostra(d, &["user", "revoke", "--name", "mo", "--id", &ci_id], "").await;
    assert!(!again.status.success(), "a revoked id is gone");
    let neither = rostra(d, &["user", "revoke", "--name", "mo"], "").await;
    assert!(!neither.status.success(), "--id or --all is required");
    let service = open().await;
    assert!(service.authenticate(&ci).await.is_err());
    assert!(service.authenticate(&bot).await.is_ok());
    drop(service);

    // A new password ends the session but not the token, and is logged in
    // with; the old one is not.
    let out = ok(&rostra(
        d,
        &["user", "password", "--name", "mo", "--password-stdin"],
        "second password here\n",
    )
    .await);
    assert!(out.contains("sessions ended"), "{out}");
    let short = rostra(
        d,
        &["user", "password", "--name", "mo", "--password-stdin"],
        "short\n",
    )
    .await;
    assert!(!short.status.success());
    let service = open().await;
    assert!(service.authenticate(&session).await.is_err());
    assert!(service.authenticate(&bot).await.is_ok());
    assert!(service.login("mo", "first password here").await.is_err());
    assert!(service.login("mo", "second password here").await.is_ok());
    drop(service);

    // Leaving one site: the token keeps the other, and the audit log says
    // who was added and removed.
    let out = ok(&rostra(d, &["user", "remove", "--site", "demo", "--name", "mo"], "").await);
    assert!(out.contains("no longer has a role on demo"), "{out}");
    let twice = rostra(d, &["user", "remove", "--site", "demo", "--name", "mo"], "").await;
    assert!(!twice.status.success());
    let service = open().await;
    let principal = service.authenticate(&bot).await.unwrap();
    let demo = rostra_core::SiteId::parse("demo").unwrap();
    let other = rostra_core::SiteId::parse("other").unwrap();
    assert_eq!(principal.role_on(&demo), None);
    assert!(principal.role_on(&other).is_some());
    let owner = rostra_service::moderators::Principal {
        memberships: vec![rostra_store::Membership {
            site_id: demo.clone(),
            role: rostra_core::Role::Owner,
        }],
        ..principal
    };
    let log = service.audit_log(&owner, &demo, None, 10).await.unwrap();
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.action.as_str(), e.target.as_str()))
        .collect();
    assert_eq!(
        actions,
        [("remove_member", "user:mo"), ("set_role", "user:mo")]
    );
    drop(service);

    // Revoking everything leaves nothing that signs in.
    let out = ok(&rostra(d, &["user", "revoke", "--name", "mo", "--all"], "").await);
    assert!(out.contains("revoked"), "{out}");
    let service = open().await;
    assert!(service.authenticate(&bot).await.is_err());
    let listed = ok(&rostra(d, &["user", "tokens", "--name", "mo"], "").await);
    assert!(listed.trim().is_empty(), "{listed}");
}
