//! The accounts flags: how callers are known (`--auth`), and the explicit override that lets a
//! server without accounts listen beyond loopback.

use std::net::SocketAddr;

use clap::Args;

use crate::accounts::AuthMode;

#[derive(Debug, Clone, Args)]
pub struct AuthArgs {
    /// How callers are known: `none` (no accounts; local use), `password` (browser login with a
    /// cookie session, and API tokens) or `token` (`Authorization: Bearer` tokens only).
    #[arg(
        long = "auth",
        env = "MOCK_INTERVIEWER_AUTH",
        value_enum,
        default_value = "none",
        global = true
    )]
    pub mode: AuthMode,

    /// Listen beyond loopback with `--auth none` anyway: anyone who can reach the address may read,
    /// change and finish every session. Without it, that combination stops start-up.
    #[arg(
        long = "insecure-public-no-auth",
        env = "MOCK_INTERVIEWER_INSECURE_PUBLIC_NO_AUTH",
        global = true
    )]
    pub insecure_public_no_auth: bool,
}

impl AuthArgs {
    /// Refuses to serve everyone's sessions to a network without accounts, unless told to.
    pub fn check_bind(&self, addr: SocketAddr) -> anyhow::Result<()> {
        if self.mode == AuthMode::None && !addr.ip().is_loopback() && !self.insecure_public_no_auth
        {
            anyhow::bail!(
                "refusing to listen on {addr} with --auth none: anyone who can reach it could read, \
                 change and finish every session. Use --auth password or --auth token (and add \
                 users with `mock-interviewer users add`), listen on 127.0.0.1, or pass \
                 --insecure-public-no-auth to accept that"
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(mode: AuthMode, insecure: bool) -> AuthArgs {
        AuthArgs {
            mode,
            insecure_public_no_auth: insecure,
        }
    }

    #[test]
    fn no_auth_beyond_loopback_needs_the_explicit_override() {
        let public: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let local6: SocketAddr = "[::1]:8080".parse().unwrap();
        assert!(args(AuthMode::None, false).check_bind(public).is_err());
        assert!(args(AuthMode::None, true).check_bind(public).is_ok());
        assert!(args(AuthMode::None, false).check_bind(local).is_ok());
        assert!(args(AuthMode::None, false).check_bind(local6).is_ok());
        assert!(args(AuthMode::Password, false).check_bind(public).is_ok());
        assert!(args(AuthMode::Token, false).check_bind(public).is_ok());
    }
}
