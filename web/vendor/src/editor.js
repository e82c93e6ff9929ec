// The room's code editor and code highlighter: CodeMirror 6, bundled once by ../build.sh into
// ../codemirror.min.js (an ES module). Only this file is ours; the rest comes from npm at the versions
// pinned in package.json.
import { EditorView, basicSetup } from "codemirror";
import { EditorState, Compartment } from "@codemirror/state";
import { indentUnit, syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";
import { indentWithTab } from "@codemirror/commands";
import { keymap } from "@codemirror/view";
import { highlightCode, classHighlighter } from "@lezer/highlight";
import { python } from "@codemirror/lang-python";
import { javascript } from "@codemirror/lang-javascript";
import { java } from "@codemirror/lang-java";
import { cpp } from "@codemirror/lang-cpp";
import { go } from "@codemirror/lang-go";
import { rust } from "@codemirror/lang-rust";
import { sql } from "@codemirror/lang-sql";

// The languages offered, by the name a fenced block carries (```python).
const LANGUAGES = {
  python: () => python(),
  javascript: () => javascript(),
  typescript: () => javascript({ typescript: true }),
  java: () => java(),
  cpp: () => cpp(),
  go: () => go(),
  rust: () => rust(),
  sql: () => sql(),
};

// Other spellings of the same languages in a fence's info string.
const ALIASES = { py: "python", js: "javascript", ts: "typescript", "c++": "cpp", c: "cpp", rs: "rust", golang: "go" };

export const languages = Object.keys(LANGUAGES);

export function languageName(name) {
  const n = String(name || "").trim().toLowerCase();
  const canonical = ALIASES[n] || n;
  return LANGUAGES[canonical] ? canonical : null;
}

function support(name) {
  const n = languageName(name);
  return n ? LANGUAGES[n]() : [];
}

// An editor in `parent`: 4-space indentation, Tab indents (Escape then Tab leaves the editor, as
// CodeMirror documents), highlighting by `language`. `onChange(text)` after every edit.
export function createEditor(parent, { doc = "", language = "python", onChange = () => {}, label = "Code" } = {}) {
  const lang = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        keymap.of([indentWithTab]),
        indentUnit.of("    "),
        lang.of(support(language)),
        syntaxHighlighting(classHighlighter),
        EditorView.contentAttributes.of({ "aria-label": label, "data-testid": "code-editor-content" }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    get value() {
      return view.state.doc.toString();
    },
    set value(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setLanguage(name) {
      view.dispatch({ effects: lang.reconfigure(support(name)) });
    },
    focus() {
      view.focus();
    },
    destroy() {
      view.destroy();
    },
  };
}

// Highlights `code` into `target` (a <code> element) with `tok-*` classes (no inline styles, so it
// works under a strict CSP); a language it does not know leaves the text plain. Returns whether it
// highlighted.
export function highlightInto(target, code, language) {
  const s = support(language);
  target.textContent = "";
  if (!s || !s.language) {
    target.textContent = code;
    return false;
  }
  const tree = s.language.parser.parse(code);
  highlightCode(
    code,
    tree,
    classHighlighter,
    (text, classes) => {
      if (classes) {
        const span = document.createElement("span");
        span.className = classes;
        span.textContent = text;
        target.appendChild(span);
      } else {
        target.appendChild(document.createTextNode(text));
      }
    },
    () => target.appendChild(document.createTextNode("\n")),
  );
  return true;
}

// Kept so the default style is reachable for a page that prefers it to the `tok-*` classes.
export const defaultHighlighting = syntaxHighlighting(defaultHighlightStyle);
