//! Messages: a plain-text and an HTML part from the same escaping
//! templates (`templates/mail/`), and the headers mail clients and
//! receiving servers look at: `Message-ID` (the same for every attempt of
//! one job, so a resend is recognisable), `Date`, `Reply-To`, and for
//! subscribers `List-Unsubscribe` with `List-Unsubscribe-Post:
//! List-Unsubscribe=One-Click` (RFC 8058).

use super::strings::MailStrings;
use super::MailSettings;
use askama::Template;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::Message;
use sha2::{Digest, Sha256};

/// One comment in a message.
#[derive(Debug, Clone)]
pub struct Item {
    /// Its heading (the page's title).
    pub title: String,
    /// "Name wrote:".
    pub by: String,
    /// The Markdown text.
    pub text: String,
    /// The sanitized HTML.
    pub html: String,
    /// Where to read it.
    pub link: String,
    /// The link's words.
    pub link_label: String,
}

/// What a message says.
#[derive(Debug, Clone)]
pub struct Body {
    /// The first line.
    pub heading: String,
    /// What it is about.
    pub intro: String,
    /// Comments.
    pub items: Vec<Item>,
    /// The main button, if any.
    pub action: Option<(String, String)>,
    /// Why the reader gets it.
    pub because: String,
    /// Links at the bottom.
    pub footer: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "mail/message.txt")]
struct Text<'a> {
    heading: &'a str,
    intro: &'a str,
    items: &'a [Item],
    action: &'a Option<(String, String)>,
    because: &'a str,
    footer: &'a [(String, String)],
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct Html<'a> {
    lang: &'a str,
    dir: &'a str,
    heading: &'a str,
    intro: &'a str,
    items: &'a [Item],
    action: &'a Option<(String, String)>,
    because: &'a str,
    footer: &'a [(String, String)],
}

/// Who gets a message and how it is identified.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// The address.
    pub to: String,
    /// The subject.
    pub subject: String,
    /// What makes this message unique (the job's key): its `Message-ID`.
    pub key: String,
    /// The one-click unsubscribe URL, for subscribers' mail.
    pub unsubscribe: Option<String>,
}

/// `List-Unsubscribe: <URL>`.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.trim_matches(['<', '>']).to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
#[derive(Debug, Clone)]
struct OneClick;

impl Header for OneClick {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

/// The host part of message ids: the public URL's host.
fn id_host(settings: &MailSettings) -> String {
    url::Url::parse(&settings.public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "rostra.invalid".into())
}

/// Builds a message; the error says what was wrong (an address, say).
pub fn build(
    settings: &MailSettings,
    words: &MailStrings,
    envelope: Envelope,
    body: &Body,
) -> Result<Message, String> {
    let from: Mailbox = settings
        .from
        .parse()
        .map_err(|e| format!("mail.from: {e}"))?;
    let to: Mailbox = envelope
        .to
        .parse()
        .map_err(|e| format!("recipient {:?}: {e}", envelope.to))?;
    let digest = Sha256::digest(envelope.key.as_bytes());
    let id = format!("<{}@{}>", hex::encode(&digest[..12]), id_host(settings));
    let mut b = Message::builder()
        .from(from)
        .to(to)
        .subject(envelope.subject)
        .message_id(Some(id))
        .date_now();
    if let Some(reply_to) = &settings.reply_to {
        let r: Mailbox = reply_to
            .parse()
            .map_err(|e| format!("mail.reply_to: {e}"))?;
        b = b.reply_to(r);
    }
    if let Some(url) = envelope.unsubscribe {
        b = b.header(ListUnsubscribe(url)).header(OneClick);
    }
    let text = Text {
        heading: &body.heading,
        intro: &body.intro,
        items: &body.items,
        action: &body.action,
        because: &body.because,
        footer: &body.footer,
    }
    .render()
    .map_err(|e| e.to_string())?;
    let html = Html {
        lang: words.tag,
        dir: if words.rtl { "rtl" } else { "ltr" },
        heading: &body.heading,
        intro: &body.intro,
        items: &body.items,
        action: &body.action,
        because: &body.because,
        footer: &body.footer,
    }
    .render()
    .map_err(|e| e.to_string())?;
    b.multipart(
        MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(text),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(html),
            ),
    )
    .map_err(|e| e.to_string())
}
