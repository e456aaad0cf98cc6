//! Rostra's toxicity model, written and trained by this project: it scores a
//! comment for the six Jigsaw labels on one CPU core, with no network.
//!
//! - `text`: normalization against disguises and feature hashing;
//! - `model`: the 8-bit hashed table, scoring, explanations, the file format;
//! - `train`: multi-label logistic regression with per-source biases;
//! - `data`: Jigsaw-layout CSV files and the held-out split;
//! - `eval` and `metrics`: ROC-AUC per label and throughput.

pub mod data;
pub mod eval;
pub mod metrics;
pub mod model;
pub mod text;
pub mod train;

pub use data::{is_held_out, read_csv, DataError, Example};
pub use eval::{evaluate, LabelReport, Report, ThresholdReport};
pub use model::{Contribution, Model, ModelError, Scores, LABELS, LABEL_COUNT};
pub use text::FeatureSpec;
pub use train::{train, Stage, TrainConfig};

use std::sync::{Arc, OnceLock};

/// The model shipped in the binary, trained by the recipe in
/// `crates/rostra-toxicity/model/README.md`.
pub static SHIPPED_BYTES: &[u8] = include_bytes!("../model/toxicity.rtox");

/// The shipped model, read once and shared.
pub fn shipped() -> Arc<Model> {
    static MODEL: OnceLock<Arc<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| {
            // A test reads the file; it cannot be unreadable in a build.
            Arc::new(
                Model::from_static(SHIPPED_BYTES)
                    .unwrap_or_else(|e| panic!("the shipped model: {e}")),
            )
        })
        .clone()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod shipped_tests {
    #[test]
    fn the_shipped_model_reads_and_scores() {
        let model = super::shipped();
        assert_eq!(model.spec(), crate::FeatureSpec::default());
        let scores = model.score("Thank you for the careful reporting on the river project.");
        assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
        assert!(scores[0] < 0.5, "{scores:?}");
    }
}
