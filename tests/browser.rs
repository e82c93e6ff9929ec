//! End to end in a real browser: headless Chromium driven over WebDriver (Debian's `chromium` and
//! `chromium-driver`) through a whole interview in the web room, with a screenshot at every step in
//! target/e2e-screenshots/. On a machine without them the test is skipped with a notice naming the
//! packages, unless `MOCK_INTERVIEWER_REQUIRE_BROWSER=1` (set by .ci/run) makes that a failure.

// Test code may unwrap: a panic is how a test fails (the crate-wide lint is for the service).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "api/helpers.rs"]
#[allow(dead_code)]
mod helpers;
#[path = "api/mock_speech.rs"]
mod mock_speech;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    http: reqwest::Client,
    session: String,
    child: Child,
    shots: PathBuf,
    step: usize,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The browser is chromedriver's child: end it first, so nothing outlives the test even when it
        // fails before `quit`.
        let _ = Command::new("pkill")
            .args(["-P", &self.child.id().to_string()])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find_binary(names: &[&str]) -> Option<PathBuf> {
    names
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .or_else(|| {
            names.iter().find_map(|n| {
                let out = Command::new("sh")
                    .arg("-c")
                    .arg(format!("command -v {n}"))
                    .output()
                    .ok()?;
                let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
                (!path.is_empty()).then(|| PathBuf::from(path))
            })
        })
}

/// The browser and its driver.
struct Browser {
    chromium: PathBuf,
    chromedriver: PathBuf,
}

const REQUIRE_BROWSER: &str = "MOCK_INTERVIEWER_REQUIRE_BROWSER";

/// Finds Chromium and ChromeDriver. Without them the test is skipped, with a notice written straight
/// to stderr (the test harness would swallow `eprintln!` of a passing test), or fails when the
/// environment requires the browser.
fn browser_or_skip() -> Option<Browser> {
    let chromedriver = find_binary(&["/usr/bin/chromedriver", "chromedriver"]);
    let chromium = find_binary(&["/usr/bin/chromium", "chromium", "chromium-browser"]);
    if let (Some(chromedriver), Some(chromium)) = (chromedriver, chromium) {
        return Some(Browser {
            chromium,
            chromedriver,
        });
    }
    let install = "install Debian's `chromium` and `chromium-driver` packages \
                   (`apt-get install -y chromium chromium-driver`; .ci/run does this)";
    if std::env::var(REQUIRE_BROWSER).is_ok_and(|v| v == "1") {
        panic!("the browser test needs Chromium and ChromeDriver ({REQUIRE_BROWSER}=1): {install}");
    }
    let _ = writeln!(
        std::io::stderr(),
        "\nnotice: browser test SKIPPED: Chromium and ChromeDriver not found; {install} to run it \
         (set {REQUIRE_BROWSER}=1 to make this a failure)\n"
    );
    None
}

impl Driver {
    async fn start(browser: Browser) -> Driver {
        Driver::start_with(browser, &[]).await
    }

