//! The moderation page at `/moderation`, served by the binary and usable
//! without JavaScript: a sign-in form, then the queue of each site the user
//! moderates with per-comment and bulk actions (plain forms, each answered
//! 303 back to the page: post, redirect, get), and the latest audit entries.
//!
//! It signs in with the same session cookie as `POST /api/v1/auth/login`
//! (never a bearer token) and acts through the same service calls as the
//! moderator API, so actions are audited and live readers hear of them.
//! Every POST must come from this server's own pages (its `Origin`, else its
//! `Referer`): 403 otherwise.

use super::html::{html_response, language};
use super::moderation::parse_by;
use super::site_id;
use crate::assets::ASSETS;
use crate::auth::{cookie, is_this_server, origin_not_allowed, session_cookie, SESSION_COOKIE};
use crate::client::ClientAddr;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::html::i18n_moderation::ModStrings;
use crate::html::moderation::{AuditLine, BanLine, ModItem, ModerationHtml, QueueView, Tab};
use crate::html::Lang;
use crate::rate::limit;
use crate::rate::Action;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rostra_core::{ModAction, ModerationMode, QueueFilter, QueueOrder, Role, SiteId, Timestamp};
use rostra_service::{ActionOutcome, Principal, QueueSelect, ServiceError};
use rostra_store::CredentialKind;
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// What the page may load and where its forms may go: only this server; no
/// script at all.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
    script-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// Queue rows per page.
const PAGE_ROWS: u32 = 50;
/// Audit entries under the queue.
const AUDIT_ROWS: u32 = 10;

/// The page's query string.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    /// The site shown (the first one moderated by default).
    site: Option<String>,
    /// `held` (default; `published` under post-moderation), `reported`,
    /// `all`, `published` or `rejected`.
    filter: Option<String>,
    /// `newest` (default) or `urgent`.
    order: Option<String>,
    /// Where the queue page starts.
    after: Option<u32>,
    /// A comment id: every comment of its author instead of a tab.
    by: Option<String>,
    /// Language.
    lang: Option<String>,
    /// After an action: which one.
    action: Option<String>,
    /// After an action: how many comments it changed.
    ok: Option<usize>,
    /// After an action: how many were not found.
    missing: Option<usize>,
    /// After an action: how many failed.
    failed: Option<usize>,
    /// After an action with nothing selected.
    none: Option<u8>,
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
}

/// An action's form: the per-comment buttons and the bulk bar.
#[derive(Debug, Deserialize)]
pub struct ActionForm {
    site: String,
    action: String,
    #[serde(default)]
    ids: Vec<i64>,
    reason: Option<String>,
    /// The tab to come back to.
    filter: Option<String>,
    /// The order to come back to.
    order: Option<String>,
    /// The author's view to come back to.
    by: Option<String>,
}

/// Where the page lives: `public_url`'s path (behind a proxy that mounts
/// Rostra under a prefix) and `/moderation`.
pub(super) fn base(state: &AppState) -> String {
    let prefix = url::Url::parse(&state.http.public_url)
        .map(|u| u.path().trim_end_matches('/').to_owned())
        .unwrap_or_default();
    format!("{prefix}/moderation")
}

/// 403 unless the POST comes from this server's own pages: its `Origin`,
/// or without one its `Referer`; neither is refused too.
pub(super) fn same_origin(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let origin = match text(header::ORIGIN) {
        Some(o) => Some(o.to_owned()),
        None => text(header::REFERER)
            .and_then(|r| url::Url::parse(r).ok())
            .map(|u| u.origin().ascii_serialization()),
    };
    match origin {
        Some(o) if is_this_server(headers, &o, &state.http.public_url) => Ok(()),
        _ => Err(origin_not_allowed()),
    }
}

/// A filter as the page's links spell it.
fn filter_key(f: QueueFilter) -> &'static str {
    match f {
        QueueFilter::All => "all",
        QueueFilter::Held => "held",
        QueueFilter::Reported => "reported",
        QueueFilter::Rejected => "rejected",
        QueueFilter::Published => "published",
    }
}

