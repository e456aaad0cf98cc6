//! Whole pages and files: the demo page at `/`, the server-rendered thread page
//! (for readers without JavaScript and for search engines), the form post that
//! page makes, and the embedded static files.

use super::html::{html_response, language, render_thread, HtmlThreadQuery};
use super::site_id;
use crate::assets::ASSETS;
use crate::client::ClientAddr;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiPath, ApiQuery};
use crate::html::render::Link;
use crate::html::views::{DemoHtml, ThreadPageHtml};
use crate::rate::limit;
use crate::rate::Action;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rostra_core::{CommentStatus, Sort};
use rostra_service::{PostInput, ServiceError};
use serde::Deserialize;

/// What the server's own pages may load: only themselves.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
    script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'self'";

fn page(html: String, status: StatusCode) -> Response {
    let mut r = html_response(html, "no-cache");
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    r
}

/// A static file compiled into the binary.
pub async fn asset(uri: Uri, headers: HeaderMap) -> Response {
    match ASSETS.get(uri.path()) {
        Some(a) => a.respond(&headers),
        None => ApiError::not_found("file").into_response(),
    }
}

/// The demo page: the reference article with the widget under it.
pub async fn demo(State(state): State<AppState>) -> ApiResult<Response> {
    let Some(canonical) = state.http.demo_page.as_deref() else {
        return Err(ApiError::not_found("page"));
    };
    let noscript = format!(
        "{}/sites/demo/thread?{}",
        state.http.public_url,
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("url", canonical)
            .finish()
    );
    let html = DemoHtml {
        canonical,
        noscript_href: &noscript,
        css: &ASSETS.demo_css,
        js: &ASSETS.demo_js,
        campaign_slug: DEMO_CAMPAIGN,
        campaign_html: demo_campaign(&state).await?,
    }
    .render()
    .map_err(ApiError::internal)?;
    Ok(page(html, StatusCode::OK))
}

/// The demo campaign's slug (`rostra`'s demo seeds it).
pub const DEMO_CAMPAIGN: &str = "southfront";

/// The demo campaign's bar in English and UTC (the widget redraws it in the
/// reader's language and time zone), or nothing if there is no campaign.
async fn demo_campaign(state: &AppState) -> ApiResult<String> {
    let (Ok(site), Ok(slug)) = (
        rostra_core::SiteId::parse("demo"),
        rostra_core::CampaignSlug::parse(DEMO_CAMPAIGN),
    ) else {
        return Ok(String::new());
    };
    match state.service.campaign_with_totals(&site, &slug).await {
        Ok((c, totals)) => crate::html::campaign::campaign(
            &c,
            &totals,
            rostra_core::Timestamp::now(),
            0,
            crate::html::Lang::En,
        )
        .map_err(ApiError::internal),
        Err(rostra_service::ServiceError::NotFound(_)) => Ok(String::new()),
        Err(e) => Err(e.into()),
    }
}

/// What the thread page adds to the fragment's parameters.
#[derive(Debug, Deserialize)]
pub struct PageNotice {
    /// Set after a post that was held for moderation.
    pub held: Option<String>,
}

async fn thread_page(
    state: &AppState,
    site: &str,
    q: HtmlThreadQuery,
    headers: &HeaderMap,
    notice: &str,
    status: StatusCode,
) -> ApiResult<Response> {
    let site = site_id(site)?;
    let url = state.service.page_url(&site, &q.url).await?;
    let lang = language(q.lang.as_deref(), headers);
    let q = HtmlThreadQuery { part: None, ..q };
    let section = render_thread(state, &site, &url, &q, lang, notice).await?;
    let current = state.service.sites().get(&site).await?;
    let ctx = super::html::ctx(state, &current, lang);
    let stored = state
        .service
        .thread(&site, &url)
        .await?
        .and_then(|t| t.title);
    let title = stored
        .or_else(|| q.title.clone())
        .unwrap_or_else(|| url.as_str().to_owned());
    let html = ThreadPageHtml {
        s: lang.strings(),
        lang,
        title: &title,
        article: url.as_str(),
        self_href: ctx.thread_href(&Link {
            url: url.as_str(),
            sort: Sort::default(),
            after: None,
        }),
        css: &ASSETS.embed_css,
        section: String::from_utf8_lossy(&section.body).into_owned(),
    }
    .render()
    .map_err(ApiError::internal)?;
    Ok(page(html, status))
}

/// The thread as a page of its own: the comments readable, sortable and
/// pageable, and the form usable, without JavaScript.
pub async fn thread(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    ApiQuery(q): ApiQuery<HtmlThreadQuery>,
    ApiQuery(notice): ApiQuery<PageNotice>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let lang = language(q.lang.as_deref(), &headers);
    let text = if notice.held.is_some() {
        lang.strings().pending
    } else {
        ""
    };
    thread_page(&state, &site, q, &headers, text, StatusCode::OK).await
}

