//! `calibrate --llm`: the judge run against scripted mock judges (honest, generous, manipulated).

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct JudgeRun {
    pub judge: String,
    pub failures: Vec<String>,
}

pub fn render(_out: &mut String, _runs: &[JudgeRun]) {}

pub async fn run_all(
    _catalog: &crate::content::Catalog,
    _opts: &super::run::Options,
) -> Result<Vec<JudgeRun>, String> {
    Ok(Vec::new())
}
