//! Training: logistic regression on hashed features, every label at once.
//!
//! Each label's weights are a shared column plus the label's own residual
//! column, so a label with a dozen examples (threats) leans on what every
//! abusive comment taught the shared column, and a label only some files
//! carry is learnt only from those files. Each source also gets its own bias
//! per label, which absorbs how strict its annotators were and is dropped
//! afterwards. Plain SGD, a fixed number of passes in an order drawn from a
//! seeded generator, one thread: the same data and settings give the same
//! bytes.

use crate::data::Example;
use crate::model::{inverse_norm, Model, IDF_BYTE, IDF_STEP, LABEL_COUNT};
use crate::text::{features, FeatureSpec, Group};
use std::collections::BTreeMap;

/// Training settings. The defaults are the recipe of the shipped model.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainConfig {
    /// Features.
    pub spec: FeatureSpec,
    /// Passes over the data.
    pub epochs: u32,
    /// The SGD step.
    pub learning_rate: f32,
    /// L2 penalty on the shared column.
    pub l2_shared: f32,
    /// L2 penalty on each label's residual column.
    pub l2_label: f32,
    /// Seeds the order of examples.
    pub seed: u64,
    /// How far to even out sources of different sizes: 0 weighs every row
    /// alike, 1 every source alike.
    pub balance: f32,
    /// Give each source its own weight column during training, dropped
    /// afterwards: it soaks up what only that source's annotators saw.
    pub source_columns: bool,
    /// Sources whose columns and biases the model keeps (their mean), so
    /// that it scores as those annotators would; empty: none is kept, and
    /// the bias is the average over every source.
    pub keep_sources: Vec<String>,
    /// The model is the mean of the weights at the end of every pass from
    /// this one on (0-based); `None`: the weights after the last pass.
    /// Constant-step SGD ends wherever its last few comments pushed it,
    /// and later passes fit the training sources ever closer; the mean of
    /// a few early passes scores unseen sources better (model README).
    pub average_from: Option<u32>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            spec: FeatureSpec::default(),
            epochs: 4,
            learning_rate: 0.1,
            l2_shared: 0.0,
            l2_label: 0.0,
            seed: 1,
            balance: 0.5,
            source_columns: true,
            keep_sources: Vec::new(),
            average_from: Some(0),
        }
    }
}

/// Where training stands, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Cutting features: done of total examples.
    Features(usize, usize),
    /// Learning: done of total updates.
    Learning(usize, usize),
}

const COLUMNS: usize = LABEL_COUNT + 1;
const CHAR_BIT: u32 = 1 << 31;

/// Every example's features, packed: slot, top bit set for characters.
struct Packed {
    hits: Vec<u32>,
    /// Start of each example in `hits`, plus the end.
    starts: Vec<usize>,
    /// Per slot: its inverse document frequency, as stored in the model.
    idf: Vec<u8>,
    /// Per example: `1/√Σidf²` of its characters, of its words.
    norms: Vec<(f32, f32)>,
}

impl Packed {
    fn hits(&self, i: usize) -> &[u32] {
        &self.hits[self.starts[i]..self.starts[i + 1]]
    }

    fn idf(&self, hit: u32) -> f32 {
        f32::from(self.idf[(hit & !CHAR_BIT) as usize]) / IDF_STEP
    }
}

fn pack(examples: &[Example], spec: FeatureSpec, progress: &mut dyn FnMut(Stage)) -> Packed {
    let mut hits = Vec::new();
    let mut starts = vec![0];
    for (i, ex) in examples.iter().enumerate() {
        features(&ex.text, spec, |hit| {
            let bit = if hit.group == Group::Chars {
                CHAR_BIT
            } else {
                0
            };
            hits.push(hit.slot | bit);
        });
        starts.push(hits.len());
        if i % 4096 == 0 {
            progress(Stage::Features(i, examples.len()));
        }
    }
    progress(Stage::Features(examples.len(), examples.len()));
    // Document frequency per slot, then sklearn's smoothed idf, in steps.
    let mut df = vec![0u32; 1 << spec.bits];
    let mut seen: Vec<u32> = Vec::new();
    for i in 0..examples.len() {
        seen.clear();
        seen.extend(hits[starts[i]..starts[i + 1]].iter().map(|h| h & !CHAR_BIT));
        seen.sort_unstable();
        seen.dedup();
        for &s in &seen {
            df[s as usize] += 1;
        }
    }
    let n = examples.len() as f32;
    let idf = df
        .iter()
        .map(|&d| {
            let v = ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0;
            (v * IDF_STEP).round().clamp(1.0, 255.0) as u8
        })
        .collect();
    let mut packed = Packed {
        hits,
        starts,
        idf,
        norms: Vec::with_capacity(examples.len()),
    };
    for i in 0..examples.len() {
        let (mut sc, mut sw) = (0f32, 0f32);
        for &h in packed.hits(i) {
            let v = packed.idf(h);
            if h & CHAR_BIT != 0 {
                sc += v * v;
            } else {
                sw += v * v;
            }
        }
        packed.norms.push((inverse_norm(sc), inverse_norm(sw)));
    }
    packed
}

