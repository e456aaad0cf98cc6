//! From a comment to the hashed features the model weighs.
//!
//! The text is normalized against the usual disguises (case, leetspeak
//! inside words, stretched letters, spaced-out letters, masking with `*`),
//! then cut into word unigrams and bigrams and character n-grams over the
//! normalized words. Every feature is hashed into one table of `2^bits`
//! slots; the model never stores a vocabulary.

/// Characters of a comment that are read; the rest is ignored, so the cost
/// of scoring is bounded.
pub const MAX_CHARS: usize = 3_000;

/// Separates the normalized words.
const SPACE: char = ' ';

/// How features are cut and hashed. Stored in the model file, so scoring
/// always cuts features the way training did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureSpec {
    /// The table has `2^bits` slots.
    pub bits: u8,
    /// Shortest character n-gram.
    pub min_n: u8,
    /// Longest character n-gram.
    pub max_n: u8,
}

impl Default for FeatureSpec {
    fn default() -> Self {
        // Character 2-grams cost a quarter of the lookups and added nothing
        // on the held-out split (macro mean ROC-AUC 0.8041 with, 0.8044
        // without).
        Self {
            bits: 20,
            min_n: 3,
            max_n: 5,
        }
    }
}

/// Which kind of feature a slot was hit by; each kind is normalized on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Word unigrams, bigrams and shape features.
    Words,
    /// Character n-grams.
    Chars,
}

/// One feature occurrence: the slot, its group, and the index of the
/// normalized word it came from (for explanations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Slot in the table.
    pub slot: u32,
    /// Its group.
    pub group: Group,
    /// The word it belongs to (a bigram counts for its second word).
    pub word: u32,
}

/// Reused buffers, so scoring a comment allocates nothing once warm.
#[derive(Default)]
struct Scratch {
    lower: String,
    chars: Vec<char>,
    /// " word word … ": each character with the index of its word.
    stream: Vec<(char, u32)>,
    /// Each word's range in `stream`.
    words: Vec<(usize, usize)>,
}

/// Letters of the text as written (before lower-casing), for the shape
/// features: counted in the pass that normalizes, so the text is read once.
#[derive(Debug, Clone, Copy, Default)]
struct Letters {
    all: usize,
    upper: usize,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Normalizes `text` into the thread's buffers and hands them to `f`.
fn with_words<R>(text: &str, f: impl FnOnce(&[(char, u32)], &[(usize, usize)], Letters) -> R) -> R {
    SCRATCH.with(|cell| {
        let mut fresh = Scratch::default();
        let mut borrowed = cell.try_borrow_mut();
        let scratch = match borrowed.as_deref_mut() {
            Ok(s) => s,
            Err(_) => &mut fresh,
        };
        let letters = normalize_into(text, &mut scratch.lower, &mut scratch.chars);
        split_words(&scratch.chars, &mut scratch.stream, &mut scratch.words);
        f(&scratch.stream, &scratch.words, letters)
    })
}

/// Cuts normalized characters into words. Three or more single letters in
/// a row ("f u c k") are read as one word; fewer stay separate ("a b").
fn split_words(chars: &[char], stream: &mut Vec<(char, u32)>, words: &mut Vec<(usize, usize)>) {
    fn push_word(stream: &mut Vec<(char, u32)>, words: &mut Vec<(usize, usize)>, word: &[char]) {
        let index = words.len() as u32;
        let start = stream.len();
        stream.extend(word.iter().map(|&c| (c, index)));
        words.push((start, stream.len()));
        stream.push((SPACE, index));
    }
    fn flush(
        stream: &mut Vec<(char, u32)>,
        words: &mut Vec<(usize, usize)>,
        singles: &mut Vec<char>,
    ) {
        if singles.len() >= 3 {
            push_word(stream, words, singles);
        } else {
            for c in singles.iter() {
                push_word(stream, words, std::slice::from_ref(c));
            }
        }
        singles.clear();
    }
    stream.clear();
    words.clear();
    stream.push((SPACE, 0));
    let mut singles: Vec<char> = Vec::new();
    for word in chars.split(|&c| c == SPACE).filter(|w| !w.is_empty()) {
        if word.len() == 1 && word[0].is_alphabetic() {
            singles.push(word[0]);
            continue;
        }
        if !singles.is_empty() {
            flush(stream, words, &mut singles);
        }
        push_word(stream, words, word);
    }
    flush(stream, words, &mut singles);
}

/// The normalized words of a text.
pub fn words(text: &str) -> Vec<String> {
    with_words(text, |stream, words, _| {
        words
            .iter()
            .map(|&(a, b)| stream[a..b].iter().map(|&(c, _)| c).collect())
            .collect()
    })
}

/// Lower case; in a run of characters that holds a letter, digits and
/// symbols that stand for letters read as those letters and `*` or `#` as a
/// mask; a letter repeated more than twice reads twice; other punctuation
/// and white space separate words; numbers read as zeros. Returns the
/// text's letters as written.
fn normalize_into(text: &str, lower: &mut String, out: &mut Vec<char>) -> Letters {
    lower.clear();
    let mut letters = Letters::default();
    for c in text.chars().take(MAX_CHARS) {
        // ASCII, most of any comment, without the Unicode tables.
        if c.is_ascii() {
            letters.all += usize::from(c.is_ascii_alphabetic());
            letters.upper += usize::from(c.is_ascii_uppercase());
            lower.push(c.to_ascii_lowercase());
        } else {
            if c.is_alphabetic() {
                letters.all += 1;
                letters.upper += usize::from(c.is_uppercase());
            }
            lower.extend(c.to_lowercase());
        }
    }
    out.clear();
    out.push(SPACE);
    for run in lower.split(char::is_whitespace) {
        let run = run.trim_matches(is_word_edge);
        let wordlike = run.chars().any(char::is_alphabetic);
        for c in run.chars() {
            let mapped = match c {
                c if c.is_alphabetic() => Some(c),
                _ if !wordlike => Some(if c.is_ascii_digit() { '0' } else { SPACE }),
                '@' | '4' => Some('a'),
                '3' => Some('e'),
                '1' | '!' | '|' => Some('i'),
                '0' => Some('o'),
                '$' | '5' => Some('s'),
                '7' | '+' => Some('t'),
                '*' | '#' => Some('*'),
                '\'' | '\u{2019}' => None,
                _ if c.is_ascii_digit() => Some('0'),
                _ => Some(SPACE),
            };
            if let Some(m) = mapped {
                push(out, m);
            }
        }
        push(out, SPACE);
    }
    letters
}

/// Punctuation trimmed from the ends of a run of characters.
fn is_word_edge(c: char) -> bool {
    const EDGES: &[char] = &[
        '!', '?', '.', ',', ';', ':', '\'', '"', '(', ')', '[', ']', '{', '}', '<', '>',
        '\u{2019}', '\u{201c}', '\u{201d}',
    ];
    EDGES.contains(&c)
}

fn push(out: &mut Vec<char>, c: char) {
    let n = out.len();
    let repeated = |k: usize| n >= k && out[n - k] == c;
    if c == SPACE && repeated(1) || c != SPACE && repeated(1) && repeated(2) {
        return;
    }
    out.push(c);
}

/// FxHash's step: cheap and good enough for feature hashing.
#[inline]
fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95)
}

