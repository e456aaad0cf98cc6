//! The HTTP handlers, one module per resource.

pub mod auth;
pub mod campaign_admin;
pub mod campaigns;
pub mod comments;
pub mod html;
pub mod moderation;
pub mod moderation_bans;
pub mod moderation_page;
pub mod ops;
pub mod pages;
pub mod reports;
pub mod stream;
pub mod subscriptions;
pub mod threads;
pub mod webhooks;

use crate::error::ApiError;
use rostra_core::SiteId;

/// A site id from the path; an impossible one is simply not found.
pub fn site_id(raw: &str) -> Result<SiteId, ApiError> {
    SiteId::parse(raw).map_err(|_| ApiError::not_found("site"))
}
