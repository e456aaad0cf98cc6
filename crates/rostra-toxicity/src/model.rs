//! The model: one hashed table of 8-bit weights, six per slot, one column
//! per label; and its file format.
//!
//! Each slot holds six label weights and the feature's inverse document
//! frequency. Per group (words, characters), a comment's features are
//! weighted by idf and normalized to unit length (TF-IDF); a label's logit
//! is `bias + scale · Σ weight · value`. Scoring is one pass over the text
//! and one 8-byte load per feature.

use crate::text::{features, FeatureSpec, Group};
use std::borrow::Cow;

/// The labels, in the order of the model's columns and of Jigsaw's files.
pub const LABELS: [&str; 6] = [
    "toxic",
    "severe_toxic",
    "obscene",
    "threat",
    "insult",
    "identity_hate",
];

/// How many labels.
pub const LABEL_COUNT: usize = LABELS.len();

const MAGIC: &[u8; 4] = b"RTOX";
/// Version 2 records the held-out share of training in header byte 9;
/// version 1 files are still read (the share unknown).
const VERSION: u8 = 2;
const HEADER: usize = 12 + 8 * LABEL_COUNT;
/// Header byte 9 when the held-out share is not recorded.
const NOT_RECORDED: u8 = 0xff;

/// A label's probability per column, in [`LABELS`] order.
pub type Scores = [f32; LABEL_COUNT];

/// A trained model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub(crate) spec: FeatureSpec,
    pub(crate) bias: [f32; LABEL_COUNT],
    pub(crate) scale: [f32; LABEL_COUNT],
    /// Per slot: six label weights (`i8`, stored as bytes) and the idf. The
    /// shipped model borrows them from the binary instead of copying 8 MB.
    pub(crate) weights: Cow<'static, [[u8; 8]]>,
    /// The percentage of every source that training left out
    /// (`data::is_held_out`), when the file records it.
    pub(crate) held_out: Option<u8>,
}

/// Why a model file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Not a model file, or one from another version.
    #[error("not a Rostra toxicity model (version {VERSION}): {0}")]
    Format(&'static str),
}

/// A word of the comment and how much it pushed a label's logit up.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The normalized word.
    pub term: String,
    /// Its share of the logit.
    pub weight: f32,
}

/// Byte 6 of a slot holds its inverse document frequency, `IDF_STEP`ths.
pub(crate) const IDF_BYTE: usize = 6;
/// The inverse document frequency's unit in its byte.
pub(crate) const IDF_STEP: f32 = 20.0;

/// Every byte's inverse document frequency, worked out once: scoring reads
/// one per feature, and a division there cost more than the lookup.
const IDF_OF_BYTE: [f32; 256] = {
    let mut table = [0f32; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b as f32 / IDF_STEP;
        b += 1;
    }
    table
};

/// The weight of a slot's feature before normalization: its inverse
/// document frequency.
#[inline]
pub(crate) fn idf(slot: &[u8; 8]) -> f32 {
    IDF_OF_BYTE[usize::from(slot[IDF_BYTE])]
}

/// Per group: Σ weight·idf per label and Σ idf², whose root normalizes.
#[derive(Default)]
struct Sums {
    chars: [f32; LABEL_COUNT],
    words: [f32; LABEL_COUNT],
    sq_chars: f32,
    sq_words: f32,
}

/// `1/√Σidf²`, or 0 for an empty group.
#[inline]
pub(crate) fn inverse_norm(sum_sq: f32) -> f32 {
    if sum_sq > 0.0 {
        1.0 / sum_sq.sqrt()
    } else {
        0.0
    }
}

impl Model {
    /// How features are cut.
    pub fn spec(&self) -> FeatureSpec {
        self.spec
    }