/// SplitMix64: a tiny, fixed generator, so the order never changes with a
/// library's version.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// A weight, moved by plain stochastic gradient descent: per-coordinate
/// steps (AdaGrad) let rare n-grams fit single comments and lost about
/// four points of ROC-AUC on held-out rows.
#[derive(Clone, Copy)]
struct Param {
    w: f32,
}

impl Param {
    const ZERO: Self = Self { w: 0.0 };

    #[inline]
    fn step(&mut self, grad: f32, rate: f32) {
        self.w -= rate * grad;
    }
}

/// The running sum of the weights at the end of passes, for
/// [`TrainConfig::average_from`].
#[derive(Default)]
struct Mean {
    passes: u32,
    table: Vec<[f64; COLUMNS]>,
    bias: [f64; LABEL_COUNT],
    source_bias: Vec<[f64; LABEL_COUNT]>,
    by_source: Vec<f64>,
}

impl Mean {
    fn add(
        &mut self,
        table: &[[Param; COLUMNS]],
        bias: &[Param; LABEL_COUNT],
        source_bias: &[[Param; LABEL_COUNT]],
        by_source: &[f32],
    ) {
        if self.passes == 0 {
            self.table = vec![[0.0; COLUMNS]; table.len()];
            self.source_bias = vec![[0.0; LABEL_COUNT]; source_bias.len()];
            self.by_source = vec![0.0; by_source.len()];
        }
        self.passes += 1;
        for (sum, p) in self.table.iter_mut().zip(table) {
            for (s, w) in sum.iter_mut().zip(p) {
                *s += f64::from(w.w);
            }
        }
        for (s, w) in self.bias.iter_mut().zip(bias) {
            *s += f64::from(w.w);
        }
        for (sum, p) in self.source_bias.iter_mut().zip(source_bias) {
            for (s, w) in sum.iter_mut().zip(p) {
                *s += f64::from(w.w);
            }
        }
        for (s, w) in self.by_source.iter_mut().zip(by_source) {
            *s += f64::from(*w);
        }
    }

    /// Puts the mean in place of the last weights; nothing when no pass
    /// was added.
    fn replace(
        self,
        table: &mut [[Param; COLUMNS]],
        bias: &mut [Param; LABEL_COUNT],
        source_bias: &mut [[Param; LABEL_COUNT]],
        by_source: &mut [f32],
    ) {
        if self.passes == 0 {
            return;
        }
        let n = f64::from(self.passes);
        let mean = |s: f64| (s / n) as f32;
        for (p, sum) in table.iter_mut().zip(&self.table) {
            for (w, s) in p.iter_mut().zip(sum) {
                w.w = mean(*s);
            }
        }
        for (w, s) in bias.iter_mut().zip(&self.bias) {
            w.w = mean(*s);
        }
        for (p, sum) in source_bias.iter_mut().zip(&self.source_bias) {
            for (w, s) in p.iter_mut().zip(sum) {
                w.w = mean(*s);
            }
        }
        for (w, s) in by_source.iter_mut().zip(&self.by_source) {
            *w = mean(*s);
        }
    }
}

