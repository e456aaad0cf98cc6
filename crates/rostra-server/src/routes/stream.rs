//! Live updates of one thread over Server-Sent Events.
//!
//! `comment` and `vote` events carry what changed (the widget fetches the
//! comment's fragment itself); `reset` says events were missed beyond
//! replay, so the reader refetches. Every event has an `id`; a browser sends
//! the last one back as `Last-Event-ID` when it reconnects and gets what it
//! missed. Messages that carry only an `id` (with the keep-alive comment
//! every 15 s) move that position forward past other threads' events, so a
//! reconnect after a quiet spell still replays rather than resets.

use super::site_id;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::streams::StreamSlot;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::sse::{Event as SseEvent, Sse};
use axum::response::{IntoResponse, Response};
use rostra_service::events::{Change, Delivery, Event, EventId, Subscription};
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::time::Duration;
use tokio::time::{interval_at, Instant, Interval, MissedTickBehavior};
use utoipa::{IntoParams, ToSchema};

/// How often an idle stream sends a keep-alive comment.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// What a refused stream is told to wait, in seconds.
const RETRY_AFTER_SECS: u64 = 10;
/// Tells nginx not to buffer the stream.
const X_ACCEL_BUFFERING: HeaderName = HeaderName::from_static("x-accel-buffering");
/// The header browsers send back on reconnect.
const LAST_EVENT_ID: HeaderName = HeaderName::from_static("last-event-id");

/// Which thread to watch.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// The page's URL.
    pub url: String,
    /// The id of the last event seen, for clients that cannot send the
    /// `Last-Event-ID` header (which wins when both are sent).
    pub last_event_id: Option<String>,
}

/// The data of a `comment` event.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommentEventData {
    /// The comment.
    pub id: i64,
    /// The comment it answers (`null` for a top-level comment).
    pub parent: Option<i64>,
    /// `created`, `edited`, `deleted` or `status`.
    pub kind: &'static str,
    /// The thread's approved comments after the change.
    pub count: i64,
}

/// The data of a `vote` event.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoteEventData {
    /// The comment.
    pub id: i64,
    /// Up-votes.
    pub up: i64,
    /// Down-votes.
    pub down: i64,
}

/// Live updates of a thread (Server-Sent Events).
#[utoipa::path(
    get,
    path = "/api/v1/sites/{site}/stream",
    tag = "threads",
    params(
        ("site" = String, Path, description = "Site id"),
        StreamQuery,
        ("Last-Event-ID" = Option<String>, Header, description = "The id of the last event seen: the events of the thread since are replayed"),
    ),
    responses(
        (status = 200, content_type = "text/event-stream", body = String,
         description = "Events `comment` (data: CommentEventData), `vote` (data: VoteEventData) and \
                        `reset` (data: `{}`: events were missed beyond replay; refetch), each with an `id`; \
                        a keep-alive comment every 15 s"),
        (status = 404, description = "No such site", body = ErrorBody),
        (status = 422, description = "The URL is invalid", body = ErrorBody),
        (status = 503, description = "Too many streams open on this node; see Retry-After", body = ErrorBody),
    )
)]
pub async fn stream(
    State(state): State<AppState>,
    ApiPath(site): ApiPath<String>,
    ApiQuery(q): ApiQuery<StreamQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let site = site_id(&site)?;
    let url = state.service.page_url(&site, &q.url).await?;
    let Some(slot) = state.streams.acquire() else {
        tracing::warn!(site = %site, "too many live-update streams; refused");
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "too_many_streams",
            format!("too many live-update streams open; try again in {RETRY_AFTER_SECS} s"),
        )
        .retry_after(RETRY_AFTER_SECS));
    };
    let last_seen = headers
        .get(LAST_EVENT_ID)
        .and_then(|v| v.to_str().ok())
        .or(q.last_event_id.as_deref());
    tracing::debug!(site = %site, url = %url, last_seen, "live-update stream opened");
    let subscription = state.service.events().subscribe(site, url, last_seen);
    let mut keep_alive = interval_at(Instant::now() + KEEP_ALIVE, KEEP_ALIVE);
    keep_alive.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let open = Open {
        subscription,
        keep_alive,
        marked: None,
        _slot: slot,
    };
    let events = futures::stream::unfold(open, |mut open| async move {
        let event = open.next().await?;
        Some((Ok::<_, Infallible>(event), open))
    });
    let mut response = Sse::new(events).into_response();
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(X_ACCEL_BUFFERING, HeaderValue::from_static("no"));
    Ok(response)
}

/// One open stream.
struct Open {
    subscription: Subscription,
    keep_alive: Interval,
    /// The last id sent, so that a keep-alive sends a position only when it moved.
    marked: Option<EventId>,
    _slot: StreamSlot,
}

impl Open {
    /// The next message; `None` ends the stream (the server is stopping).
    async fn next(&mut self) -> Option<SseEvent> {
        tokio::select! {
            biased;
            delivery = self.subscription.next() => Some(self.message(delivery?)),
            _ = self.keep_alive.tick() => Some(self.keep_alive_message()),
        }
    }

    fn message(&mut self, delivery: Delivery) -> SseEvent {
        self.keep_alive.reset();
        match delivery {
            Delivery::Event(event) => {
                self.marked = Some(event.id);
                event_message(&event)
            }
            Delivery::Reset(at) => {
                self.marked = at.or(self.marked);
                reset_message(at)
            }
            Delivery::Position(at) => {
                self.marked = Some(at);
                SseEvent::default().id(at.to_string())
            }
        }
    }

    fn keep_alive_message(&mut self) -> SseEvent {
        let message = SseEvent::default().comment("keep-alive");
        match self.subscription.position() {
            Some(at) if Some(at) != self.marked => {
                self.marked = Some(at);
                message.id(at.to_string())
            }
            _ => message,
        }
    }
}

fn reset_message(at: Option<EventId>) -> SseEvent {
    let message = SseEvent::default().event("reset").data("{}");
    match at {
        Some(at) => message.id(at.to_string()),
        None => message,
    }
}

fn event_message(event: &Event) -> SseEvent {
    let data = match &event.change {
        Change::Comment {
            id,
            parent,
            kind,
            count,
        } => serde_json::to_string(&CommentEventData {
            id: id.0,
            parent: parent.map(|p| p.0),
            kind: kind.as_str(),
            count: *count,
        }),
        Change::Vote { id, up, down } => serde_json::to_string(&VoteEventData {
            id: id.0,
            up: *up,
            down: *down,
        }),
    };
    let name = match event.change {
        Change::Comment { .. } => "comment",
        Change::Vote { .. } => "vote",
    };
    match data {
        Ok(data) => SseEvent::default()
            .event(name)
            .id(event.id.to_string())
            .data(data),
        Err(e) => {
            // Cannot happen for these shapes; a reader that refetches is right anyway.
            tracing::error!(error = %e, event = %event.id, "serializing a live event");
            reset_message(Some(event.id))
        }
    }
}
