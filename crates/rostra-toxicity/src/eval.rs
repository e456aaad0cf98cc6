//! Measuring a model on labelled comments: ROC-AUC per label and speed.

use crate::data::Example;
use crate::metrics::roc_auc;
use crate::model::{Model, LABELS, LABEL_COUNT};
use std::time::Instant;

/// One label's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelReport {
    /// The label.
    pub label: &'static str,
    /// ROC-AUC over the rows that carry the label.
    pub roc_auc: f64,
    /// Positive rows.
    pub positives: usize,
    /// Rows that carry the label.
    pub rows: usize,
}

/// A model's figures on a set of comments.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Every label the data carries with both classes, in model order.
    pub labels: Vec<LabelReport>,
    /// Mean ROC-AUC over those labels.
    pub mean_roc_auc: f64,
    /// Comments scored per second, one thread.
    pub comments_per_second: f64,
    /// At the threshold asked for, on rows that carry `toxic`: the share of
    /// toxic rows and of the others whose highest label probability reaches
    /// it (what a policy holding at that threshold would hold).
    pub at_threshold: Option<ThresholdReport>,
}

/// What a policy holding at `threshold` would hold.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdReport {
    /// The probability asked about.
    pub threshold: f32,
    /// Share of toxic rows at or above it.
    pub toxic_held: f64,
    /// Share of other rows at or above it.
    pub clean_held: f64,
}

/// Scores every example once, timing it, and measures each label.
pub fn evaluate(model: &Model, examples: &[Example], threshold: Option<f32>) -> Report {
    let started = Instant::now();
    let scores: Vec<[f32; LABEL_COUNT]> = examples.iter().map(|e| model.logits(&e.text)).collect();
    let seconds = started.elapsed().as_secs_f64().max(1e-9);
    let mut labels = Vec::new();
    for (l, &label) in LABELS.iter().enumerate() {
        let (mut s, mut t) = (Vec::new(), Vec::new());
        for (e, sc) in examples.iter().zip(&scores) {
            if let Some(y) = e.labels[l] {
                s.push(sc[l]);
                t.push(y);
            }
        }
        if let Some(auc) = roc_auc(&s, &t) {
            labels.push(LabelReport {
                label,
                roc_auc: auc,
                positives: t.iter().filter(|&&y| y).count(),
                rows: t.len(),
            });
        }
    }
    let mean = if labels.is_empty() {
        0.0
    } else {
        labels.iter().map(|l| l.roc_auc).sum::<f64>() / labels.len() as f64
    };
    let at_threshold = threshold.map(|t| {
        let (mut toxic, mut clean) = ((0usize, 0usize), (0usize, 0usize));
        for (e, sc) in examples.iter().zip(&scores) {
            let Some(y) = e.labels[0] else { continue };
            let top = sc.iter().copied().fold(f32::MIN, f32::max);
            let held = usize::from(crate::model::sigmoid(top) >= t);
            let bucket = if y { &mut toxic } else { &mut clean };
            bucket.0 += held;
            bucket.1 += 1;
        }
        let share = |(held, all): (usize, usize)| held as f64 / all.max(1) as f64;
        ThresholdReport {
            threshold: t,
            toxic_held: share(toxic),
            clean_held: share(clean),
        }
    });
    Report {
        labels,
        mean_roc_auc: mean,
        comments_per_second: examples.len() as f64 / seconds,
        at_threshold,
    }
}
