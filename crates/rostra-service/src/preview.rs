//! Showing a writer what their Markdown will look like, before posting.

use crate::{Service, ServiceError};
use rostra_core::{markdown, CommentBody, SiteId};

impl Service {
    /// The sanitized HTML `body` would be stored as, under the same rules as
    /// posting (so a preview never shows what posting would refuse).
    pub async fn preview(&self, site_id: &SiteId, body: &str) -> Result<String, ServiceError> {
        self.sites.get(site_id).await?;
        let body = CommentBody::parse(body, self.limits.comment_chars)?;
        Ok(markdown::render(body.as_str()))
    }
}
