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