/// An order as the page's links spell it.
fn order_key(o: QueueOrder) -> &'static str {
    match o {
        QueueOrder::Newest => "newest",
        QueueOrder::Urgent => "urgent",
    }
}

pub(super) fn form<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_html_form::from_bytes(body)
        .map_err(|e| ApiError::bad_request("invalid_form", format!("the form is malformed: {e}")))
}

/// The signed-in user of the session cookie; `None` without one, or when it
/// has ended.
pub(super) async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
) -> ApiResult<Option<Principal>> {
    let Some(secret) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    match state.service.authenticate(&secret).await {
        Ok(p) if p.via == CredentialKind::Session => Ok(Some(p)),
        Ok(_) | Err(ServiceError::Unauthenticated(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// 303 to the page with `back`'s query (from [`back_to`], plus a status line).
pub(super) fn see_back(base: &str, back: &[(&str, String)]) -> Response {
    let pairs: Vec<(&str, &str)> = back.iter().map(|(k, v)| (*k, v.as_str())).collect();
    see_other(&href(base, &pairs))
}

pub(super) fn see_other(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn respond(html: ModerationHtml<'_>, status: StatusCode) -> ApiResult<Response> {
    let mut r = html_response(html.render().map_err(ApiError::internal)?, "no-store");
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "x-robots-tag",
        HeaderValue::from_static("noindex, nofollow"),
    );
    Ok(r)
}

/// The sign-in page, with an error when a sign-in failed.
fn sign_in_page(
    state: &AppState,
    lang: Lang,
    name: &str,
    error: &str,
    status: StatusCode,
) -> ApiResult<Response> {
    let base = base(state);
    respond(
        ModerationHtml {
            s: lang.mod_strings(),
            lang,
            embed_css: &ASSETS.embed_css,
            css: &ASSETS.moderation_css,
            base: &base,
            user: None,
            login_name: name,
            error,
            notice: "",
            sites: Vec::new(),
            queue: None,
        },
        status,
    )
}

/// A link to the page.
pub(super) fn href(base: &str, pairs: &[(&str, &str)]) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    format!("{base}?{}", q.finish())
}

/// The status line after an action.
fn notice(q: &PageQuery, s: &ModStrings) -> String {
    if q.none.is_some() {
        return s.none_selected.to_owned();
    }
    let mut parts = Vec::new();
    let n = |text: &str, n: usize| text.replace("{n}", &n.to_string());
    if let (Some(action), Some(ok)) = (q.action.as_deref(), q.ok) {
        let done = match action {
            "approve" => s.done_approve,
            "reject" => s.done_reject,
            "spam" => s.done_spam,
            "delete" => s.done_delete,
            "ban" => s.done_ban,
            "unban" => s.done_unban,
            _ => "",
        };
        if !done.is_empty() {
            parts.push(n(done, ok));
        }
    }
    if let Some(m) = q.missing.filter(|m| *m > 0) {
        parts.push(n(s.not_found, m));
    }
    if let Some(f) = q.failed.filter(|f| *f > 0) {
        parts.push(n(s.failed, f));
    }
    parts.join(" · ")
}

/// The queue of `site` and its latest audit entries; 403 for a user who
/// does not moderate it.
async fn queue_view(
    state: &AppState,
    p: &Principal,
    site: &SiteId,
    q: &PageQuery,
    s: &ModStrings,
) -> ApiResult<QueueView> {
    state.service.authorize(p, site, Role::Moderator)?;
    let filter = match q.filter.as_deref() {
        // Under post-moderation little is ever held: what to review is
        // what went out.
        None | Some("") => match state.service.sites().get(site).await?.settings.moderation {
            ModerationMode::Post => QueueFilter::Published,
            ModerationMode::Pre | ModerationMode::Model => QueueFilter::Held,
        },
        Some(raw) => QueueFilter::parse(raw)?,
    };
    let order = match q.order.as_deref() {
        None | Some("") => QueueOrder::Newest,
        Some(raw) => QueueOrder::parse(raw)?,
    };
    let by = parse_by(q.by.as_deref())?;
    let after = q.after.unwrap_or(0);
    let select = QueueSelect { filter, order, by };
    let page = state
        .service
        .moderation_queue(p, site, select, after, PAGE_ROWS)
        .await?;
    let audit = state.service.audit_log(p, site, None, AUDIT_ROWS).await?;
    let now = Timestamp::now();
    let bans = state.service.list_bans(p, site).await?;
    let base = base(state);
    let (f, o) = (filter_key(filter), order_key(order));
    let by_key = by.map(|id| id.0.to_string()).unwrap_or_default();
    // The author's view keeps itself across orders and pages.
    let with_by = |mut pairs: Vec<(&'static str, String)>| {
        if by.is_some() {
            pairs.push(("by", by_key.clone()));
        }
        href(
            &base,
            &pairs
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<Vec<_>>(),
        )
    };
    let filters = [
        (QueueFilter::Held, s.held),
        (QueueFilter::Reported, s.reported),
        (QueueFilter::All, s.all),
        (QueueFilter::Published, s.published),
        (QueueFilter::Rejected, s.rejected),
    ]
    .into_iter()
    .map(|(k, label)| Tab {
        label: label.to_owned(),
        href: href(
            &base,
            &[
                ("site", site.as_str()),
                ("filter", filter_key(k)),
                ("order", o),
            ],
        ),
        current: by.is_none() && k == filter,
    })
    .collect();
    let orders = [
        (QueueOrder::Newest, s.newest),
        (QueueOrder::Urgent, s.urgent),
    ]
    .into_iter()
    .map(|(k, label)| Tab {
        label: label.to_owned(),
        href: with_by(vec![
            ("site", site.to_string()),
            ("filter", f.to_owned()),
            ("order", order_key(k).to_owned()),
        ]),
        current: k == order,
    })
    .collect();
    let next_href = page.next.map(|n| {
        with_by(vec![
            ("site", site.to_string()),
            ("filter", f.to_owned()),
            ("order", o.to_owned()),
            ("after", n.to_string()),
        ])
    });
    Ok(QueueView {
        site: site.to_string(),
        filters,
        orders,
        filter: f.to_owned(),
        order: o.to_owned(),
        by: by_key.clone(),
        by_title: by.map(|id| s.by_author.replace("{n}", &id.0.to_string())),
        items: page.items.iter().map(ModItem::of).collect(),
        next_href,
        audit: audit.iter().map(|e| AuditLine::of(e, s)).collect(),
        bans: bans
            .iter()
            .filter(|b| b.active(now))
            .map(|b| BanLine::of(b, s))
            .collect(),
    })
}

/// `GET /moderation`: the sign-in form, or the queue of the site asked for
/// (`?site=`, else the first the user moderates).
pub async fn page(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let lang = language(q.lang.as_deref(), &headers);
    let s = lang.mod_strings();
    let Some(p) = signed_in(&state, &headers).await? else {
        return sign_in_page(&state, lang, "", "", StatusCode::OK);
    };
    let site = match q.site.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => Some(site_id(raw)?),
        None => p.memberships.first().map(|m| m.site_id.clone()),
    };
    let queue = match &site {
        Some(site) => Some(queue_view(&state, &p, site, &q, s).await?),
        None => None,
    };
    let base = base(&state);
    let sites = p
        .memberships
        .iter()
        .map(|m| Tab {
            label: m.site_id.to_string(),
            href: href(&base, &[("site", m.site_id.as_str())]),
            current: Some(&m.site_id) == site.as_ref(),
        })
        .collect();
    let notice = notice(&q, s);
    respond(
        ModerationHtml {
            s,
            lang,
            embed_css: &ASSETS.embed_css,
            css: &ASSETS.moderation_css,
            base: &base,
            user: Some(&p.name),
            login_name: "",
            error: "",
            notice: &notice,
            sites,
            queue,
        },
        StatusCode::OK,
    )
}

/// `POST /moderation/login`: signs in with the form's name and password,
/// sets the session cookie and goes back to the page (303); a wrong name or
/// password shows the form again with an alert (401).
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    same_origin(&state, &headers)?;
    let f: LoginForm = form(&body)?;
    limit(&state, Action::Login, ip, "").await?;
    let lang = language(None, &headers);
    match state.service.login(&f.name, &f.password).await {
        Ok(session) => {
            let mut r = see_other(&base(&state));
            let https = state.http.public_url.starts_with("https://");
            let max_age = rostra_service::moderators::SESSION_SECS;
            if let Some(v) = session_cookie(session.secret.as_str(), max_age, https) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            Ok(r)
        }
        Err(ServiceError::Unauthenticated(_)) => sign_in_page(
            &state,
            lang,
            &f.name,
            lang.mod_strings().bad_login,
            StatusCode::UNAUTHORIZED,
        ),
        Err(e) => Err(e.into()),
    }
}

/// `POST /moderation/logout`: ends the session, clears its cookie, and goes
/// back to the sign-in form (303).
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    same_origin(&state, &headers)?;
    if let Some(secret) = cookie(&headers, SESSION_COOKIE) {
        state.service.logout(&secret).await?;
    }
    let mut r = see_other(&base(&state));
    let https = state.http.public_url.starts_with("https://");
    if let Some(v) = session_cookie("", 0, https) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    Ok(r)
}

