//! Voice: a spoken answer through `POST /api/sessions/{id}/audio` against a mock transcription
//! server (stored as text, marked spoken, in every view), its failures (nothing stored), an
//! interviewer turn read aloud through a mock speech server, and real audio made by espeak-ng.

use std::io::{Cursor, Write};

use serde_json::Value;

use crate::helpers::{
    TestApp, dim_scores, named_counts, names, reply_text, spawn_app, spawn_app_with,
};
use crate::mock_speech::{Heard, MockSpeech, Said};

const QUESTION: &str = "rag-customer-support";
const SPOKEN: &str = "Um, how many documents are there, and, like, what latency do you need?";

/// `seconds` of a 440 Hz tone, 16 kHz mono.
pub fn tone_wav(seconds: f64) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut out = Cursor::new(Vec::new());
    let mut w = hound::WavWriter::new(&mut out, spec).unwrap();
    for i in 0..(seconds * 16_000.0) as u32 {
        let t = f64::from(i) / 16_000.0;
        w.write_sample(((t * 440.0 * std::f64::consts::TAU).sin() * 8_000.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
    out.into_inner()
}

async fn app_with_speech(mock: &MockSpeech) -> TestApp {
    let url = mock.base_url.clone();
    spawn_app_with(move |a| {
        a.speech.stt_base_url = Some(url.clone());
        a.speech.tts_base_url = Some(url);
        a.llm_retries = 1;
    })
    .await
}

async fn speak(
    app: &TestApp,
    id: &str,
    audio: Vec<u8>,
    content_type: &str,
) -> (u16, Vec<crate::helpers::Sse>) {
    app.stream_bytes(&format!("/api/sessions/{id}/audio"), audio, content_type)
        .await
}

fn error_code(events: &[crate::helpers::Sse]) -> (&str, &str) {
    let e = &events[0].data["error"];
    (e["code"].as_str().unwrap(), e["message"].as_str().unwrap())
}

async fn turn_count(app: &TestApp, id: &str) -> usize {
    app.stored_turns(id).await.len()
}

#[tokio::test]
async fn a_spoken_answer_streams_like_a_turn_and_is_stored_as_text_marked_spoken() {
    let mock = MockSpeech::start().await;
    mock.push_heard(Heard::Text {
        text: format!(" {SPOKEN} "),
        duration: Some(4.0),
    });
    let app = app_with_speech(&mock).await;
    let id = app.start_id(QUESTION).await;
    let wav = tone_wav(1.0);
    let (status, events) = speak(&app, &id, wav.clone(), "audio/wav").await;
    assert_eq!(status, 200, "{events:?}");
    assert_eq!(names(&events).first(), Some(&"turn"));
    assert_eq!(names(&events).last(), Some(&"done"));
    let turn = &events[0].data;
    assert_eq!(turn["content"], SPOKEN);
    assert_eq!(turn["spoken"], true);
    assert_eq!(turn["role"], "candidate");
    assert!(!reply_text(&events).is_empty());

    // What the transcription server received.
    let uploads = mock.uploads();
    assert_eq!(uploads.len(), 1);
    assert_eq!(uploads[0].file, wav);
    assert_eq!(uploads[0].file_name, "answer.wav");
    assert_eq!(uploads[0].file_type, "audio/wav");
    assert_eq!(uploads[0].model, "whisper-1");
    assert_eq!(uploads[0].response_format, "verbose_json");

    // Stored as text, marked spoken, in the session, the JSON and the Markdown transcripts.
    let (_, session) = app.get(&format!("/api/sessions/{id}")).await;
    let stored = &session["turns"][1];
    assert_eq!(stored["content"], SPOKEN);
    assert_eq!(stored["spoken"], true);
    assert_eq!(stored["speech_ms"], 4_000);
    assert!(
        session["turns"][0].get("spoken").is_none(),
        "the opening is not spoken"
    );
    let (_, json) = app
        .get(&format!("/api/sessions/{id}/transcript?format=json"))
        .await;
    assert_eq!(json["session"]["turns"][1]["spoken"], true);
    let md = app
        .client
        .get(app.url(&format!("/api/sessions/{id}/transcript")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        md.contains("**Candidate** ·") && md.contains("(spoken)"),
        "{md}"
    );
    assert!(md.contains(SPOKEN), "{md}");
}

#[tokio::test]
async fn the_scorecard_notes_fillers_and_pace_of_spoken_answers_without_moving_a_score() {
    let mock = MockSpeech::start().await;
    let app = app_with_speech(&mock).await;
    let answers = [
        SPOKEN,
        "Basically I'd put a retriever over a vector index, um, with a reranker, and cache frequent answers.",
    ];
    let spoken = app.start_id(QUESTION).await;
    let typed = app.start_id(QUESTION).await;
    for answer in answers {
        mock.push_heard(Heard::Text {
            text: answer.to_string(),
            duration: Some(6.0),
        });
        let (status, events) = speak(&app, &spoken, tone_wav(0.5), "audio/wav").await;
        assert_eq!(status, 200, "{events:?}");
        app.say(&typed, answer).await;
    }
    let spoken_card = app.finish(&spoken).await;
    let typed_card = app.finish(&typed).await;
    assert_eq!(dim_scores(&spoken_card), dim_scores(&typed_card));
    assert_eq!(spoken_card["overall"], typed_card["overall"]);

    let speech = &spoken_card["speech"];
    assert_eq!(speech["answers"], 2);
    let words = speech["words"].as_u64().unwrap();
    // 12 s of speech in all.
    assert_eq!(
        speech["words_per_minute"].as_u64().unwrap(),
        (words as f64 * 5.0).round() as u64
    );
    let fillers = named_counts(&speech["fillers"], "filler", "count");
    assert_eq!(
        fillers,
        [
            ("um".to_string(), 2),
            ("basically".to_string(), 1),
            ("like".to_string(), 1)
        ]
    );
    let communication = spoken_card["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "communication")
        .unwrap();
    let feedback = communication["feedback"].as_str().unwrap();
    assert!(feedback.contains("Spoken answers (2)"), "{feedback}");
    assert!(feedback.contains("words per minute"), "{feedback}");
    assert!(feedback.contains("\"um\" ×2"), "{feedback}");
    assert!(typed_card.get("speech").is_none(), "{typed_card}");
}

#[tokio::test]
async fn an_unsupported_type_is_refused_naming_the_supported_ones() {
    let mock = MockSpeech::start().await;
    let app = app_with_speech(&mock).await;
    let id = app.start_id(QUESTION).await;
    for ct in ["audio/mp4", "application/json", "text/plain"] {
        let (status, events) = speak(&app, &id, tone_wav(0.1), ct).await;
        assert_eq!(status, 415, "{ct}");
        let (code, message) = error_code(&events);
        assert_eq!(code, "unsupported_media_type");
        for t in ["audio/wav", "audio/webm", "audio/ogg", "audio/mpeg"] {
            assert!(message.contains(t), "{message}");
        }
    }
    // Parameters are fine.
    mock.push_heard(Heard::Text {
        text: "Hello there.".into(),
        duration: None,
    });
    let (status, _) = speak(
        &app,
        &id,
        b"\x1aE\xdf\xa3 webm".to_vec(),
        "audio/webm;codecs=opus",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(mock.uploads().len(), 1);
    assert_eq!(mock.uploads()[0].file_name, "answer.webm");
}

#[tokio::test]
async fn a_recording_over_the_limit_is_refused_with_413_before_transcription() {
    let mock = MockSpeech::start().await;
    let url = mock.base_url.clone();
    let app = spawn_app_with(move |a| {
        a.speech.stt_base_url = Some(url);
        a.speech.max_audio_mb = 1;
    })
    .await;
    let id = app.start_id(QUESTION).await;
    let (status, events) = speak(&app, &id, vec![0u8; 1024 * 1024 + 1], "audio/ogg").await;
    assert_eq!(status, 413);
    assert_eq!(error_code(&events).0, "audio_too_large");
    assert!(mock.uploads().is_empty());
    assert_eq!(turn_count(&app, &id).await, 1);
}

#[tokio::test]
async fn a_failing_transcription_server_stores_nothing() {
    let mock = MockSpeech::start().await;
    let app = app_with_speech(&mock).await;
    let id = app.start_id(QUESTION).await;
    // 5xx is retried (once here), then given up.
    mock.push_heard(Heard::Status(503));
    mock.push_heard(Heard::Status(503));
    let (status, events) = speak(&app, &id, tone_wav(0.2), "audio/wav").await;
    assert_eq!(status, 502, "{events:?}");
    let (code, message) = error_code(&events);
    assert_eq!(code, "speech_upstream_failed");
    assert!(message.contains("nothing was stored"), "{message}");
    assert_eq!(mock.uploads().len(), 2);
    // A 4xx is not retried.
    mock.push_heard(Heard::Status(400));
    let (status, _) = speak(&app, &id, tone_wav(0.2), "audio/wav").await;
    assert_eq!(status, 502);
    assert_eq!(mock.uploads().len(), 3);
    assert_eq!(turn_count(&app, &id).await, 1);

    // A server that is not there at all.
    let gone = spawn_app_with(|a| {
        a.speech.stt_base_url = Some("http://127.0.0.1:9/v1".into());
        a.llm_retries = 0;
    })
    .await;
    let id = gone.start_id(QUESTION).await;
    let (status, events) = speak(&gone, &id, tone_wav(0.2), "audio/wav").await;
    assert_eq!(status, 502);
    assert_eq!(error_code(&events).0, "speech_upstream_failed");
    assert_eq!(turn_count(&gone, &id).await, 1);
}

#[tokio::test]
async fn an_empty_transcription_is_a_400_and_stores_nothing() {
    let mock = MockSpeech::start().await;
    let app = app_with_speech(&mock).await;
    let id = app.start_id(QUESTION).await;
    mock.push_heard(Heard::Text {
        text: "  \n".into(),
        duration: Some(1.0),
    });
    let (status, events) = speak(&app, &id, tone_wav(0.2), "audio/wav").await;
    assert_eq!(status, 400);
    assert_eq!(error_code(&events).0, "empty_transcription");
    assert_eq!(turn_count(&app, &id).await, 1);
}

#[tokio::test]
async fn without_a_speech_server_the_room_is_told_to_use_the_browser() {
    let app = spawn_app().await;
    let (_, health) = app.get("/healthz").await;
    assert_eq!(health["speech"]["stt"], "browser");
    assert_eq!(health["speech"]["tts"], "browser");
    let id = app.start_id(QUESTION).await;
    let (status, events) = speak(&app, &id, tone_wav(0.2), "audio/wav").await;
    assert_eq!(status, 503);
    assert_eq!(error_code(&events).0, "speech_unavailable");
    let (status, body) = app.get(&format!("/api/sessions/{id}/turns/1/speech")).await;
    assert_eq!(status, 503);
    assert_eq!(body["error"]["code"], "speech_unavailable");
    assert_eq!(turn_count(&app, &id).await, 1);
}

#[tokio::test]
async fn speech_defaults_to_the_llm_server_and_key_and_can_be_set_apart() {
    let mock = MockSpeech::start().await;
    let url = mock.base_url.clone();
    let app = spawn_app_with(move |a| {
        a.llm = Some(mock_interviewer::config::LlmMode::Openai);
        a.llm_base_url = Some(url);
        a.api_key = Some("sk-llm".into());
        a.llm_retries = 0;
        a.speech.tts_base_url = Some("browser".into());
    })
    .await;
    let (_, health) = app.get("/healthz").await;
    assert_eq!(health["speech"]["stt"], "server");
    assert_eq!(health["speech"]["stt_model"], "whisper-1");
    assert_eq!(health["speech"]["tts"], "browser");
    let id = app.start_id(QUESTION).await;
    mock.push_heard(Heard::Text {
        text: "What is the latency target?".into(),
        duration: Some(2.0),
    });
    // The mock serves no chat: the offline interviewer stands in for the model, with a notice.
    let (status, events) = speak(&app, &id, tone_wav(0.2), "audio/wav").await;
    assert_eq!(status, 200, "{events:?}");
    assert_eq!(events[0].data["spoken"], true);
    assert_eq!(
        mock.uploads()[0].authorization.as_deref(),
        Some("Bearer sk-llm")
    );
}

#[tokio::test]
async fn a_server_without_verbose_json_is_asked_for_json_and_the_wav_gives_the_pace() {
    let mock = MockSpeech::start().await;
    let app = app_with_speech(&mock).await;
    let id = app.start_id(QUESTION).await;
    mock.push_heard(Heard::TextWithoutVerbose(
        "How many users are there?".into(),
    ));
    mock.push_heard(Heard::TextWithoutVerbose("And how many documents?".into()));
    let (status, events) = speak(&app, &id, tone_wav(1.5), "audio/wav").await;
    assert_eq!(status, 200, "{events:?}");
    let (status, _) = speak(&app, &id, tone_wav(0.5), "audio/x-wav").await;
    assert_eq!(status, 200);
    let formats: Vec<String> = mock
        .uploads()
        .into_iter()
        .map(|u| u.response_format)
        .collect();
    // Refused once, then plain json from then on.
    assert_eq!(formats, ["verbose_json", "json", "json"]);
    let turns = app.stored_turns(&id).await;
    let spoken: Vec<_> = turns.iter().filter(|t| t.spoken).collect();
    assert_eq!(spoken.len(), 2);
    assert_eq!(spoken[0].speech_ms, Some(1_500));
    assert_eq!(spoken[1].speech_ms, Some(500));
}

#[tokio::test]
async fn an_interviewer_turn_is_read_aloud_by_the_speech_server() {
    let mock = MockSpeech::start().await;
    let app = app_with_speech(&mock).await;
    let session = app.start(QUESTION).await;
    let id = session["id"].as_str().unwrap();
    let opening = &session["turns"][0];
    let turn_id = opening["id"].as_i64().unwrap();
    let mp3 = b"ID3\x04fake mp3 frames".to_vec();
    mock.push_said(Said::Audio(mp3.clone()));
    let r = app
        .client
        .get(app.url(&format!("/api/sessions/{id}/turns/{turn_id}/speech")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "audio/mpeg");
    assert_eq!(r.bytes().await.unwrap().to_vec(), mp3);
    let sent = &mock.speech_requests()[0];
    assert_eq!(sent["model"], "tts-1");
    assert_eq!(sent["voice"], "alloy");
    assert_eq!(sent["response_format"], "mp3");
    let input = sent["input"].as_str().unwrap();
    let markdown = opening["content"].as_str().unwrap();
    assert!(markdown.contains("**"), "the opening has Markdown to drop");
    assert!(!input.contains("**"), "Markdown read aloud: {input}");
    assert!(!input.lines().any(|l| l.starts_with("- ")), "{input}");
    assert!(!input.is_empty());

    let (status, body) = app
        .get(&format!("/api/sessions/{id}/turns/999999/speech"))
        .await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "turn_not_found");
    let (status, body) = app.get("/api/sessions/nope/turns/1/speech").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "session_not_found");
    mock.push_said(Said::Status(400));
    let (status, body) = app
        .get(&format!("/api/sessions/{id}/turns/{turn_id}/speech"))
        .await;
    assert_eq!(status, 502);
    assert_eq!(body["error"]["code"], "speech_upstream_failed");
    let (_, health) = app.get("/healthz").await;
    assert_eq!(health["speech"]["tts"], "server");
    assert_eq!(health["speech"]["tts_voice"], "alloy");
}

/// Real speech: espeak-ng says a clarifying question into a WAV, which goes through the service to
/// the mock, which checks it received that WAV, whole and of the right length.
#[tokio::test]
async fn real_audio_from_espeak_goes_through_the_service() {
    let required = std::env::var("MOCK_INTERVIEWER_REQUIRE_ESPEAK").is_ok_and(|v| v == "1");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answer.wav");
    let text = "How many support articles are there, and what latency do you need?";
    let made = std::process::Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "160", "-w"])
        .arg(&path)
        .arg(text)
        .status();
    match made {
        Ok(s) if s.success() => {}
        other => {
            assert!(!required, "espeak-ng is required but failed: {other:?}");
            // Straight to stderr: the harness swallows `eprintln!` of a passing test.
            let _ = writeln!(
                std::io::stderr(),
                "\nnotice: voice test SKIPPED: espeak-ng not found; install Debian's `espeak-ng` \
                 (.ci/run does) to run it (set MOCK_INTERVIEWER_REQUIRE_ESPEAK=1 to make this a failure)\n"
            );
            return;
        }
    }
    let wav = std::fs::read(&path).unwrap();
    let length_ms = {
        let r = hound::WavReader::new(Cursor::new(&wav)).unwrap();
        i64::from(r.duration()) * 1000 / i64::from(r.spec().sample_rate)
    };
    assert!(length_ms > 1_000, "espeak said something: {length_ms} ms");

    let mock = MockSpeech::start().await;
    // A server that gives no duration: the pace comes from the WAV header.
    mock.push_heard(Heard::TextWithoutVerbose(text.into()));
    let app = app_with_speech(&mock).await;
    let id = app.start_id(QUESTION).await;
    let (status, events) = speak(&app, &id, wav.clone(), "audio/wav").await;
    assert_eq!(status, 200, "{events:?}");
    assert_eq!(events[0].data["content"], text);

    let received = mock.uploads().pop().unwrap();
    assert_eq!(received.file, wav, "the recording arrived whole");
    let heard = hound::WavReader::new(Cursor::new(&received.file)).expect("a valid WAV");
    let spec = heard.spec();
    assert_eq!(spec.channels, 1);
    assert_eq!(
        i64::from(heard.duration()) * 1000 / i64::from(spec.sample_rate),
        length_ms
    );
    let stored = app.stored_turns(&id).await;
    let turn = stored.iter().find(|t| t.spoken).unwrap();
    assert_eq!(turn.speech_ms, Some(length_ms));
    assert_eq!(turn.content, text);
    let card = app.finish(&id).await;
    let wpm = card["speech"]["words_per_minute"].as_u64().unwrap();
    // espeak-ng at 160 words per minute, with its pauses.
    assert!((100..=200).contains(&wpm), "{wpm}");
}

#[tokio::test]
async fn no_transcription_is_paid_for_a_missing_or_finished_session() {
    let mock = MockSpeech::start().await;
    let app = app_with_speech(&mock).await;
    let (status, events) = speak(&app, "no-such-session", tone_wav(0.2), "audio/wav").await;
    assert_eq!(status, 404);
    assert_eq!(error_code(&events).0, "session_not_found");
    let id = app.start_id(QUESTION).await;
    app.finish(&id).await;
    let (status, events) = speak(&app, &id, tone_wav(0.2), "audio/wav").await;
    assert_eq!(status, 409);
    assert_eq!(error_code(&events).0, "session_finished");
    assert!(mock.uploads().is_empty());
}

#[tokio::test]
async fn a_recording_from_another_site_is_refused_before_transcription() {
    let mock = MockSpeech::start().await;
    let app = app_with_speech(&mock).await;
    let id = app.start_id(QUESTION).await;
    for (header, value) in [
        ("origin", "http://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let r = app
            .client
            .post(app.url(&format!("/api/sessions/{id}/audio")))
            .header("content-type", "audio/wav")
            .header(header, value)
            .body(tone_wav(0.2))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{header}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "cross_site_request");
    }
    assert!(mock.uploads().is_empty());
    assert_eq!(turn_count(&app, &id).await, 1);
}
