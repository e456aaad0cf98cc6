//! A comment's body as the author wrote it: Markdown, bounded in length.

use crate::FieldError;

/// The Markdown source of a comment: not blank, at most `max` characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentBody(String);

impl CommentBody {
    /// Parses a body. Leading and trailing white space is dropped; line
    /// endings are normalized to `\n`.
    pub fn parse(raw: &str, max: usize) -> Result<Self, FieldError> {
        let body = raw.replace("\r\n", "\n").replace('\r', "\n");
        let body = body.trim();
        let err = |m: String| FieldError::new("body", m);
        if body.is_empty() {
            return Err(err("the comment is empty".into()));
        }
        let chars = body.chars().count();
        if chars > max {
            return Err(err(format!(
                "the comment is {chars} characters; at most {max} are allowed"
            )));
        }
        if body
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(err("the comment contains control characters".into()));
        }
        Ok(Self(body.to_owned()))
    }

    /// The Markdown.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies() {
        assert_eq!(
            CommentBody::parse(" hi\r\nthere ", 100).map(|b| b.0),
            Ok("hi\nthere".into())
        );
        assert!(CommentBody::parse(" \n\t ", 100).is_err());
        assert!(CommentBody::parse(&"x".repeat(101), 100).is_err());
        assert!(CommentBody::parse("a\u{0000}b", 100).is_err());
    }
}
