//! Prometheus metrics: the name, labels and meaning of every metric, recorded into one registry per
//! application (tests start many applications in one process, so nothing is global) and rendered as
//! Prometheus text at `/metrics`.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use metrics::{Counter, Gauge, Histogram, Key, Label, Level, Metadata, Recorder, SharedString};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};
use rustc_hash::FxHashMap;

/// Time from the candidate's answer to the interviewer's first token, by interviewer model.
pub const TIME_TO_FIRST_TOKEN: &str = "mock_interviewer_time_to_first_token_seconds";
/// Time from the candidate's answer to the end of the interviewer's reply, by interviewer model.
pub const TURN: &str = "mock_interviewer_turn_seconds";
/// Prompt tokens sent to a model, by model.
pub const TOKENS_IN: &str = "mock_interviewer_tokens_in_total";
/// Completion tokens received from a model, by model.
pub const TOKENS_OUT: &str = "mock_interviewer_tokens_out_total";
/// Failed calls to the model's API, by kind (connect, timeout, status, rate_limited, ...).
pub const UPSTREAM_ERRORS: &str = "mock_interviewer_upstream_errors_total";
/// Turn streams open right now.
pub const LIVE_STREAMS: &str = "mock_interviewer_live_streams";
/// Sessions in the database, by status; counted when `/metrics` is read.
pub const SESSIONS: &str = "mock_interviewer_sessions";
/// HTTP requests answered, by method, route (the matched pattern) and status.
pub const HTTP_REQUESTS: &str = "mock_interviewer_http_requests_total";

/// Histogram buckets in seconds, from a fast first token on loopback to a long model reply.
const BUCKETS: [f64; 15] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0,
];

static METADATA: Metadata<'static> =
    Metadata::new(module_path!(), Level::INFO, Some(module_path!()));

/// The application's metrics. Cheap to share: clone the `Arc` it lives in.
#[derive(Debug)]
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    live_streams: Gauge,
    /// The series recorded on every turn and every request, registered once: registering builds
    /// the labels and looks the key up in the registry, which cost more than the recording. Both
    /// sets are bounded (the configured models; methods, route patterns and statuses).
    by_model: RwLock<FxHashMap<Box<str>, ModelSeries>>,
    /// By route pattern, then by method and status.
    by_request: RwLock<RequestSeries>,
}

