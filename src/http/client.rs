//! Who a request comes from, for the limits and quotas: decided here, in one function. A logged-in
//! user (a `ClientUser` extension, put on the request by authentication, which runs before the
//! guard) is that user wherever they connect from; anyone else is their address, as the connection
//! gives it (`X-Forwarded-For` only with `--trust-forwarded-for`). IPv6 addresses count by their /64,
//! the block one subscriber usually holds.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap};

use super::AppState;
use crate::error::ApiError;

/// The logged-in user, as authentication puts it on the request.
#[derive(Debug, Clone)]
pub struct ClientUser(pub String);

/// The client a request is counted against: `user:NAME` or `ip:ADDRESS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client(pub String);

/// The one place that decides who a request comes from.
pub fn client_of(
    extensions: &Extensions,
    headers: &HeaderMap,
    trust_forwarded_for: bool,
) -> Client {
    if let Some(ClientUser(name)) = extensions.get::<ClientUser>() {
        return Client(format!("user:{name}"));
    }
    let forwarded = trust_forwarded_for
        .then(|| last_forwarded_for(headers))
        .flatten();
    let ip = forwarded.or_else(|| {
        extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
    });
    match ip {
        Some(ip) => Client(format!("ip:{}", counted_as(ip))),
        None => Client("ip:unknown".into()),
    }
}

/// The address the nearest proxy saw: the last entry of the last `X-Forwarded-For` header (the
/// entries before it are whatever the client sent).
fn last_forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?;
    let entry = last.to_str().ok()?.rsplit(',').next()?.trim();
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

/// IPv4 as is (IPv4-mapped IPv6 too); IPv6 by its /64.
fn counted_as(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{}/64", Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(client_of(
            &parts.extensions,
            &parts.headers,
            state.guard.trust_forwarded_for(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn connected(addr: &str) -> Extensions {
        let mut e = Extensions::new();
        e.insert(ConnectInfo(addr.parse::<SocketAddr>().unwrap()));
        e
    }

    #[test]
    fn the_user_wins_then_the_connection_address() {
        let mut e = connected("10.0.0.7:5555");
        let h = HeaderMap::new();
        assert_eq!(client_of(&e, &h, false).0, "ip:10.0.0.7");
        e.insert(ClientUser("ada".into()));
        assert_eq!(client_of(&e, &h, false).0, "user:ada");
        assert_eq!(client_of(&Extensions::new(), &h, false).0, "ip:unknown");
    }

    #[test]
    fn forwarded_for_is_read_only_when_trusted_and_only_its_last_entry() {
        let e = connected("127.0.0.1:1");
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.9"),
        );
        assert_eq!(client_of(&e, &h, false).0, "ip:127.0.0.1");
        assert_eq!(client_of(&e, &h, true).0, "ip:203.0.113.9");
        h.insert("x-forwarded-for", HeaderValue::from_static("garbage"));
        assert_eq!(client_of(&e, &h, true).0, "ip:127.0.0.1");
    }

    #[test]
    fn ipv6_counts_by_its_64() {
        let a = client_of(
            &connected("[2001:db8:1:2:aaaa::1]:1"),
            &HeaderMap::new(),
            false,
        );
        let b = client_of(
            &connected("[2001:db8:1:2:bbbb::9]:1"),
            &HeaderMap::new(),
            false,
        );
        assert_eq!(a, b);
        assert_eq!(a.0, "ip:2001:db8:1:2::/64");
        let mapped = client_of(&connected("[::ffff:10.1.2.3]:1"), &HeaderMap::new(), false);
        assert_eq!(mapped.0, "ip:10.1.2.3");
    }
}
