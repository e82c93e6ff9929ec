//! What the practice mode prints: the question list, the question, the interviewer's replies as they
//! stream, phase changes and notices, the time left and the scorecard with its evidence. Colour only
//! on a terminal and never when `NO_COLOR` is set; without it the text reads the same.

mod scorecard;

use std::io::{IsTerminal, Write};

use anstyle::{AnsiColor, Style};

use super::client::StreamEvent;
use super::wire::{Question, Session};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const LABEL: Style = AnsiColor::Cyan.on_default().bold();
const BANNER: Style = AnsiColor::Magenta.on_default().bold();
const NOTICE: Style = AnsiColor::Yellow.on_default();
const ERROR: Style = AnsiColor::Red.on_default().bold();
const GOOD: Style = AnsiColor::Green.on_default().bold();

/// Colour on stdout: a terminal, `NO_COLOR` unset or empty (no-color.org), and not `TERM=dumb`.
pub fn color_wanted() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    std::io::stdout().is_terminal() && !no_color && !dumb
}

pub struct Renderer<W: Write> {
    out: W,
    color: bool,
    /// An interviewer reply is being printed (its label is out, its closing newline is not).
    in_reply: bool,
}

impl Renderer<std::io::Stdout> {
    pub fn stdout() -> Self {
        Renderer::new(std::io::stdout(), color_wanted())
    }
}

impl<W: Write> Renderer<W> {
    pub fn new(out: W, color: bool) -> Self {
        Renderer {
            out,
            color,
            in_reply: false,
        }
    }

