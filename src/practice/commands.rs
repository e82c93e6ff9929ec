//! What a line typed at the practice prompt means: text added to the answer being written, an
//! empty line that sends it, or a command (`/next`, `/hint`, `/time`, `/diagram FILE`, `/code FILE`,
//! `/finish`, `/quit`, `/help`); and the answer itself, lines and attached blocks.

use std::path::PathBuf;

use super::attach::fenced;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Text added to the answer (may hold several lines when pasted).
    Text(String),
    /// An empty line: send the answer.
    Send,
    Command(Command),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Next,
    Hint,
    Time,
    Diagram(PathBuf),
    Code(PathBuf),
    Finish,
    Quit,
    Help,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("unknown command `/{0}`: /help lists them (start a line with // to write a literal /)")]
    Unknown(String),
    #[error("`/{0}` needs a file: /{0} FILE")]
    MissingFile(&'static str),
    #[error("`/{0}` takes no argument")]
    Extra(&'static str),
}

pub const HELP: &str = "\
Type your answer; each line adds to it, and an empty line sends it.
  /next          move on to the next phase
  /hint          ask for a hint (a few per phase)
  /time          the phase and the time left
  /diagram FILE  attach a Mermaid file to the answer as a ```mermaid block
  /code FILE     attach a file as a fenced block in its language (from the extension)
  /finish        finish the interview and show the scorecard
  /quit          leave; the session is kept (resume it with --session ID, or review it in the web room)
  /help          this list
Ctrl-C clears the answer being written; Ctrl-D leaves like /quit. A line starting with // adds a literal /.";

/// Reads one entry from the editor.
pub fn parse(line: &str) -> Result<Input, ParseError> {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return Ok(Input::Send);
    }
    // A pasted block is text, whatever its first character.
    if line.contains('\n') || !trimmed.starts_with('/') {
        return Ok(Input::Text(line.trim_end().to_string()));
    }
    if let Some(rest) = trimmed.strip_prefix("//") {
        return Ok(Input::Text(format!("/{rest}")));
    }
    let body = &trimmed[1..];
    let (name, arg) = match body.split_once(char::is_whitespace) {
        Some((n, a)) => (n, a.trim()),
        None => (body, ""),
    };
    let no_arg = |name: &'static str, cmd: Command| {
        if arg.is_empty() {
            Ok(Input::Command(cmd))
        } else {
            Err(ParseError::Extra(name))
        }
    };
    let file = |name: &'static str, make: fn(PathBuf) -> Command| {
        let path = unquote(arg);
        if path.is_empty() {
            Err(ParseError::MissingFile(name))
        } else {
            Ok(Input::Command(make(PathBuf::from(path))))
        }
    };
    match name.to_ascii_lowercase().as_str() {
        "next" => no_arg("next", Command::Next),
        "hint" => no_arg("hint", Command::Hint),
        "time" => no_arg("time", Command::Time),
        "finish" => no_arg("finish", Command::Finish),
        "quit" | "exit" => no_arg("quit", Command::Quit),
        "help" | "?" => Ok(Input::Command(Command::Help)),
        "diagram" => file("diagram", Command::Diagram),
        "code" => file("code", Command::Code),
        other => Err(ParseError::Unknown(other.to_string())),
    }
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// The answer being written: lines and attached blocks, sent together on an empty line.
#[derive(Debug, Default, Clone)]
pub struct Answer {
    parts: Vec<String>,
}

impl Answer {
    pub fn push_text(&mut self, text: &str) {
        self.parts.push(text.to_string());
    }

    /// Attaches `body` as a fenced block; returns how many lines it holds.
    pub fn attach(&mut self, language: &str, body: &str) -> usize {
        self.parts.push(fenced(language, body));
        body.trim_matches('\n').lines().count()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.iter().all(|p| p.trim().is_empty())
    }

    pub fn clear(&mut self) {
        self.parts.clear();
    }

    /// The text to send: the parts in order, each on its own lines.
    pub fn text(&self) -> String {
        self.parts.join("\n")
    }

    pub fn len(&self) -> usize {
        self.text().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_commands_and_the_empty_line() {
        assert_eq!(parse(""), Ok(Input::Send));
        assert_eq!(parse("   "), Ok(Input::Send));
        assert_eq!(
            parse("I'd use a vector store. "),
            Ok(Input::Text("I'd use a vector store.".into()))
        );
        assert_eq!(parse("/next"), Ok(Input::Command(Command::Next)));
        assert_eq!(parse(" /HINT "), Ok(Input::Command(Command::Hint)));
        assert_eq!(parse("/time"), Ok(Input::Command(Command::Time)));
        assert_eq!(parse("/finish"), Ok(Input::Command(Command::Finish)));
        assert_eq!(parse("/quit"), Ok(Input::Command(Command::Quit)));
        assert_eq!(parse("/help"), Ok(Input::Command(Command::Help)));
        assert_eq!(
            parse("/diagram arch.mmd"),
            Ok(Input::Command(Command::Diagram("arch.mmd".into())))
        );
        assert_eq!(
            parse("/code \"my dir/cache.py\""),
            Ok(Input::Command(Command::Code("my dir/cache.py".into())))
        );
    }

    #[test]
    fn mistakes_are_named() {
        assert_eq!(parse("/diagram"), Err(ParseError::MissingFile("diagram")));
        assert_eq!(parse("/code  "), Err(ParseError::MissingFile("code")));
        assert_eq!(parse("/next now"), Err(ParseError::Extra("next")));
        assert_eq!(parse("/nxt"), Err(ParseError::Unknown("nxt".into())));
    }

    #[test]
    fn a_literal_slash_and_pasted_blocks_are_text() {
        assert_eq!(
            parse("//etc/hosts is read first"),
            Ok(Input::Text("/etc/hosts is read first".into()))
        );
        assert_eq!(
            parse("/next\nthen the cache"),
            Ok(Input::Text("/next\nthen the cache".into()))
        );
    }

    #[test]
    fn the_answer_joins_lines_and_blocks() {
        let mut a = Answer::default();
        assert!(a.is_empty());
        a.push_text("Here is the design.");
        let lines = a.attach("mermaid", "flowchart LR\n  A --> B");
        assert_eq!(lines, 2);
        a.push_text("The cache sits before the model.");
        assert_eq!(
            a.text(),
            "Here is the design.\n```mermaid\nflowchart LR\n  A --> B\n```\nThe cache sits before the model."
        );
        a.clear();
        assert!(a.is_empty());
    }
}
