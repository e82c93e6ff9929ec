//! S6: the same S1 workload through LiteLLM (started by `bench/litellm.sh`), against the service.

use super::q;
use super::s1::{Interleaved, US, added};
use crate::report::{Figure, Run};

/// The S6 figures, when LiteLLM took part.
pub fn figures(m: &Interleaved, run: &mut Run) {
    if !m.with_litellm {
        return;
    }
    let added_service = (q(&m.ttft_s, 0.5) - q(&m.ttft_d, 0.5)).max(1.0);
    let added_litellm = q(&m.ttft_l, 0.5) - q(&m.ttft_d, 0.5);
    run.push(Figure::info(
        "S6 LiteLLM added TTFT p50",
        added_litellm / US,
        "us",
    ));
    run.push(Figure::info(
        "S6 LiteLLM added TTFT p99",
        added(&m.ttft_l, &m.ttft_d, 0.99),
        "us",
    ));
    run.push(Figure::info(
        "S6 LiteLLM added chunk delivery p50",
        added(&m.chunk_l, &m.chunk_d, 0.5),
        "us",
    ));
    run.push(Figure::at_least(
        "S6 added TTFT ratio LiteLLM/service",
        added_litellm / added_service,
        "x",
        10.0,
    ));
    let cpu_l = m.litellm_cpu as f64 / m.turns;
    let cpu_s = (m.service_cpu as f64 / m.turns).max(1.0);
    run.push(Figure::info("S6 LiteLLM CPU per reply", cpu_l / US, "us"));
    run.push(Figure::at_least(
        "S6 CPU per reply ratio LiteLLM/service",
        cpu_l / cpu_s,
        "x",
        10.0,
    ));
}
