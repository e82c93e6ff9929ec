//! Figures, their targets, and the table and JSON they end up in (min/median/max over runs).

use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    None,
    AtMost(f64),
    AtLeast(f64),
    /// Must be zero: counted failures.
    Zero,
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: String,
    pub target: Target,
}

impl Figure {
    pub fn info(name: &str, value: f64, unit: &str) -> Figure {
        Figure {
            name: name.into(),
            value,
            unit: unit.into(),
            target: Target::None,
        }
    }
    pub fn at_most(name: &str, value: f64, unit: &str, max: f64) -> Figure {
        Figure {
            name: name.into(),
            value,
            unit: unit.into(),
            target: Target::AtMost(max),
        }
    }
    pub fn at_least(name: &str, value: f64, unit: &str, min: f64) -> Figure {
        Figure {
            name: name.into(),
            value,
            unit: unit.into(),
            target: Target::AtLeast(min),
        }
    }
    pub fn errors(name: &str, value: f64) -> Figure {
        Figure {
            name: name.into(),
            value,
            unit: "".into(),
            target: Target::Zero,
        }
    }
}

#[derive(Debug, Default)]
pub struct Run {
    pub figures: Vec<Figure>,
}

impl Run {
    pub fn push(&mut self, f: Figure) {
        eprintln!("  {:<62} {:>10.2} {}", f.name, f.value, f.unit);
        self.figures.push(f);
    }
}

pub struct Report {
    config: Value,
    runs: Vec<Run>,
}

struct Row {
    name: String,
    unit: String,
    target: Target,
    min: f64,
    median: f64,
    max: f64,
}

fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .unwrap_or_default()
        .trim()
        .to_string();
    json!({ "cpu": cpu, "cores": cores, "kernel": kernel })
}

impl Report {
    pub fn new(config: &Value, runs: Vec<Run>) -> Report {
        Report {
            config: config.clone(),
            runs,
        }
    }

    fn rows(&self) -> Vec<Row> {
        let Some(first) = self.runs.first() else {
            return Vec::new();
        };
        first
            .figures
            .iter()
            .map(|f| {
                let mut values: Vec<f64> = self
                    .runs
                    .iter()
                    .filter_map(|r| r.figures.iter().find(|g| g.name == f.name).map(|g| g.value))
                    .collect();
                values.sort_by(|a, b| a.total_cmp(b));
                Row {
                    name: f.name.clone(),
                    unit: f.unit.clone(),
                    target: f.target,
                    min: values[0],
                    median: values[values.len() / 2],
                    max: values[values.len() - 1],
                }
            })
            .collect()
    }

    fn verdict(target: Target, median: f64) -> &'static str {
        match target {
            Target::None => "",
            Target::AtMost(t) if median <= t => "met",
            Target::AtLeast(t) if median >= t => "met",
            Target::Zero if median == 0.0 => "met",
            _ => "MISSED",
        }
    }

    fn target_text(t: Target) -> String {
        match t {
            Target::None => String::new(),
            Target::AtMost(v) => format!("<= {v}"),
            Target::AtLeast(v) => format!(">= {v}"),
            Target::Zero => "0".into(),
        }
    }

    pub fn print(&self) {
        println!("\n| figure | min | median | max | unit | target | |");
        println!("|---|---:|---:|---:|---|---|---|");
        for r in self.rows() {
            println!(
                "| {} | {:.2} | {:.2} | {:.2} | {} | {} | {} |",
                r.name,
                r.min,
                r.median,
                r.max,
                r.unit,
                Self::target_text(r.target),
                Self::verdict(r.target, r.median)
            );
        }
    }

    pub fn any_errors(&self) -> bool {
        self.rows()
            .iter()
            .any(|r| r.target == Target::Zero && r.max > 0.0)
    }

    pub fn json(&self) -> Value {
        json!({
            "machine": machine(),
            "config": self.config,
            "figures": self.rows().iter().map(|r| json!({
                "name": r.name, "unit": r.unit, "min": r.min, "median": r.median, "max": r.max,
                "target": Self::target_text(r.target), "verdict": Self::verdict(r.target, r.median),
            })).collect::<Vec<_>>(),
            "runs": self.runs.iter().map(|run| run.figures.iter().map(|f| json!({"name": f.name, "value": f.value, "unit": f.unit})).collect::<Vec<_>>()).collect::<Vec<_>>(),
        })
    }
}
