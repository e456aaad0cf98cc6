//! The moderation policy at posting time: gather what is known about a new
//! comment (the toxicity model's scores, block lists, the author's history,
//! recent duplicates, the form's spam signals) and let
//! `rostra_core::policy::decide` rule.

use crate::bans::ban_query;
use crate::{Service, ServiceError};
use rostra_core::policy::{decide, Decision, Signals};
use rostra_core::{Assessment, CommentBody, CommentStatus, Email, LabelScore, Site, Timestamp};
use rostra_store::{Author, HistoryQuery};
use rostra_toxicity::{Model, LABELS};

/// How far back a repeated body counts as a duplicate.
const DUPLICATE_WINDOW_MS: i64 = 24 * 3600 * 1000;

/// Shorter bodies ("Thanks!", "+1") are often repeated by people, so only
/// longer ones count as duplicates.
const DUPLICATE_MIN_CHARS: usize = 40;

/// Words named as the reasons for a toxicity score.
const TERMS: usize = 3;

/// What the form told about a comment besides its fields.
#[derive(Debug, Clone, Copy, Default)]
pub struct FormSignals<'a> {
    /// The hidden honeypot field's value.
    pub honeypot: Option<&'a str>,
    /// Milliseconds between showing the form and sending it.
    pub elapsed_ms: Option<u64>,
    /// The author saw the nudge and posts anyway.
    pub acknowledge_nudge: bool,
}

/// A new comment, as the policy sees it.
pub(crate) struct Draft<'a> {
    pub site: &'a Site,
    pub body: &'a CommentBody,
    pub body_html: &'a str,
    pub name: &'a str,
    pub email: Option<&'a Email>,
    pub address: Option<&'a str>,
    pub ip_hash: Option<&'a str>,
    pub form: FormSignals<'a>,
}

/// The model's scores of `text`, and the words behind the highest when it
/// reaches `explain_from` (explaining is a second pass over the text).
pub fn score(model: &Model, text: &str, explain_from: f32) -> (Vec<LabelScore>, Vec<String>) {
    let probabilities = model.score(text);
    let scores = LABELS
        .iter()
        .zip(probabilities)
        .map(|(label, score)| LabelScore {
            label: (*label).to_owned(),
            score,
        })
        .collect();
    let top = (0..LABELS.len())
        .max_by(|&a, &b| probabilities[a].total_cmp(&probabilities[b]))
        .unwrap_or(0);
    if probabilities[top] < explain_from {
        return (scores, Vec::new());
    }
    let terms = model
        .explain(text, top, TERMS)
        .into_iter()
        .map(|c| c.term)
        .collect();
    (scores, terms)
}

fn links(html: &str) -> usize {
    html.matches("<a ").count()
}

impl Service {
    /// Decides a new comment's first status and the reasons for it; refuses
    /// blocked authors; asks the author to reconsider when the site nudges.
    pub(crate) async fn assess(
        &self,
        draft: Draft<'_>,
    ) -> Result<(CommentStatus, Assessment), ServiceError> {
        let settings = &draft.site.settings;
        let spam = &settings.spam;
        let email = draft.email.map(Email::as_str);
        // Trust is earned by an e-mail only: without one, and without a
        // first-comment hold, the history would change nothing.
        let history_matters = spam.first_comment_hold || spam.trusted_after > 0 && email.is_some();
        let now = Timestamp::now();
        // Everything asked of the past comes in one read: a POST waits for it.
        let query = HistoryQuery {
            ban: ban_query(email, draft.ip_hash, Some(draft.name)),
            now,
            approved: history_matters
                .then(|| Author::of(email, draft.ip_hash))
                .flatten(),
            approved_up_to: spam.trusted_after.max(1),
            duplicate: (spam.duplicates
                && draft.body.as_str().chars().count() >= DUPLICATE_MIN_CHARS)
                .then(|| {
                    (
                        draft.body.as_str().to_owned(),
                        Timestamp(now.0 - DUPLICATE_WINDOW_MS),
                    )
                }),
        };
        let history = self.store.posting_history(&draft.site.id, &query).await?;
        if let Some(ban) = history.ban {
            let until = match ban.until {
                Some(t) => format!(" until {}", t.to_rfc3339()),
                None => String::new(),
            };
            return Err(ServiceError::Forbidden {
                code: "banned",
                message: format!("you may not comment on this site{until}"),
            });
        }
        let list = &settings.blocklist;
        if let Some(domain) = email.and_then(|e| list.email_domain_of(e)) {
            return Err(blocked(format!(
                "e-mail addresses at {domain} may not comment here"
            )));
        }
        if draft.address.and_then(|a| list.range_of(a)).is_some() {
            return Err(blocked(
                "comments from this network are not accepted here".into(),
            ));
        }
        let (scores, terms) = match &self.model {
            Some(model) => score(model, draft.body.as_str(), settings.toxicity.hold),
            None => (Vec::new(), Vec::new()),
        };
        let signals = Signals {
            scores,
            terms,
            honeypot: draft.form.honeypot.is_some_and(|h| !h.trim().is_empty()),
            elapsed_secs: draft.form.elapsed_ms.map(|ms| ms as f64 / 1000.0),
            links: links(draft.body_html),
            duplicate: history.duplicate,
            blocked_word: list.word_in(draft.body.as_str()).map(str::to_owned),
            approved_before: history.approved,
            identified: draft.email.is_some(),
            nudge_acknowledged: draft.form.acknowledge_nudge,
        };
        match decide(settings.moderation, &settings.toxicity, spam, &signals) {
            Decision::Store { status, assessment } => Ok((status, assessment)),
            Decision::Nudge { assessment } => Err(ServiceError::Nudge {
                message: nudge_message(&assessment),
                assessment,
            }),
        }
    }
}

fn blocked(message: String) -> ServiceError {
    ServiceError::Forbidden {
        code: "blocked",
        message,
    }
}

fn nudge_message(assessment: &Assessment) -> String {
    let words: Vec<&str> = assessment
        .reasons
        .iter()
        .flat_map(|r| r.terms.iter().map(String::as_str))
        .collect();
    let mut message =
        String::from("This comment may break the site's guidelines on respectful discussion");
    if !words.is_empty() {
        message.push_str(&format!(" (consider: {})", words.join(", ")));
    }
    message.push_str(". Edit it, or post it anyway and a moderator will review it.");
    message
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn links_are_counted_in_the_rendered_body() {
        let html =
            rostra_core::markdown::render("see [a](https://a.example) and <https://b.example>");
        assert_eq!(links(&html), 2);
        assert_eq!(links("<p>no links</p>"), 0);
    }

    #[test]
    fn scores_cover_every_label_and_name_words() {
        let model = rostra_toxicity::shipped();
        let (scores, terms) = score(&model, "A thoughtful article, thank you.", 0.5);
        assert!(
            terms.is_empty(),
            "calm comments are not explained: {terms:?}"
        );
        let (_, terms) = score(
            &model,
            "You are a pathetic idiot and a worthless moron.",
            0.5,
        );
        assert!(!terms.is_empty());
        assert_eq!(scores.len(), LABELS.len());
        assert!(scores.iter().all(|s| (0.0..=1.0).contains(&s.score)));
    }
}
