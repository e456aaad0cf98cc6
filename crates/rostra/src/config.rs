//! Typed configuration: defaults, then a TOML file, then `ROSTRA_SECTION__KEY`
//! environment variables. Unknown keys are errors, wherever they come from.

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use rostra_core::Limits;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Everything Rostra can be told.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The HTTP server.
    pub server: ServerConfig,
    /// The database.
    pub database: DatabaseConfig,
    /// Sizes and depths.
    pub limits: Limits,
    /// Write rates.
    pub rate: RateConfig,
    /// In-memory caches.
    pub cache: CacheConfig,
    /// Logging.
    pub log: LogConfig,
    /// The demo site.
    pub demo: DemoConfig,
    /// The toxicity model.
    pub moderation: ModerationConfig,
    /// Mail and webhook deliveries.
    pub mail: crate::mail_config::MailConfig,
}

/// `[server]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Where the SQLite database and other files live.
    pub data_dir: PathBuf,
    /// The header a trusted reverse proxy sets to the client's address
    /// (e.g. `x-forwarded-for`); empty when Rostra faces clients directly.
    pub client_ip_header: String,
    /// Seconds to let requests in flight finish after SIGTERM or Ctrl-C.
    pub shutdown_grace_secs: u64,
    /// The server's public URL (`https://comments.example.org`), put in front
    /// of the links in HTML fragments; empty for root-relative links.
    pub public_url: String,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./rostra-data"),
            client_ip_header: String::new(),
            shutdown_grace_secs: 10,
            public_url: String::new(),
        }
    }
}

/// `[database]`
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://PATH`, `postgres://…` (or `postgresql://…`), or empty for
    /// `DATA_DIR/rostra.db`.
    pub url: String,
    /// SQLite read connections.
    pub readers: u32,
    /// SQLite page cache per connection, KiB.
    pub cache_kib: u32,
    /// PostgreSQL connections in the pool.
    pub max_connections: u32,
    /// PostgreSQL: longest a statement may run, ms; 0 for no limit.
    pub statement_timeout_ms: u64,
    /// PostgreSQL: longest to wait for a connection, seconds.
    pub connect_timeout_secs: u64,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: String::new(),
            readers: 2,
            cache_kib: 2048,
            max_connections: 10,
            statement_timeout_ms: 10_000,
            connect_timeout_secs: 5,
        }
    }
}

impl fmt::Debug for DatabaseConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseConfig")
            .field("url", &redact_password(&self.url))
            .field("readers", &self.readers)
            .field("cache_kib", &self.cache_kib)
            .field("max_connections", &self.max_connections)
            .field("statement_timeout_ms", &self.statement_timeout_ms)
            .field("connect_timeout_secs", &self.connect_timeout_secs)
            .finish()
    }
}

/// Hides the password of a database URL.
pub fn redact_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("REDACTED"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

/// `[rate]`: per client address and site; 0 turns a limit off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateConfig {
    /// Comment posts, edits and deletes per minute.
    pub writes_per_minute: u32,
    /// How many may come at once.
    pub write_burst: u32,
    /// Votes per minute.
    pub votes_per_minute: u32,
    /// How many may come at once.
    pub vote_burst: u32,
}

impl Default for RateConfig {
    fn default() -> Self {
        Self {
            writes_per_minute: 10,
            write_burst: 5,
            votes_per_minute: 120,
            vote_burst: 30,
        }
    }
}

/// `[cache]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CacheConfig {
    /// Bytes of rendered thread pages kept in memory; 0 turns the cache off.
    pub page_bytes: u64,
    /// Counts answers kept in memory; 0 turns the cache off.
    pub counts_entries: u64,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            page_bytes: 8 * 1024 * 1024,
            counts_entries: 4096,
        }
    }
}

/// `[log]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// A tracing filter, e.g. `info` or `rostra=debug,tower_http=debug`.
    pub filter: String,
    /// `text` or `json`.
    pub format: LogFormat,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// For people.
    #[default]
    Text,
    /// One JSON object a line, for machines.
    Json,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            filter: "info".into(),
            format: LogFormat::Text,
        }
    }
}

/// `[demo]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DemoConfig {
    /// Create the site `demo` on first start, and serve its page at `/`.
    pub enabled: bool,
    /// Start the demo page's thread with the reference page's comments.
    pub seed: bool,
    /// Origins the demo site allows besides the server's own.
    pub extra_origins: Vec<String>,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            seed: true,
            extra_origins: Vec::new(),
        }
    }
}

/// `[moderation]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModerationConfig {
    /// `builtin` (the model compiled into the binary), `off` (no model: the
    /// policy acts on spam signals alone), or the path of a model file
    /// written by `rostra moderation train`.
    pub model: String,
}

impl Default for ModerationConfig {
    fn default() -> Self {
        Self {
            model: "builtin".into(),
        }
    }
}

/// Environment variables under `ROSTRA_` that are not configuration.
const NOT_CONFIG: [&str; 2] = ["config", "test_"];

