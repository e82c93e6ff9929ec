//! The one retry policy for every call to the upstream, the interviewer's stream and the judge's
//! completion alike: connection errors, 429 (honouring `Retry-After` up to a bound; never an
//! exhausted quota) and 5xx are retried with exponential backoff until a success status arrives.
//! A request that gets no response headers within the timeout is not retried: the caller has
//! already waited as long as it may.

use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use reqwest::StatusCode;

use super::LlmError;

/// The first backoff; each retry doubles it, up to `MAX_BACKOFF`.
const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(8);

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub retries: usize,
    /// The longest `Retry-After` honoured; longer ones are cut to this.
    pub max_retry_after: Duration,
    /// For the response headers of each attempt.
    pub timeout: Duration,
}

/// Why one attempt failed.
#[derive(Debug)]
enum Failure {
    /// Could not connect, or the connection broke before a response.
    Connection(String),
    /// Another transport error (a malformed URL, a body that cannot be sent...).
    Request(String),
    /// No response headers within the timeout.
    Timeout,
    /// The server answered with an error status.
    Status {
        status: StatusCode,
        body: String,
        retry_after: Option<Duration>,
    },
}

impl Failure {
    fn retryable(&self) -> bool {
        match self {
            Failure::Connection(_) => true,
            Failure::Request(_) | Failure::Timeout => false,
            // A 429 for an exhausted quota will not pass by waiting.
            Failure::Status { status, body, .. } => {
                (*status == StatusCode::TOO_MANY_REQUESTS && !body.contains("insufficient_quota"))
                    || status.is_server_error()
            }
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Failure::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    fn into_error(self, timeout: Duration) -> LlmError {
        match self {
            Failure::Connection(e) | Failure::Request(e) => LlmError::Unavailable(e),
            Failure::Timeout => LlmError::Timeout(timeout.as_secs()),
            Failure::Status { status, body, .. } => {
                let snippet: String = body.chars().take(200).collect();
                LlmError::Unavailable(format!("{status}: {snippet}"))
            }
        }
    }
}

/// `Retry-After` in seconds, cut to `max`. (The HTTP-date form is not honoured: backoff applies.)
fn retry_after(headers: &reqwest::header::HeaderMap, max: Duration) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| Duration::from_secs(s).min(max))
}

impl RetryPolicy {
    /// Sends the request that `request` builds (once per attempt) until a success status arrives.
    pub async fn send<F>(&self, request: F) -> Result<reqwest::Response, LlmError>
    where
        F: Fn() -> reqwest::RequestBuilder,
    {
        let attempt = || async {
            let resp = match tokio::time::timeout(self.timeout, request().send()).await {
                Err(_) => return Err(Failure::Timeout),
                Ok(Err(e)) if e.is_connect() || e.is_request() => {
                    return Err(Failure::Connection(e.to_string()));
                }
                Ok(Err(e)) => return Err(Failure::Request(e.to_string())),
                Ok(Ok(resp)) => resp,
            };
            let status = resp.status();
            if status.is_success() {
                return Ok(resp);
            }
            let retry_after = retry_after(resp.headers(), self.max_retry_after);
            let body = resp.text().await.unwrap_or_default();
            Err(Failure::Status {
                status,
                body,
                retry_after,
            })
        };
        let backoff = ExponentialBuilder::default()
            .with_min_delay(FIRST_BACKOFF)
            .with_max_delay(MAX_BACKOFF)
            .with_factor(2.0)
            .with_max_times(self.retries);
        attempt
            .retry(backoff)
            .sleep(tokio::time::sleep)
            .when(Failure::retryable)
            // A bounded `Retry-After` replaces the backoff; `None` (no retries left) stays `None`.
            .adjust(|f, backoff| backoff.map(|b| f.retry_after().unwrap_or(b)))
            .notify(
                |f, wait| tracing::debug!(failure = ?f, ?wait, "upstream call failed; retrying"),
            )
            .await
            .map_err(|f| f.into_error(self.timeout))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16, body: &str) -> Failure {
        Failure::Status {
            status: StatusCode::from_u16(code).unwrap(),
            body: body.into(),
            retry_after: None,
        }
    }

    #[test]
    fn what_is_worth_retrying() {
        assert!(status(429, "slow down").retryable());
        assert!(status(500, "").retryable());
        assert!(status(503, "").retryable());
        assert!(Failure::Connection("refused".into()).retryable());
        assert!(!status(429, r#"{"error":{"type":"insufficient_quota"}}"#).retryable());
        assert!(!status(400, "bad request").retryable());
        assert!(!status(401, "").retryable());
        assert!(!Failure::Timeout.retryable());
    }

    #[test]
    fn retry_after_is_read_in_seconds_and_bounded() {
        let mut h = reqwest::header::HeaderMap::new();
        let max = Duration::from_secs(5);
        assert_eq!(retry_after(&h, max), None);
        h.insert(reqwest::header::RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(retry_after(&h, max), Some(Duration::from_secs(2)));
        h.insert(reqwest::header::RETRY_AFTER, "3600".parse().unwrap());
        assert_eq!(retry_after(&h, max), Some(max));
        h.insert(
            reqwest::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h, max), None);
    }
}
