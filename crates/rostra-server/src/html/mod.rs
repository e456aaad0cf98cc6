//! The comment section as HTML: translations, the askama templates, and the
//! functions that render domain values through them. The widget and the
//! server-rendered thread page use the same fragments; the moderation page
//! has its own template and strings.

pub mod campaign;
pub mod i18n;
pub mod i18n_campaign;
pub mod i18n_moderation;
pub mod moderation;
pub mod render;
pub mod views;

pub use i18n::Lang;
pub use render::Ctx;
