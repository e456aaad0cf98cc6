//! Rostra's domain: what a site, a thread, a comment and a vote are, and the
//! rules that govern them. Nothing here knows about HTTP or SQL; every value
//! that comes from outside enters through a `parse` that is the only way in.

pub mod assessment;
pub mod author;
pub mod blocklist;
pub mod body;
pub mod campaign;
pub mod comment;
pub mod error;
pub mod ids;
pub mod limits;
pub mod markdown;
pub mod moderation;
pub mod page_url;
pub mod policy;
pub mod privacy;
pub mod site;
pub mod sort;
pub mod subscription;
pub mod time;
pub mod token;
pub mod tree;
pub mod vote;

pub use assessment::{Assessment, LabelScore, Reason};
pub use author::{DisplayName, Email, Website};
pub use blocklist::BlockList;
pub use body::CommentBody;
pub use campaign::{Campaign, CampaignSlug, CampaignSpec, Currency, WebhookSecret};
pub use comment::{Comment, CommentStatus, NewComment};
pub use error::FieldError;
pub use ids::{CommentId, SiteId, ThreadId};
pub use limits::Limits;
pub use moderation::{
    BanKind, ModAction, QueueFilter, QueueOrder, ReportReason, Role, UserId, UserName,
    PUBLISHED_WINDOW,
};
pub use page_url::{PageUrl, UrlPolicy};
pub use site::{ModerationMode, NewSite, Origin, Site, SiteSettings};
pub use sort::{Cursor, Seek, Sort, SortValue};
pub use subscription::{Cadence, ModeratorNotify, SubscriptionKind, WebhookEvent};
pub use time::Timestamp;
pub use token::{EditToken, TokenHash};
pub use tree::{build_tree, CommentNode};
pub use vote::{VoteTally, VoteValue, VoterKey};