/// The thread page's form, as a browser posts it.
#[derive(Debug, Deserialize)]
pub struct FormPost {
    url: String,
    title: Option<String>,
    parent: Option<String>,
    name: String,
    email: Option<String>,
    body: String,
    lang: Option<String>,
    /// The honeypot: hidden from people.
    homepage: Option<String>,
    /// When the form was shown, in ms since the epoch (the server's clock).
    shown: Option<i64>,
    /// "Notify of".
    notify: Option<String>,
    /// `instant` or `digest`.
    cadence: Option<String>,
    /// `subscribe`: the Subscribe button, which subscribes without posting.
    action: Option<String>,
}

/// Whether a form post comes from the site's pages or from this server's.
fn same_site(headers: &HeaderMap, site: &rostra_core::Site) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Browsers send Origin on every form post; tools may not.
        return true;
    };
    crate::cors::is_own_origin(headers, origin) || site.allows_origin(origin)
}

/// Posts a comment from the page without JavaScript, then shows the thread
/// again (303, so a reload does not post twice).
pub async fn form_post(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let site_id = site_id(&site)?;
    let current = state.service.sites().get(&site_id).await?;
    if !same_site(&headers, &current) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            "this form may only be posted from the site's own pages",
        ));
    }
    let form: FormPost = serde_html_form::from_bytes(&body).map_err(|e| {
        ApiError::bad_request("invalid_form", format!("the form is malformed: {e}"))
    })?;
    if form.action.as_deref() == Some("subscribe") {
        return subscribe_form(&state, &current, ip, &headers, form).await;
    }
    limit(&state, Action::Write, ip, site_id.as_str()).await?;
    let parent = match form.parent.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(p.parse::<i64>().map_err(|_| {
            ApiError::from(rostra_core::FieldError::new("parent", "not a comment id"))
        })?),
    };
    let input = PostInput {
        url: form.url.clone(),
        title: form.title.clone(),
        parent,
        name: form.name,
        email: form.email,
        website: None,
        body: form.body,
        address: Some(ip.to_string()),
        honeypot: form.homepage,
        elapsed_ms: form
            .shown
            .and_then(|t| u64::try_from(rostra_core::Timestamp::now().0 - t).ok()),
        // A page without JavaScript cannot offer "edit or post anyway"
        // without losing the text: a comment the site would nudge about is
        // held for review instead.
        acknowledge_nudge: true,
        notify: form.notify.clone(),
        cadence: form.cadence.clone(),
        lang: form.lang.clone(),
    };
    let back = HtmlThreadQuery {
        url: form.url,
        title: form.title,
        sort: None,
        limit: None,
        after: None,
        before: None,
        around: None,
        lang: form.lang,
        part: None,
    };
    match state.service.post_comment(&site_id, input).await {
        Ok(posted) => {
            state.metrics.comments_posted.inc();
            let lang = language(back.lang.as_deref(), &headers);
            let ctx = super::html::ctx(&state, &current, lang);
            let url = state.service.page_url(&site_id, &back.url).await?;
            let mut to = ctx.thread_href(&Link {
                url: url.as_str(),
                sort: Sort::default(),
                after: None,
            });
            if posted.comment.status == CommentStatus::Pending {
                to.push_str("&held=1");
            } else {
                to.push_str(&format!("#rostra-c-{}", posted.comment.id));
            }
            let mut r = StatusCode::SEE_OTHER.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            Ok(r)
        }
        Err(ServiceError::Invalid(e)) => {
            let text = e.message.clone();
            thread_page(
                &state,
                &site,
                back,
                &headers,
                &text,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The Subscribe button of the page without JavaScript: subscribes the
/// form's e-mail to the page, then shows the thread with a notice.
async fn subscribe_form(
    state: &AppState,
    site: &rostra_core::Site,
    ip: std::net::IpAddr,
    headers: &HeaderMap,
    form: FormPost,
) -> ApiResult<Response> {
    limit(state, Action::Subscribe, ip, site.id.as_str()).await?;
    let asked = rostra_service::mail::SubscribeInput {
        url: form.url.clone(),
        title: form.title.clone(),
        email: form.email.clone().unwrap_or_default(),
        notify: Some("thread".into()),
        cadence: form.cadence.clone(),
        lang: form.lang.clone(),
    };
    let back = HtmlThreadQuery {
        url: form.url,
        title: form.title,
        sort: None,
        limit: None,
        after: None,
        before: None,
        around: None,
        lang: form.lang,
        part: None,
    };
    let lang = language(back.lang.as_deref(), headers);
    let (text, status) = match state.service.subscribe(&site.id, asked).await {
        Ok(()) => (lang.strings().subscribe_sent.to_string(), StatusCode::OK),
        Err(ServiceError::Invalid(e)) => (e.message, StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(e.into()),
    };
    let site_raw = site.id.as_str().to_string();
    thread_page(state, &site_raw, back, headers, &text, status).await
}