/// Where a form goes back to: the site, and the tab and order it was sent
/// from (dropped when they are not ones the page knows).
pub(super) fn back_to(
    site: &SiteId,
    filter: Option<&str>,
    order: Option<&str>,
    by: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut back = vec![("site", site.to_string())];
    if let Some(filter) = filter.and_then(|r| QueueFilter::parse(r).ok()) {
        back.push(("filter", filter_key(filter).to_owned()));
    }
    if let Some(order) = order.and_then(|r| QueueOrder::parse(r).ok()) {
        back.push(("order", order_key(order).to_owned()));
    }
    if let Ok(Some(by)) = parse_by(by) {
        back.push(("by", by.0.to_string()));
    }
    back
}

/// `POST /moderation/actions`: approves, rejects, marks as spam or deletes
/// the form's `ids` on its `site` through the moderator API's service call
/// (audited, streams told), then goes back to the same tab with a status
/// line (303). 403 for a user who does not moderate the site; without a
/// session, back to the sign-in form.
pub async fn actions(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    same_origin(&state, &headers)?;
    let f: ActionForm = form(&body)?;
    let base = base(&state);
    let Some(p) = signed_in(&state, &headers).await? else {
        return Ok(see_other(&base));
    };
    let site = site_id(&f.site)?;
    state.service.authorize(&p, &site, Role::Moderator)?;
    let action = ModAction::parse(&f.action)?;
    let mut back = back_to(
        &site,
        f.filter.as_deref(),
        f.order.as_deref(),
        f.by.as_deref(),
    );
    if f.ids.is_empty() {
        back.push(("none", "1".to_owned()));
    } else {
        let outcomes = state
            .service
            .moderate(&p, &site, action, &f.ids, f.reason.as_deref())
            .await?;
        let count = |want: fn(&ActionOutcome) -> bool| {
            outcomes.iter().filter(|(_, o)| want(o)).count().to_string()
        };
        back.push(("action", action.as_str().to_owned()));
        back.push(("ok", count(|o| matches!(o, ActionOutcome::Done(_)))));
        back.push(("missing", count(|o| *o == ActionOutcome::NotFound)));
        back.push(("failed", count(|o| matches!(o, ActionOutcome::Failed(_)))));
    }
    Ok(see_back(&base, &back))
}
