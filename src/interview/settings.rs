//! How interviews use the model: what an unreachable upstream means, and the context budget; the
//! limits per client.

/// What to do when the upstream model cannot be reached before the first token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpstreamFailure {
    /// Answer with the offline interviewer, announced by a `notice` event.
    FallBackOffline,
    /// End the stream with an `error` event.
    Fail,
}

#[derive(Debug, Clone, Copy)]
pub struct InterviewSettings {
    pub on_upstream_failure: UpstreamFailure,
    /// The interviewer model's context window, in tokens.
    pub context_window: usize,
    /// Tokens kept free for the reply.
    pub max_reply_tokens: usize,
    /// Limits and quotas per client (see `quotas`).
    pub limits: super::quotas::Limits,
}

impl InterviewSettings {
    /// Tokens the prompt may use: the window less what the reply needs.
    pub fn prompt_budget(&self) -> usize {
        self.context_window.saturating_sub(self.max_reply_tokens)
    }
}