    /// The logit of every label.
    pub fn logits(&self, text: &str) -> Scores {
        let mut sums = Sums::default();
        features(text, self.spec, |hit| {
            let w = &self.weights[hit.slot as usize];
            let v = idf(w);
            let (acc, sq) = match hit.group {
                Group::Chars => (&mut sums.chars, &mut sums.sq_chars),
                Group::Words => (&mut sums.words, &mut sums.sq_words),
            };
            *sq += v * v;
            for (a, &w) in acc.iter_mut().zip(w.iter()) {
                *a += f32::from(w as i8) * v;
            }
        });
        let (nc, nw) = (inverse_norm(sums.sq_chars), inverse_norm(sums.sq_words));
        std::array::from_fn(|l| {
            self.bias[l] + self.scale[l] * (sums.chars[l] * nc + sums.words[l] * nw)
        })
    }

    /// The probability of every label.
    pub fn score(&self, text: &str) -> Scores {
        self.logits(text).map(sigmoid)
    }

    /// The words that pushed `label`'s logit up most, strongest first, at
    /// most `k`.
    pub fn explain(&self, text: &str, label: usize, k: usize) -> Vec<Contribution> {
        let words = crate::text::words(text);
        let (mut sq_chars, mut sq_words) = (0f32, 0f32);
        let mut hits = Vec::new();
        features(text, self.spec, |hit| {
            let v = idf(&self.weights[hit.slot as usize]);
            match hit.group {
                Group::Chars => sq_chars += v * v,
                Group::Words => sq_words += v * v,
            }
            hits.push(hit);
        });
        let (nc, nw) = (inverse_norm(sq_chars), inverse_norm(sq_words));
        let mut weight = vec![0f32; words.len()];
        for hit in hits {
            let Some(slot) = weight.get_mut(hit.word as usize) else {
                continue;
            };
            let w = &self.weights[hit.slot as usize];
            let norm = if hit.group == Group::Chars { nc } else { nw };
            *slot += f32::from(w[label] as i8) * idf(w) * norm;
        }
        let mut best: Vec<Contribution> = Vec::new();
        for (term, w) in words.into_iter().zip(weight) {
            let w = w * self.scale[label];
            if w <= 0.0 {
                continue;
            }
            match best.iter_mut().find(|c| c.term == term) {
                Some(c) => c.weight = c.weight.max(w),
                None => best.push(Contribution { term, weight: w }),
            }
        }
        best.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        best.truncate(k);
        best
    }

    /// The percentage of every source its training left out, the rows
    /// `eval --held-out` with at most that percentage measures on; `None`
    /// when the file does not say.
    pub fn held_out(&self) -> Option<u8> {
        self.held_out
    }

    /// Records that training left out `percent` of every source.
    #[must_use]
    pub fn with_held_out(mut self, percent: u8) -> Self {
        self.held_out = Some(percent);
        self
    }

    /// The model file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + self.weights.len() * 8);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&[
            VERSION,
            self.spec.bits,
            self.spec.min_n,
            self.spec.max_n,
            LABEL_COUNT as u8,
            self.held_out.unwrap_or(NOT_RECORDED),
            0,
            0,
        ]);
        for v in self.bias.iter().chain(self.scale.iter()) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for w in self.weights.iter() {
            out.extend_from_slice(w);
        }
        out
    }

    /// Reads a model file, copying its table.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        let (mut model, table) = Self::header(bytes)?;
        model.weights = Cow::Owned(table.to_vec());
        Ok(model)
    }

    /// Reads a model file that lives as long as the program (the shipped
    /// one, inside the binary) without copying its table.
    pub fn from_static(bytes: &'static [u8]) -> Result<Self, ModelError> {
        let (mut model, table) = Self::header(bytes)?;
        model.weights = Cow::Borrowed(table);
        Ok(model)
    }

    /// The model less its table, and the table.
    fn header(bytes: &[u8]) -> Result<(Self, &[[u8; 8]]), ModelError> {
        if bytes.len() < HEADER || &bytes[..4] != MAGIC {
            return Err(ModelError::Format("wrong magic"));
        }
        if !(1..=VERSION).contains(&bytes[4]) || usize::from(bytes[8]) != LABEL_COUNT {
            return Err(ModelError::Format("unknown version"));
        }
        let held_out = match (bytes[4], bytes[9]) {
            (1, _) | (_, NOT_RECORDED) => None,
            (_, p) if p < 100 => Some(p),
            _ => return Err(ModelError::Format("impossible held-out share")),
        };
        let spec = FeatureSpec {
            bits: bytes[5],
            min_n: bytes[6],
            max_n: bytes[7],
        };
        if !(8..=24).contains(&spec.bits) || spec.min_n == 0 || spec.min_n > spec.max_n {
            return Err(ModelError::Format("impossible feature settings"));
        }
        let float = |i: usize| {
            let at = 12 + 4 * i;
            f32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let bias = std::array::from_fn(&float);
        let scale = std::array::from_fn(|l| float(LABEL_COUNT + l));
        let table = &bytes[HEADER..];
        if table.len() != 8 << spec.bits {
            return Err(ModelError::Format("table size does not match its header"));
        }
        let (slots, _) = table.as_chunks::<8>();
        let model = Self {
            spec,
            bias,
            scale,
            weights: Cow::Borrowed(&[]),
            held_out,
        };
        Ok((model, slots))
    }
}

