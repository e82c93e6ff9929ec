//! One flowchart statement read left to right: node groups (`A & B`) joined by links (`-->`,
//! `-- text -->`, `-.->`, `==>`, `~~~`, with `|text|`), each node with its optional bracket shape.

use super::{EdgeStyle, Shape};

/// A node as written in a statement: its id, and its shape and label when brackets follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeRef {
    pub id: String,
    pub shape: Option<(Shape, String)>,
}

/// A link as written between two node groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub label: Option<String>,
    pub style: EdgeStyle,
    pub directed: bool,
    pub both_ways: bool,
}

/// `A & B --> C --> D & E`: `groups.len() == links.len() + 1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub groups: Vec<Vec<NodeRef>>,
    pub links: Vec<Link>,
}

/// Bracket shapes, longest opener first so `((` is not read as `(`.
const SHAPES: &[(&str, &[(&str, Shape)])] = &[
    ("(((", &[(")))", Shape::DoubleCircle)]),
    ("((", &[("))", Shape::Circle)]),
    ("([", &[("])", Shape::Stadium)]),
    ("[[", &[("]]", Shape::Subroutine)]),
    ("[(", &[(")]", Shape::Cylinder)]),
    ("{{", &[("}}", Shape::Hexagon)]),
    (
        "[/",
        &[("/]", Shape::Parallelogram), ("\\]", Shape::Trapezoid)],
    ),
    (
        "[\\",
        &[
            ("\\]", Shape::ParallelogramAlt),
            ("/]", Shape::TrapezoidAlt),
        ],
    ),
    ("[", &[("]", Shape::Rectangle)]),
    ("(", &[(")", Shape::Rounded)]),
    ("{", &[("}", Shape::Rhombus)]),
    (">", &[("]", Shape::Asymmetric)]),
];

/// Reads one statement.
pub fn chain(text: &str) -> Result<Chain, String> {
    let mut c = Cursor { s: text, pos: 0 };
    let mut groups = vec![c.group()?];
    let mut links = Vec::new();
    loop {
        c.skip_ws();
        if c.at_end() {
            break;
        }
        match c.link()? {
            Some(link) => {
                links.push(link);
                c.skip_ws();
                if c.at_end() {
                    return Err("this link points at nothing: a node id must follow it".into());
                }
                groups.push(c.group()?);
            }
            None => return Err(format!("cannot read `{}`", c.snippet())),
        }
    }
    Ok(Chain { groups, links })
}

