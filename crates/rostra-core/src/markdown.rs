//! The Markdown subset comments are written in, rendered to sanitized HTML.
//!
//! Paragraphs, line breaks, emphasis, strong, strike-through, inline code and
//! code blocks, block quotes, lists, and links. Raw HTML is shown as text,
//! never interpreted. Images become links (no third-party requests from a
//! page of comments). Headings become plain paragraphs. The HTML that
//! pulldown-cmark produces is then passed through ammonia with an allow-list,
//! so even a bug in the first step cannot let markup through.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Renders comment Markdown to safe HTML.
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::SoftBreak => Event::HardBreak,
        Event::Start(Tag::Heading { .. }) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::Heading(_)) => Event::End(TagEnd::Paragraph),
        Event::Start(Tag::Image {
            dest_url,
            title,
            id,
            ..
        }) => Event::Start(Tag::Link {
            link_type: pulldown_cmark::LinkType::Inline,
            dest_url,
            title,
            id,
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 5 / 4 + 16);
    pulldown_cmark::html::push_html(&mut html, events);
    sanitizer().clean(&html).to_string()
}

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let tags: HashSet<&str> = [
            "a",
            "p",
            "br",
            "em",
            "strong",
            "del",
            "code",
            "pre",
            "blockquote",
            "ul",
            "ol",
            "li",
            "hr",
        ]
        .into_iter()
        .collect();
        let mut b = ammonia::Builder::default();
        b.tags(tags)
            .clean_content_tags(HashSet::from(["script", "style"]))
            .generic_attributes(HashSet::new())
            .tag_attributes(
                [
                    ("a", HashSet::from(["href", "title"])),
                    ("ol", HashSet::from(["start"])),
                ]
                .into_iter()
                .collect(),
            )
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .url_relative(ammonia::UrlRelative::Deny)
            .link_rel(Some("nofollow ugc noopener"));
        b
    })
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn subset() {
        assert_eq!(
            render("*hi* **there**"),
            "<p><em>hi</em> <strong>there</strong></p>\n"
        );
        assert_eq!(render("a\nb"), "<p>a<br>\nb</p>\n");
        assert_eq!(render("~~gone~~"), "<p><del>gone</del></p>\n");
        assert_eq!(
            render("> quoted"),
            "<blockquote>\n<p>quoted</p>\n</blockquote>\n"
        );
        assert_eq!(render("# Title"), "<p>Title</p>\n");
    }

    #[test]
    fn links_are_nofollow_ugc() {
        assert_eq!(
            render("[x](https://example.org/)"),
            "<p><a href=\"https://example.org/\" rel=\"nofollow ugc noopener\">x</a></p>\n"
        );
    }

    #[test]
    fn no_raw_html_no_scripts_no_images() {
        let html = render("<script>alert(1)</script> <b>bold</b> <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"), "{html}");
        let html = render("![alt](https://tracker.example/pixel.gif)");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("alt"), "{html}");
    }

    #[test]
    fn dangerous_urls_dropped() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](data:text/html,hi)",
            "[x](vbscript:msgbox)",
            "<javascript:alert(1)>",
        ] {
            let html = render(md);
            assert!(
                !html.contains("javascript:") || !html.contains("href"),
                "{md} -> {html}"
            );
            assert!(!html.contains("href=\"data:"), "{md} -> {html}");
            assert!(!html.contains("href=\"vbscript:"), "{md} -> {html}");
        }
    }
}
