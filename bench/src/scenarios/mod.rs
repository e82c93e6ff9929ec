//! The scenarios, one module each (BENCHMARKS.md says what each measures). S1, S2 and S6 read one
//! interleaved workload (`s1::measure`): S1 reports its latencies, S2 the CPU it cost, S6 LiteLLM's.

pub mod s1;
pub mod s2;
pub mod s3;
pub mod s4;
pub mod s5;
pub mod s6;

use std::process::Stdio;

use hdrhistogram::Histogram;

use crate::client;

pub const QUESTION: &str = "rag-customer-support";
pub const ANSWERS: [&str; 4] = [
    "How many documents are there, and what is the latency target?",
    "I'd put an API gateway in front, then hybrid retrieval over a vector database with a cross-encoder reranker, and an LLM that cites its sources.",
    "We chunk articles by heading into 400-token passages with overlap, and evaluate retrieval with recall at 10 on a golden set.",
    "The trade-off is model size: a small model is cheaper and faster at the cost of quality, so I route by difficulty.",
];

pub fn hist() -> Histogram<u64> {
    Histogram::new(3).expect("histogram")
}

pub fn q(h: &Histogram<u64>, p: f64) -> f64 {
    h.value_at_quantile(p) as f64
}

pub fn record(
    t: &client::Turn,
    chunks: usize,
    ttft: &mut Histogram<u64>,
    delivery: &mut Histogram<u64>,
    errors: &mut u64,
    lost: &mut u64,
) {
    if let Some(e) = &t.error {
        eprintln!("turn error: {e}");
        *errors += 1;
        return;
    }
    if t.tokens != chunks || !t.in_order {
        *lost += 1;
    }
    let _ = ttft.record(t.ttft_ns.max(1));
    for d in &t.deliveries {
        let _ = delivery.record((*d).max(1));
    }
}

pub fn taskset(cpus: &str, pid: u32) {
    let _ = std::process::Command::new("taskset")
        .args(["-a", "-p", "-c", cpus, &pid.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}