    /// Chromium with these flags beside the usual ones.
    async fn start_with(browser: Browser, extra: &[String]) -> Driver {
        let Browser {
            chromium,
            chromedriver,
        } = browser;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap().keep();
        let mut args: Vec<String> = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
        ]
        .map(String::from)
        .to_vec();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.extend(extra.iter().cloned());
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
        }}});
        let v: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = v["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {v}"));
        let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e-screenshots");
        std::fs::create_dir_all(&shots).unwrap();
        Driver {
            http,
            session: format!("{base}/session/{id}"),
            child,
            shots,
            step: 0,
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self
            .http
            .request(method, format!("{}{}", self.session, path));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        v["value"].clone()
    }

    /// Ends the browser session (closes Chromium).
    async fn quit(&self) {
        let _ = self.http.delete(&self.session).send().await;
    }

    async fn goto(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }

    async fn try_find(&self, css: &str) -> Option<String> {
        let v = self
            .call(
                reqwest::Method::POST,
                "/element",
                Some(json!({ "using": "css selector", "value": css })),
            )
            .await;
        v[ELEMENT].as_str().map(str::to_string)
    }

    /// Waits for an element to exist (and the predicate script, if any, to be true of it).
    async fn wait(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(e) = self.try_find(css).await {
                return e;
            }
            assert!(Instant::now() < deadline, "no element `{css}` appeared");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn wait_until(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.exec(script).await != json!(true) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn click(&self, css: &str) {
        let e = self.wait(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{e}/click"),
            Some(json!({})),
        )
        .await;
    }

    async fn type_into(&self, css: &str, text: &str) {
        let e = self.wait(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        )
        .await;
    }

    async fn text(&self, css: &str) -> String {
        let e = self.wait(css).await;
        self.call(reqwest::Method::GET, &format!("/element/{e}/text"), None)
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    async fn exec(&self, script: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
        .await
    }

    async fn accept_alert(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let v = self
                .call(reqwest::Method::POST, "/alert/accept", Some(json!({})))
                .await;
            if v.is_null() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no confirm dialog to accept: {v}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn window(&self, width: u32, height: u32) {
        self.call(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        )
        .await;
    }

    async fn screenshot(&mut self, name: &str) {
        use base64_decode as b64;
        let v = self.call(reqwest::Method::GET, "/screenshot", None).await;
        self.step += 1;
        let path = self.shots.join(format!("{:02}-{name}.png", self.step));
        std::fs::write(&path, b64(v.as_str().unwrap_or(""))).unwrap();
    }
}

/// Standard base64 (the screenshots), without pulling a crate for it.
fn base64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut buf, mut bits) = (0u32, 0);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}

const STREAM_DONE: &str =
    "return document.querySelector('[data-testid=transcript]')?.dataset.streaming === 'false';";

fn interviewer_bubbles() -> String {
    "return document.querySelectorAll('[data-testid=transcript] [data-testid^=turn-]').length"
        .to_string()
}

#[tokio::test]
async fn a_whole_interview_in_the_browser() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let app = helpers::spawn_app().await;
    let mut d = Driver::start(browser).await;

    // Home: the question bank, filters, and a start button per question.
    d.goto(&app.base).await;
    d.wait("[data-testid=question-list]").await;
    d.wait("[data-testid=start-rag-customer-support]").await;
    d.screenshot("home").await;
    d.exec("const s = document.querySelector('[data-testid=filter-kind]'); s.value = 'debugging'; s.dispatchEvent(new Event('change', {bubbles: true})); return true;").await;
    d.wait_until("the kind filter", "return !document.querySelector('[data-testid=start-rag-customer-support]') && !!document.querySelector('[data-testid=start-debug-latency-spikes]');").await;
    d.screenshot("home-filtered").await;
    d.exec("const s = document.querySelector('[data-testid=filter-kind]'); s.value = ''; s.dispatchEvent(new Event('change', {bubbles: true})); return true;").await;

    // Start an interview.
    d.click("[data-testid=start-rag-customer-support]").await;
    d.wait_until(
        "the interview room",
        "return location.hash.startsWith('#/session/');",
    )
    .await;
    d.wait("[data-testid=phase-timeline]").await;
    d.wait("[data-testid=phase-clarification][aria-current=step]")
        .await;
    let countdown = d.text("[data-testid=phase-countdown]").await;
    assert!(countdown.contains(':'), "a countdown: {countdown}");
    d.screenshot("room-opening").await;
    let before = d.exec(&interviewer_bubbles()).await.as_u64().unwrap();

    // Type an answer and send it with Ctrl+Enter; the reply streams in and is rendered as Markdown.
    d.type_into(
        "[data-testid=answer]",
        "How many documents are there, and what is the latency target?\u{E009}\u{E007}\u{E000}",
    )
    .await;
    d.wait_until("the reply", &format!("return {} >= {} && document.querySelector('[data-testid=transcript]').dataset.streaming === 'false';", interviewer_bubbles().trim_start_matches("return "), before + 2)).await;
    d.wait_until(
        "the rendered reply",
        "return !!document.querySelector('[data-testid=transcript] strong');",
    )
    .await;
    let revealed = d.text("[data-testid=revealed]").await;
    assert!(
        revealed.contains("Latency"),
        "revealed requirements shown: {revealed}"
    );
    d.screenshot("room-reply").await;

    // A draft survives a reload, and the reload resumes the session.
    d.type_into("[data-testid=answer]", "Draft: which languages")
        .await;
    d.exec("location.reload(); return true;").await;
    d.wait("[data-testid=phase-timeline]").await;
    d.wait_until("the draft to come back", "return (document.querySelector('[data-testid=answer]')?.value || '').includes('Draft: which languages');").await;
    d.wait_until(
        "the transcript to come back",
        &format!(
            "return {} >= {};",
            interviewer_bubbles().trim_start_matches("return "),
            before + 2
        ),
    )
    .await;
    d.exec("const a = document.querySelector('[data-testid=answer]'); a.value = ''; a.dispatchEvent(new Event('input', {bubbles: true})); return true;").await;
    d.screenshot("room-reloaded").await;

    // Move through the phases with the button.
    for phase in ["high_level_design", "deep_dive", "tradeoffs_scaling", "qa"] {
        d.click("[data-testid=next-phase]").await;
        d.wait(&format!("[data-testid=phase-{phase}][aria-current=step]"))
            .await;
        d.wait_until("the transition reply", STREAM_DONE).await;
        if phase == "high_level_design" {
            d.type_into("[data-testid=answer]", "Requests go through an API gateway with auth and rate limiting, then hybrid search over a vector database with a cross-encoder reranker, and an LLM that cites its sources.").await;
            d.click("[data-testid=send]").await;
            d.wait_until("the design reply", STREAM_DONE).await;
        }
        d.screenshot(&format!("phase-{phase}")).await;
    }

    // Phone width: no horizontal scrolling.
    d.window(360, 800).await;
    d.wait_until(
        "the phone layout",
        "return document.documentElement.scrollWidth <= window.innerWidth + 1;",
    )
    .await;
    d.screenshot("room-phone").await;
    d.window(1280, 900).await;

    // Finish, then read the scorecard beside the transcript.
    d.click("[data-testid=finish]").await;
    d.accept_alert().await;
    d.wait_until(
        "the review page",
        "return location.hash.startsWith('#/review/');",
    )
    .await;
    d.wait("[data-testid=scorecard]").await;
    let score = d.text("[data-testid=overall-score]").await;
    assert!(
        score.chars().any(|c| c.is_ascii_digit()),
        "overall score shown: {score}"
    );
    let rec = d.text("[data-testid=recommendation]").await.to_lowercase();
    assert!(rec.contains("hire"), "recommendation shown: {rec}");
    d.wait("[data-testid=dimension-requirements]").await;
    // The offline card says what it cannot see and how far to trust its recommendation.
    let limits = d.text("[data-testid=scorer-limits]").await;
    assert!(
        limits.contains("not whether each call was right"),
        "{limits}"
    );
    let trust = d.text("[data-testid=scorer-reliability]").await;
    assert!(
        trust.starts_with("How reliable is this recommendation?")
            && trust.contains("two independent raters"),
        "{trust}"
    );
    d.screenshot("scorecard").await;

    // Evidence quotes link to their turn in the transcript.
    let links = d.exec("return Array.from(document.querySelectorAll('[data-testid=scorecard] a[href*=\"turn-\"]')).length").await;
    assert!(links.as_u64().unwrap_or(0) >= 1, "evidence links to turns");

    // Downloads of the transcript.
    let md_href = d
        .exec("return document.querySelector('[data-testid=download-md]').href")
        .await;
    let json_href = d
        .exec("return document.querySelector('[data-testid=download-json]').href")
        .await;
    let md = app
        .client
        .get(md_href.as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert!(
        md.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/markdown")
    );
    assert!(md.text().await.unwrap().contains("## Scorecard"));
    let j: Value = app
        .client
        .get(json_href.as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(j["scorecard"]["overall"]["score"].is_u64());

    // Coming back later: the home page lists the finished session, and progress charts it.
    d.goto(&app.base).await;
    d.wait_until("the past session", "return (document.querySelector('[data-testid=past-sessions]')?.textContent || '').toLowerCase().includes('finished');").await;
    d.screenshot("home-past-sessions").await;
    d.goto(&format!("{}/#/progress", app.base)).await;
    d.wait("[data-testid=progress-chart]").await;
    d.screenshot("progress").await;
    d.quit().await;
}

/// A spoken answer: Chromium's fake microphone plays a WAV, the room records it with MediaRecorder
/// and posts it to the service, which has a mock transcription server; the answer is stored as the
/// transcribed text, marked spoken, and shown so.
#[tokio::test]
async fn an_answer_spoken_into_the_microphone_is_stored_as_text_marked_spoken() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    const HEARD: &str = "How many support tickets a day, and what latency do you need?";
    let dir = tempfile::tempdir().unwrap();
    let mic = dir.path().join("microphone.wav");
    {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 48_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&mic, spec).unwrap();
        for i in 0..48_000 * 3 {
            let t = f64::from(i) / 48_000.0;
            w.write_sample(((t * 330.0 * std::f64::consts::TAU).sin() * 9_000.0) as i16)
                .unwrap();
        }
        w.finalize().unwrap();
    }
    let stt = mock_speech::MockSpeech::start().await;
    stt.push_heard(mock_speech::Heard::Text {
        text: HEARD.into(),
        duration: Some(3.0),
    });
    // The replies are read aloud by the same mock's speech endpoint.
    stt.push_said(mock_speech::Said::Audio(b"ID3 not really an mp3".to_vec()));
    let url = stt.base_url.clone();
    let app = helpers::spawn_app_with(move |a| {
        a.speech.stt_base_url = Some(url.clone());
        a.speech.tts_base_url = Some(url);
    })
    .await;
    let mut d = Driver::start_with(
        browser,
        &[
            "--use-fake-device-for-media-stream".to_string(),
            "--use-fake-ui-for-media-stream".to_string(),
            format!("--use-file-for-fake-audio-capture={}", mic.display()),
            "--autoplay-policy=no-user-gesture-required".to_string(),
        ],
    )
    .await;
    d.goto(&app.base).await;
    d.click("[data-testid=start-rag-customer-support]").await;
    d.wait_until(
        "the interview room",
        "return location.hash.startsWith('#/session/');",
    )
    .await;
    // The server transcribes, so the microphone records (not the browser's dictation).
    d.wait("[data-testid=mic][data-mode=record]:not([hidden])")
        .await;
    d.click("[data-testid=speaker]").await;
    d.wait("[data-testid=speaker][aria-pressed=true]").await;
    d.click("[data-testid=mic]").await;
    d.wait("[data-testid=mic][aria-pressed=true]").await;
    d.screenshot("voice-recording").await;
    // Let the fake microphone play for a moment (what is recorded, not when, is checked).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    d.click("[data-testid=mic]").await;
    d.wait_until(
        "the spoken turn and the reply",
        "return !!document.querySelector('[data-testid=transcript] article[data-testid^=turn-] [data-testid=spoken-badge]') \
         && document.querySelector('[data-testid=transcript]').dataset.streaming === 'false';",
    )
    .await;
    let transcript = d.text("[data-testid=transcript]").await;
    assert!(transcript.contains(HEARD), "{transcript}");
    d.screenshot("voice-spoken-turn").await;

    // What the transcription server received: the room's WebM recording, whole.
    let upload = stt
        .uploads()
        .pop()
        .expect("the recording reached the transcription server");
    assert_eq!(upload.file_type, "audio/webm");
    assert!(upload.file.len() > 1_000, "{} bytes", upload.file.len());
    assert_eq!(
        &upload.file[..4],
        &[0x1A, 0x45, 0xDF, 0xA3],
        "a WebM (EBML) file"
    );

    // Stored as text, marked spoken.
    let (_, sessions) = app.get("/api/sessions").await;
    let id = sessions[0]["id"].as_str().unwrap().to_string();
    let turns = app.stored_turns(&id).await;
    let spoken: Vec<_> = turns.iter().filter(|t| t.spoken).collect();
    assert_eq!(spoken.len(), 1, "{turns:?}");
    assert_eq!(spoken[0].content, HEARD);
    assert_eq!(spoken[0].speech_ms, Some(3_000));

    // With the speaker on, the reply was asked of the speech server, by its turn.
    d.wait_until(
        "the reply to be read aloud",
        "return performance.getEntriesByType('resource').some((e) => /\\/turns\\/\\d+\\/speech$/.test(e.name));",
    )
    .await;
    let said = stt.speech_requests();
    assert!(!said.is_empty());
    let reply = &app.stored_turns(&id).await.last().unwrap().content.clone();
    let input = said[0]["input"].as_str().unwrap();
    let first_words: Vec<&str> = input.split_whitespace().take(3).collect();
    assert!(
        !first_words.is_empty() && reply.contains(&first_words.join(" ")),
        "the reply's words were read: {input}"
    );

    // The review marks the spoken turn, and the communication feedback notes its delivery.
    d.click("[data-testid=finish]").await;
    d.accept_alert().await;
    d.wait("[data-testid=scorecard]").await;
    d.wait("[data-testid=transcript] [data-testid=spoken-badge]")
        .await;
    let communication = d.text("[data-testid=dimension-communication]").await;
    assert!(
        communication.contains("Spoken answer (1): 240 words per minute"),
        "{communication}"
    );
    d.screenshot("voice-review").await;
    d.quit().await;
}

