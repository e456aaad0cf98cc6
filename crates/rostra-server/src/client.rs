//! Who is calling: the client's network address.

use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderName;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The client's address: the last hop of `header` when Rostra runs behind a
/// proxy that sets it (configured), else the peer of the connection.
pub fn address(parts: &Parts, header: Option<&HeaderName>) -> IpAddr {
    if let Some(h) = header {
        let from_header = parts
            .headers
            .get_all(h)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse::<IpAddr>().ok())
            .next_back();
        if let Some(ip) = from_header {
            return ip;
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(a)| a.ip())
}

/// The caller's address, as an extractor.
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(address(parts, state.http.client_ip_header.as_ref())))
    }
}
