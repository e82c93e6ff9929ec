//! The offline interviewer as an `Llm`: it renders the orchestrator's directive into words and streams
//! them in pieces, as a model would.

use futures::FutureExt;
use futures::future::BoxFuture;

use super::{Completion, InterviewRequest, JudgeRequest, Llm, LlmError, ReplyChunk, ReplyStream};
use crate::interview::offline;

#[derive(Debug, Default, Clone, Copy)]
pub struct OfflineInterviewer;

impl Llm for OfflineInterviewer {
    fn mode(&self) -> &'static str {
        "offline"
    }

    fn model(&self) -> Option<&str> {
        None
    }

    fn judge_model(&self) -> Option<&str> {
        None
    }

    fn reads_prompts(&self) -> bool {
        false
    }

    fn interview(&self, req: InterviewRequest) -> BoxFuture<'_, Result<ReplyStream, LlmError>> {
        let text = offline::reply(&req.directive);
        let chunks = offline::pieces(&text)
            .into_iter()
            .map(|p| Ok(ReplyChunk::Delta(p)))
            .chain(std::iter::once(Ok(ReplyChunk::Finished)));
        let stream: ReplyStream = Box::pin(futures::stream::iter(chunks));
        futures::future::ready(Ok(stream)).boxed()
    }

    fn judge(&self, _req: JudgeRequest) -> BoxFuture<'_, Result<Completion, LlmError>> {
        // The offline mode grades with the offline scorer directly; there is no judge model to call.
        futures::future::ready(Err(LlmError::Unavailable(
            "no judge model in offline mode".into(),
        )))
        .boxed()
    }
}
