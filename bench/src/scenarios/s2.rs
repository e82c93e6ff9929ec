//! S2: what the service's relaying costs in CPU per chunk, beside the baseline relay, read from the
//! S1 workload.

use super::s1::{Interleaved, US};
use crate::report::{Figure, Run};

/// The S2 figures.
pub fn figures(m: &Interleaved, run: &mut Run) {
    let per_chunk = m.service_cpu as f64 / (m.turns * m.chunks) / US;
    run.push(Figure::at_most(
        "S2 service CPU per relayed chunk",
        per_chunk,
        "us",
        15.0,
    ));
    run.push(Figure::info(
        "S2 service CPU per turn",
        m.service_cpu as f64 / m.turns / US,
        "us",
    ));
    run.push(Figure::info(
        "S2 service threads put on a CPU per relayed chunk",
        m.service_runs as f64 / (m.turns * m.chunks),
        "",
    ));
    let relay_per_chunk = m.relay_cpu as f64 / (m.turns * m.chunks) / US;
    run.push(Figure::info(
        "S2 baseline relay CPU per relayed chunk",
        relay_per_chunk,
        "us",
    ));
    run.push(Figure::info(
        "S2 baseline relay threads put on a CPU per relayed chunk",
        m.relay_runs as f64 / (m.turns * m.chunks),
        "",
    ));
    run.push(Figure::info(
        "S2 service CPU per chunk / baseline relay's",
        per_chunk / relay_per_chunk.max(0.001),
        "x",
    ));
    run.push(Figure::info(
        "S2 CPU per chunk from /proc/PID/stat (ticks, whole S1)",
        m.stat_cpu as f64 / (m.turns * m.chunks) / US,
        "us",
    ));
}