/// Whether `c` may be part of a node id.
pub fn id_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Tidies a label for reading: `<br>` and Markdown-string backticks become plain text, runs of
/// white space one space.
pub fn clean_label(raw: &str) -> String {
    let mut t = raw.trim();
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        t = &t[1..t.len() - 1];
    }
    let t = t.trim().trim_matches('`');
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tag = &rest[i..];
        let lower = tag.get(..6).unwrap_or(tag).to_ascii_lowercase();
        match (lower.starts_with("<br"), tag.find('>')) {
            (true, Some(end)) => {
                out.push(' ');
                rest = &tag[end + 1..];
            }
            _ => {
                out.push('<');
                rest = &tag[1..];
            }
        }
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek2(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.pos += c.len_utf8();
        }
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn run_of(&mut self, ch: char) -> usize {
        let mut n = 0;
        while self.peek() == Some(ch) {
            self.bump();
            n += 1;
        }
        n
    }

    fn snippet(&self) -> String {
        self.rest().chars().take(30).collect()
    }

    fn group(&mut self) -> Result<Vec<NodeRef>, String> {
        let mut nodes = vec![self.node()?];
        loop {
            let save = self.pos;
            self.skip_ws();
            if self.peek() == Some('&') {
                self.bump();
                self.skip_ws();
                nodes.push(self.node()?);
            } else {
                self.pos = save;
                return Ok(nodes);
            }
        }
    }

    fn node(&mut self) -> Result<NodeRef, String> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            // `api-gw` is one id; `A-->B` and `A-.->B` are not.
            let dash_inside =
                c == '-' && self.pos > start && self.peek2().is_some_and(|n| n.is_alphanumeric());
            if id_char(c) || dash_inside {
                self.bump();
            } else {
                break;
            }
        }
        if self.pos == start {
            return Err(match self.peek() {
                Some(c) => format!("expected a node id, found `{c}`"),
                None => "expected a node id".into(),
            });
        }
        let id = self.s[start..self.pos].to_string();
        let shape = if self.rest().starts_with("@{") {
            Some((Shape::Named, self.named_shape(&id)?))
        } else {
            self.bracket_shape(&id)?
        };
        if self.rest().starts_with(":::") {
            self.pos += 3;
            while self.peek().is_some_and(|c| id_char(c) || c == '-') {
                self.bump();
            }
        }
        Ok(NodeRef { id, shape })
    }

    fn bracket_shape(&mut self, id: &str) -> Result<Option<(Shape, String)>, String> {
        let Some((opener, closers)) = SHAPES.iter().find(|(o, _)| self.rest().starts_with(o))
        else {
            return Ok(None);
        };
        self.pos += opener.len();
        let text_start = self.pos;
        let mut depth = 0usize;
        let mut quoted = false;
        while let Some(c) = self.peek() {
            if c == '"' {
                quoted = !quoted;
            } else if !quoted && depth == 0 {
                if let Some((closer, shape)) =
                    closers.iter().find(|(cl, _)| self.rest().starts_with(cl))
                {
                    let label = clean_label(&self.s[text_start..self.pos]);
                    self.pos += closer.len();
                    let label = if label.is_empty() {
                        id.to_string()
                    } else {
                        label
                    };
                    return Ok(Some((*shape, label)));
                }
            }
            if !quoted {
                match c {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            self.bump();
        }
        let want = closers
            .iter()
            .map(|(c, _)| *c)
            .collect::<Vec<_>>()
            .join("` or `");
        Err(format!(
            "the label of `{id}` opened with `{opener}` is not closed with `{want}`"
        ))
    }

    fn named_shape(&mut self, id: &str) -> Result<String, String> {
        let Some(end) = self.rest().find('}') else {
            return Err(format!("the `@{{` after `{id}` is not closed with `}}`"));
        };
        let body = &self.rest()[2..end];
        self.pos += end + 1;
        let label = body.split(',').find_map(|kv| {
            let (k, v) = kv.split_once(':')?;
            (k.trim() == "label").then(|| clean_label(v))
        });
        Ok(label
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| id.to_string()))
    }

    /// A link at the cursor, or `None` (cursor unmoved) when there is none.
    fn link(&mut self) -> Result<Option<Link>, String> {
        let start = self.pos;
        let mut back = false;
        let after_marker = self.peek2().is_some_and(|c| c == '-' || c == '=');
        if matches!(self.peek(), Some('<' | 'o' | 'x')) && after_marker {
            back = true;
            self.bump();
        }
        let (style, open_text) = match self.peek() {
            Some('-') => {
                let dashes = self.run_of('-');
                if self.peek() == Some('.') {
                    self.run_of('.');
                    if self.peek() == Some('-') {
                        self.bump();
                        (EdgeStyle::Dotted, false)
                    } else if dashes == 1 {
                        (EdgeStyle::Dotted, true)
                    } else {
                        return Err("a dotted link is written `-.->` or `-. text .->`".into());
                    }
                } else if dashes >= 2 {
                    let headed = matches!(self.peek(), Some('>')) || self.at_head_letter();
                    (EdgeStyle::Solid, dashes == 2 && !headed)
                } else {
                    return Err("a link is written `-->`, `---`, `-.->` or `==>`".into());
                }
            }
            Some('=') => {
                let n = self.run_of('=');
                if n < 2 {
                    return Err("a thick link is written `==>` or `===`".into());
                }
                let headed = matches!(self.peek(), Some('>')) || self.at_head_letter();
                (EdgeStyle::Thick, n == 2 && !headed)
            }
            Some('~') => {
                if self.run_of('~') < 3 {
                    return Err("an invisible link is written `~~~`".into());
                }
                (EdgeStyle::Invisible, false)
            }
            _ => {
                self.pos = start;
                return Ok(None);
            }
        };
        let mut label = None;
        if open_text {
            label = Some(self.link_text(style)?);
        }
        let directed = self.head();
        let save = self.pos;
        self.skip_ws();
        if self.peek() == Some('|') {
            self.bump();
            let Some(end) = self.rest().find('|') else {
                return Err("a link text opened with `|` is not closed with `|`".into());
            };
            label = Some(clean_label(&self.rest()[..end]));
            self.pos += end + 1;
        } else {
            self.pos = save;
        }
        Ok(Some(Link {
            label: label.filter(|l| !l.is_empty()),
            style,
            directed,
            both_ways: back && directed,
        }))
    }

    /// `o` or `x` as an arrow head: followed by something that cannot continue an id.
    fn at_head_letter(&self) -> bool {
        matches!(self.peek(), Some('o' | 'x')) && !self.peek2().is_some_and(id_char)
    }

    fn head(&mut self) -> bool {
        if self.peek() == Some('>') || self.at_head_letter() {
            self.bump();
            true
        } else {
            false
        }
    }

    /// The text of `-- text -->`, `-. text .->` or `== text ==>`, up to and through the closing
    /// run (its head, if any, is left for `head`).
    fn link_text(&mut self, style: EdgeStyle) -> Result<String, String> {
        let rest = self.rest();
        let (close, written) = match style {
            EdgeStyle::Dotted => (".-", "`-. text .->`"),
            EdgeStyle::Thick => ("==", "`== text ==>`"),
            _ => ("--", "`-- text -->`"),
        };
        let Some(at) = rest.find(close) else {
            return Err(format!(
                "a link with text is written {written}; its end is missing"
            ));
        };
        let text = clean_label(&rest[..at]);
        self.pos += at;
        match style {
            EdgeStyle::Dotted => {
                self.run_of('.');
                self.run_of('-');
            }
            EdgeStyle::Thick => {
                self.run_of('=');
            }
            _ => {
                let n = self.run_of('-');
                if n < 3 && !(self.peek() == Some('>') || self.at_head_letter()) {
                    return Err(format!(
                        "a link with text is written {written} (or `-- text ---`)"
                    ));
                }
            }
        }
        Ok(text)
    }
}

#[cfg(test)]
mod tests;
