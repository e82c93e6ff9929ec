//! Files attached to the answer: read (refusing what the server would refuse), fenced in their
//! language, and a Mermaid diagram checked the way the interviewer will read it, when the server can.

use std::path::Path;

use super::client::ClientError;
use super::wire::DiagramParse;

/// An answer is capped at 16 KiB by the server; a bigger file is refused before it is attached.
pub const MAX_ANSWER_BYTES: usize = 16 * 1024;

/// The fenced-block language for a file, from its extension (what Markdown highlighters know).
pub fn language_for(path: &Path) -> String {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let known = match ext.as_str() {
        "rs" => "rust",
        "py" | "pyi" => "python",
        "js" | "mjs" | "cjs" => "javascript",
        "ts" | "mts" => "typescript",
        "tsx" => "tsx",
        "jsx" => "jsx",
        "go" => "go",
        "java" => "java",
        "kt" | "kts" => "kotlin",
        "scala" => "scala",
        "swift" => "swift",
        "c" | "h" => "c",
        "cc" | "cpp" | "cxx" | "hpp" | "hh" | "hxx" => "cpp",
        "cs" => "csharp",
        "rb" => "ruby",
        "php" => "php",
        "sh" | "bash" => "bash",
        "sql" => "sql",
        "yaml" | "yml" => "yaml",
        "json" => "json",
        "toml" => "toml",
        "md" | "markdown" => "markdown",
        "html" | "htm" => "html",
        "css" => "css",
        "mmd" | "mermaid" => "mermaid",
        "" => "text",
        other => return other.to_string(),
    };
    known.to_string()
}

/// `body` as a fenced block: the fence is longer than any run of backticks inside, so it cannot close
/// early.
pub fn fenced(language: &str, body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}{language}\n{}\n{fence}", body.trim_matches('\n'))
}

#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not UTF-8 text")]
    NotText { path: String },
    #[error("{path} is empty")]
    Empty { path: String },
    #[error("{path} is {len} bytes; an answer holds at most {MAX_ANSWER_BYTES} bytes")]
    TooLarge { path: String, len: usize },
}

/// Reads a file to attach, refusing what the server would refuse anyway.
pub fn read_attachment(path: &Path) -> Result<String, AttachError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| AttachError::Read {
        path: shown.clone(),
        source,
    })?;
    if bytes.len() > MAX_ANSWER_BYTES {
        return Err(AttachError::TooLarge {
            path: shown,
            len: bytes.len(),
        });
    }
    let text = String::from_utf8(bytes).map_err(|_| AttachError::NotText {
        path: shown.clone(),
    })?;
    if text.trim().is_empty() {
        return Err(AttachError::Empty { path: shown });
    }
    Ok(text)
}

/// What the server made of a diagram (`POST /api/diagrams/parse`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiagramCheck {
    /// Read whole: boxes, arrows and the boxes joined to nothing.
    Read {
        nodes: usize,
        edges: usize,
        unconnected: Vec<String>,
    },
    /// Lines the interviewer could not read, as `FILE:LINE: message`.
    Unread(Vec<String>),
    /// The server does not check diagrams (an older one): attached as it is.
    Unchecked,
}

pub fn diagram_check(path: &Path, got: Result<DiagramParse, ClientError>) -> DiagramCheck {
    match got {
        Ok(p) if p.valid => {
            let (nodes, edges) = p
                .diagram
                .map(|d| (d.nodes.len(), d.edges.len()))
                .unwrap_or_default();
            DiagramCheck::Read {
                nodes,
                edges,
                unconnected: p.unconnected,
            }
        }
        Ok(p) => {
            let mut lines: Vec<String> = p
                .errors
                .iter()
                .map(|e| format!("{}:{}: {}", path.display(), e.line, e.message))
                .collect();
            if lines.is_empty() {
                lines.push(format!(
                    "{}: not a flowchart the interviewer can read",
                    path.display()
                ));
            }
            DiagramCheck::Unread(lines)
        }
        // The check is a courtesy: whatever the server thinks of the answer, it says when it is sent.
        Err(_) => DiagramCheck::Unchecked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::wire::{DiagramError, DiagramShape};

    #[test]
    fn languages_come_from_the_extension() {
        assert_eq!(language_for(Path::new("cache.py")), "python");
        assert_eq!(language_for(Path::new("src/Limiter.RS")), "rust");
        assert_eq!(language_for(Path::new("a.hpp")), "cpp");
        assert_eq!(language_for(Path::new("arch.mmd")), "mermaid");
        assert_eq!(language_for(Path::new("x.zig")), "zig");
        assert_eq!(language_for(Path::new("Makefile")), "text");
    }

    #[test]
    fn fences_outlast_the_backticks_inside() {
        assert_eq!(
            fenced("mermaid", "flowchart LR\n  A --> B\n"),
            "```mermaid\nflowchart LR\n  A --> B\n```"
        );
        assert_eq!(
            fenced("markdown", "see ```code```"),
            "````markdown\nsee ```code```\n````"
        );
    }

    #[test]
    fn attachments_refuse_what_the_server_would() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.mmd");
        std::fs::write(&empty, "\n").unwrap();
        assert!(matches!(
            read_attachment(&empty),
            Err(AttachError::Empty { .. })
        ));
        let big = dir.path().join("big.py");
        std::fs::write(&big, "x".repeat(MAX_ANSWER_BYTES + 1)).unwrap();
        assert!(matches!(
            read_attachment(&big),
            Err(AttachError::TooLarge { .. })
        ));
        let bin = dir.path().join("bin.rs");
        std::fs::write(&bin, [0xff, 0xfe, 0x00]).unwrap();
        assert!(matches!(
            read_attachment(&bin),
            Err(AttachError::NotText { .. })
        ));
        assert!(matches!(
            read_attachment(&dir.path().join("missing.mmd")),
            Err(AttachError::Read { .. })
        ));
    }

    #[test]
    fn a_diagram_is_read_refused_by_line_or_left_unchecked() {
        let path = Path::new("arch.mmd");
        let read = DiagramParse {
            valid: true,
            diagram: Some(DiagramShape {
                nodes: vec![serde_json::json!({}); 3],
                edges: vec![serde_json::json!({}); 2],
            }),
            unconnected: vec!["Logs".into()],
            ..DiagramParse::default()
        };
        assert_eq!(
            diagram_check(path, Ok(read)),
            DiagramCheck::Read {
                nodes: 3,
                edges: 2,
                unconnected: vec!["Logs".into()]
            }
        );
        let unread = DiagramParse {
            valid: false,
            errors: vec![DiagramError {
                line: 3,
                message: "an arrow needs a box on each side".into(),
            }],
            ..DiagramParse::default()
        };
        assert_eq!(
            diagram_check(path, Ok(unread)),
            DiagramCheck::Unread(vec!["arch.mmd:3: an arrow needs a box on each side".into()])
        );
        let old_server = ClientError::Api {
            status: 404,
            code: "not_found".into(),
            message: "no route for this path".into(),
        };
        assert_eq!(
            diagram_check(path, Err(old_server)),
            DiagramCheck::Unchecked
        );
    }
}
