//! The `rostra` binary's library: configuration, command line, start-up and
//! tools. `main.rs` only parses arguments and calls in here, so tests start
//! the very same application.

pub mod campaigns;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
mod demo_campaign;
mod demo_comments;
pub mod export;
pub mod mail_config;
pub mod migrate_store;
pub mod moderation;
pub mod progress;
pub mod seed;
pub mod startup;
pub mod telemetry;
pub mod users;
