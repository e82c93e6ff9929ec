//! `calibrate --llm`: the LLM judge run over the corpus against scripted mock judges served by an
//! OpenAI-compatible server on 127.0.0.1 (started inside the command): an honest judge that gives the
//! raters' scores with the candidate's real sentences, a generous one that adds a point everywhere,
//! and a manipulated one that gives 4s and quotes whatever injected text it was shown. Each goes
//! through the real judge path (prompt, HTTP call, validation, evidence bound); the report shows how
//! far each moved the cards.

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::routing::post;
use serde::Serialize;
use serde_json::{Value, json};

use crate::content::Catalog;
use crate::domain::TurnRole;
use crate::interview::prompt_context::load_prompts;
use crate::llm::openai::{OpenAiLlm, OpenAiSettings};
use crate::scoring::argument::{Class, analyze};
use crate::scoring::input::ScoringInput;
use crate::scoring::judging::{self, JudgeInput};
use crate::scoring::offline;
use crate::storage::TurnRow;

use super::corpus::{Corpus, Role, Transcript};
use super::evaluate::{Report, Scored, Selection, evaluate};
use super::replay;
use super::run::Options;
use super::thresholds::Thresholds;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Script {
    Honest,
    Generous,
    Manipulated,
}

impl Script {
    fn name(self) -> &'static str {
        match self {
            Script::Honest => "honest",
            Script::Generous => "generous",
            Script::Manipulated => "manipulated",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct JudgeRun {
    pub judge: String,
    /// Transcripts the judged card lifted in some dimension over the offline card.
    pub lifted_transcripts: usize,
    /// Dimension scores lifted over the offline card, in all.
    pub lifted_dimensions: usize,
    /// Labelled weak (no_hire or below) transcripts the judge lifted to hire, above 30 or above 2 in
    /// more than one dimension.
    pub weak_broken: Vec<String>,
    /// Manipulated transcripts the judge lifted at all.
    pub manipulated_lifted: Vec<String>,
    pub report: Report,
    pub failures: Vec<String>,
}

type Queue = Arc<Mutex<VecDeque<String>>>;

async fn chat(State(queue): State<Queue>, _body: axum::Json<Value>) -> axum::Json<Value> {
    let text = queue
        .lock()
        .map(|mut q| q.pop_front())
        .ok()
        .flatten()
        .unwrap_or_else(|| "no script".to_string());
    axum::Json(json!({
        "id": "mock", "object": "chat.completion", "created": 1, "model": "mock-judge",
        "choices": [{ "index": 0, "message": { "role": "assistant", "content": text }, "finish_reason": "stop" }],
        "usage": { "prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2 },
    }))
}

/// Starts the scripted judge server on loopback; returns its base URL and its queue.
async fn start_mock() -> Result<(String, Queue), String> {
    let queue: Queue = Arc::default();
    let app = Router::new()
        .route("/v1/chat/completions", post(chat))
        .with_state(queue.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot bind the mock judge: {e}"))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("mock judge address: {e}"))?
        .port();
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "the mock judge stopped");
        }
    });
    Ok((format!("http://127.0.0.1:{port}/v1"), queue))
}

fn rows(t: &Transcript) -> Vec<TurnRow> {
    t.turns
        .iter()
        .enumerate()
        .map(|(i, turn)| {
            let role = match turn.role {
                Role::Interviewer => TurnRole::Interviewer,
                Role::Candidate => TurnRole::Candidate,
            };
            TurnRow::typed(i as i64 + 1, &t.id, role, &turn.phase, &turn.content)
        })
        .collect()
}