/// Trains a model on `examples`.
pub fn train(examples: &[Example], config: &TrainConfig, progress: &mut dyn FnMut(Stage)) -> Model {
    let packed = pack(examples, config.spec, progress);
    let mut sources: BTreeMap<&str, usize> = BTreeMap::new();
    for ex in examples {
        let next = sources.len();
        sources.entry(&ex.source).or_insert(next);
    }
    let source_of: Vec<usize> = examples
        .iter()
        .map(|e| sources[e.source.as_str()])
        .collect();
    let mut table = vec![[Param::ZERO; COLUMNS]; 1 << config.spec.bits];
    let mut bias = [Param::ZERO; LABEL_COUNT];
    let mut source_bias = vec![[Param::ZERO; LABEL_COUNT]; sources.len()];
    let width = sources.len();
    let adapt = config.source_columns;
    let mut by_source = vec![0f32; if adapt { width << config.spec.bits } else { 0 }];
    let mut rows = vec![0f32; width];
    for &s in &source_of {
        rows[s] += 1.0;
    }
    // A source's rows weigh (average rows per source / its rows)^balance.
    let balance: Vec<f32> = rows
        .iter()
        .map(|&r| (examples.len() as f32 / width as f32 / r).powf(config.balance))
        .collect();
    let mut mean = Mean::default();
    let mut rng = SplitMix(config.seed);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let total = examples.len() * config.epochs as usize;
    let rate = config.learning_rate;
    for epoch in 0..config.epochs as usize {
        rng.shuffle(&mut order);
        for (n, &i) in order.iter().enumerate() {
            let ex = &examples[i];
            let hits = packed.hits(i);
            let (nc, nw) = packed.norms[i];
            let value = |h: u32| packed.idf(h) * if h & CHAR_BIT != 0 { nc } else { nw };
            let present: Vec<usize> = (0..LABEL_COUNT)
                .filter(|&l| ex.labels[l].is_some())
                .collect();
            let s = source_of[i];
            let mut z = [0f32; COLUMNS];
            let mut zs = 0f32;
            for &h in hits {
                let p = &table[(h & !CHAR_BIT) as usize];
                let v = value(h);
                if adapt {
                    zs += by_source[(h & !CHAR_BIT) as usize * width + s] * v;
                }
                z[0] += p[0].w * v;
                for &l in &present {
                    z[l + 1] += p[l + 1].w * v;
                }
            }
            let mut grad = [0f32; COLUMNS];
            for &l in &present {
                let logit = z[0] + zs + z[l + 1] + bias[l].w + source_bias[s][l].w;
                let y = if ex.labels[l] == Some(true) { 1.0 } else { 0.0 };
                let g = (crate::model::sigmoid(logit) - y) * balance[s];
                grad[l + 1] = g;
                grad[0] += g;
                bias[l].step(g, rate);
                source_bias[s][l].step(g, rate);
            }
            for &h in hits {
                let p = &mut table[(h & !CHAR_BIT) as usize];
                let v = value(h);
                if adapt {
                    let w = &mut by_source[(h & !CHAR_BIT) as usize * width + s];
                    *w -= rate * (grad[0] * v + config.l2_label * *w);
                }
                p[0].step(grad[0] * v + config.l2_shared * p[0].w, rate);
                for &l in &present {
                    let c = l + 1;
                    p[c].step(grad[c] * v + config.l2_label * p[c].w, rate);
                }
            }
            if n % 4096 == 0 {
                progress(Stage::Learning(epoch * examples.len() + n, total));
            }
        }
        if config.average_from.is_some_and(|from| epoch as u32 >= from) {
            mean.add(&table, &bias, &source_bias, &by_source);
        }
    }
    mean.replace(&mut table, &mut bias, &mut source_bias, &mut by_source);
    progress(Stage::Learning(total, total));
    // The sources the model scores like: their columns' mean joins the
    // shared column.
    let keep: Vec<usize> = config
        .keep_sources
        .iter()
        .filter_map(|name| sources.get(name.as_str()).copied())
        .collect();
    if adapt && !keep.is_empty() {
        let share = 1.0 / keep.len() as f32;
        for (slot, p) in table.iter_mut().enumerate() {
            let mean: f32 = keep.iter().map(|&s| by_source[slot * width + s]).sum();
            p[0].w += mean * share;
        }
    }
    // A source's bias is how strict its annotators were; the model keeps the
    // average over the kept sources that carry the label, else over every
    // source that does, weighted by rows.
    let mut kept = [0f32; LABEL_COUNT];
    for (l, k) in kept.iter_mut().enumerate() {
        let carries = |s: usize| {
            examples
                .iter()
                .zip(&source_of)
                .any(|(e, &t)| t == s && e.labels[l].is_some())
        };
        let chosen: Vec<usize> = keep.iter().copied().filter(|&s| carries(s)).collect();
        let (mut sum, mut rows) = (0f32, 0f32);
        for (ex, &s) in examples.iter().zip(&source_of) {
            if ex.labels[l].is_some() && (chosen.is_empty() || chosen.contains(&s)) {
                sum += source_bias[s][l].w;
                rows += 1.0;
            }
        }
        *k = bias[l].w + if rows > 0.0 { sum / rows } else { 0.0 };
    }
    quantize(config.spec, kept, &table, &packed.idf)
}

