//! `rostra moderation …`: train the toxicity model, measure it, try it.

use crate::cli::{EvalArgs, TrainArgs};
use crate::progress;
use anyhow::Context;
use rostra_toxicity::{
    evaluate, is_held_out, read_csv, train, Example, Model, Stage, TrainConfig, LABELS,
};
use std::path::{Path, PathBuf};

/// The CSV files named, directories expanded to their `*.csv`, sorted.
fn files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("reading {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "csv"))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    anyhow::ensure!(!out.is_empty(), "no CSV files in {paths:?}");
    Ok(out)
}

fn read_all(paths: &[PathBuf]) -> anyhow::Result<Vec<Example>> {
    let mut rows = Vec::new();
    for file in files(paths)? {
        rows.extend(read_csv(&file)?);
    }
    Ok(rows)
}

/// A model file, or the shipped model.
pub fn load_model(path: Option<&Path>) -> anyhow::Result<Model> {
    match path {
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            Model::from_bytes(&bytes).with_context(|| format!("reading {}", path.display()))
        }
        None => Ok(Model::clone(&rostra_toxicity::shipped())),
    }
}

/// The model `[moderation] model` names: `builtin`, `off`, or a file.
pub fn configured_model(setting: &str) -> anyhow::Result<Option<std::sync::Arc<Model>>> {
    Ok(match setting.trim() {
        "builtin" | "" => Some(rostra_toxicity::shipped()),
        "off" => None,
        path => Some(std::sync::Arc::new(
            load_model(Some(Path::new(path))).context("[moderation] model")?,
        )),
    })
}

