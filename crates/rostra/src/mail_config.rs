//! `[mail]`: how messages and webhook deliveries go out, and the worker
//! that sends them.

use rostra_service::mail::{MailSettings, Mailer, SmtpSettings, TlsMode};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Duration;

/// `[mail]`
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// `files` (each message an `.eml` file in `dir`), `smtp`, or `off`
    /// (nothing is sent; jobs wait in the outbox).
    pub transport: String,
    /// For `files`: the folder; empty for `DATA_DIR/mail`.
    pub dir: String,
    /// The SMTP server.
    pub smtp_host: String,
    /// Its port.
    pub smtp_port: u16,
    /// `starttls` (required), `tls` (from the first byte), or `none`.
    pub smtp_tls: String,
    /// User name, if the server asks for one.
    pub smtp_username: String,
    /// Password.
    pub smtp_password: String,
    /// Longest an SMTP exchange may take, seconds.
    pub smtp_timeout_secs: u64,
    /// The `From` of every message.
    pub from: String,
    /// The `Reply-To`, if any.
    pub reply_to: String,
    /// The links in messages start with this; empty for
    /// `server.public_url`, else `http://LISTEN`.
    pub public_url: String,
    /// Digests go out at multiples of this many seconds (86400: daily, at
    /// midnight UTC).
    pub digest_every_secs: u64,
    /// First retry after this many seconds; each next one waits twice as long.
    pub retry_base_secs: f64,
    /// Longest wait between retries, seconds.
    pub retry_max_secs: u64,
    /// Give a message or delivery up this many seconds after it was queued.
    pub give_up_after_secs: u64,
    /// How often an idle worker looks for due jobs, milliseconds.
    pub poll_ms: u64,
    /// Let webhooks post to plain `http://` (local receivers only).
    pub allow_http_webhooks: bool,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            transport: "files".into(),
            dir: String::new(),
            smtp_host: "localhost".into(),
            smtp_port: 587,
            smtp_tls: "starttls".into(),
            smtp_username: String::new(),
            smtp_password: String::new(),
            smtp_timeout_secs: 30,
            from: "Rostra <rostra@localhost>".into(),
            reply_to: String::new(),
            public_url: String::new(),
            digest_every_secs: 86_400,
            retry_base_secs: 30.0,
            retry_max_secs: 3_600,
            give_up_after_secs: 3 * 86_400,
            poll_ms: 1_000,
            allow_http_webhooks: false,
        }
    }
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("transport", &self.transport)
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("smtp_tls", &self.smtp_tls)
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl MailConfig {
    /// The service's settings; `public_url` is the server's when this
    /// section names none.
    pub fn settings(&self, public_url: &str) -> MailSettings {
        let public_url = if self.public_url.trim().is_empty() {
            public_url
        } else {
            self.public_url.trim()
        };
        MailSettings {
            public_url: public_url.trim_end_matches('/').to_string(),
            from: self.from.clone(),
            reply_to: Some(self.reply_to.trim().to_string()).filter(|r| !r.is_empty()),
            digest_every: Duration::from_secs(self.digest_every_secs.max(1)),
            retry_base: Duration::from_secs_f64(self.retry_base_secs.clamp(0.01, 86_400.0)),
            retry_max: Duration::from_secs(self.retry_max_secs.max(1)),
            give_up_after: Duration::from_secs(self.give_up_after_secs),
            poll: Duration::from_millis(self.poll_ms.max(10)),
            allow_http_webhooks: self.allow_http_webhooks,
            ..MailSettings::default()
        }
    }

    /// The transport, or `None` when mail is off.
    pub fn mailer(&self, data_dir: &Path) -> anyhow::Result<Option<Mailer>> {
        Ok(match self.transport.trim() {
            "off" => None,
            "files" => {
                let dir = if self.dir.trim().is_empty() {
                    data_dir.join("mail")
                } else {
                    self.dir.trim().into()
                };
                Some(Mailer::files(dir)?)
            }
            "smtp" => {
                let tls = match self.smtp_tls.trim() {
                    "starttls" => TlsMode::StartTls,
                    "tls" => TlsMode::Tls,
                    "none" => TlsMode::None,
                    other => anyhow::bail!(
                        "mail.smtp_tls is {other:?}: use \"starttls\", \"tls\" or \"none\""
                    ),
                };
                let credentials = (!self.smtp_username.is_empty())
                    .then(|| (self.smtp_username.clone(), self.smtp_password.clone()));
                Some(
                    Mailer::smtp(&SmtpSettings {
                        host: self.smtp_host.clone(),
                        port: self.smtp_port,
                        tls,
                        credentials,
                        timeout: Duration::from_secs(self.smtp_timeout_secs.max(1)),
                    })
                    .map_err(anyhow::Error::msg)?,
                )
            }
            other => {
                anyhow::bail!("mail.transport is {other:?}: use \"files\", \"smtp\" or \"off\"")
            }
        })
    }
}

/// The `[mail]` part of `rostra config default`.
pub const DEFAULT_TOML: &str = r#"
[mail]
# "files": each message becomes an .eml file in `dir` (the default, so a new
# installation shows its mail without a server); "smtp"; or "off" (nothing is
# sent, messages wait in the outbox).
transport = "files"
# For "files": the folder; empty means DATA_DIR/mail.
dir = ""
# The SMTP server; smtp_tls: "starttls" (required), "tls" (port 465) or "none".
smtp_host = "localhost"
smtp_port = 587
smtp_tls = "starttls"
smtp_username = ""
smtp_password = ""
smtp_timeout_secs = 30
# Headers of every message.
from = "Rostra <rostra@localhost>"
reply_to = ""
# Links in messages start with this; empty: server.public_url.
public_url = ""
# Digests go out at multiples of this many seconds (86400: at midnight UTC).
digest_every_secs = 86400
# Retries: the first after retry_base_secs, each next one twice as long, at
# most retry_max_secs apart; given up give_up_after_secs after queuing.
retry_base_secs = 30.0
retry_max_secs = 3600
give_up_after_secs = 259200
# How often an idle worker looks for due jobs (it is woken at once by its
# own node's writes).
poll_ms = 1000
# Let webhooks post to plain http:// (local receivers only).
allow_http_webhooks = false
"#;