/// `--auth password` in the browser: the login form, a candidate's own history, sharing with a coach
/// from the review, and the coach's review with a comment shown beside the turn it is about.
#[tokio::test]
async fn sign_in_share_with_a_coach_and_comment_in_the_browser() {
    use mock_interviewer::accounts::{Accounts, AuthMode};
    use mock_interviewer::domain::UserRole;
    use mock_interviewer::storage::{Storage, StorageOptions};

    let Some(browser) = browser_or_skip() else {
        return;
    };
    let app = helpers::spawn_app_with(|a| a.auth.mode = AuthMode::Password).await;
    let storage = Storage::connect(&app.db, StorageOptions::default())
        .await
        .unwrap();
    let accounts = Accounts::new(
        AuthMode::Password,
        storage,
        std::sync::Arc::new(mock_interviewer::clock::SystemClock),
    );
    for (name, role) in [
        ("alice", UserRole::Candidate),
        ("bob", UserRole::Candidate),
        ("carol", UserRole::Coach),
    ] {
        accounts
            .add_user(name, role, Some("a long password".into()))
            .await
            .unwrap();
    }
    // Alice's interview (one answered turn) and one of Bob's, made over the API with their tokens.
    let mut ids = Vec::new();
    for name in ["alice", "bob"] {
        let token = accounts.issue_token(name).await.unwrap().token.unwrap();
        let auth = format!("Bearer {token}");
        let s: Value = app
            .client
            .post(app.url("/api/sessions"))
            .header("authorization", &auth)
            .json(&json!({ "question_id": "rag-customer-support" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = s["id"].as_str().unwrap().to_string();
        app.client
            .post(app.url(&format!("/api/sessions/{id}/turns")))
            .header("authorization", &auth)
            .json(&json!({ "content": "How many documents are there?" }))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        ids.push(id);
    }
    let (alice_session, bob_session) = (&ids[0], &ids[1]);
    let mut d = Driver::start(browser).await;
    d.step = 100;

    async fn sign_in(d: &mut Driver, name: &str) {
        d.wait("[data-testid=login-form]").await;
        d.type_into("#login-name", name).await;
        d.type_into("#login-password", "a long password").await;
        d.click("[data-testid=login-submit]").await;
        d.wait_until(
            "signed in",
            &format!("return (document.querySelector('[data-testid=account-name]')?.textContent || '').includes('{name}');"),
        )
        .await;
    }

    // Anonymous: only the login form. A wrong password says so.
    d.goto(&app.base).await;
    d.wait("[data-testid=login-form]").await;
    d.type_into("#login-name", "alice").await;
    d.type_into("#login-password", "not the password").await;
    d.click("[data-testid=login-submit]").await;
    d.wait_until(
        "the login error",
        "return (document.querySelector('[data-testid=login-error]')?.textContent || '').includes('Wrong');",
    )
    .await;
    d.screenshot("accounts-login-error").await;
    d.goto(&app.base).await;
    sign_in(&mut d, "alice").await;

    // Alice's history holds her session only.
    d.wait_until(
        "her history",
        &format!("return !!document.querySelector('[data-session-id=\"{alice_session}\"]');"),
    )
    .await;
    let bob_listed = d
        .exec(&format!(
            "return !!document.querySelector('[data-session-id=\"{bob_session}\"]');"
        ))
        .await;
    assert_eq!(
        bob_listed,
        json!(false),
        "another candidate's session is not listed"
    );
    d.screenshot("accounts-candidate-home").await;

    // She shares it with Carol from the review.
    d.goto(&format!("{}/#/review/{alice_session}", app.base))
        .await;
    d.wait("[data-testid=share-control]").await;
    d.type_into("[data-testid=share-coach]", "carol").await;
    d.click("[data-testid=share-submit]").await;
    d.wait_until(
        "the share listed",
        "return (document.querySelector('[data-testid=share-list]')?.textContent || '').includes('carol');",
    )
    .await;
    d.screenshot("accounts-shared").await;
    d.click("[data-testid=logout]").await;

    // Carol signs in, reviews the shared transcript and comments on the candidate's turn.
    sign_in(&mut d, "carol").await;
    d.wait_until(
        "the shared session",
        &format!("return !!document.querySelector('[data-session-id=\"{alice_session}\"]');"),
    )
    .await;
    d.goto(&format!("{}/#/review/{alice_session}", app.base))
        .await;
    d.wait("[data-testid=comment-form]").await;
    let share_control = d.try_find("[data-testid=share-control]").await;
    assert!(share_control.is_none(), "only the owner shares");
    d.exec("const s = document.querySelector('#comment-turn'); s.selectedIndex = 2; return true;")
        .await;
    d.type_into("[data-testid=comment-body]", "Ask about growth too.")
        .await;
    d.click("[data-testid=comment-submit]").await;
    d.wait_until(
        "the comment beside its turn",
        "return [...document.querySelectorAll('[data-testid^=comments-turn-]')].some((c) => c.textContent.includes('Ask about growth too.') && c.previousElementSibling?.matches('[data-testid^=turn-]'));",
    )
    .await;
    d.screenshot("accounts-coach-comment").await;

    // Signed out, nothing but the login.
    d.click("[data-testid=logout]").await;
    d.wait("[data-testid=login-form]").await;
    d.goto(&format!("{}/#/review/{alice_session}", app.base))
        .await;
    d.wait("[data-testid=login-form]").await;
    d.quit().await;
}

/// Records the page's CSP violations (checked at the end: the room must work under its policy).
const WATCH_CSP: &str = "window.__csp = window.__csp || []; if (!window.__cspWatch) { window.__cspWatch = true; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI)); } return true;";

/// Replaces the diagram panel's source as typing would (an `input` event).
fn set_diagram(source: &str) -> String {
    format!(
        "const t = document.querySelector('[data-testid=diagram-source]'); t.value = {}; t.dispatchEvent(new Event('input', {{bubbles: true}})); return true;",
        serde_json::to_string(source).unwrap()
    )
}

fn last_interviewer_text() -> &'static str {
    "const all = document.querySelectorAll('[data-testid=transcript] .turn--interviewer .turn__body'); return all.length ? all[all.length - 1].textContent : '';"
}

#[tokio::test]
async fn a_diagram_the_interviewer_reads_and_code_in_the_editor() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let app = helpers::spawn_app().await;
    let mut d = Driver::start(browser).await;

    // System design: straight to the high-level design, with a diagram that leaves parts out.
    d.goto(&app.base).await;
    d.click("[data-testid=start-rag-customer-support]").await;
    d.wait("[data-testid=diagram-panel][open]").await;
    d.exec(WATCH_CSP).await;
    d.click("[data-testid=next-phase]").await;
    d.wait("[data-testid=phase-high_level_design][aria-current=step]")
        .await;
    d.wait_until("the transition reply", STREAM_DONE).await;
    d.exec(&set_diagram(
        "flowchart LR\n  U([Customer]) --> GW[API gateway]\n  GW --> R[Hybrid retriever]\n  R --> V[(Vector DB)]\n  R --> L[LLM generation]\n",
    ))
    .await;
    d.wait_until(
        "the live drawing",
        "return !!document.querySelector('[data-testid=diagram-preview] svg') && document.querySelector('[data-testid=diagram-panel]').dataset.state === 'valid';",
    )
    .await;
    // A mistake is shown with its line, live.
    d.exec(&set_diagram("flowchart LR\n  A[Gateway --> B\n"))
        .await;
    d.wait_until(
        "the parse error",
        "return (document.querySelector('[data-testid=diagram-errors]')?.textContent || '').includes('Line 2');",
    )
    .await;
    d.screenshot("diagram-error").await;
    d.exec(&set_diagram(
        "flowchart LR\n  U([Customer]) --> GW[API gateway]\n  GW --> R[Hybrid retriever]\n  R --> V[(Vector DB)]\n  R --> L[LLM generation]\n",
    ))
    .await;
    d.wait_until(
        "the drawing again",
        "return document.querySelector('[data-testid=diagram-panel]').dataset.state === 'valid';",
    )
    .await;
    d.screenshot("diagram-drawn").await;
    let violations = d.exec("return window.__csp || [];").await;
    assert_eq!(violations, json!([]), "mermaid draws under the page's CSP");
    d.type_into(
        "[data-testid=answer]",
        "Here is the high-level design: the widget calls an API gateway, then hybrid retrieval and generation.",
    )
    .await;
    d.click("[data-testid=send]").await;
    d.wait_until("the reply to the diagram", STREAM_DONE).await;
    d.wait_until(
        "the candidate's drawn diagram",
        "return !!document.querySelector('[data-testid=transcript] [data-testid=turn-diagram] svg');",
    )
    .await;
    let reply = d.exec(last_interviewer_text()).await;
    let reply = reply.as_str().unwrap();
    assert!(
        reply.contains("in your diagram") || reply.contains("Your diagram leaves out"),
        "the interviewer asks about what the diagram leaves out: {reply}"
    );
    d.screenshot("diagram-missing-probe").await;

    // The next answer adds ingestion to the diagram; the interviewer asks about one of its arrows.
    d.exec(&set_diagram(
        "flowchart LR\n  U([Customer]) --> GW[API gateway]\n  GW --> R[Hybrid retriever]\n  R --> V[(Vector DB)]\n  R --> L[LLM generation]\n  I[Ingestion pipeline] --> V\n",
    ))
    .await;
    d.type_into(
        "[data-testid=answer]",
        "Articles and tickets go through an ingestion pipeline that parses, chunks and embeds them into the vector database every few minutes.",
    )
    .await;
    d.click("[data-testid=send]").await;
    d.wait_until("the reply to the new diagram", STREAM_DONE)
        .await;
    let reply = d.exec(last_interviewer_text()).await;
    let reply = reply.as_str().unwrap();
    assert!(
        reply.contains("is down?"),
        "the interviewer asks about an arrow of the diagram: {reply}"
    );
    d.screenshot("diagram-edge-probe").await;

    // The review shows the diagrams drawn.
    d.click("[data-testid=finish]").await;
    d.accept_alert().await;
    d.wait_until(
        "the review",
        "return location.hash.startsWith('#/review/');",
    )
    .await;
    d.wait_until(
        "the diagrams in the review",
        "return document.querySelectorAll('.review__transcript [data-testid=turn-diagram] svg').length >= 2;",
    )
    .await;
    d.screenshot("diagram-review").await;

    // Coding: the editor, python by default; the review shows the code highlighted.
    d.goto(&app.base).await;
    d.click("[data-testid=start-code-llm-rate-limiter]").await;
    d.wait("[data-testid=code-editor][data-ready=true]").await;
    d.exec(WATCH_CSP).await;
    let language = d
        .exec("return document.querySelector('[data-testid=code-language]').value;")
        .await;
    assert_eq!(language, "python");
    assert!(
        d.exec("return !document.querySelector('[data-testid=diagram-panel][open]');")
            .await
            == json!(true),
        "the diagram panel is closed in coding interviews"
    );
    d.click("[data-testid=code-editor-content]").await;
    d.type_into(
        "[data-testid=code-editor-content]",
        "def allow(bucket, now):\n# refill, then spend one token\nbucket.refill(now)\nreturn bucket.take(1)",
    )
    .await;
    d.wait_until(
        "highlighting in the editor",
        "return !!document.querySelector('[data-testid=code-editor] .tok-keyword');",
    )
    .await;
    let indented = d
        .exec("return document.querySelector('[data-testid=code-editor] .cm-content').innerText.includes('\\n    bucket.refill(now)');")
        .await;
    assert_eq!(
        indented,
        json!(true),
        "the editor indents the function body"
    );
    d.screenshot("code-editor").await;
    d.type_into("[data-testid=answer]", "Here is the core of the limiter.")
        .await;
    d.click("[data-testid=send]").await;
    d.wait_until("the reply to the code", STREAM_DONE).await;
    let id = d
        .exec("return location.hash.split('/')[2];")
        .await
        .as_str()
        .unwrap()
        .to_string();
    let (_, session) = app.get(&format!("/api/sessions/{id}")).await;
    let sent = session["turns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["role"] == "candidate")
        .unwrap()["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        sent.starts_with(
            "Here is the core of the limiter.\n\n```python\ndef allow(bucket, now):\n"
        ),
        "code goes as a fenced block with its language: {sent}"
    );
    d.click("[data-testid=finish]").await;
    d.accept_alert().await;
    d.wait_until(
        "highlighted code in the review",
        "return !!document.querySelector('.review__transcript [data-testid=turn-code][data-highlighted=true] .tok-keyword');",
    )
    .await;
    d.screenshot("code-review").await;
    let violations = d.exec("return window.__csp || [];").await;
    assert_eq!(violations, json!([]), "no CSP violations");
    d.quit().await;
}
