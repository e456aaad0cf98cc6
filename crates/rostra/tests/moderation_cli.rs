//! `rostra moderation train | eval | score` on a small fixture, through the
//! real binary; and, when the training data is at hand, that the shipped
//! model is exactly what its recorded recipe produces.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn rostra(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rostra"))
        .args(args)
        .env_remove("ROSTRA_CONFIG")
        .output()
        .unwrap()
}

fn fixture() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/toxicity/tiny.csv")
        .display()
        .to_string()
}

fn train(out: &Path, extra: &[&str]) {
    let out = out.display().to_string();
    let fx = fixture();
    let mut args = vec![
        "moderation",
        "train",
        "--data",
        &fx,
        "--out",
        &out,
        "--bits",
        "14",
    ];
    args.extend_from_slice(extra);
    let r = rostra(&args);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
}

fn eval_json(model: &Path, extra: &[&str]) -> Value {
    let model = model.display().to_string();
    let fx = fixture();
    let mut args = vec![
        "moderation",
        "eval",
        "--data",
        &fx,
        "--model",
        &model,
        "--json",
    ];
    args.extend_from_slice(extra);
    let r = rostra(&args);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    serde_json::from_slice(&r.stdout).unwrap()
}

#[test]
fn train_then_eval_reports_each_label_the_file_carries() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.rtox");
    train(&model, &[]);
    assert_eq!(
        std::fs::metadata(&model).unwrap().len(),
        12 + 48 + (8 << 14)
    );
    let v = eval_json(&model, &[]);
    let labels = v["labels"].as_object().unwrap();
    // The file labels toxic and insult only; the others are not reported.
    let mut names: Vec<&str> = labels.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["insult", "toxic"]);
    assert_eq!(labels["toxic"]["positives"], 32);
    assert_eq!(labels["insult"]["positives"], 16);
    for l in labels.values() {
        let auc = l["roc_auc"].as_f64().unwrap();
        // Its own training rows: learnt, not guessed.
        assert!(auc > 0.95, "{auc}");
    }
    let mean = v["mean_roc_auc"].as_f64().unwrap();
    let expected = (labels["toxic"]["roc_auc"].as_f64().unwrap()
        + labels["insult"]["roc_auc"].as_f64().unwrap())
        / 2.0;
    assert!((mean - expected).abs() < 1e-9);
    assert!(v["comments_per_second"].as_f64().unwrap() > 0.0);
}

#[test]
fn held_out_rows_are_left_out_of_training_and_measured_alone() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("h.rtox");
    train(&model, &["--held-out", "30", "--epochs", "20"]);
    let v = eval_json(&model, &["--held-out", "30", "--threshold", "0.5"]);
    let toxic = &v["labels"]["toxic"];
    let held = toxic["positives"].as_u64().unwrap();
    assert!(held > 0 && held < 32, "only the held-out positives: {held}");
    assert!(toxic["roc_auc"].as_f64().unwrap() > 0.8, "{v}");
    let t = &v["at_threshold"];
    assert!(t["toxic_held"].as_f64().unwrap() >= t["clean_held"].as_f64().unwrap());
    // The file records what training left out, so eval can say when its
    // "held-out" rows were in fact trained on.
    let fx = fixture();
    let eval_stderr = |model: &Path| {
        let r = rostra(&[
            "moderation",
            "eval",
            "--data",
            &fx,
            "--model",
            model.to_str().unwrap(),
            "--held-out",
            "30",
        ]);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        String::from_utf8(r.stderr).unwrap()
    };
    assert!(!eval_stderr(&model).contains("warning"));
    let everything = dir.path().join("all.rtox");
    train(&everything, &["--epochs", "20"]);
    let said = eval_stderr(&everything);
    assert!(
        said.contains("warning: this model was trained on every row"),
        "{said}"
    );
}

#[test]
fn the_same_recipe_writes_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.rtox"), dir.path().join("b.rtox"));
    train(&a, &[]);
    train(&b, &[]);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn score_names_the_words_and_bad_files_are_named() {
    let r = rostra(&["moderation", "score", "What a stupid idiot."]);
    assert!(r.status.success());
    let out = String::from_utf8(r.stdout).unwrap();
    assert!(
        out.lines().count() == 6 && out.starts_with("toxic "),
        "{out}"
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "id,text,toxic\n1,hello,1\n").unwrap();
    let r = rostra(&["moderation", "eval", "--data", bad.to_str().unwrap()]);
    assert!(!r.status.success());
    let err = String::from_utf8(r.stderr).unwrap();
    assert!(
        err.contains("bad.csv") && err.contains("comment_text"),
        "{err}"
    );
}

/// The training data, when this machine has it (CI runs this with
/// `ROSTRA_TEST_TOXICITY_DATA=../shared/data/toxicity`).
fn training_data() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("ROSTRA_TEST_TOXICITY_DATA")?);
    assert!(
        dir.is_dir(),
        "ROSTRA_TEST_TOXICITY_DATA={} is not a directory",
        dir.display()
    );
    Some(dir)
}

#[test]
fn the_shipped_model_is_what_the_recipe_reproduces() {
    let Some(data) = training_data() else {
        eprintln!(
            "skipped: set ROSTRA_TEST_TOXICITY_DATA to the training data to check the shipped model"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("toxicity.rtox");
    // The recipe, as crates/rostra-toxicity/model/README.md records it.
    let r = rostra(&[
        "moderation",
        "train",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let shipped =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../rostra-toxicity/model/toxicity.rtox");
    assert!(
        std::fs::read(&out).unwrap() == std::fs::read(&shipped).unwrap(),
        "the recipe no longer reproduces the shipped model: retrain it and update the model's README"
    );
}