impl Config {
    /// Loads the configuration: defaults, then `file` if given, then the
    /// environment.
    pub fn load(file: Option<&Path>) -> Result<Self, Box<figment::Error>> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(Box::new(figment::Error::from(format!(
                    "config file {} does not exist",
                    file.display()
                ))));
            }
            figment = figment.merge(Toml::file_exact(file));
        }
        figment
            .merge(Env::prefixed("ROSTRA_").split("__").filter(|k| {
                let k = k.as_str().to_ascii_lowercase();
                !NOT_CONFIG.iter().any(|skip| k.starts_with(skip))
            }))
            .extract()
            .map_err(Box::new)
    }

    /// The same configuration with the database password hidden, to show.
    pub fn redacted(&self) -> Self {
        let mut shown = self.clone();
        shown.database.url = redact_password(&shown.database.url);
        if !shown.mail.smtp_password.is_empty() {
            shown.mail.smtp_password = "REDACTED".into();
        }
        shown
    }

    /// The database URL in force (the SQLite file in the data directory
    /// unless `database.url` names another). May hold a password: show it
    /// through [`redact_password`].
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            format!(
                "sqlite://{}",
                self.server.data_dir.join("rostra.db").display()
            )
        } else {
            self.database.url.clone()
        }
    }
}

/// The commented example `rostra config default` prints. A test checks that
/// it parses to exactly the defaults.
pub const DEFAULT_TOML: &str = r#"# Rostra configuration. Every key is optional; these are the defaults.
# Any key can also be set from the environment as ROSTRA_SECTION__KEY,
# e.g. ROSTRA_SERVER__LISTEN=0.0.0.0:8080. Unknown keys are errors.

[server]
# Address to listen on.
listen = "127.0.0.1:8080"
# Where the SQLite database lives.
data_dir = "./rostra-data"
# Behind a reverse proxy: the header holding the client's address
# (e.g. "x-forwarded-for"). Leave empty when clients connect directly.
client_ip_header = ""
# Seconds requests in flight may take to finish after SIGTERM / Ctrl-C.
shutdown_grace_secs = 10
# The server's public URL, e.g. "https://comments.example.org": links in the
# HTML fragments start with it, so a page that includes them server-side links
# back here. Empty: root-relative links.
public_url = ""

[database]
# "sqlite:///path/to/rostra.db"; empty means DATA_DIR/rostra.db.
# Or PostgreSQL: "postgres://USER:PASSWORD@HOST:5432/DB?sslmode=verify-full"
# (sslmode: disable, prefer, require, verify-ca, verify-full).
url = ""
# SQLite read connections, and page cache per connection in KiB.
readers = 2
cache_kib = 2048
# PostgreSQL connections in the pool; longest a statement may run (ms, 0 for
# no limit); longest to wait for a connection (seconds), which also bounds
# how long /readyz takes to answer 503 while the database is away.
max_connections = 10
statement_timeout_ms = 10000
connect_timeout_secs = 5

[limits]
# Largest request body, bytes (413 above).
body_bytes = 65536
# Longest comment, characters of Markdown.
comment_chars = 10000
# Longest display name, characters.
name_chars = 64
# Longest page URL, bytes.
url_bytes = 2048
# Longest page title, characters.
title_chars = 300
# Deepest reply stored (top-level = 0).
max_depth = 100
# Most URLs in one counts request.
counts_urls = 100
# Most top-level comments in one page.
page_size_max = 100
# Most live-update streams (GET .../stream) open at once on this node
# (503 with Retry-After above); 0 turns live updates off.
streams = 10000

[rate]
# Per client address and site; 0 turns a limit off (429 with Retry-After above).
writes_per_minute = 10
write_burst = 5
votes_per_minute = 120
vote_burst = 30

[cache]
# Bytes of rendered thread pages kept in memory; 0 turns the cache off.
page_bytes = 8388608
# Counts answers (one per distinct counts query) kept in memory; 0: off.
counts_entries = 4096

[log]
# A tracing filter, e.g. "info" or "rostra=debug,tower_http=debug".
filter = "info"
# "text" or "json".
format = "text"

[demo]
# Create the site "demo" (with the server's own origin) on first start, and
# serve its page at /.
enabled = true
# Start the demo page's thread with the reference page's eleven comments.
seed = true
# More origins the demo site accepts, e.g. ["https://news.example.org"].
extra_origins = []

[moderation]
# The toxicity model that scores new comments: "builtin" (compiled in),
# "off", or a file written by `rostra moderation train`.
model = "builtin"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_toml_is_the_defaults() {
        let all = format!("{DEFAULT_TOML}{}", crate::mail_config::DEFAULT_TOML);
        let parsed: Config = toml::from_str(&all).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(toml::from_str::<Config>("[server]\nlisen = \"0.0.0.0:1\"").is_err());
        assert!(toml::from_str::<Config>("[nonsense]\nx = 1").is_err());
    }

    #[test]
    fn passwords_are_redacted() {
        let db = DatabaseConfig {
            url: "postgres://u:hunter2@db/rostra".into(),
            ..Default::default()
        };
        let shown = format!("{db:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        let shown = redact_password("postgresql://u:hunter2@db:5432/rostra?sslmode=require");
        assert!(!shown.contains("hunter2"), "{shown}");
        let config = Config {
            database: db,
            ..Config::default()
        };
        let shown = toml::to_string(&config.redacted()).unwrap_or_else(|e| panic!("{e}"));
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("postgres://u:REDACTED@db/rostra"), "{shown}");
    }
}
