//! The interview at the prompt: reads entries, builds the answer, sends it on an empty line, runs the
//! commands, and relays each turn stream to the renderer as it comes. Ctrl-C while a reply streams
//! stops printing it (the server keeps what was said, marked incomplete).

use std::future::Future;
use std::io::Stdout;
use std::path::Path;

use futures::StreamExt;

use super::PracticeError;
use super::attach::{self, DiagramCheck};
use super::client::{Client, ClientError, EventStream, StreamEvent};
use super::commands::{self, Answer, Command, Input};
use super::editor::{Editor, Read};
use super::render::Renderer;
use super::wire::Session;

const PROMPT: &str = "you> ";
const MORE: &str = "...> ";

/// How an interview at the prompt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Finished,
    Left,
}

pub struct Room<'a> {
    pub client: &'a Client,
    pub ui: &'a mut Renderer<Stdout>,
    pub editor: &'a mut Editor,
    pub session: Session,
    answer: Answer,
}

/// `fut`, unless Ctrl-C comes first (`None`).
async fn interruptible<F: Future>(fut: F) -> Option<F::Output> {
    tokio::select! {
        out = fut => Some(out),
        _ = tokio::signal::ctrl_c() => None,
    }
}

impl<'a> Room<'a> {
    pub fn new(
        client: &'a Client,
        ui: &'a mut Renderer<Stdout>,
        editor: &'a mut Editor,
        session: Session,
    ) -> Self {
        Room {
            client,
            ui,
            editor,
            session,
            answer: Answer::default(),
        }
    }

    pub async fn run(&mut self) -> Result<Outcome, PracticeError> {
        loop {
            let prompt = if self.answer.is_empty() { PROMPT } else { MORE };
            let entry = match self.editor.read(prompt).await? {
                Read::Eof => return Ok(self.leave()),
                Read::Interrupted => {
                    if !self.answer.is_empty() {
                        self.answer.clear();
                        self.ui.info("(answer cleared)");
                    }
                    continue;
                }
                Read::Entry(entry) => entry,
            };
            match commands::parse(&entry) {
                Err(e) => self.ui.error(&e.to_string()),
                Ok(Input::Text(text)) => self.answer.push_text(&text),
                Ok(Input::Send) => {
                    if self.answer.is_empty() {
                        self.ui.info("(type your answer, then an empty line to send it; /help lists the commands)");
                    } else if let Some(outcome) = self.send().await? {
                        return Ok(outcome);
                    }
                }
                Ok(Input::Command(c)) => {
                    if let Some(outcome) = self.command(c).await? {
                        return Ok(outcome);
                    }
                }
            }
        }
    }

    async fn command(&mut self, c: Command) -> Result<Option<Outcome>, PracticeError> {
        match c {
            Command::Help => self.ui.plain(commands::HELP),
            Command::Quit => return Ok(Some(self.leave())),
            Command::Time => {
                if let Some(got) = interruptible(self.client.session(&self.session.id)).await {
                    match got {
                        Ok(s) => {
                            self.session = s;
                            self.ui.time(&self.session);
                        }
                        Err(e) => return self.failed(e).await,
                    }
                }
            }
            Command::Next => {
                self.keep_note();
                let opened = interruptible(self.client.advance(&self.session.id)).await;
                return self.relay_opened(opened).await;
            }
            Command::Hint => {
                self.keep_note();
                let opened = interruptible(self.client.hint(&self.session.id)).await;
                return self.relay_opened(opened).await;
            }
            Command::Diagram(path) => self.attach_diagram(&path).await,
            Command::Code(path) => {
                let lang = attach::language_for(&path);
                if let Some(body) = self.read_file(&path) {
                    self.attach(&path, &lang, "code", &body, "");
                }
            }
            Command::Finish => {
                if !self.answer.is_empty() {
                    self.ui.error(
                        "you have an answer you have not sent: send it with an empty line (or clear it \
                         with Ctrl-C), then /finish",
                    );
                    return Ok(None);
                }
                self.ui.info("(scoring the interview...)");
                if let Some(got) = interruptible(self.client.finish(&self.session.id)).await {
                    match got {
                        Ok(card) => {
                            self.ui.scorecard(&card);
                            return Ok(Some(Outcome::Finished));
                        }
                        Err(e) => return self.failed(e).await,
                    }
                }
            }
        }
        Ok(None)
    }

    fn read_file(&mut self, path: &Path) -> Option<String> {
        match attach::read_attachment(path) {
            Ok(body) => Some(body),
            Err(e) => {
                self.ui.error(&e.to_string());
                None
            }
        }
    }