/// The logistic function.
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn tiny() -> Model {
        let spec = FeatureSpec {
            bits: 10,
            min_n: 3,
            max_n: 4,
        };
        let mut weights = vec![[0u8; 8]; 1 << 10];
        // Make every feature of "stupid" push the insult column.
        features("stupid", spec, |hit| weights[hit.slot as usize][4] = 100);
        for w in &mut weights {
            w[IDF_BYTE] = 20;
        }
        Model {
            spec,
            bias: [-2.0; LABEL_COUNT],
            scale: [0.05; LABEL_COUNT],
            weights: Cow::Owned(weights),
            held_out: None,
        }
    }

    #[test]
    fn file_round_trip() {
        let m = tiny();
        let bytes = m.to_bytes();
        assert_eq!(bytes.len(), HEADER + 8 * 1024);
        assert_eq!(Model::from_bytes(&bytes).expect("reads"), m);
        assert!(Model::from_bytes(&bytes[..100]).is_err());
        let mut wrong = bytes.clone();
        wrong[0] = b'X';
        assert!(Model::from_bytes(&wrong).is_err());
    }

    #[test]
    fn the_file_records_what_training_left_out() {
        let m = tiny().with_held_out(20);
        let bytes = m.to_bytes();
        assert_eq!(
            Model::from_bytes(&bytes).expect("reads").held_out(),
            Some(20)
        );
        let everything = tiny().with_held_out(0).to_bytes();
        assert_eq!(
            Model::from_bytes(&everything).expect("reads").held_out(),
            Some(0)
        );
        // A version 1 file (before the share was recorded) still reads.
        let mut v1 = bytes.clone();
        v1[4] = 1;
        v1[9] = 0;
        let old = Model::from_bytes(&v1).expect("reads version 1");
        assert_eq!(old.held_out(), None);
        assert_eq!(old.weights, m.weights);
        let mut impossible = bytes;
        impossible[9] = 100;
        assert!(Model::from_bytes(&impossible).is_err());
    }

    #[test]
    fn scores_follow_the_weights_and_explain_names_the_word() {
        let m = tiny();
        let s = m.score("what a stupid idea");
        assert!(s[4] > 0.9, "{s:?}");
        assert!(s[0] < 0.2, "{s:?}");
        let why = m.explain("what a stupid idea", 4, 2);
        assert_eq!(why[0].term, "stupid");
        assert!(m
            .explain("what a nice idea", 4, 2)
            .iter()
            .all(|c| c.term != "stupid"));
    }

    #[test]
    fn empty_text_scores_the_bias() {
        let m = tiny();
        assert!((m.logits("")[0] - -2.0).abs() < 1e-6);
    }
}