    pub fn into_inner(self) -> W {
        self.out
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    // A closed terminal is not worth failing the interview over: the session is on the server.
    fn put(&mut self, text: &str) {
        let _ = self.out.write_all(text.as_bytes());
        let _ = self.out.flush();
    }

    fn line(&mut self, text: &str) {
        self.put(&format!("{text}\n"));
    }

    pub fn info(&mut self, text: &str) {
        self.end_reply();
        let t = self.paint(DIM, text);
        self.line(&t);
    }

    pub fn plain(&mut self, text: &str) {
        self.end_reply();
        self.line(text);
    }

    pub fn error(&mut self, text: &str) {
        self.end_reply();
        let t = format!("{} {text}", self.paint(ERROR, "error:"));
        self.line(&t);
    }

    pub fn question_list(&mut self, questions: &[Question]) {
        self.line(&self.paint(BOLD, "Questions"));
        let width = questions.len().to_string().len();
        for (i, q) in questions.iter().enumerate() {
            let t = format!(
                "{:>width$}. {}  {}",
                i + 1,
                q.title,
                self.paint(
                    DIM,
                    &format!(
                        "[{}, {} min] {}",
                        kind_name(&q.kind),
                        q.duration_minutes,
                        q.id
                    )
                ),
            );
            self.line(&t);
        }
    }

    /// The question's title, the plan of phases and the turns so far (the opening, or more
    /// when a session is resumed).
    pub fn session_intro(&mut self, s: &Session) {
        let q = &s.question;
        self.line("");
        let title = self.paint(
            BOLD,
            &format!("{} ({}, {})", q.title, kind_name(&q.kind), s.level),
        );
        self.line(&title);
        // The prompt itself is in the interviewer's opening turn, printed below.
        let plan: Vec<String> = s
            .phases
            .iter()
            .map(|p| format!("{} {} min", p.name, p.minutes))
            .collect();
        let plan = self.paint(DIM, &format!("Phases: {}", plan.join(" | ")));
        self.line(&plan);
        let tip = self.paint(
            DIM,
            &format!(
                "Session {}. An empty line sends your answer; /help lists the commands.",
                s.id
            ),
        );
        self.line(&tip);
        self.phase_banner(s, &s.phase);
        for t in &s.turns {
            if t.role == "candidate" {
                let label = self.paint(GOOD, "you>");
                self.line(&format!("{label} {}", t.content.trim()));
            } else {
                self.interviewer_turn(&t.content);
            }
        }
    }

    pub fn interviewer_turn(&mut self, content: &str) {
        self.end_reply();
        let label = self.paint(LABEL, "interviewer>");
        self.line(&format!("{label} {}", content.trim()));
        self.line("");
    }

    fn phase_banner(&mut self, s: &Session, phase: &str) {
        let n = s
            .phase_number(phase)
            .map(|n| format!(" (phase {n} of {})", s.phases.len()))
            .unwrap_or_default();
        let t = self.paint(BANNER, &format!("== {}{n} ==", s.phase_name(phase)));
        self.line(&t);
    }

    /// One event of a turn stream, printed as it comes.
    pub fn event(&mut self, s: &Session, e: &StreamEvent) {
        match e {
            StreamEvent::Turn => {}
            StreamEvent::Phase { to, .. } => {
                self.end_reply();
                self.phase_banner(s, to);
            }
            StreamEvent::Notice { message, .. } => {
                self.end_reply();
                let t = self.paint(NOTICE, &format!("[notice] {message}"));
                self.line(&t);
            }
            StreamEvent::Token(delta) => {
                if !self.in_reply {
                    let label = self.paint(LABEL, "interviewer>");
                    self.put(&format!("{label} "));
                    self.in_reply = true;
                }
                self.put(delta);
            }
            StreamEvent::Done { .. } => {
                self.end_reply();
                self.line("");
            }
            StreamEvent::Error { code, message } => {
                self.end_reply();
                self.error(&format!("{message} ({code})"));
            }
        }
    }

    /// Ends a reply line that was cut (Ctrl-C, a broken stream) or finished.
    pub fn end_reply(&mut self) {
        if self.in_reply {
            self.in_reply = false;
            self.line("");
        }
    }

    pub fn time(&mut self, s: &Session) {
        let n = s.phase_number(&s.phase).unwrap_or(s.phase_index + 1);
        let t = format!(
            "{} (phase {n} of {}): {} in this phase, {} in the interview",
            s.phase_name(&s.phase),
            s.phases.len(),
            time_left(s.phase_time_left_seconds),
            time_left(s.interview_time_left_seconds),
        );
        self.plain(&t);
    }
}

fn kind_name(kind: &str) -> String {
    kind.replace('_', " ")
}

fn recommendation(r: &str) -> String {
    r.replace('_', " ")
}

/// `7:05` left, `1:02:03` left, or `over by 0:40`.
pub fn time_left(seconds: i64) -> String {
    let clock = |s: i64| {
        let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
        if h > 0 {
            format!("{h}:{m:02}:{sec:02}")
        } else {
            format!("{m}:{sec:02}")
        }
    };
    if seconds < 0 {
        format!("over by {}", clock(-seconds))
    } else {
        format!("{} left", clock(seconds))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::wire::Phase;

    fn session() -> Session {
        Session {
            id: "s1".into(),
            level: "senior".into(),
            phase: "clarify".into(),
            phases: vec![
                Phase {
                    id: "clarify".into(),
                    name: "Clarification".into(),
                    minutes: 5,
                },
                Phase {
                    id: "design".into(),
                    name: "High-level design".into(),
                    minutes: 10,
                },
            ],
            phase_time_left_seconds: 125,
            interview_time_left_seconds: 3725,
            ..Session::default()
        }
    }

    pub(super) fn printed(color: bool, f: impl FnOnce(&mut Renderer<Vec<u8>>)) -> String {
        let mut r = Renderer::new(Vec::new(), color);
        f(&mut r);
        String::from_utf8(r.into_inner()).unwrap()
    }

    #[test]
    fn a_streamed_reply_reads_as_one_labelled_paragraph() {
        let s = session();
        let out = printed(false, |r| {
            r.event(&s, &StreamEvent::Turn);
            r.event(
                &s,
                &StreamEvent::Phase {
                    from: "clarify".into(),
                    to: "design".into(),
                },
            );
            r.event(&s, &StreamEvent::Token("Good. ".into()));
            r.event(&s, &StreamEvent::Token("Draw it.".into()));
            r.event(
                &s,
                &StreamEvent::Done {
                    turn_id: 3,
                    phase: "design".into(),
                },
            );
        });
        assert_eq!(
            out,
            "== High-level design (phase 2 of 2) ==\ninterviewer> Good. Draw it.\n\n"
        );
    }

    #[test]
    fn notices_and_errors_are_on_their_own_lines() {
        let s = session();
        let out = printed(false, |r| {
            r.event(&s, &StreamEvent::Token("Half".into()));
            r.event(
                &s,
                &StreamEvent::Error {
                    code: "upstream_incomplete".into(),
                    message: "the model stopped".into(),
                },
            );
            r.event(
                &s,
                &StreamEvent::Notice {
                    code: "offline_fallback".into(),
                    message: "offline now".into(),
                },
            );
        });
        assert_eq!(
            out,
            "interviewer> Half\nerror: the model stopped (upstream_incomplete)\n[notice] offline now\n"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let s = session();
        let plain = printed(false, |r| r.time(&s));
        assert!(!plain.contains('\x1b'), "{plain:?}");
        assert_eq!(
            plain,
            "Clarification (phase 1 of 2): 2:05 left in this phase, 1:02:05 left in the interview\n"
        );
        let coloured = printed(true, |r| r.event(&s, &StreamEvent::Token("x".into())));
        assert!(coloured.contains("\x1b["), "{coloured:?}");
    }

    #[test]
    fn time_over_budget_says_so() {
        assert_eq!(time_left(-40), "over by 0:40");
        assert_eq!(time_left(0), "0:00 left");
    }
}
