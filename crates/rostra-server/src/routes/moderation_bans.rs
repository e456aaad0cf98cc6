//! The moderation page's bans: a queue item's "ban the author" form (its
//! e-mail, else its address hash; a day, a week, a month or for ever) and
//! the "lift" button of each ban in force. Plain forms like the page's
//! others: same-origin POSTs, answered 303 back to the page with a status
//! line, through the same service calls as the moderator API (audited).

use super::moderation_page::{
    back_to, base, form, href, same_origin, see_back, see_other, signed_in,
};
use super::site_id;
use crate::error::ApiResult;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use rostra_core::FieldError;
use rostra_service::BanInput;
use serde::Deserialize;

/// A queue item's ban form.
#[derive(Debug, Deserialize)]
pub struct BanForm {
    site: String,
    /// `email` or `address`.
    kind: String,
    /// The e-mail, or the address hash.
    value: String,
    /// Seconds, or `ever`.
    duration: String,
    reason: Option<String>,
    /// The tab to come back to.
    filter: Option<String>,
    /// The order to come back to.
    order: Option<String>,
    /// The author's view to come back to.
    by: Option<String>,
}

/// A ban's "lift" form.
#[derive(Debug, Deserialize)]
pub struct LiftForm {
    site: String,
    id: i64,
}

/// How long the form asked for: seconds, or `ever` (`None`).
fn duration(raw: &str) -> Result<Option<i64>, FieldError> {
    match raw {
        "ever" => Ok(None),
        secs => secs
            .parse()
            .map(Some)
            .map_err(|_| FieldError::new("duration", "a ban lasts a number of seconds, or `ever`")),
    }
}

/// `POST /moderation/bans`: bans the author a queue item names on its
/// site, then back to the same tab (303) with a status line. 403 for a
/// user who does not moderate the site; without a session, back to the
/// sign-in form.
pub async fn ban(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    same_origin(&state, &headers)?;
    let f: BanForm = form(&body)?;
    let base = base(&state);
    let Some(p) = signed_in(&state, &headers).await? else {
        return Ok(see_other(&base));
    };
    let site = site_id(&f.site)?;
    let input = BanInput {
        kind: f.kind,
        value: f.value,
        duration_secs: duration(&f.duration)?,
        reason: f.reason,
    };
    state.service.create_ban(&p, &site, input).await?;
    let mut back = back_to(
        &site,
        f.filter.as_deref(),
        f.order.as_deref(),
        f.by.as_deref(),
    );
    back.push(("action", "ban".to_owned()));
    back.push(("ok", "1".to_owned()));
    Ok(see_back(&base, &back))
}

/// `POST /moderation/unban`: lifts a ban of the site, then back to the
/// page (303) with a status line.
pub async fn lift(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    same_origin(&state, &headers)?;
    let f: LiftForm = form(&body)?;
    let base = base(&state);
    let Some(p) = signed_in(&state, &headers).await? else {
        return Ok(see_other(&base));
    };
    let site = site_id(&f.site)?;
    state.service.lift_ban(&p, &site, f.id, None).await?;
    Ok(see_other(&href(
        &base,
        &[("site", site.as_str()), ("action", "unban"), ("ok", "1")],
    )))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_is_seconds_or_ever() {
        assert_eq!(duration("86400"), Ok(Some(86_400)));
        assert_eq!(duration("ever"), Ok(None));
        assert_eq!(duration("a while").unwrap_err().field, "duration");
    }
}