/// What a scripted judge replies for one transcript.
fn script_reply(
    script: Script,
    labels: &BTreeMap<String, u8>,
    citable: &BTreeMap<String, Vec<String>>,
    injected: &[String],
) -> String {
    let dims: Vec<Value> = labels
        .iter()
        .map(|(id, &label)| {
            let real: Vec<String> = citable.get(id).cloned().unwrap_or_default();
            let (score, evidence) = match script {
                Script::Honest => (label, real),
                Script::Generous => ((label + 1).min(4), real),
                Script::Manipulated => {
                    let mut e: Vec<String> = injected.to_vec();
                    e.extend(real.into_iter().take(1));
                    (4, e)
                }
            };
            json!({ "id": id, "score": score, "evidence": evidence, "feedback": format!("{} judge", script.name()) })
        })
        .collect();
    json!({ "dimensions": dims, "strengths": [], "improvements": [] }).to_string()
}

pub async fn run_all(catalog: &Catalog, opts: &Options) -> Result<Vec<JudgeRun>, String> {
    let corpus = Corpus::load(&opts.dir).map_err(|e| e.to_string())?;
    let (bar, _) = Thresholds::load(&opts.dir)?;
    let prompts = load_prompts(opts.prompts_root.as_deref()).map_err(|e| e.to_string())?;
    let (base_url, queue) = start_mock().await?;
    let llm = OpenAiLlm::new(OpenAiSettings {
        base_url,
        api_key: None,
        model: "mock-judge".into(),
        judge_model: "mock-judge".into(),
        timeout: Duration::from_secs(10),
        retries: 0,
        max_retry_after: Duration::from_secs(1),
    })
    .map_err(|e| e.to_string())?;
    let sel = Selection {
        corpus: &corpus,
        catalog,
        split: opts.split,
        provisional: opts.provisional,
    };
    let mut offline_scored: BTreeMap<String, Scored> = BTreeMap::new();
    let mut runs = Vec::new();
    for script in [Script::Honest, Script::Generous, Script::Manipulated] {
        let mut scored = BTreeMap::new();
        let (mut lifted_transcripts, mut lifted_dimensions) = (0, 0);
        let mut weak_broken = Vec::new();
        let mut manipulated_lifted = Vec::new();
        for t in sel.transcripts() {
            let (Some(entry), Some(consensus)) =
                (catalog.question(&t.question_id), sel.consensus(t))
            else {
                continue;
            };
            let turns = replay::turn_texts(t);
            let reveals = replay::reveals(entry, &turns);
            let input = ScoringInput {
                session_id: &t.id,
                entry,
                lexicon: &catalog.lexicon,
                level: t.level,
                turns: &turns,
                reveals: &reveals,
                created_at: String::new(),
            };
            let (anchor, bound) = offline::score_bounded(&input);
            let arg = analyze(&input);
            let labels: BTreeMap<String, u8> = entry
                .rubric
                .dimensions
                .iter()
                .filter_map(|d| Some((d.id.clone(), consensus.rounded(&d.id)?)))
                .collect();
            let citable: BTreeMap<String, Vec<String>> = bound
                .dims
                .iter()
                .map(|d| {
                    let from_card: Vec<String> = anchor
                        .dimensions
                        .iter()
                        .find(|x| x.id == d.id)
                        .map(|x| x.evidence.iter().map(|e| e.quote.clone()).collect())
                        .unwrap_or_default();
                    let quotes = if from_card.is_empty() {
                        d.citable.iter().take(2).map(|(_, q)| q.clone()).collect()
                    } else {
                        from_card
                    };
                    (d.id.clone(), quotes)
                })
                .collect();
            let injected: Vec<String> = arg
                .sentences
                .iter()
                .filter(|s| !matches!(s.class, Class::Working | Class::Question | Class::Plain))
                .take(3)
                .map(|s| s.quote.clone())
                .collect();
            if let Ok(mut q) = queue.lock() {
                q.push_back(script_reply(script, &labels, &citable, &injected));
            }
            let turn_rows = rows(t);
            let revealed: Vec<String> = reveals.iter().map(|r| r.fact_id.clone()).collect();
            let judged = judging::judge(
                &llm,
                &prompts,
                JudgeInput {
                    session_id: &t.id,
                    entry,
                    level: t.level,
                    turns: &turn_rows,
                    revealed: &revealed,
                    anchor: anchor.clone(),
                    bound,
                },
            )
            .await;
            if let Ok(mut q) = queue.lock() {
                q.clear();
            }
            let card = judged.card;
            let lifted = card
                .dimensions
                .iter()
                .filter(|d| {
                    anchor
                        .dimensions
                        .iter()
                        .any(|a| a.id == d.id && d.score > a.score)
                })
                .count();
            if lifted > 0 {
                lifted_transcripts += 1;
                lifted_dimensions += lifted;
                if t.manipulation.is_some() {
                    manipulated_lifted.push(t.id.clone());
                }
            }
            let weak = consensus.recommendation <= bar.manipulation.max_recommendation;
            let above_two = card.dimensions.iter().filter(|d| d.score > 2).count();
            if weak
                && lifted > 0
                && (card.overall.recommendation > bar.manipulation.max_recommendation
                    || card.overall.score > bar.manipulation.max_overall
                    || above_two > bar.manipulation.max_dims_above_two)
            {
                weak_broken.push(t.id.clone());
            }
            offline_scored
                .entry(t.id.clone())
                .or_insert_with(|| scored_of(&anchor));
            scored.insert(t.id.clone(), scored_of(&card));
        }
        // Bases of manipulated transcripts may sit in the same split only; keep the offline cards for
        // any that were not judged so lifts are measured against something.
        for (id, s) in &offline_scored {
            scored.entry(id.clone()).or_insert_with(|| s.clone());
        }
        let report = evaluate(&sel, &scored, &bar);
        let mut failures = Vec::new();
        if script != Script::Honest {
            for id in &weak_broken {
                failures.push(format!("lifted weak transcript {id} past the bar"));
            }
        }
        if script == Script::Manipulated {
            for id in &manipulated_lifted {
                failures.push(format!("lifted manipulated transcript {id}"));
            }
        }
        runs.push(JudgeRun {
            judge: script.name().to_string(),
            lifted_transcripts,
            lifted_dimensions,
            weak_broken,
            manipulated_lifted,
            report,
            failures,
        });
    }
    Ok(runs)
}

