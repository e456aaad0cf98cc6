//! The campaign bar as an HTML fragment: the goal bar with every milestone
//! tick labelled, the amount raised, the donors (if the site shows them),
//! the countdown in the reader's language and calendar, and the call to
//! action. The widget inserts it and replaces it when the totals move; a
//! page may include it server-side for readers without JavaScript.

use super::i18n::Lang;
use super::i18n_campaign::{number_style, strings, CampaignStrings};
use askama::Template;
use rostra_core::campaign::countdown::{Date, Month};
use rostra_core::campaign::{countdown, Countdown, Totals, Until};
use rostra_core::{Campaign, Timestamp};

/// One tick under the bar.
pub struct Tick {
    /// Its amount, written for readers.
    pub label: String,
    /// Where it sits, in percent of the goal (one decimal).
    pub at: String,
    /// Whether the amount raised has passed it.
    pub reached: bool,
}

/// The bar.
#[derive(Template)]
#[template(path = "campaign.html")]
pub struct CampaignHtml<'a> {
    /// Strings.
    pub s: &'static CampaignStrings,
    /// `en`, `de`, …
    pub lang: &'static str,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// The site.
    pub site: &'a str,
    /// The campaign's slug.
    pub slug: &'a str,
    /// Its heading.
    pub title: &'a str,
    /// The region's name: "Donation campaign: {title}" (a page may have
    /// its own "Support …" section).
    pub region: String,
    /// Goal, minor units (the progressbar's maximum).
    pub goal_minor: i64,
    /// Raised, minor units (its value).
    pub raised_minor: i64,
    /// Raised, written for readers.
    pub raised: String,
    /// "$1,400 of $5,000".
    pub value_text: String,
    /// The ticks.
    pub ticks: Vec<Tick>,
    /// "Next milestone: $2,500", or the goal reached.
    pub next: String,
    /// "12 donors", when the site shows them.
    pub donors: Option<String>,
    /// The countdown.
    pub countdown: String,
    /// Whether the campaign has ended (the button goes).
    pub ended: bool,
    /// The end, ms since the epoch.
    pub ends_ms: i64,
    /// The call to action.
    pub cta_text: &'a str,
    /// The payment page.
    pub cta_url: &'a str,
}

fn percent(permille: i64) -> String {
    format!("{}.{}", permille / 10, permille % 10)
}

/// The countdown in words, for a reader `offset_minutes` east of UTC.
pub fn countdown_text(c: &Campaign, now: Timestamp, offset_minutes: i32, lang: Lang) -> String {
    let s = strings(lang);
    let month = |m: Month| s.months[usize::from(u8::from(m)) - 1];
    let date = |d: Date| {
        s.date
            .replace("{month}", month(d.month()))
            .replace("{d}", &d.day().to_string())
    };
    match countdown(now, c.spec.starts_at, c.spec.ends_at, offset_minutes) {
        Countdown::Upcoming(d) => s.starts.replace("{date}", &date(d)),
        Countdown::Running { days, until } => {
            let until = match until {
                Until::EndOf(m) => s.end_of.replace("{month}", month(m)),
                Until::Date(d) => date(d),
            };
            s.days_left.format(lang, days).replace("{until}", &until)
        }
        Countdown::LastDay => s.last_day.to_owned(),
        Countdown::Ended => s.ended.to_owned(),
    }
}

/// Renders the bar of `c` with `totals`, at `now`, for a reader
/// `offset_minutes` east of UTC.
pub fn campaign(
    c: &Campaign,
    totals: &Totals,
    now: Timestamp,
    offset_minutes: i32,
    lang: Lang,
) -> Result<String, askama::Error> {
    let s = strings(lang);
    let style = number_style(lang);
    let money = |minor: i64| c.spec.currency.format(minor, &style);
    let raised = money(totals.raised);
    let next = match c.next_milestone(totals.raised) {
        Some(m) => s.next.replace("{amount}", &money(m)),
        None => s.goal_reached.to_owned(),
    };
    let ticks = c
        .ticks()
        .into_iter()
        .map(|t| Tick {
            label: money(t),
            at: percent(c.permille(t)),
            reached: totals.raised >= t,
        })
        .collect();
    CampaignHtml {
        s,
        lang: lang.tag(),
        dir: lang.dir(),
        site: c.site_id.as_str(),
        slug: c.slug.as_str(),
        title: &c.spec.title,
        region: s.region.replace("{title}", &c.spec.title),
        goal_minor: c.spec.goal,
        raised_minor: totals.raised,
        value_text: s
            .of_goal
            .replace("{raised}", &raised)
            .replace("{goal}", &money(c.spec.goal)),
        raised,
        ticks,
        next,
        donors: c
            .spec
            .show_donors
            .then(|| s.donors.format(lang, totals.donors)),
        countdown: countdown_text(c, now, offset_minutes, lang),
        ended: now >= c.spec.ends_at,
        ends_ms: c.spec.ends_at.0,
        cta_text: &c.spec.cta_text,
        cta_url: &c.spec.cta_url,
    }
    .render()
}
