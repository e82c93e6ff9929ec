//! The terminal's HTTP client: the same API and turn streams (SSE) the web room uses, against the
//! embedded server or a remote one alike, with a bearer token where the server requires accounts.

use eventsource_stream::Eventsource;
use futures::{Stream, StreamExt};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::json;

use super::wire::{
    CodeMessage, DiagramParse, Done, ErrorBody, PhaseChange, Question, Scorecard, Session, Token,
};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("cannot reach the server at {base}: {detail}")]
    Unreachable { base: String, detail: String },
    #[error(
        "the server at {base} requires an account: pass --token TOKEN (or set MOCK_INTERVIEWER_TOKEN); \
         its administrator prints one with `mock-interviewer users token NAME`"
    )]
    Unauthorized { base: String },
    #[error(
        "the server at {base} refused the token ({message}): check --token or MOCK_INTERVIEWER_TOKEN"
    )]
    TokenRefused { base: String, message: String },
    #[error("{message} ({code})")]
    Api {
        status: u16,
        code: String,
        message: String,
    },
    #[error("the server sent something unexpected: {0}")]
    Protocol(String),
}

impl ClientError {
    /// The API's stable error code, when the server answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// One event of a turn stream (README "Turn streams").
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// The candidate's turn, committed.
    Turn,
    Phase {
        from: String,
        to: String,
    },
    Notice {
        code: String,
        message: String,
    },
    Token(String),
    Done {
        turn_id: i64,
        phase: String,
    },
    Error {
        code: String,
        message: String,
    },
}

impl StreamEvent {
    /// Reads one named SSE event; `None` for names this client does not know (newer servers).
    pub fn parse(name: &str, data: &str) -> Result<Option<StreamEvent>, ClientError> {
        fn de<T: DeserializeOwned>(name: &str, data: &str) -> Result<T, ClientError> {
            serde_json::from_str(data)
                .map_err(|e| ClientError::Protocol(format!("`{name}` event data: {e}")))
        }
        Ok(Some(match name {
            "turn" => StreamEvent::Turn,
            "phase" => {
                let p: PhaseChange = de(name, data)?;
                StreamEvent::Phase {
                    from: p.from,
                    to: p.to,
                }
            }
            "notice" => {
                let c: CodeMessage = de(name, data)?;
                StreamEvent::Notice {
                    code: c.code,
                    message: c.message,
                }
            }
            "token" => StreamEvent::Token(de::<Token>(name, data)?.delta),
            "done" => {
                let d: Done = de(name, data)?;
                StreamEvent::Done {
                    turn_id: d.turn_id,
                    phase: d.phase,
                }
            }
            "error" => {
                let c: CodeMessage = de(name, data)?;
                StreamEvent::Error {
                    code: c.code,
                    message: c.message,
                }
            }
            _ => return Ok(None),
        }))
    }
}

pub type EventStream =
    std::pin::Pin<Box<dyn Stream<Item = Result<StreamEvent, ClientError>> + Send>>;