fn scored_of(card: &crate::scoring::Scorecard) -> Scored {
    Scored {
        scores: card
            .dimensions
            .iter()
            .map(|d| (d.id.clone(), d.score))
            .collect(),
        overall: card.overall.score,
        recommendation: card.overall.recommendation,
    }
}

pub fn render(out: &mut String, runs: &[JudgeRun]) {
    let _ = writeln!(
        out,
        "\n== the LLM judge against scripted mock judges (evidence-bounded)"
    );
    for r in runs {
        let mean = |f: fn(&super::evaluate::DimensionReport) -> f64| {
            if r.report.dimensions.is_empty() {
                0.0
            } else {
                r.report.dimensions.iter().map(f).sum::<f64>() / r.report.dimensions.len() as f64
            }
        };
        let _ = writeln!(
            out,
            "{:<12} mean within-one {:>4.0}%  mean kappa {:.2}  recommendation exact {:>4.0}% / +-1 {:>4.0}%  pairwise {:>4.0}%  MAE {:.1}",
            r.judge,
            mean(|d| d.scorer.within_one) * 100.0,
            mean(|d| d.scorer.kappa),
            r.report.recommendation.exact * 100.0,
            r.report.recommendation.within_one * 100.0,
            r.report.pairwise.agreement * 100.0,
            r.report.overall_mae
        );
        let _ = writeln!(
            out,
            "{:<12} lifted {} dimension score(s) over the offline card in {} transcript(s); manipulated transcripts lifted: {}; transcripts labelled no_hire or below lifted past the manipulation bar: {}",
            "",
            r.lifted_dimensions,
            r.lifted_transcripts,
            r.manipulated_lifted.len(),
            r.weak_broken.len()
        );
    }
}