/// The HTTP request counters by route pattern, then by method and status.
type RequestSeries = FxHashMap<Box<str>, Vec<(&'static str, u16, Counter)>>;

/// The series one interviewer model records into.
#[derive(Debug, Clone)]
struct ModelSeries {
    time_to_first_token: Histogram,
    turn: Histogram,
    tokens_in: Counter,
    tokens_out: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&BUCKETS)
            // Refused only for an empty list, which BUCKETS is not.
            .unwrap_or_else(|_| PrometheusBuilder::new())
            .build_recorder();
        let describe = [
            (
                TIME_TO_FIRST_TOKEN,
                "Seconds from the candidate's answer to the interviewer's first token.",
            ),
            (
                TURN,
                "Seconds from the candidate's answer to the end of the interviewer's reply.",
            ),
            (TOKENS_IN, "Prompt tokens sent to the model."),
            (TOKENS_OUT, "Completion tokens received from the model."),
            (UPSTREAM_ERRORS, "Failed calls to the model's API, by kind."),
            (LIVE_STREAMS, "Turn streams open now."),
            (SESSIONS, "Sessions in the database, by status."),
            (HTTP_REQUESTS, "HTTP requests answered."),
        ];
        for (name, help) in describe {
            let help = SharedString::const_str(help);
            match name {
                TIME_TO_FIRST_TOKEN | TURN => recorder.describe_histogram(name.into(), None, help),
                LIVE_STREAMS | SESSIONS => recorder.describe_gauge(name.into(), None, help),
                _ => recorder.describe_counter(name.into(), None, help),
            }
        }
        let live_streams = recorder.register_gauge(&Key::from_static_name(LIVE_STREAMS), &METADATA);
        // Present from the start, so a dashboard sees 0 rather than no data.
        live_streams.set(0.0);
        let handle = recorder.handle();
        Metrics {
            recorder,
            handle,
            live_streams,
            by_model: RwLock::default(),
            by_request: RwLock::default(),
        }
    }

    /// The series of `model`, registered the first time it records.
    fn model(&self, model: &str) -> ModelSeries {
        if let Some(series) = self
            .by_model
            .read()
            .ok()
            .and_then(|m| m.get(model).cloned())
        {
            return series;
        }
        let label = || vec![Label::new("model", model.to_string())];
        let series = ModelSeries {
            time_to_first_token: self.histogram(TIME_TO_FIRST_TOKEN, label()),
            turn: self.histogram(TURN, label()),
            tokens_in: self.counter(TOKENS_IN, label()),
            tokens_out: self.counter(TOKENS_OUT, label()),
        };
        if let Ok(mut m) = self.by_model.write() {
            m.entry(model.into()).or_insert_with(|| series.clone());
        }
        series
    }

    fn counter(&self, name: &'static str, labels: Vec<Label>) -> Counter {
        self.recorder
            .register_counter(&Key::from_parts(name, labels), &METADATA)
    }

    fn histogram(&self, name: &'static str, labels: Vec<Label>) -> Histogram {
        self.recorder
            .register_histogram(&Key::from_parts(name, labels), &METADATA)
    }

    /// The interviewer's first token of a turn arrived `elapsed` after the candidate's answer.
    pub fn time_to_first_token(&self, model: &str, elapsed: Duration) {
        self.model(model)
            .time_to_first_token
            .record(elapsed.as_secs_f64());
    }

    /// The interviewer's reply ended `elapsed` after the candidate's answer.
    pub fn turn(&self, model: &str, elapsed: Duration) {
        self.model(model).turn.record(elapsed.as_secs_f64());
    }

    /// Tokens one call to `model` consumed and produced.
    pub fn tokens(&self, model: &str, input: u64, output: u64) {
        let series = self.model(model);
        series.tokens_in.increment(input);
        series.tokens_out.increment(output);
    }

    /// One failed call to the model's API.
    pub fn upstream_error(&self, kind: &'static str) {
        self.counter(
            UPSTREAM_ERRORS,
            vec![Label::from_static_parts("kind", kind)],
        )
        .increment(1);
    }

    /// Counts a turn stream as live until the returned guard is dropped.
    pub fn live_stream(self: &Arc<Self>) -> LiveStream {
        self.live_streams.increment(1.0);
        LiveStream(self.live_streams.clone())
    }

    /// One HTTP request answered. `route` is the matched pattern (`/api/sessions/{id}`), never the raw
    /// path, so ids do not multiply the series.
    pub fn http_request(&self, method: &'static str, route: &str, status: u16) {
        let find = |series: &[(&'static str, u16, Counter)]| {
            series
                .iter()
                .find(|(m, s, _)| *m == method && *s == status)
                .map(|(_, _, c)| c.clone())
        };
        // Looked up by the borrowed route: a series seen before allocates nothing.
        let seen = self
            .by_request
            .read()
            .ok()
            .and_then(|m| m.get(route).and_then(|series| find(series)));
        let counter = seen.unwrap_or_else(|| {
            let labels = vec![
                Label::from_static_parts("method", method),
                Label::new("route", route.to_string()),
                Label::new("status", status.to_string()),
            ];
            let counter = self.counter(HTTP_REQUESTS, labels);
            if let Ok(mut m) = self.by_request.write() {
                let series = m.entry(route.into()).or_default();
                if find(series).is_none() {
                    series.push((method, status, counter.clone()));
                }
            }
            counter
        });
        counter.increment(1);
    }

    /// The number of sessions per status, as just counted in the database.
    pub fn sessions(&self, counts: &[(&'static str, i64)]) {
        for &(status, n) in counts {
            let key = Key::from_parts(SESSIONS, vec![Label::from_static_parts("status", status)]);
            self.recorder.register_gauge(&key, &METADATA).set(n as f64);
        }
    }

    /// Every metric in the Prometheus text format.
    pub fn render(&self) -> String {
        self.handle.render()
    }

    /// Folds recorded histogram samples into their buckets, so memory stays bounded between scrapes.
    pub fn run_upkeep(&self) {
        self.handle.run_upkeep();
    }
}

/// A live turn stream: the gauge goes down when this is dropped, however the stream ends.
#[derive(Debug)]
pub struct LiveStream(Gauge);

impl Drop for LiveStream {
    fn drop(&mut self) {
        self.0.decrement(1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of the sample line starting with `prefix`.
    fn sample(text: &str, prefix: &str) -> Option<f64> {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
    }

    #[test]
    fn histograms_render_with_buckets_sum_and_count() {
        let m = Metrics::new();
        m.time_to_first_token("offline", Duration::from_millis(30));
        m.turn("offline", Duration::from_millis(700));
        m.turn("offline", Duration::from_secs(3));
        let text = m.render();
        let ttft = format!("{TIME_TO_FIRST_TOKEN}_bucket{{model=\"offline\",le=\"0.05\"}}");
        assert_eq!(sample(&text, &ttft), Some(1.0), "{text}");
        let turn_count = format!("{TURN}_count{{model=\"offline\"}}");
        assert_eq!(sample(&text, &turn_count), Some(2.0), "{text}");
        assert!(text.contains(&format!("# TYPE {TURN} histogram")), "{text}");
    }

    #[test]
    fn the_live_stream_gauge_follows_its_guards() {
        let m = Arc::new(Metrics::new());
        let a = m.live_stream();
        let b = m.live_stream();
        assert_eq!(sample(&m.render(), LIVE_STREAMS), Some(2.0));
        drop(a);
        assert_eq!(sample(&m.render(), LIVE_STREAMS), Some(1.0));
        drop(b);
        assert_eq!(sample(&m.render(), LIVE_STREAMS), Some(0.0));
    }

    /// Series are registered once and then only counted: repeated requests and turns add up in
    /// one series each, and a new route, status or model still gets its own.
    #[test]
    fn kept_series_count_every_request_and_turn() {
        let m = Metrics::new();
        for _ in 0..3 {
            m.http_request("POST", "/api/sessions/{id}/turns", 200);
        }
        m.http_request("POST", "/api/sessions/{id}/turns", 409);
        m.http_request("GET", "/api/sessions/{id}/turns", 200);
        m.http_request("POST", "/api/sessions", 200);
        m.tokens("m1", 10, 2);
        m.tokens("m1", 5, 1);
        m.tokens("m2", 7, 7);
        m.turn("m1", Duration::from_millis(10));
        m.turn("m1", Duration::from_millis(20));
        let text = m.render();
        let req = |method: &str, route: &str, status: u16| {
            let prefix = format!(
                "{HTTP_REQUESTS}{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}}"
            );
            sample(&text, &prefix)
        };
        assert_eq!(
            req("POST", "/api/sessions/{id}/turns", 200),
            Some(3.0),
            "{text}"
        );
        assert_eq!(
            req("POST", "/api/sessions/{id}/turns", 409),
            Some(1.0),
            "{text}"
        );
        assert_eq!(
            req("GET", "/api/sessions/{id}/turns", 200),
            Some(1.0),
            "{text}"
        );
        assert_eq!(req("POST", "/api/sessions", 200), Some(1.0), "{text}");
        let tokens_in = |model: &str| sample(&text, &format!("{TOKENS_IN}{{model=\"{model}\"}}"));
        assert_eq!(tokens_in("m1"), Some(15.0), "{text}");
        assert_eq!(tokens_in("m2"), Some(7.0), "{text}");
        let turns = format!("{TURN}_count{{model=\"m1\"}}");
        assert_eq!(sample(&text, &turns), Some(2.0), "{text}");
    }

    #[test]
    fn two_applications_do_not_share_counts() {
        let a = Metrics::new();
        let b = Metrics::new();
        a.upstream_error("timeout");
        a.tokens("m", 10, 3);
        let key = format!("{UPSTREAM_ERRORS}{{kind=\"timeout\"}}");
        assert_eq!(sample(&a.render(), &key), Some(1.0));
        assert_eq!(sample(&b.render(), &key), None);
        assert_eq!(
            sample(&a.render(), &format!("{TOKENS_OUT}{{model=\"m\"}}")),
            Some(3.0)
        );
    }
}