#[derive(Clone)]
pub struct Client {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl Client {
    /// `base` is the server's root URL (`http://host:port`); a trailing slash is ignored.
    pub fn new(base: &str, token: Option<String>) -> Result<Client, ClientError> {
        let base = base.trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(ClientError::Protocol(format!(
                "`{base}` is not an http:// or https:// URL"
            )));
        }
        let http = reqwest::Client::builder()
            .tcp_nodelay(true)
            .build()
            .map_err(|e| ClientError::Protocol(e.to_string()))?;
        Ok(Client {
            base,
            token: token.filter(|t| !t.trim().is_empty()),
            http,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub async fn questions(&self, level: Option<&str>) -> Result<Vec<Question>, ClientError> {
        // Levels are plain words (`junior`, `senior`, `staff`): nothing to escape.
        let path = match level {
            Some(level) => format!("/api/questions?level={level}"),
            None => "/api/questions".to_string(),
        };
        self.json(self.request(Method::GET, &path)).await
    }

    pub async fn create_session(
        &self,
        question_id: &str,
        level: Option<&str>,
    ) -> Result<Session, ClientError> {
        let mut body = json!({ "question_id": question_id });
        if let Some(level) = level {
            body["level"] = json!(level);
        }
        self.json(self.request(Method::POST, "/api/sessions").json(&body))
            .await
    }

    pub async fn session(&self, id: &str) -> Result<Session, ClientError> {
        self.json(self.request(Method::GET, &format!("/api/sessions/{id}")))
            .await
    }

    pub async fn turn(&self, id: &str, content: &str) -> Result<EventStream, ClientError> {
        let req = self
            .request(Method::POST, &format!("/api/sessions/{id}/turns"))
            .json(&json!({ "content": content }));
        self.stream(req).await
    }

    pub async fn advance(&self, id: &str) -> Result<EventStream, ClientError> {
        self.stream(self.post_empty(&format!("/api/sessions/{id}/advance")))
            .await
    }

    pub async fn hint(&self, id: &str) -> Result<EventStream, ClientError> {
        self.stream(self.post_empty(&format!("/api/sessions/{id}/hint")))
            .await
    }

    pub async fn finish(&self, id: &str) -> Result<Scorecard, ClientError> {
        self.json(self.post_empty(&format!("/api/sessions/{id}/finish")))
            .await
    }

    pub async fn scorecard(&self, id: &str) -> Result<Scorecard, ClientError> {
        self.json(self.request(Method::GET, &format!("/api/sessions/{id}/scorecard")))
            .await
    }

    /// How the server reads a Mermaid flowchart (servers without diagram support answer 404).
    pub async fn parse_diagram(&self, source: &str) -> Result<DiagramParse, ClientError> {
        let req = self
            .request(Method::POST, "/api/diagrams/parse")
            .json(&json!({ "source": source }));
        self.json(req).await
    }

    /// A POST with no input still sends `{}` as JSON: servers refuse state changes of any other
    /// media type (a cross-site form cannot send JSON).
    fn post_empty(&self, path: &str) -> RequestBuilder {
        self.request(Method::POST, path).json(&json!({}))
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let req = self.http.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(t) => req.bearer_auth(t.trim()),
            None => req,
        }
    }

    async fn send(&self, req: RequestBuilder) -> Result<Response, ClientError> {
        let resp = req.send().await.map_err(|e| ClientError::Unreachable {
            base: self.base.clone(),
            detail: root_cause(&e),
        })?;
        if resp.status().is_success() {
            return Ok(resp);
        }
        let status = resp.status();
        let body: Option<ErrorBody> = resp.json().await.ok();
        let (code, message) = match body {
            Some(b) if !b.error.code.is_empty() => (b.error.code, b.error.message),
            _ => (
                status.as_str().to_string(),
                status.canonical_reason().unwrap_or("error").to_string(),
            ),
        };
        Err(match status {
            // A 403 is about what this account may do (someone else's session), not the token.
            StatusCode::UNAUTHORIZED if self.token.is_some() => ClientError::TokenRefused {
                base: self.base.clone(),
                message,
            },
            StatusCode::UNAUTHORIZED => ClientError::Unauthorized {
                base: self.base.clone(),
            },
            _ => ClientError::Api {
                status: status.as_u16(),
                code,
                message,
            },
        })
    }

    async fn json<T: DeserializeOwned>(&self, req: RequestBuilder) -> Result<T, ClientError> {
        let resp = self.send(req).await?;
        resp.json()
            .await
            .map_err(|e| ClientError::Protocol(root_cause(&e)))
    }

    /// Opens a turn stream; errors before the stream (404, 409, 401...) come back as `Err` here.
    async fn stream(&self, req: RequestBuilder) -> Result<EventStream, ClientError> {
        let resp = self
            .send(req.header(reqwest::header::ACCEPT, "text/event-stream"))
            .await?;
        let events = resp.bytes_stream().eventsource().filter_map(|item| async {
            match item {
                Ok(ev) => StreamEvent::parse(&ev.event, &ev.data).transpose(),
                Err(e) => Some(Err(ClientError::Protocol(format!(
                    "the stream broke off: {e}"
                )))),
            }
        });
        Ok(Box::pin(events))
    }
}

/// The innermost error's text: reqwest's own top line ("error sending request") says little.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_events_parse_by_name() {
        assert_eq!(
            StreamEvent::parse("token", r#"{"delta":"Hi"}"#).unwrap(),
            Some(StreamEvent::Token("Hi".into()))
        );
        assert_eq!(
            StreamEvent::parse("phase", r#"{"from":"a","to":"b"}"#).unwrap(),
            Some(StreamEvent::Phase {
                from: "a".into(),
                to: "b".into()
            })
        );
        assert_eq!(
            StreamEvent::parse("done", r#"{"turn_id":4,"phase":"p"}"#).unwrap(),
            Some(StreamEvent::Done {
                turn_id: 4,
                phase: "p".into()
            })
        );
        assert_eq!(StreamEvent::parse("something_new", "{}").unwrap(), None);
        assert!(StreamEvent::parse("token", "not json").is_err());
    }

    #[test]
    fn only_http_urls_are_servers() {
        assert!(Client::new("localhost:8080", None).is_err());
        let c = Client::new("http://127.0.0.1:8080/", Some(" ".into())).unwrap();
        assert_eq!(c.base(), "http://127.0.0.1:8080");
        assert!(c.token.is_none());
    }
}
