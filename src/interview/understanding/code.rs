//! Code in a turn: fenced blocks and runs of plainly-code lines set apart from the prose, and what a
//! block defines or tests.

use super::CodeBlock;

impl CodeBlock {
    /// Names the code defines (functions, classes, methods), in order.
    pub fn definitions(&self) -> Vec<String> {
        let mut out = Vec::new();
        for line in self.text.lines() {
            let t = line.trim_start();
            for kw in ["def ", "async def ", "class ", "fn ", "func ", "function "] {
                if let Some(rest) = t.strip_prefix(kw) {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() && !out.contains(&name) {
                        out.push(name);
                    }
                }
            }
        }
        out
    }

    /// Whether the block holds tests (test functions, asserts).
    pub fn has_tests(&self) -> bool {
        let t = self.text.to_lowercase();
        t.contains("def test") || t.contains("assert") || t.contains("#[test]") || t.contains("it(")
    }
}

/// Sets fenced code blocks (and runs of lines that are plainly code) apart from the prose.
pub(super) fn split_code(text: &str) -> (String, Vec<CodeBlock>) {
    // A ```mermaid diagram is neither prose nor code: the diagram reading handles it.
    let without_diagrams = crate::diagram::strip_mermaid_blocks(text);
    let text = &*without_diagrams;
    let mut prose = String::new();
    let mut code = Vec::new();
    let mut fenced: Option<String> = None;
    let mut loose: Vec<&str> = Vec::new();
    let flush_loose = |loose: &mut Vec<&str>, prose: &mut String, code: &mut Vec<CodeBlock>| {
        // Three or more code-like lines in a row are code; fewer are prose that looks technical.
        if loose.len() >= 3 {
            code.push(CodeBlock {
                text: loose.join("\n"),
                lines: loose.len(),
            });
        } else {
            for l in loose.iter() {
                prose.push_str(l);
                prose.push('\n');
            }
        }
        loose.clear();
    };
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            match fenced.take() {
                Some(block) => {
                    let lines = block.lines().filter(|l| !l.trim().is_empty()).count();
                    code.push(CodeBlock { text: block, lines });
                }
                None => {
                    flush_loose(&mut loose, &mut prose, &mut code);
                    fenced = Some(String::new());
                }
            }
            continue;
        }
        if let Some(block) = fenced.as_mut() {
            block.push_str(line);
            block.push('\n');
            continue;
        }
        if looks_like_code(line) || (line.trim().is_empty() && !loose.is_empty()) {
            loose.push(line);
        } else {
            flush_loose(&mut loose, &mut prose, &mut code);
            prose.push_str(line);
            prose.push('\n');
        }
    }
    if let Some(block) = fenced {
        // An unclosed fence: the rest of the turn is code.
        let lines = block.lines().filter(|l| !l.trim().is_empty()).count();
        code.push(CodeBlock { text: block, lines });
    }
    flush_loose(&mut loose, &mut prose, &mut code);
    (prose, code)
}

pub(super) fn looks_like_code(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() {
        return false;
    }
    let indented = line.starts_with("    ") || line.starts_with('\t');
    let starts = [
        "def ", "class ", "import ", "from ", "return", "if ", "elif ", "else:", "for ", "while ",
        "with ", "try:", "except", "finally:", "raise ", "@", "fn ", "let ", "pub ", "async ",
        "await ", "self.", "assert ", "const ", "}", "{",
    ];
    let ends = [":", "{", "}", ";", "(", ")", "):", "],", "),"];
    let assign = t.contains(" = ") && !t.contains(". ") && !t.ends_with('.') && !t.ends_with('?');
    indented && !t.ends_with('.')
        || starts.iter().any(|s| t.starts_with(s)) && !t.ends_with('.') && !t.ends_with('?')
        || (ends.iter().any(|e| t.ends_with(e)) && t.contains('('))
        || assign
}