#[inline]
fn slot(h: u64, bits: u8) -> u32 {
    // The high bits of a multiplicative hash are the well-mixed ones.
    (mix(h, 0x9e37_79b9) >> (64 - u32::from(bits))) as u32
}

/// Calls `visit` with every feature of `text` under `spec`.
pub fn features(text: &str, spec: FeatureSpec, mut visit: impl FnMut(Hit)) {
    with_words(text, |stream, words, letters| {
        let bits = spec.bits;
        let mut previous: Option<u64> = None;
        for (i, &(a, b)) in words.iter().enumerate() {
            let word = i as u32;
            let h = stream[a..b]
                .iter()
                .fold(0x2545_f491, |h, &(c, _)| mix(h, u64::from(c)));
            visit(Hit {
                slot: slot(mix(h, 1), bits),
                group: Group::Words,
                word,
            });
            if let Some(p) = previous {
                visit(Hit {
                    slot: slot(mix(mix(p, h), 2), bits),
                    group: Group::Words,
                    word,
                });
            }
            previous = Some(h);
        }
        for shape in shape_features(letters, words.len()) {
            visit(Hit {
                slot: slot(mix(shape, 3), bits),
                group: Group::Words,
                word: u32::MAX,
            });
        }
        // Character n-grams over " word word … ".
        for end in 0..stream.len() {
            let word = stream[end].1;
            let mut h = 0x7f4a_7c15_u64;
            for n in 1..=usize::from(spec.max_n).min(end + 1) {
                h = mix(h, u64::from(stream[end + 1 - n].0));
                if n >= usize::from(spec.min_n) {
                    visit(Hit {
                        slot: slot(mix(h, 16 + n as u64), bits),
                        group: Group::Chars,
                        word,
                    });
                }
            }
        }
    });
}

/// Shouting and length, bucketed.
fn shape_features(letters: Letters, words: usize) -> [u64; 2] {
    let caps = if letters.all < 8 {
        99
    } else {
        (letters.upper * 5 / letters.all) as u64
    };
    let length = (usize::BITS - words.leading_zeros()) as u64;
    [mix(0xca95, caps), mix(0x1e47, length)]
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn disguises_are_read_as_words() {
        assert_eq!(
            words("You are a F*CK!NG foooool"),
            ["you", "are", "a", "f*cking", "fool"]
        );
        assert_eq!(
            words("sh1t, s h i t and a b"),
            ["shit", "shit", "and", "a", "b"]
        );
        assert_eq!(words("Don't!! 2024 a55"), ["dont", "00", "ass"]);
        assert_eq!(words("@home idiot!"), ["ahome", "idiot"]);
    }

    #[test]
    fn other_scripts_are_words_too() {
        assert_eq!(words("Das ist DUMM"), ["das", "ist", "dumm"]);
        assert_eq!(words("مرحبا بكم"), ["مرحبا", "بكم"]);
    }

    #[test]
    fn features_are_deterministic_and_in_range() {
        let spec = FeatureSpec {
            bits: 12,
            ..FeatureSpec::default()
        };
        let mut a = Vec::new();
        features("Hello there, friend", spec, |h| a.push(h));
        let mut b = Vec::new();
        features("Hello there, friend", spec, |h| b.push(h));
        assert_eq!(a, b);
        assert!(a.iter().all(|h| h.slot < 1 << 12));
        let words = a.iter().filter(|h| h.group == Group::Words).count();
        // 3 unigrams, 2 bigrams, 2 shape features.
        assert_eq!(words, 7);
        // " hello there friend " is 20 characters: n-grams of 3..=5 ending at each.
        let chars = a.iter().filter(|h| h.group == Group::Chars).count();
        assert_eq!(chars, 18 + 17 + 16);
    }

    #[test]
    fn long_texts_are_cut() {
        let long = "word ".repeat(10_000);
        assert!(words(&long).len() <= MAX_CHARS / 5 + 1);
    }
}