/// Folds each label's residual into the shared column and stores 8 bits per
/// weight, scaled per label by its largest weight.
fn quantize(
    spec: FeatureSpec,
    bias: [f32; LABEL_COUNT],
    table: &[[Param; COLUMNS]],
    idf: &[u8],
) -> Model {
    let weight = |p: &[Param; COLUMNS], l: usize| p[0].w + p[l + 1].w;
    let mut largest = [0f32; LABEL_COUNT];
    for p in table {
        for (l, m) in largest.iter_mut().enumerate() {
            *m = m.max(weight(p, l).abs());
        }
    }
    let scale = largest.map(|m| if m > 0.0 { m / 127.0 } else { 1.0 });
    let weights = table
        .iter()
        .zip(idf)
        .map(|(p, &idf)| {
            let mut q = [0u8; 8];
            q[IDF_BYTE] = idf;
            for l in 0..LABEL_COUNT {
                q[l] = (weight(p, l) / scale[l]).round().clamp(-127.0, 127.0) as i8 as u8;
            }
            q
        })
        .collect::<Vec<_>>();
    Model {
        spec,
        bias,
        scale,
        weights: weights.into(),
        held_out: None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn example(id: usize, text: &str, toxic: bool, insult: Option<bool>) -> Example {
        let mut labels = [None; LABEL_COUNT];
        labels[0] = Some(toxic);
        labels[4] = insult;
        Example {
            id: id.to_string(),
            text: text.into(),
            labels,
            source: if insult.is_some() { "a" } else { "b" }.into(),
        }
    }

    fn corpus() -> Vec<Example> {
        let nice = [
            "thanks for the article",
            "good point well made",
            "I disagree with the author",
            "see the source here",
        ];
        let nasty = [
            "you are an idiot",
            "shut up you moron",
            "what an idiot wrote this",
            "moron",
        ];
        let mut out = Vec::new();
        for i in 0..40 {
            out.push(example(
                2 * i,
                nice[i % 4],
                false,
                (i % 2 == 0).then_some(false),
            ));
            out.push(example(
                2 * i + 1,
                nasty[i % 4],
                true,
                (i % 2 == 0).then_some(true),
            ));
        }
        out
    }

    fn small() -> TrainConfig {
        TrainConfig {
            spec: FeatureSpec {
                bits: 14,
                ..FeatureSpec::default()
            },
            ..TrainConfig::default()
        }
    }

    #[test]
    fn learns_a_separable_corpus() {
        let model = train(&corpus(), &small(), &mut |_| {});
        let bad = model.score("such an idiot");
        let good = model.score("thanks, good article");
        assert!(bad[0] > good[0] + 0.3, "{bad:?} {good:?}");
        assert!(
            bad[4] > good[4],
            "insult learnt from the rows that carry it"
        );
        assert_eq!(model.explain("such an idiot", 0, 1)[0].term, "idiot");
    }

    #[test]
    fn the_same_recipe_gives_the_same_bytes() {
        let a = train(&corpus(), &small(), &mut |_| {}).to_bytes();
        let b = train(&corpus(), &small(), &mut |_| {}).to_bytes();
        assert_eq!(a, b);
        let other = TrainConfig { seed: 2, ..small() };
        assert_ne!(a, train(&corpus(), &other, &mut |_| {}).to_bytes());
    }

    #[test]
    fn a_kept_source_scores_as_its_annotators_did() {
        // Source "strict" calls "darn" toxic; source "lax" does not.
        let mut rows = corpus();
        for i in 0..40 {
            let strict = i % 2 == 0;
            let mut labels = [None; LABEL_COUNT];
            labels[0] = Some(strict);
            rows.push(Example {
                id: format!("d{i}"),
                text: "darn it all".into(),
                labels,
                source: if strict { "strict" } else { "lax" }.into(),
            });
        }
        let darn = |keep: &[&str]| {
            let config = TrainConfig {
                keep_sources: keep.iter().map(|s| s.to_string()).collect(),
                ..small()
            };
            train(&rows, &config, &mut |_| {}).logits("darn it all")[0]
        };
        let neutral = darn(&[]);
        assert!(darn(&["strict"]) > neutral + 0.1, "{neutral}");
        assert!(darn(&["lax"]) < neutral - 0.1, "{neutral}");
    }

    #[test]
    fn an_averaged_model_is_the_mean_of_its_passes() {
        let passes = |epochs: u32, average_from: Option<u32>| {
            let config = TrainConfig {
                epochs,
                average_from,
                ..small()
            };
            train(&corpus(), &config, &mut |_| {})
        };
        // The mean of the last pass alone is that pass.
        assert_eq!(passes(2, Some(1)).to_bytes(), passes(2, None).to_bytes());
        // Scores are linear in the weights, so the mean model's logit is
        // the mean of the two passes' (up to 8-bit quantization).
        let (first, second, mean) = (passes(1, None), passes(2, None), passes(2, Some(0)));
        assert_ne!(first.to_bytes(), second.to_bytes());
        for text in ["such an idiot", "thanks, good article", "moron"] {
            let (a, b, m) = (first.logits(text), second.logits(text), mean.logits(text));
            for l in [0, 4] {
                let expected = (a[l] + b[l]) / 2.0;
                assert!(
                    (m[l] - expected).abs() < 0.02 * (1.0 + expected.abs()),
                    "{text} label {l}: {} against {expected}",
                    m[l]
                );
            }
        }
    }

    #[test]
    fn reports_progress_to_the_end() {
        let mut last = None;
        train(&corpus(), &small(), &mut |s| last = Some(s));
        let n = corpus().len() * small().epochs as usize;
        assert_eq!(last, Some(Stage::Learning(n, n)));
    }
}
