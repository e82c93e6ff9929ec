//! The load side: one streamed turn against the mock directly (or any OpenAI-compatible proxy), or
//! through the service's turn endpoint, timed on the bench's clock.

use std::time::Instant;

use eventsource_stream::Eventsource;
use futures::StreamExt;
use serde_json::{Value, json};

#[derive(Debug, Default, Clone)]
pub struct Turn {
    /// Request sent to first content token received.
    pub ttft_ns: u64,
    /// For each chunk: received minus sent (the stamp), on one clock.
    pub deliveries: Vec<u64>,
    /// Time between consecutive chunks at the client.
    pub gaps: Vec<u64>,
    pub tokens: usize,
    pub in_order: bool,
    pub error: Option<String>,
}

/// The stamps `<seq:ns>` in a delta.
fn stamps(text: &str) -> impl Iterator<Item = (usize, u64)> + '_ {
    text.split('<').skip(1).filter_map(|part| {
        let body = part.split('>').next()?;
        let (seq, ns) = body.split_once(':')?;
        Some((seq.parse().ok()?, ns.parse().ok()?))
    })
}

struct Recorder {
    epoch: Instant,
    t0: Instant,
    turn: Turn,
    next_seq: usize,
    last: Option<Instant>,
}

impl Recorder {
    fn new(epoch: Instant) -> Recorder {
        Recorder {
            epoch,
            t0: Instant::now(),
            turn: Turn {
                in_order: true,
                ..Turn::default()
            },
            next_seq: 0,
            last: None,
        }
    }

    fn delta(&mut self, text: &str) {
        let now = Instant::now();
        let now_ns = now.duration_since(self.epoch).as_nanos() as u64;
        for (seq, sent) in stamps(text) {
            if self.turn.tokens == 0 {
                self.turn.ttft_ns = now.duration_since(self.t0).as_nanos() as u64;
            }
            if seq != self.next_seq {
                self.turn.in_order = false;
            }
            self.next_seq = seq + 1;
            self.turn.tokens += 1;
            self.turn.deliveries.push(now_ns.saturating_sub(sent));
            if let Some(last) = self.last {
                self.turn
                    .gaps
                    .push(now.duration_since(last).as_nanos() as u64);
            }
            self.last = Some(now);
        }
    }

    fn finish(mut self, error: Option<String>) -> Turn {
        self.turn.error = error;
        self.turn
    }
}

/// A streamed chat completion against an OpenAI-compatible endpoint (the mock itself, or a proxy).
pub async fn openai_turn(
    client: &reqwest::Client,
    base: &str,
    model: &str,
    content: &str,
    epoch: Instant,
) -> Turn {
    let mut rec = Recorder::new(epoch);
    let body = json!({
        "model": model,
        "stream": true,
        "messages": [
            { "role": "system", "content": "You are a senior interviewer." },
            { "role": "user", "content": content },
        ],
    });
    let resp = match client
        .post(format!("{base}/chat/completions"))
        .json(&body)
        .send()
        .await
    {
        Ok(r) if r.status().is_success() => r,
        Ok(r) => return rec.finish(Some(format!("status {}", r.status()))),
        Err(e) => return rec.finish(Some(e.to_string())),
    };
    let mut events = resp.bytes_stream().eventsource();
    while let Some(ev) = events.next().await {
        let ev = match ev {
            Ok(ev) => ev,
            Err(e) => return rec.finish(Some(e.to_string())),
        };
        if ev.data == "[DONE]" {
            return rec.finish(None);
        }
        let Ok(v) = serde_json::from_str::<Value>(&ev.data) else {
            continue;
        };
        if let Some(text) = v["choices"][0]["delta"]["content"].as_str() {
            rec.delta(text);
        }
    }
    rec.finish(None)
}

/// One candidate turn through the service.
pub async fn service_turn(
    client: &reqwest::Client,
    base: &str,
    session: &str,
    content: &str,
    epoch: Instant,
) -> Turn {
    let mut rec = Recorder::new(epoch);
    let resp = match client
        .post(format!("{base}/api/sessions/{session}/turns"))
        .json(&json!({ "content": content }))
        .send()
        .await
    {
        Ok(r) if r.status().is_success() => r,
        Ok(r) => {
            let status = r.status();
            let body = r.text().await.unwrap_or_default();
            return rec.finish(Some(format!("status {status}: {body}")));
        }
        Err(e) => return rec.finish(Some(e.to_string())),
    };
    let mut events = resp.bytes_stream().eventsource();
    while let Some(ev) = events.next().await {
        let ev = match ev {
            Ok(ev) => ev,
            Err(e) => return rec.finish(Some(e.to_string())),
        };
        match ev.event.as_str() {
            "token" => {
                if let Ok(v) = serde_json::from_str::<Value>(&ev.data)
                    && let Some(text) = v["delta"].as_str()
                {
                    rec.delta(text);
                }
            }
            "done" => return rec.finish(None),
            "error" | "notice" => return rec.finish(Some(format!("{}: {}", ev.event, ev.data))),
            _ => {}
        }
    }
    rec.finish(Some("stream ended without done".into()))
}

/// A turn of the offline interviewer: request to `done`, in nanoseconds.
pub async fn offline_turn(
    client: &reqwest::Client,
    base: &str,
    session: &str,
    content: &str,
) -> Result<u64, String> {
    let t0 = Instant::now();
    let resp = client
        .post(format!("{base}/api/sessions/{session}/turns"))
        .json(&json!({ "content": content }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !resp.status().is_success() {
        return Err(format!("status {}", resp.status()));
    }
    let mut events = resp.bytes_stream().eventsource();
    while let Some(ev) = events.next().await {
        let ev = ev.map_err(|e| e.to_string())?;
        match ev.event.as_str() {
            "done" => return Ok(t0.elapsed().as_nanos() as u64),
            "error" => return Err(ev.data),
            _ => {}
        }
    }
    Err("stream ended without done".into())
}

pub async fn create_session(
    client: &reqwest::Client,
    base: &str,
    question: &str,
) -> anyhow::Result<String> {
    let v: Value = client
        .post(format!("{base}/api/sessions"))
        .json(&json!({ "question_id": question }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    v["id"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("no session id in {v}"))
}
