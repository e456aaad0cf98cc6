//! The one error a parse can give: which field was wrong, and why.

/// A value from outside did not parse. Names the field so the HTTP layer can
/// answer `422` with `{"field": ...}`, and says what was wrong in words a
/// person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The field's name as the API spells it, e.g. `author.name`.
    pub field: String,
    /// What was wrong with it.
    pub message: String,
}

impl FieldError {
    /// A new error for `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}
