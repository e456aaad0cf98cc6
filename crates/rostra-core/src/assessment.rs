//! What the moderation policy found in a comment, kept with the comment so a
//! moderator reads why it was held, rejected or let through.

use serde::{Deserialize, Serialize};

/// The policy's findings on one comment: every reason, and the model's
/// scores. Stored as JSON beside the comment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Assessment {
    /// The toxicity model's probability per label, in the model's order.
    /// Empty when no model scored the comment.
    pub scores: Vec<LabelScore>,
    /// Why the policy decided as it did, most important first. Empty when
    /// nothing stood out.
    pub reasons: Vec<Reason>,
}

impl Assessment {
    /// The highest score of any label: how urgent a held comment is.
    pub fn urgency(&self) -> f32 {
        self.scores.iter().map(|s| s.score).fold(0.0, f32::max)
    }
}

/// One label's probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelScore {
    /// A label of the toxicity model (`toxic`, `insult`, …).
    pub label: String,
    /// Probability in `0.0..=1.0`.
    pub score: f32,
}

/// One reason the policy gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// Machine-readable: `toxicity`, `pre_moderation`, `links`,
    /// `blocked_word`, `blocked_email`, `blocked_address`, `banned`,
    /// `duplicate`, `first_comment`, `honeypot`, `too_fast`, `reports`,
    /// `nudge_ignored`.
    pub code: String,
    /// For a moderator: what was found, in words.
    pub detail: String,
    /// The words or n-grams that contributed most, or the matched entry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn urgency_is_the_highest_score() {
        let a = Assessment {
            scores: vec![
                LabelScore {
                    label: "toxic".into(),
                    score: 0.4,
                },
                LabelScore {
                    label: "insult".into(),
                    score: 0.7,
                },
            ],
            reasons: vec![],
        };
        assert_eq!(a.urgency(), 0.7);
        assert_eq!(Assessment::default().urgency(), 0.0);
    }

    #[test]
    fn round_trips_as_json() {
        let a = Assessment {
            scores: vec![],
            reasons: vec![Reason {
                code: "links".into(),
                detail: "4 links; the site allows 2".into(),
                terms: vec![],
            }],
        };
        let json = serde_json::to_string(&a).expect("serializes");
        assert_eq!(
            serde_json::from_str::<Assessment>(&json).expect("parses"),
            a
        );
        assert!(!json.contains("terms"));
    }
}
