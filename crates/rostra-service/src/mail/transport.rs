//! Where messages go: an SMTP server (lettre; host, port, TLS mode and
//! credentials from the configuration), or files in a folder (one `.eml`
//! per message: the default, so that a fresh installation's demo shows its
//! mail without a server).

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

/// TLS to the SMTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsMode {
    /// None (a server on loopback or a trusted network).
    None,
    /// Plain connection upgraded with STARTTLS, required.
    #[default]
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

/// An SMTP server.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    /// Host name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// TLS mode.
    pub tls: TlsMode,
    /// User name and password, if the server asks.
    pub credentials: Option<(String, String)>,
    /// Longest a connection or a command may take.
    pub timeout: Duration,
}

/// Sends messages.
#[derive(Clone)]
pub enum Mailer {
    /// Through an SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// Into a folder.
    Files(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Smtp(_) => f.write_str("Mailer::Smtp"),
            Self::Files(_, dir) => write!(f, "Mailer::Files({})", dir.display()),
        }
    }
}

impl Mailer {
    /// A mailer for an SMTP server.
    pub fn smtp(s: &SmtpSettings) -> Result<Self, String> {
        let tls = || TlsParameters::new(s.host.clone()).map_err(|e| e.to_string());
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host)
            .port(s.port)
            .timeout(Some(s.timeout));
        b = match s.tls {
            TlsMode::None => b.tls(Tls::None),
            TlsMode::StartTls => b.tls(Tls::Required(tls()?)),
            TlsMode::Tls => b.tls(Tls::Wrapper(tls()?)),
        };
        if let Some((user, password)) = &s.credentials {
            b = b.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(Self::Smtp(b.build()))
    }

    /// A mailer that writes each message into `dir` (created if needed).
    pub fn files(dir: PathBuf) -> std::io::Result<Self> {
        std::fs::create_dir_all(&dir)?;
        Ok(Self::Files(AsyncFileTransport::new(&dir), dir))
    }

    /// Sends one message; the error says why it failed.
    pub async fn send(&self, message: Message) -> Result<(), String> {
        match self {
            Self::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Self::Files(t, _) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}