    /// Attaches a Mermaid file once the server has read it as the interviewer will (when it can).
    async fn attach_diagram(&mut self, path: &Path) {
        let Some(body) = self.read_file(path) else {
            return;
        };
        let Some(got) = interruptible(self.client.parse_diagram(&body)).await else {
            self.ui.info("(interrupted; nothing attached)");
            return;
        };
        match attach::diagram_check(path, got) {
            DiagramCheck::Unread(errors) => {
                for e in errors {
                    self.ui.error(&e);
                }
                self.ui
                    .info("(not attached: fix the file, then /diagram it again)");
            }
            DiagramCheck::Read {
                nodes,
                edges,
                unconnected,
            } => {
                let mut read =
                    format!("; the interviewer reads {nodes} box(es) and {edges} arrow(s)");
                if !unconnected.is_empty() {
                    read.push_str(&format!(
                        ", with {} joined to nothing",
                        unconnected.join(", ")
                    ));
                }
                self.attach(path, "mermaid", "diagram", &body, &read);
            }
            DiagramCheck::Unchecked => self.attach(path, "mermaid", "diagram", &body, ""),
        }
    }

    fn attach(&mut self, path: &Path, language: &str, what: &str, body: &str, read: &str) {
        let lines = self.answer.attach(language, body);
        self.ui.info(&format!(
            "(attached {} as a ```{language} {what} block, {lines} line(s){read}; an empty line sends the answer)",
            path.display()
        ));
        if self.answer.len() > attach::MAX_ANSWER_BYTES {
            self.ui.error(&format!(
                "the answer is now {} bytes, over the {} the server takes: Ctrl-C clears it",
                self.answer.len(),
                attach::MAX_ANSWER_BYTES
            ));
        }
    }

    fn keep_note(&mut self) {
        if !self.answer.is_empty() {
            self.ui
                .info("(your unsent answer is kept: an empty line sends it)");
        }
    }

    fn leave(&mut self) -> Outcome {
        if !self.answer.is_empty() {
            self.ui.info("(the unsent answer was dropped)");
        }
        Outcome::Left
    }

    async fn send(&mut self) -> Result<Option<Outcome>, PracticeError> {
        let text = self.answer.text();
        let opened = interruptible(self.client.turn(&self.session.id, &text)).await;
        if matches!(opened, Some(Ok(_))) {
            // The server has committed the turn: the answer is sent.
            self.answer.clear();
        }
        self.relay_opened(opened).await
    }

    async fn relay_opened(
        &mut self,
        opened: Option<Result<EventStream, ClientError>>,
    ) -> Result<Option<Outcome>, PracticeError> {
        match opened {
            None => {
                self.ui.info("(interrupted)");
                Ok(None)
            }
            Some(Err(e)) => self.failed(e).await,
            Some(Ok(events)) => {
                self.relay(events).await;
                Ok(None)
            }
        }
    }

    /// Prints a turn stream as it comes, following the phase.
    async fn relay(&mut self, mut events: EventStream) {
        let interrupt = tokio::signal::ctrl_c();
        tokio::pin!(interrupt);
        // Every stream closes with `done` or `error`; one that just stops was cut on the way.
        let mut closed = false;
        loop {
            tokio::select! {
                next = events.next() => match next {
                    Some(Ok(e)) => {
                        match &e {
                            StreamEvent::Phase { to, .. } => self.session.phase = to.clone(),
                            StreamEvent::Done { phase, .. } => {
                                self.session.phase = phase.clone();
                                closed = true;
                            }
                            StreamEvent::Error { .. } => closed = true,
                            _ => {}
                        }
                        self.ui.event(&self.session, &e);
                    }
                    Some(Err(e)) => {
                        self.ui.error(&e.to_string());
                        return;
                    }
                    None => {
                        if !closed {
                            self.ui.error("the reply was cut off: the server closed the stream before its end");
                        }
                        self.ui.end_reply();
                        return;
                    }
                },
                _ = &mut interrupt => {
                    self.ui.end_reply();
                    self.ui.info("(reply interrupted; the interviewer keeps what it said so far)");
                    return;
                }
            }
        }
    }

    /// Shows an API error; a session finished elsewhere (the web room) shows its scorecard and ends.
    async fn failed(&mut self, e: ClientError) -> Result<Option<Outcome>, PracticeError> {
        match e.code() {
            Some("session_finished") => {
                self.ui.info("(this session has been finished)");
                let card = self.client.scorecard(&self.session.id).await?;
                self.ui.scorecard(&card);
                Ok(Some(Outcome::Finished))
            }
            Some("last_phase") => {
                self.ui.error(
                    "this is the last phase: /finish ends the interview and shows the scorecard",
                );
                Ok(None)
            }
            Some(_) => {
                self.ui.error(&e.to_string());
                Ok(None)
            }
            // Not an answer from the API (unreachable, refused token): nothing more can be done here.
            None => Err(e.into()),
        }
    }
}
