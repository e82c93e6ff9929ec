//! Limits and quotas per client (a user, or an address: `http::client` decides which): sessions
//! created per hour, turns started per minute, model tokens per day. The counters live in the
//! database, so every instance on one PostgreSQL enforces the same totals; a request over a limit is
//! refused with 429 `rate_limited` and a `Retry-After` before anything is done for it.
//!
//! Sessions and turns use a sliding-window counter: a fixed window's hits plus the previous window's
//! weighted by how much of it still overlaps the last window-length of time (no burst of twice the
//! limit at a window's edge). Counting and checking are one statement, so two instances cannot both
//! take the last hit. Tokens are not counted here at all: they are the ones already stored with the
//! client's turns and judged scorecards over the last 24 hours.

use crate::clock::Millis;
use crate::error::ApiError;
use crate::storage::RateWindow;

use super::orchestrator::Interviews;

const MINUTE_MS: Millis = 60_000;
const HOUR_MS: Millis = 60 * MINUTE_MS;
const DAY_MS: Millis = 24 * HOUR_MS;

/// The limits per client; 0 is unlimited.
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    pub sessions_per_hour: u32,
    pub turns_per_minute: u32,
    /// Counted only when a model plays the interviewer or judges.
    pub tokens_per_day: u64,
}

/// What a request is about to spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quota {
    /// A new session.
    Session,
    /// A turn: an answer, a hint or an advance (each is an interviewer reply).
    Turn,
}

impl Quota {
    fn kind(self) -> &'static str {
        match self {
            Quota::Session => "sessions",
            Quota::Turn => "turns",
        }
    }

    fn window_ms(self) -> Millis {
        match self {
            Quota::Session => HOUR_MS,
            Quota::Turn => MINUTE_MS,
        }
    }

    fn limit(self, limits: &Limits) -> u32 {
        match self {
            Quota::Session => limits.sessions_per_hour,
            Quota::Turn => limits.turns_per_minute,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Quota::Session => "sessions created per hour",
            Quota::Turn => "turns per minute",
        }
    }
}

impl Interviews {
    /// Admits one more `quota` for `client`, counting it, or refuses with `rate_limited`.
    pub async fn admit(&self, client: &str, quota: Quota) -> Result<(), ApiError> {
        let now = self.clock.now_ms();
        if quota == Quota::Turn {
            // Checked first: a turn refused for its tokens does not count as a turn.
            self.check_tokens(client, now).await?;
        }
        let limit = quota.limit(&self.settings.limits);
        if limit == 0 {
            return Ok(());
        }
        let w = quota.window_ms();
        let start = now - now.rem_euclid(w);
        let elapsed = now - start;
        let previous = RateWindow {
            subject: client,
            kind: quota.kind(),
            start: start - w,
            expires_at: start + w,
        };
        let current = RateWindow {
            start,
            expires_at: start + 2 * w,
            ..previous
        };
        let prev = self.storage.window_hits(&previous).await?;
        let carried = prev * (w - elapsed) / w;
        let allowed = i64::from(limit) - carried;
        if allowed > 0 && self.storage.hit_window(&current, allowed).await?.is_some() {
            return Ok(());
        }
        let cur = self.storage.window_hits(&current).await?;
        Err(ApiError::RateLimited {
            what: quota.what(),
            retry_after_secs: secs(retry_after_ms(i64::from(limit), prev, cur, w, elapsed)),
        })
    }

    /// Refuses a turn when the client's sessions used a day's tokens already (model mode only).
    async fn check_tokens(&self, client: &str, now: Millis) -> Result<(), ApiError> {
        let limit = self.settings.limits.tokens_per_day;
        if limit == 0 || self.interviewer.llm().is_none() {
            return Ok(());
        }
        let used = self.storage.tokens_since(client, now - DAY_MS).await?;
        match tokens_retry_after_ms(&used, limit, now) {
            None => Ok(()),
            Some(ms) => Err(ApiError::RateLimited {
                what: "model tokens per day",
                retry_after_secs: secs(ms),
            }),
        }
    }
}

/// How long until a sliding-window counter admits one more hit.
fn retry_after_ms(limit: i64, prev: i64, cur: i64, w: Millis, elapsed: Millis) -> Millis {
    if cur < limit && prev > 0 {
        // The previous window's weight must fall: prev * (w - e) / w < limit - cur.
        let e = w - (limit - cur) * w / prev;
        (e - elapsed).max(0) + 1
    } else {
        // Not before the next window, where this one's hits are the weighted ones.
        let rest = w - elapsed;
        let e = if cur > 0 { w - limit * w / cur } else { 0 };
        rest + e.max(0) + 1
    }
}

/// `None` when fewer than `limit` tokens were used in the day before `now`; else how long until
/// enough of them are more than a day old. `used` is oldest first.
fn tokens_retry_after_ms(used: &[(Millis, i64)], limit: u64, now: Millis) -> Option<Millis> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut total: i64 = used.iter().map(|(_, t)| (*t).max(0)).sum();
    if total < limit {
        return None;
    }
    for (at, tokens) in used {
        total -= (*tokens).max(0);
        if total < limit {
            return Some((at + DAY_MS - now).max(1));
        }
    }
    Some(DAY_MS)
}

fn secs(ms: Millis) -> u64 {
    u64::try_from((ms + 999) / 1000).unwrap_or(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_window_waits_for_the_next_one_weighted() {
        // 30 of 30 hits this minute, 10 s into it: the next window opens in 50 s, where these 30
        // weigh 30 * (60 - e) / 60 and one more fits once that is under 30 (e > 0).
        assert_eq!(retry_after_ms(30, 0, 30, MINUTE_MS, 10_000), 50_001);
        // 30 hits in the previous window, 20 of 30 in this one: the previous weighs
        // 30 * (60 - e) / 60, under the 10 left once e > 40 s.
        assert_eq!(retry_after_ms(30, 30, 20, MINUTE_MS, 30_000), 10_001);
        assert_eq!(retry_after_ms(30, 30, 20, MINUTE_MS, 10_000), 30_001);
    }

    #[test]
    fn tokens_wait_until_enough_of_them_are_a_day_old() {
        let now = 10 * DAY_MS;
        let used = [(now - 20 * HOUR_MS, 600), (now - 2 * HOUR_MS, 500)];
        assert_eq!(tokens_retry_after_ms(&used, 2_000, now), None);
        // 1,100 of 1,000 used: the first 600 leave the day in 4 hours.
        assert_eq!(tokens_retry_after_ms(&used, 1_000, now), Some(4 * HOUR_MS));
        assert_eq!(tokens_retry_after_ms(&used, 400, now), Some(22 * HOUR_MS));
        assert_eq!(secs(1), 1);
        assert_eq!(secs(60_000), 60);
    }
}