/// `moderation train`.
pub fn train_command(args: &TrainArgs) -> anyhow::Result<()> {
    let mut rows = read_all(&args.data)?;
    let before = rows.len();
    rows.retain(|r| !is_held_out(r, args.held_out) && !args.exclude_source.contains(&r.source));
    anyhow::ensure!(!rows.is_empty(), "nothing left to train on");
    let defaults = TrainConfig::default();
    let mut config = TrainConfig {
        epochs: args.epochs.unwrap_or(defaults.epochs),
        learning_rate: args.learning_rate.unwrap_or(defaults.learning_rate),
        seed: args.seed.unwrap_or(defaults.seed),
        balance: args.balance.unwrap_or(defaults.balance),
        source_columns: defaults.source_columns && !args.no_source_columns,
        keep_sources: args.keep_source.clone(),
        ..defaults
    };
    match args.average_from.as_deref() {
        None => {}
        Some("none") => config.average_from = None,
        Some(n) => {
            config.average_from = Some(n.parse().map_err(|_| {
                anyhow::anyhow!("--average-from takes a pass number or `none`, not {n:?}")
            })?)
        }
    }
    if let Some(l2) = args.l2 {
        config.l2_shared = l2;
        config.l2_label = 10.0 * l2;
    }
    if let Some(bits) = args.bits {
        config.spec.bits = bits;
    }
    if let Some(n) = args.min_n {
        config.spec.min_n = n;
    }
    if let Some(n) = args.max_n {
        config.spec.max_n = n;
    }
    anyhow::ensure!(
        config.spec.min_n <= config.spec.max_n,
        "--min-n {} is longer than --max-n {}",
        config.spec.min_n,
        config.spec.max_n
    );
    eprintln!(
        "training on {} of {before} rows ({} held out or excluded)",
        rows.len(),
        before - rows.len()
    );
    let cutting = progress::bar(rows.len() as u64, "cutting features", "comments");
    let learning = progress::bar(0, "learning", "updates");
    learning.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    let model = train(&rows, &config, &mut |stage| match stage {
        Stage::Features(done, _) => cutting.set_position(done as u64),
        Stage::Learning(done, total) => {
            if !cutting.is_finished() {
                cutting.finish_and_clear();
                learning.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                learning.set_length(total as u64);
            }
            learning.set_position(done as u64);
        }
    });
    learning.finish_and_clear();
    let bytes = model.with_held_out(args.held_out).to_bytes();
    std::fs::write(&args.out, &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    eprintln!("wrote {} ({} bytes)", args.out.display(), bytes.len());
    Ok(())
}

/// `moderation eval`.
pub fn eval_command(args: &EvalArgs) -> anyhow::Result<()> {
    let model = load_model(args.model.as_deref())?;
    let mut rows = read_all(&args.data)?;
    if let Some(pct) = args.held_out {
        rows.retain(|r| is_held_out(r, pct));
        if let Some(warning) = seen_in_training(model.held_out(), pct) {
            eprintln!("warning: {warning}");
        }
    }
    if let Some(source) = &args.source {
        rows.retain(|r| &r.source == source);
    }
    anyhow::ensure!(!rows.is_empty(), "no rows to measure on");
    let report = evaluate(&model, &rows, args.threshold);
    if args.json {
        let labels: serde_json::Map<String, serde_json::Value> = report
            .labels
            .iter()
            .map(|l| {
                (
                    l.label.to_owned(),
                    serde_json::json!({"roc_auc": l.roc_auc, "positives": l.positives}),
                )
            })
            .collect();
        let mut out = serde_json::json!({
            "labels": labels,
            "mean_roc_auc": report.mean_roc_auc,
            "comments_per_second": report.comments_per_second,
        });
        if let Some(t) = &report.at_threshold {
            out["at_threshold"] = serde_json::json!({
                "threshold": t.threshold, "toxic_held": t.toxic_held, "clean_held": t.clean_held,
            });
        }
        println!("{out}");
    } else {
        println!(
            "{:<14} {:>8} {:>10} {:>8}",
            "label", "roc_auc", "positives", "rows"
        );
        for l in &report.labels {
            println!(
                "{:<14} {:>8.4} {:>10} {:>8}",
                l.label, l.roc_auc, l.positives, l.rows
            );
        }
        println!("{:<14} {:>8.4}", "mean", report.mean_roc_auc);
        println!(
            "{} comments scored at {:.0} comments/s (one thread)",
            rows.len(),
            report.comments_per_second
        );
        if let Some(t) = &report.at_threshold {
            println!(
                "holding at {:.2}: {:.1}% of toxic comments, {:.1}% of the others",
                t.threshold,
                100.0 * t.toxic_held,
                100.0 * t.clean_held
            );
        }
    }
    Ok(())
}

/// Why `eval --held-out pct` does not measure on unseen rows, if it does
/// not: the model's training left out less than `pct` of every source.
fn seen_in_training(trained_without: Option<u8>, pct: u8) -> Option<String> {
    let trained = trained_without?;
    (trained < pct).then(|| {
        if trained == 0 {
            format!(
                "this model was trained on every row, the held-out {pct}% too: \
                 these figures are not held-out figures (train with --held-out {pct} to get them)"
            )
        } else {
            format!(
                "this model was trained without only {trained}% of every source: \
                 {} of the {pct}% measured were in its training",
                pct - trained
            )
        }
    })
}

/// `moderation score`.
pub fn score_command(text: &str, model: Option<&Path>) -> anyhow::Result<()> {
    let model = load_model(model)?;
    let scores = model.score(text);
    for (l, label) in LABELS.iter().enumerate() {
        let why: Vec<String> = model
            .explain(text, l, 3)
            .into_iter()
            .map(|c| format!("{} (+{:.2})", c.term, c.weight))
            .collect();
        println!("{label:<14} {:.3}  {}", scores[l], why.join(", "));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_configured_model_is_builtin_off_or_a_file() {
        assert!(configured_model("builtin").unwrap().is_some());
        assert!(configured_model("off").unwrap().is_none());
        let err = configured_model("/nowhere/model.rtox").unwrap_err();
        assert!(format!("{err:#}").contains("[moderation] model"), "{err:#}");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("m.rtox");
        std::fs::write(&file, rostra_toxicity::SHIPPED_BYTES).unwrap();
        let model = configured_model(file.to_str().unwrap()).unwrap().unwrap();
        assert_eq!(*model, *rostra_toxicity::shipped());
    }

    #[test]
    fn eval_says_when_the_held_out_rows_were_trained_on() {
        assert_eq!(seen_in_training(None, 20), None, "the file does not say");
        assert_eq!(seen_in_training(Some(20), 20), None);
        assert_eq!(seen_in_training(Some(30), 20), None);
        let every = seen_in_training(Some(0), 20).unwrap();
        assert!(every.contains("trained on every row"), "{every}");
        let some = seen_in_training(Some(10), 20).unwrap();
        assert!(some.contains("10 of the 20%"), "{some}");
    }
}
