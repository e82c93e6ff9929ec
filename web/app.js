// mock-interviewer browser front-end: a hash-routed single page app over the JSON/SSE API.
// Model- and candidate-provided text is always inserted with textContent. The exceptions are a turn's
// `html`, which the server renders from Markdown and sanitises (see setTurnHtml), and the SVG mermaid
// draws for a diagram with securityLevel 'strict' (see renderDiagram).

const KINDS = {
  system_design: 'System design',
  debugging: 'Debugging',
  coding: 'Coding',
  behavioral: 'Behavioral',
};
const LEVELS = ['junior', 'senior', 'staff'];
const RECOMMENDATIONS = {
  strong_hire: 'Strong hire',
  hire: 'Hire',
  no_hire: 'No hire',
  strong_no_hire: 'Strong no hire',
};
const SCORERS = {
  offline: 'the offline scorer',
  llm: 'the LLM judge',
  offline_fallback: 'the offline scorer (the LLM judge was unavailable)',
};
const STATUSES = { active: 'In progress', finished: 'Finished' };
const ROLES = { interviewer: 'Interviewer', candidate: 'You' };
const SERIES_COLOURS = 8;
const SERIES_DASHES = ['', '7 4', '2 4'];
const DRAFT_PREFIX = 'mock-interviewer:draft:';

const app = document.getElementById('app');
const homeFilters = { kind: '', level: '' };
let currentView = null;
let firstRender = true;

// ---------------------------------------------------------------------------------------------------
// DOM helpers

/** Builds an element. Strings among the children become text nodes (never HTML). */
function h(tag, props = {}, ...children) {
  return build(document.createElement(tag), props, children);
}

/** Builds an SVG element. */
function svg(tag, props = {}, ...children) {
  return build(document.createElementNS('http://www.w3.org/2000/svg', tag), props, children);
}

function build(node, props, children) {
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (key === 'class') node.setAttribute('class', value);
    else if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else node.setAttribute(key, value === true ? '' : String(value));
  }
  node.append(...children.flat(Infinity).filter((c) => c != null && c !== false));
  return node;
}

/** The server's sanitised rendering of a turn's Markdown: the only HTML this app inserts. */
function setTurnHtml(node, html) {
  node.innerHTML = html;
}

/** The question as the server rendered it (sanitised), or as plain text. */
function promptBody(q) {
  const node = h('div', { class: 'prompt__text' });
  if (q.prompt_html) {
    setTurnHtml(node, q.prompt_html);
  } else {
    node.classList.add('prompt__text--plain');
    node.textContent = q.prompt;
  }
  return node;
}

const srOnly = (text) => h('span', { class: 'sr-only' }, text);
const capitalise = (s) => (s ? s[0].toUpperCase() + s.slice(1) : '');
const enc = encodeURIComponent;

function formatDateTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function formatDate(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

function formatTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

function timeEl(iso, long = false) {
  return iso ? h('time', { datetime: iso, title: formatDateTime(iso) }, long ? formatDateTime(iso) : formatTime(iso)) : null;
}

/** m:ss (minutes may exceed 59). */
function formatClock(seconds) {
  const s = Math.abs(Math.trunc(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function prefersReducedMotion() {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

function labelled(id, text, control) {
  return h('div', { class: 'field' }, h('label', { for: id }, text), control);
}

function selectEl(id, options, value) {
  const select = h(
    'select',
    { id, 'data-testid': id },
    options.map(([v, text]) => h('option', { value: v }, text)),
  );
  select.value = value;
  return select;
}

// ---------------------------------------------------------------------------------------------------
// Banners (aria-live regions that live in index.html)

function showBanner(kind, message) {
  const region = document.getElementById(`banner-${kind}`);
  if (!region || !message) return;
  region.replaceChildren(
    h(
      'div',
      { class: `banner banner--${kind}` },
      h('p', { class: 'banner__text' }, message),
      h('button', { type: 'button', class: 'btn btn--quiet banner__close', onclick: () => region.replaceChildren() }, 'Dismiss'),
    ),
  );
}

function clearBanners() {
  for (const kind of ['notice', 'error']) document.getElementById(`banner-${kind}`)?.replaceChildren();
}

// ---------------------------------------------------------------------------------------------------
// API

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const networkError = () =>
  new ApiError(0, 'network', 'Could not reach the server. Check that it is running, then try again.');

async function errorFrom(response) {
  let code = `http_${response.status}`;
  let message = `The server answered ${response.status} ${response.statusText}`.trim();
  try {
    const body = await response.json();
    if (body && body.error) {
      code = body.error.code || code;
      message = body.error.message || message;
    }
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, code, message);
}

async function request(path, { method = 'GET', body, accept = 'application/json', contentType } = {}) {
  const init = { method, headers: { accept }, credentials: 'same-origin' };
  const token = storedToken();
  if (token) init.headers.authorization = `Bearer ${token}`;
  // The server takes only JSON for anything that changes state (a cross-site form cannot send it),
  // except a recording, sent as it is with its own audio type.
  if (body === undefined && method !== 'GET') body = {};
  if (contentType && body !== undefined) {
    init.headers['content-type'] = contentType;
    init.body = body;
  } else if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw networkError();
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

async function api(path, options) {
  const response = await request(path, options);
  return response.json();
}

/** POSTs and reads a text/event-stream reply, calling onEvent(name, data) for each event. */
async function postStream(path, body, onEvent, contentType) {
  const response = await request(path, { method: 'POST', body, accept: 'text/event-stream', contentType });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch {
      throw new ApiError(0, 'network', 'The connection was lost while the reply was streaming.');
    }
    buffer += decoder.decode(chunk.value || new Uint8Array(), { stream: !chunk.done });
    buffer = buffer.replace(/\r\n/g, '\n');
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      dispatchSse(buffer.slice(0, cut), onEvent);
      buffer = buffer.slice(cut + 2);
    }
    if (chunk.done) break;
  }
  dispatchSse(buffer, onEvent);
}

function dispatchSse(block, onEvent) {
  let event = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue; // blank or comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (!data.length) return;
  let parsed;
  try {
    parsed = JSON.parse(data.join('\n'));
  } catch {
    parsed = { raw: data.join('\n') };
  }
  onEvent(event, parsed);
}

// ---------------------------------------------------------------------------------------------------
// Drafts (localStorage, per session)

function loadDraft(sessionId) {
  try {
    return localStorage.getItem(DRAFT_PREFIX + sessionId) || '';
  } catch {
    return '';
  }
}

function saveDraft(sessionId, text) {
  try {
    if (text) localStorage.setItem(DRAFT_PREFIX + sessionId, text);
    else localStorage.removeItem(DRAFT_PREFIX + sessionId);
  } catch {
    // storage full or disabled: the draft just is not kept
  }
}

// ---------------------------------------------------------------------------------------------------
// Router

function newView() {
  const view = {
    alive: true,
    cleanups: [],
    dispose() {
      view.alive = false;
      view.cleanups.forEach((fn) => fn());
    },
  };
  return view;
}

function parseRoute(hash) {
  const path = hash.replace(/^#/, '') || '/';
  let m;
  if (path === '/' || path === '') return { name: 'home' };
  if (path === '/progress') return { name: 'progress' };
  if (path === '/login') return { name: 'login' };
  if ((m = path.match(/^\/share\/([^/]+)$/))) return { name: 'open-share', token: decodeURIComponent(m[1]) };
  if ((m = path.match(/^\/session\/([^/]+)$/))) return { name: 'room', id: decodeURIComponent(m[1]) };
  if ((m = path.match(/^\/review\/([^/]+)$/))) return { name: 'review', id: decodeURIComponent(m[1]) };
  return { name: 'not-found' };
}

async function onRoute() {
  const hash = location.hash;
  // In-page anchors (#turn-12, #app) are not routes: move to the element instead.
  if (hash && !hash.startsWith('#/')) {
    if (focusAnchor(hash.slice(1))) return;
    if (currentView) return;
  }
  currentView?.dispose();
  const view = (currentView = newView());
  clearBanners();
  const route = parseRoute(hash.startsWith('#/') ? hash : '#/');
  markNav(route.name);
  app.setAttribute('aria-busy', 'true');
  app.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    if (!me) await loadMe();
    renderAccount();
    if (needsLogin() && route.name !== 'login') {
      if (route.name === 'open-share') afterLogin = hash;
      renderLogin(view);
    } else {
      await renderRoute(view, route);
    }
  } catch (err) {
    if (view.alive && err.code === 'unauthenticated') {
      me = null;
      await loadMe().catch(() => {});
      renderAccount();
      renderLogin(view);
    } else if (view.alive) renderFailure(err);
  } finally {
    if (view.alive) app.removeAttribute('aria-busy');
  }
  if (view.alive && !firstRender) app.querySelector('h1')?.focus({ preventScroll: false });
  firstRender = false;
}

function renderRoute(view, route) {
  switch (route.name) {
    case 'home':
      return renderHome(view);
    case 'room':
      return renderRoom(view, route.id);
    case 'review':
      return renderReview(view, route.id);
    case 'progress':
      return renderProgress(view);
    case 'login':
      return renderLogin(view);
    case 'open-share':
      return openShare(view, route.token);
    default:
      return renderNotFound();
  }
}

function markNav(routeName) {
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === routeName) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function pageTitle(text) {
  document.title = text ? `${text} · Mock interviewer` : 'Mock interviewer';
}

function heading(text) {
  return h('h1', { tabindex: '-1' }, text);
}

function renderFailure(err) {
  pageTitle('Error');
  app.replaceChildren(
    heading('Something went wrong'),
    h('p', { class: 'error-text' }, err.message || String(err)),
    h('p', {}, h('a', { href: '#/' }, 'Back to the interviews')),
  );
}

function renderNotFound() {
  pageTitle('Not found');
  app.replaceChildren(
    heading('Page not found'),
    h('p', {}, 'There is nothing at this address. ', h('a', { href: '#/' }, 'Back to the interviews')),
  );
}

function focusAnchor(id) {
  const node = document.getElementById(id);
  if (!node) return false;
  if (node.classList.contains('turn')) {
    document.querySelectorAll('.turn.is-target').forEach((n) => n.classList.remove('is-target'));
    node.classList.add('is-target');
  }
  node.scrollIntoView({ block: 'center', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
  node.focus({ preventScroll: true });
  return true;
}

/** Same-page links (#turn-12) would fight the hash router: scroll and focus instead. */
function onDocumentClick(event) {
  const link = event.target.closest && event.target.closest('a[href^="#"]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
  const href = link.getAttribute('href');
  if (href.startsWith('#/')) return;
  event.preventDefault();
  focusAnchor(href.slice(1));
}

// ---------------------------------------------------------------------------------------------------
// Home: question bank and past sessions

async function renderHome(view) {
  pageTitle('');
  const list = h('ul', { class: 'card-list', 'data-testid': 'question-list', 'aria-busy': 'true' });
  const past = h('ul', { class: 'past-list', 'data-testid': 'past-sessions', 'aria-busy': 'true' });
  const kind = selectEl('filter-kind', [['', 'All kinds'], ...Object.entries(KINDS)], homeFilters.kind);
  const level = selectEl('filter-level', [['', 'All levels'], ...LEVELS.map((l) => [l, capitalise(l)])], homeFilters.level);
  const onFilter = () => {
    homeFilters.kind = kind.value;
    homeFilters.level = level.value;
    loadQuestions(view, list);
  };
  kind.addEventListener('change', onFilter);
  level.addEventListener('change', onFilter);

  app.replaceChildren(
    heading('AI/ML mock interviews'),
    h(
      'p',
      { class: 'lede' },
      'Pick a question and a level. The interviewer runs the interview phase by phase, against the clock; at the end you get a scorecard with evidence from your own answers.',
    ),
    h(
      'div',
      { class: 'home-grid' },
      h(
        'section',
        { 'aria-labelledby': 'questions-heading' },
        h('h2', { id: 'questions-heading' }, 'Questions'),
        h('div', { class: 'filters', role: 'group', 'aria-label': 'Filter questions' },
          labelled('filter-kind', 'Kind', kind),
          labelled('filter-level', 'Level', level)),
        list,
      ),
      h(
        'section',
        { 'aria-labelledby': 'past-heading', class: 'home-side' },
        h('h2', { id: 'past-heading' }, listHeading()),
        h('p', {}, h('a', { href: '#/progress' }, 'See your progress over time')),
        past,
      ),
    ),
  );
  await Promise.all([loadQuestions(view, list), loadPastSessions(view, past)]);
}

async function loadQuestions(view, list) {
  const ticket = (list.dataset.ticket = String(Number(list.dataset.ticket || 0) + 1));
  const params = new URLSearchParams();
  if (homeFilters.kind) params.set('kind', homeFilters.kind);
  if (homeFilters.level) params.set('level', homeFilters.level);
  list.setAttribute('aria-busy', 'true');
  try {
    const questions = await api(`/api/questions${params.toString() ? `?${params}` : ''}`);
    if (!view.alive || list.dataset.ticket !== ticket) return;
    list.replaceChildren(
      ...(questions.length
        ? questions.map(questionItem)
        : [h('li', { class: 'empty' }, 'No questions match these filters.')]),
    );
  } catch (err) {
    if (view.alive && list.dataset.ticket === ticket) {
      list.replaceChildren(h('li', { class: 'empty error-text' }, err.message));
    }
  } finally {
    if (list.dataset.ticket === ticket) list.setAttribute('aria-busy', 'false');
  }
}

function defaultLevel(levels) {
  if (homeFilters.level && levels.includes(homeFilters.level)) return homeFilters.level;
  return levels.includes('senior') ? 'senior' : levels[0];
}

function questionItem(q) {
  const levelId = `level-${q.id}`;
  const titleId = `question-title-${q.id}`;
  const level = selectEl(levelId, q.levels.map((l) => [l, capitalise(l)]), defaultLevel(q.levels));
  const start = h(
    'button',
    { type: 'button', class: 'btn btn--primary', 'data-testid': `start-${q.id}`, 'aria-describedby': titleId },
    'Start interview',
  );
  start.addEventListener('click', () => startInterview(q.id, level.value, start));
  return h(
    'li',
    { class: 'card question' },
    h('h3', { id: titleId, class: 'question__title' }, q.title),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: 'badge' }, KINDS[q.kind] || q.kind),
      h('span', {}, `${q.duration_minutes} min`),
      h('span', {}, `Levels: ${q.levels.map(capitalise).join(', ')}`),
    ),
    h('p', { class: 'question__summary' }, q.summary),
    h('div', { class: 'question__actions' }, labelled(levelId, 'Level', level), start),
  );
}

async function startInterview(questionId, level, button) {
  clearBanners();
  button.disabled = true;
  button.textContent = 'Starting…';
  try {
    const session = await api('/api/sessions', { method: 'POST', body: { question_id: questionId, level } });
    location.hash = `#/session/${enc(session.id)}`;
  } catch (err) {
    showBanner('error', err.message);
    button.disabled = false;
    button.textContent = 'Start interview';
  }
}

async function loadPastSessions(view, list) {
  try {
    const sessions = await api('/api/sessions');
    if (!view.alive) return;
    list.replaceChildren(
      ...(sessions.length
        ? sessions.map(pastSessionItem)
        : [h('li', { class: 'empty' }, 'No interviews yet. Start one from the list.')]),
    );
  } catch (err) {
    if (view.alive) list.replaceChildren(h('li', { class: 'empty error-text' }, err.message));
  } finally {
    list.setAttribute('aria-busy', 'false');
  }
}

function pastSessionItem(s) {
  const finished = s.status === 'finished';
  const href = finished ? `#/review/${enc(s.id)}` : `#/session/${enc(s.id)}`;
  const score =
    s.overall_score != null
      ? h('span', { class: `score rec--${s.recommendation || ''}` },
        `${s.overall_score}/100${s.recommendation ? ` · ${RECOMMENDATIONS[s.recommendation] || s.recommendation}` : ''}`)
      : null;
  return h(
    'li',
    { class: 'past', 'data-session-id': s.id },
    h('a', { href, class: 'past__link' }, s.question_title || s.question_id,
      srOnly(finished ? ' (review)' : ' (resume)')),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: `status status--${s.status}` }, STATUSES[s.status] || s.status),
      h('span', {}, capitalise(s.level)),
      h('span', {}, 'Started ', timeEl(s.started_at, true)),
      score,
    ),
  );
}

// ---------------------------------------------------------------------------------------------------
// Transcript (shared by the room and the review)

function transcriptEl(live) {
  return h('div', {
    class: 'transcript',
    id: 'transcript',
    'data-testid': 'transcript',
    'data-streaming': 'false',
    role: live ? 'log' : 'region',
    'aria-live': live ? 'polite' : null,
    'aria-label': 'Transcript',
    tabindex: '0',
  });
}

function phaseName(phases, id) {
  return phases.find((p) => p.id === id)?.name || id;
}

function turnBubble(turn) {
  const node = h(
    'article',
    { class: `turn turn--${turn.role}${turn.hint ? ' turn--hint' : ''}`, tabindex: '-1', 'data-role': turn.role },
    h('header', { class: 'turn__meta' },
      h('span', { class: 'turn__who' }, ROLES[turn.role] || turn.role),
      turn.hint ? h('span', { class: 'badge badge--hint', 'data-testid': 'hint-badge' }, 'Hint') : null,
      turn.spoken ? h('span', { class: 'badge badge--spoken', 'data-testid': 'spoken-badge', title: 'Spoken, transcribed by the server' }, 'Spoken') : null,
      timeEl(turn.created_at)),
    h('div', { class: 'turn__body' }),
  );
  if (turn.id != null) setTurnId(node, turn.id);
  return node;
}

function setTurnId(node, id) {
  node.id = `turn-${id}`;
  node.setAttribute('data-testid', `turn-${id}`);
  node.removeAttribute('data-pending');
}

/** Puts a stored turn's final content in its bubble (once: committed turns do not change). */
function fillTurn(node, turn) {
  if (node.dataset.final === 'true') return;
  const body = node.querySelector('.turn__body');
  if (turn.role === 'interviewer' && typeof turn.html === 'string') {
    body.classList.remove('turn__body--plain');
    setTurnHtml(body, turn.html);
  } else {
    renderCandidateBody(body, turn.content);
  }
  node.querySelector('.turn__note')?.remove();
  if (turn.incomplete) node.append(h('p', { class: 'turn__note' }, 'This reply was cut short.'));
  const time = node.querySelector('time');
  if (time && turn.created_at) time.replaceWith(timeEl(turn.created_at));
  node.removeAttribute('aria-busy');
  node.classList.remove('is-streaming');
  node.dataset.final = 'true';
}

function appendInPhase(list, phases, phaseId, node) {
  if (phaseId && list.dataset.lastPhase !== phaseId) {
    list.append(h('h3', { class: 'phase-divider', 'data-phase': phaseId }, phaseName(phases, phaseId)));
    list.dataset.lastPhase = phaseId;
  }
  list.append(node);
}

/** Brings the transcript in line with the session: drops unconfirmed bubbles, fills and appends turns. */
function syncTranscript(list, session) {
  list.querySelectorAll('[data-pending]').forEach((n) => n.remove());
  for (const turn of session.turns) {
    let node = list.querySelector(`#turn-${turn.id}`);
    if (!node) {
      node = turnBubble(turn);
      appendInPhase(list, session.phases, turn.phase, node);
    }
    fillTurn(node, turn);
  }
}

/** Runs a DOM change and keeps the view pinned to the newest message if it was there already. */
function keepBottom(box, mutate) {
  const scroller = box.scrollHeight > box.clientHeight + 1 ? box : document.scrollingElement;
  const nearBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
  mutate();
  if (nearBottom) scroller.scrollTop = scroller.scrollHeight;
}

// ---------------------------------------------------------------------------------------------------
// Diagrams and code: the Mermaid panel and the code editor in the room, and how fenced blocks render
// in a candidate's turns (the room and the review). Both libraries are vendored and load on first use.

const DIAGRAM_PREFIX = 'mock-interviewer:diagram:';
const CODE_PREFIX = 'mock-interviewer:code:';
const LANG_PREFIX = 'mock-interviewer:lang:';
const CODE_LANGUAGES = {
  python: 'Python',
  javascript: 'JavaScript',
  typescript: 'TypeScript',
  java: 'Java',
  cpp: 'C++',
  go: 'Go',
  rust: 'Rust',
  sql: 'SQL',
};
const DIAGRAM_STARTER = 'flowchart LR\n  client([Client]) --> gateway[API gateway]\n';

let mermaidModule = null;
let codemirrorModule = null;
let diagramCount = 0;

function loadMermaid() {
  mermaidModule ||= import('/vendor/mermaid/mermaid.esm.min.mjs').then((m) => {
    const mermaid = m.default;
    const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
    // strict: labels are text (no HTML, no click handlers), as the page's CSP expects.
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default' });
    return mermaid;
  });
  return mermaidModule;
}

function loadCodemirror() {
  codemirrorModule ||= import('/vendor/codemirror.min.js');
  return codemirrorModule;
}

function stored(prefix, id) {
  try {
    return localStorage.getItem(prefix + id);
  } catch {
    return null;
  }
}

function store(prefix, id, value) {
  try {
    if (value) localStorage.setItem(prefix + id, value);
    else localStorage.removeItem(prefix + id);
  } catch {
    // storage full or disabled: nothing kept
  }
}

/** The fenced blocks of a turn's Markdown, in order: [{lang, source}] (an unclosed fence runs to the end). */
function fencedBlocks(content) {
  const blocks = [];
  const parts = splitFences(content);
  for (const p of parts) if (p.fence) blocks.push({ lang: p.lang, source: p.source });
  return blocks;
}

/** Splits Markdown into text and fenced blocks (``` or ~~~, three or more, closed by a longer-or-equal run). */
function splitFences(content) {
  const out = [];
  const lines = content.split('\n');
  let text = [];
  let block = null;
  for (const line of lines) {
    if (block) {
      const close = line.trim();
      if (close.length >= block.marker.length && close === block.marker[0].repeat(close.length)) {
        out.push({ fence: true, lang: block.lang, source: block.lines.join('\n') });
        block = null;
      } else {
        block.lines.push(line);
      }
      continue;
    }
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/.exec(line);
    if (open) {
      if (text.length) out.push({ fence: false, text: text.join('\n') });
      text = [];
      block = { marker: open[1], lang: open[2].toLowerCase(), lines: [] };
    } else {
      text.push(line);
    }
  }
  if (block) out.push({ fence: true, lang: block.lang, source: block.lines.join('\n') });
  if (text.length) out.push({ fence: false, text: text.join('\n') });
  return out;
}

/** A fence that no run of backticks in `source` can close early. */
function fence(lang, source) {
  const longest = Math.max(2, ...[...source.matchAll(/`+/g)].map((m) => m[0].length));
  const marker = '`'.repeat(longest + 1);
  return `${marker}${lang}\n${source.replace(/\n+$/, '')}\n${marker}`;
}

/** The last diagram and the last code block the candidate sent in this session. */
function lastSent(session) {
  let diagram = null;
  let code = null;
  for (const t of session.turns) {
    if (t.role !== 'candidate') continue;
    for (const b of fencedBlocks(t.content)) {
      if (b.lang === 'mermaid') diagram = b.source;
      else if (b.lang) code = { lang: b.lang, source: b.source };
    }
  }
  return { diagram, code };
}

const normalise = (s) => (s || '').replace(/\s+$/, '');

let diagramQueue = Promise.resolve();

/** Renders a Mermaid source into `target`; false (and a note) when mermaid cannot draw it. Drawings
 * are made one at a time: mermaid lays each out in a scratch element of the page. */
function renderDiagram(target, source) {
  const run = diagramQueue.then(() => drawDiagram(target, source));
  diagramQueue = run.catch(() => false);
  return run;
}

async function drawDiagram(target, source) {
  const mermaid = await loadMermaid();
  diagramCount += 1;
  const id = `mi-diagram-${diagramCount}`;
  try {
    const { svg: markup } = await mermaid.render(id, source);
    // Mermaid's SVG, sanitised by mermaid itself (securityLevel strict): the second HTML this app inserts.
    target.innerHTML = markup;
    target.dataset.rendered = 'true';
    return true;
  } catch {
    target.replaceChildren(h('p', { class: 'diagram__note' }, 'Mermaid could not draw this diagram yet.'));
    target.dataset.rendered = 'false';
    return false;
  } finally {
    document.getElementById(`d${id}`)?.remove();
  }
}

/** A candidate turn's body: its text as typed, its diagrams drawn and its code highlighted. */
function renderCandidateBody(body, content) {
  const parts = splitFences(content);
  if (!parts.some((p) => p.fence)) {
    body.classList.add('turn__body--plain');
    body.textContent = content;
    return;
  }
  body.classList.remove('turn__body--plain');
  body.replaceChildren();
  for (const p of parts) {
    if (!p.fence) {
      if (p.text.trim()) body.append(h('div', { class: 'turn__text' }, p.text.replace(/^\n+|\n+$/g, '')));
    } else if (p.lang === 'mermaid') {
      const drawing = h('div', { class: 'diagram__drawing', 'data-testid': 'turn-diagram-drawing' });
      body.append(h('figure', { class: 'diagram', 'data-testid': 'turn-diagram' },
        drawing,
        h('details', { class: 'diagram__source' },
          h('summary', {}, 'Mermaid source'),
          h('pre', {}, h('code', {}, p.source)))));
      renderDiagram(drawing, p.source);
    } else {
      const code = h('code', { class: p.lang ? `language-${p.lang}` : '' }, p.source);
      body.append(h('pre', { class: 'code-block', 'data-testid': 'turn-code', 'data-lang': p.lang || '' }, code));
      if (p.lang) {
        loadCodemirror().then((cm) => {
          if (cm.highlightInto(code, p.source, p.lang)) code.parentElement.dataset.highlighted = 'true';
        });
      }
    }
  }
}

/** The diagram panel: a Mermaid source box, the live drawing, and what the server could not read. */
function diagramPanel(room) {
  const kind = room.session.question.kind;
  const source = h('textarea', {
    id: 'diagram-source',
    'data-testid': 'diagram-source',
    rows: '8',
    spellcheck: 'false',
    class: 'mono',
    'aria-describedby': 'diagram-help diagram-errors',
  });
  const drawing = h('div', { class: 'diagram__drawing', 'data-testid': 'diagram-preview', 'aria-label': 'The diagram, drawn', role: 'img' });
  const errors = h('ul', { id: 'diagram-errors', class: 'diagram__errors', 'data-testid': 'diagram-errors', 'aria-live': 'polite' });
  const state = h('p', { class: 'small muted', 'data-testid': 'diagram-state' });
  const panel = h('details', { class: 'panel panel--diagram', 'data-testid': 'diagram-panel', open: kind === 'system_design' ? true : null },
    h('summary', {}, 'Diagram (Mermaid flowchart)'),
    h('p', { id: 'diagram-help', class: 'hint' },
      'Write the architecture as a flowchart: ', h('code', {}, 'A[Gateway] --> B[(Vector DB)]'),
      '. It is sent with your next answer when it has changed; the interviewer reads it.'),
    h('div', { class: 'panel__split' },
      h('div', {}, h('label', { for: 'diagram-source', class: 'sr-only' }, 'Mermaid source'), source, errors),
      drawing),
    state);
  const saved = stored(DIAGRAM_PREFIX, room.id);
  source.value = saved ?? (lastSent(room.session).diagram || DIAGRAM_STARTER);
  let timer = null;
  let generation = 0;
  const refresh = async () => {
    const mine = ++generation;
    const text = source.value;
    if (!text.trim()) {
      errors.replaceChildren();
      drawing.replaceChildren();
      return;
    }
    try {
      const result = await api('/api/diagrams/parse', { method: 'POST', body: { source: text } });
      if (mine !== generation) return;
      errors.replaceChildren(...result.errors.map((e) =>
        h('li', { 'data-line': e.line }, `Line ${e.line}: ${e.message}`)));
      const loose = (result.unconnected || []).map((id) => result.diagram.nodes.find((n) => n.id === id)?.label || id);
      state.textContent = result.valid
        ? `${result.diagram.nodes.length} components, ${result.diagram.edges.length} connections${loose.length ? `; not connected: ${loose.join(', ')}` : ''}.`
        : '';
      if (result.valid) await renderDiagram(drawing, text);
      if (mine === generation) panel.dataset.state = result.valid ? 'valid' : 'invalid';
    } catch (err) {
      if (mine === generation) errors.replaceChildren(h('li', {}, err.message));
    }
  };
  source.addEventListener('input', () => {
    store(DIAGRAM_PREFIX, room.id, source.value);
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
  panel.addEventListener('toggle', () => {
    if (panel.open && !drawing.dataset.rendered) refresh();
  }, { once: false });
  if (panel.open) refresh();
  room.view.cleanups.push(() => clearTimeout(timer));
  return { panel, source, get value() { return source.value; } };
}

/** The code editor (coding interviews): CodeMirror with the session's language. */
function codePanel(room) {
  const sent = lastSent(room.session).code;
  const language = stored(LANG_PREFIX, room.id) || (sent && CODE_LANGUAGES[sent.lang] ? sent.lang : 'python');
  const select = selectEl('code-language', Object.entries(CODE_LANGUAGES), language);
  const host = h('div', { class: 'code-editor', 'data-testid': 'code-editor' });
  const panel = h('details', { class: 'panel panel--code', 'data-testid': 'code-panel', open: true },
    h('summary', {}, 'Code editor'),
    h('p', { class: 'panel__bar' }, labelled('code-language', 'Language', select),
      h('span', { class: 'hint' }, 'Tab indents; Esc then Tab leaves the editor. The code is sent with your next answer when it has changed.')),
    host);
  const code = { panel, select, editor: null, get value() { return this.editor ? this.editor.value : ''; }, get language() { return select.value; } };
  const initial = stored(CODE_PREFIX, room.id) ?? (sent ? sent.source : '');
  loadCodemirror().then((cm) => {
    if (!room.view.alive) return;
    code.editor = cm.createEditor(host, {
      doc: initial,
      language,
      label: 'Code',
      onChange: (text) => store(CODE_PREFIX, room.id, text),
    });
    host.dataset.ready = 'true';
    room.view.cleanups.push(() => code.editor.destroy());
  }).catch((err) => showBanner('error', `The code editor did not load: ${err.message}`));
  select.addEventListener('change', () => {
    store(LANG_PREFIX, room.id, select.value);
    code.editor?.setLanguage(select.value);
  });
  return code;
}

/** The answer as sent: the typed text, then the diagram and the code when they changed since last sent. */
function composeAnswer(room) {
  const parts = [];
  const text = room.els.answer.value;
  if (text.trim()) parts.push(text.replace(/\s+$/, ''));
  const sent = lastSent(room.session);
  const diagram = room.diagram?.value;
  if (diagram && diagram.trim() && normalise(diagram) !== normalise(sent.diagram) && normalise(diagram) !== normalise(DIAGRAM_STARTER)) {
    parts.push(fence('mermaid', diagram));
  }
  const code = room.code?.value;
  if (code && code.trim() && (normalise(code) !== normalise(sent.code?.source) || room.code.language !== sent.code?.lang)) {
    parts.push(fence(room.code.language, code));
  }
  return parts.join('\n\n');
}

// ---------------------------------------------------------------------------------------------------
// Interview room

async function renderRoom(view, id) {
  const session = await api(`/api/sessions/${enc(id)}`);
  if (!view.alive) return;
  if (session.status === 'finished') {
    location.replace(`#/review/${enc(session.id)}`);
    return;
  }
  const speech = await speechConfig();
  if (!view.alive) return;
  pageTitle(session.question.title);
  const room = createRoom(view, session);
  room.speech = speech;
  view.cleanups.push(() => stopVoice(room));
  app.replaceChildren(room.root);
  applySession(room, session, { initial: true });
  const box = room.els.transcript;
  box.scrollTop = box.scrollHeight;
  const timer = setInterval(() => tickClocks(room), 1000);
  view.cleanups.push(() => clearInterval(timer));
}

function createRoom(view, session) {
  const els = {
    timeline: h('ol', { class: 'timeline', 'data-testid': 'phase-timeline', 'aria-label': 'Interview phases' }),
    phaseCountdown: h('span', { class: 'countdown', 'data-testid': 'phase-countdown', role: 'timer' }),
    totalCountdown: h('span', { class: 'countdown', 'data-testid': 'total-countdown', role: 'timer' }),
    transcript: transcriptEl(true),
    revealed: h('div', { class: 'revealed', 'data-testid': 'revealed' }),
    answer: h('textarea', {
      id: 'answer',
      'data-testid': 'answer',
      rows: '6',
      'aria-describedby': 'answer-hint',
      spellcheck: 'true',
    }),
    send: h('button', { type: 'submit', class: 'btn btn--primary', 'data-testid': 'send' }, 'Send'),
    next: h('button', { type: 'button', class: 'btn', 'data-testid': 'next-phase' }, 'Next phase'),
    hint: h('button', { type: 'button', class: 'btn btn--quiet', 'data-testid': 'hint', title: 'A nudge toward a direction, never the answer. A few per phase; hints are noted on the scorecard.' }, 'Hint'),
    finish: h('button', { type: 'button', class: 'btn btn--danger', 'data-testid': 'finish' }, 'Finish interview'),
    mic: h('button', { type: 'button', class: 'btn btn--quiet', 'data-testid': 'mic', 'aria-pressed': 'false', hidden: true }, 'Speak'),
    speaker: h('button', { type: 'button', class: 'btn btn--quiet', 'data-testid': 'speaker', 'aria-pressed': 'false', hidden: true, title: 'Read the interviewer\'s replies aloud' }, 'Read replies aloud'),
    status: h('p', { class: 'composer__status', role: 'status' }),
    lastPhaseHint: h('p', { class: 'hint', hidden: true }, 'This is the last phase: finish the interview when you are ready.'),
  };
  const room = { view, id: session.id, session, fetchedAt: Date.now(), streaming: false, busy: false, els };
  // Behavioral interviews are told, not drawn; coding ones get the editor too.
  if (session.question.kind !== 'behavioral') room.diagram = diagramPanel(room);
  if (session.question.kind === 'coding') room.code = codePanel(room);
  room.root = roomLayout(room);
  wireComposer(room);
  return room;
}

function roomLayout(room) {
  const { els, session } = room;
  const q = session.question;
  return h(
    'div',
    { class: 'room' },
    h(
      'header',
      { class: 'room__header' },
      heading(q.title),
      h('p', { class: 'meta' },
        h('span', { class: 'badge' }, KINDS[q.kind] || q.kind),
        h('span', {}, capitalise(session.level)),
        h('span', {}, `${q.duration_minutes} min`),
        interviewerLabel(session.interviewer)),
    ),
    h(
      'section',
      { class: 'room__clock', 'aria-label': 'Phases and time' },
      els.timeline,
      h('p', { class: 'clocks' },
        h('span', { class: 'clock' }, 'This phase: ', els.phaseCountdown),
        h('span', { class: 'clock' }, 'Interview: ', els.totalCountdown)),
    ),
    h(
      'div',
      { class: 'room__grid' },
      h(
        'div',
        { class: 'room__main' },
        h('details', { class: 'prompt', open: true },
          h('summary', {}, 'The question'),
          promptBody(q)),
        h('h2', { class: 'sr-only' }, 'Transcript'),
        els.transcript,
        composer(room),
      ),
      h(
        'aside',
        { class: 'room__side', 'aria-labelledby': 'revealed-heading' },
        h('h2', { id: 'revealed-heading' }, 'What you have learnt'),
        els.revealed,
      ),
    ),
  );
}

function interviewerLabel(interviewer) {
  if (!interviewer) return null;
  const text = interviewer.mode === 'offline' ? 'Offline interviewer' : `Interviewer: ${interviewer.model || interviewer.mode}`;
  return h('span', { class: 'muted' }, text);
}

function composer(room) {
  const { els } = room;
  return h(
    'form',
    { class: 'composer', 'aria-label': 'Your answer' },
    h('label', { for: 'answer', class: 'composer__label' }, 'Your answer'),
    els.answer,
    h('p', { id: 'answer-hint', class: 'hint' }, 'Ctrl+Enter (⌘+Enter on a Mac) sends. Your draft is kept if you reload.'),
    room.code?.panel,
    room.diagram?.panel,
    h('div', { class: 'composer__actions' }, els.send, els.mic, els.speaker, els.next, els.hint, els.finish),
    els.status,
    els.lastPhaseHint,
  );
}

function wireComposer(room) {
  const { els } = room;
  els.answer.value = loadDraft(room.id);
  els.answer.addEventListener('input', () => saveDraft(room.id, els.answer.value));
  els.answer.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      sendAnswer(room);
    }
  });
  els.send.form.addEventListener('submit', (event) => {
    event.preventDefault();
    sendAnswer(room);
  });
  els.next.addEventListener('click', () => advancePhase(room));
  els.hint.addEventListener('click', () => askForHint(room));
  els.finish.addEventListener('click', () => finishInterview(room));
  els.mic.addEventListener('click', () => toggleMic(room));
  els.speaker.addEventListener('click', () => toggleSpeaker(room));
}

function applySession(room, session, { initial = false } = {}) {
  room.session = session;
  room.fetchedAt = Date.now();
  if (session.status === 'finished') {
    location.replace(`#/review/${enc(session.id)}`);
    return;
  }
  renderTimeline(room.els.timeline, session);
  tickClocks(room);
  renderRevealed(room.els.revealed, session.requirements_revealed || []);
  const list = room.els.transcript;
  if (initial) syncTranscript(list, session);
  else keepBottom(list, () => syncTranscript(list, session));
  updateControls(room);
}

function currentPhaseIndex(session) {
  const i = session.phases.findIndex((p) => p.id === session.phase);
  return i >= 0 ? i : session.phase_index;
}

function renderTimeline(list, session) {
  const current = currentPhaseIndex(session);
  list.replaceChildren(
    ...session.phases.map((phase, i) => {
      const state = i < current ? 'done' : i === current ? 'current' : 'upcoming';
      return h(
        'li',
        {
          class: `phase phase--${state}`,
          'data-testid': `phase-${phase.id}`,
          'data-state': state,
          'aria-current': state === 'current' ? 'step' : null,
        },
        h('span', { class: 'phase__name' }, phase.name),
        h('span', { class: 'phase__minutes' }, `${phase.minutes} min`),
        srOnly(state === 'done' ? ' (done)' : state === 'current' ? ' (current phase)' : ''),
      );
    }),
  );
}

function tickClocks(room) {
  const s = room.session;
  const elapsed = Math.floor((Date.now() - room.fetchedAt) / 1000);
  const phaseLeft = s.phase_time_left_seconds - elapsed;
  // The server counts the interview as this phase's remaining time (never below 0) plus the later phases.
  const later = s.interview_time_left_seconds - Math.max(s.phase_time_left_seconds, 0);
  setCountdown(room.els.phaseCountdown, phaseLeft);
  setCountdown(room.els.totalCountdown, Math.max(phaseLeft, 0) + later);
}

function setCountdown(node, seconds) {
  node.textContent = seconds >= 0 ? `${formatClock(seconds)} left` : `over by ${formatClock(seconds)}`;
  node.classList.toggle('is-over', seconds < 0);
}

function renderRevealed(box, revealed) {
  if (!revealed.length) {
    box.replaceChildren(
      h('p', { class: 'muted' }, 'Nothing yet. What the interviewer tells you when you ask clarifying questions collects here.'),
    );
    return;
  }
  box.replaceChildren(
    h('dl', { class: 'facts' },
      revealed.map((r) => h('div', { class: 'fact', 'data-requirement': r.id },
        h('dt', {}, r.topic),
        h('dd', {}, r.answer)))),
  );
}

function updateControls(room) {
  const { els, session, streaming } = room;
  // A reply still being written from before a reload: the server refuses new turns until it ends.
  const replyElsewhere = Boolean(session.streaming) && !streaming;
  const busy = room.busy || replyElsewhere;
  if (replyElsewhere && !room.busy) {
    els.status.textContent = 'The interviewer is still finishing a reply; refresh in a moment.';
  }
  const lastPhase = currentPhaseIndex(session) >= session.phases.length - 1;
  els.answer.disabled = busy;
  if (room.diagram) room.diagram.source.disabled = busy;
  if (room.code) room.code.select.disabled = busy;
  els.send.disabled = busy;
  els.next.disabled = busy || lastPhase;
  els.hint.disabled = busy;
  els.finish.disabled = busy;
  updateVoiceControls(room, busy);
  els.lastPhaseHint.hidden = !lastPhase;
  els.transcript.dataset.streaming = String(streaming);
  els.transcript.setAttribute('aria-busy', String(streaming));
}

function setBusy(room, busy, { streaming = false, status = '' } = {}) {
  room.busy = busy;
  room.streaming = streaming;
  room.els.status.textContent = status;
  updateControls(room);
}

async function refreshRoom(room) {
  try {
    const session = await api(`/api/sessions/${enc(room.id)}`);
    if (room.view.alive) applySession(room, session);
  } catch (err) {
    if (room.view.alive) showBanner('error', err.message);
  }
}

function sendAnswer(room) {
  const content = composeAnswer(room);
  if (room.busy || !content.trim()) return;
  const pending = turnBubble({ role: 'candidate', created_at: new Date().toISOString() });
  pending.setAttribute('data-pending', 'true');
  renderCandidateBody(pending.querySelector('.turn__body'), content);
  return runStream(room, `/api/sessions/${enc(room.id)}/turns`, { content }, pending);
}

function advancePhase(room) {
  if (room.busy) return;
  return runStream(room, `/api/sessions/${enc(room.id)}/advance`, undefined, null);
}

/** Streams a hint like a reply; past the phase's hints the server answers 409, shown as a banner. */
function askForHint(room) {
  if (room.busy) return;
  return runStream(room, `/api/sessions/${enc(room.id)}/hint`, undefined, null);
}

/** Streams one interviewer reply into the transcript, then re-reads the session. A recording is
 * sent as it is, with its `contentType`; a spoken answer leaves the typed draft alone. */
async function runStream(room, path, body, pendingCandidate, { contentType } = {}) {
  const { els } = room;
  const list = els.transcript;
  clearBanners();
  setBusy(room, true, { streaming: true, status: 'The interviewer is replying…' });
  if (pendingCandidate) keepBottom(list, () => appendInPhase(list, room.session.phases, room.session.phase, pendingCandidate));
  const state = { reply: null, closed: false, spoken: Boolean(contentType) };
  try {
    await postStream(path, body, (event, data) => {
      if (room.view.alive) onStreamEvent(room, state, pendingCandidate, event, data);
    }, contentType);
    if (!state.closed) showBanner('error', 'The reply stopped before it finished. What was said so far has been kept.');
  } catch (err) {
    showBanner('error', err.message);
  }
  if (!room.view.alive) return;
  // Re-read before leaving the streaming state, so the final Markdown is in place when it ends.
  await refreshRoom(room);
  if (!room.view.alive) return;
  setBusy(room, false);
  els.answer.focus();
}

function onStreamEvent(room, state, pendingCandidate, event, data) {
  const list = room.els.transcript;
  switch (event) {
    case 'turn':
      if (pendingCandidate && data.id != null) setTurnId(pendingCandidate, data.id);
      if (state.spoken) {
        // What the server heard replaces the placeholder; the typed draft stays as it was.
        if (pendingCandidate) pendingCandidate.querySelector('.turn__body').textContent = data.content || '';
      } else {
        room.els.answer.value = '';
        saveDraft(room.id, '');
      }
      break;
    case 'phase':
      onPhaseEvent(room, data);
      break;
    case 'notice':
      showBanner('notice', data.message);
      break;
    case 'token':
      keepBottom(list, () => {
        if (!state.reply) state.reply = startReplyBubble(room);
        state.reply.querySelector('.turn__body').append(data.delta || '');
      });
      break;
    case 'done':
      state.closed = true;
      if (state.reply && data.turn_id != null) {
        setTurnId(state.reply, data.turn_id);
        speakReply(room, data.turn_id, state.reply.querySelector('.turn__body').textContent);
      }
      break;
    case 'error':
      state.closed = true;
      showBanner('error', data.message || 'The reply failed.');
      break;
    default:
      break;
  }
}

function startReplyBubble(room) {
  const node = turnBubble({ role: 'interviewer', created_at: new Date().toISOString() });
  node.setAttribute('data-pending', 'true');
  node.setAttribute('aria-busy', 'true');
  node.classList.add('is-streaming');
  node.querySelector('.turn__body').classList.add('turn__body--plain');
  appendInPhase(room.els.transcript, room.session.phases, room.session.phase, node);
  return node;
}

function onPhaseEvent(room, { to }) {
  const phase = room.session.phases.find((p) => p.id === to);
  if (!phase) return;
  // Provisional until the session is re-read at the end of the stream.
  const index = room.session.phases.indexOf(phase);
  room.session = {
    ...room.session,
    phase: to,
    phase_index: index,
    phase_time_left_seconds: phase.budget_seconds,
    interview_time_left_seconds: room.session.phases.slice(index).reduce((sum, p) => sum + p.budget_seconds, 0),
  };
  room.fetchedAt = Date.now();
  renderTimeline(room.els.timeline, room.session);
  tickClocks(room);
}

// ---------------------------------------------------------------------------------------------------
// Voice: the microphone (a recording sent to the server when it transcribes, else the browser's own
// speech recognition filling the answer box) and the speaker (the server's voice, else the browser's).

const RECORDING_TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/ogg'];
const SPEAKER_KEY = 'mock-interviewer:speaker';
let speechSettings = null;

/** Who hears and who speaks (`server` or `browser`), from /healthz, asked once. */
async function speechConfig() {
  if (!speechSettings) {
    try {
      const health = await api('/healthz');
      speechSettings = health.speech || { stt: 'browser', tts: 'browser' };
    } catch {
      return { stt: 'browser', tts: 'browser' };
    }
  }
  return speechSettings;
}

function recordingType() {
  if (typeof MediaRecorder === 'undefined' || !navigator.mediaDevices?.getUserMedia) return null;
  return RECORDING_TYPES.find((t) => MediaRecorder.isTypeSupported(t)) || null;
}

function recognitionClass() {
  return window.SpeechRecognition || window.webkitSpeechRecognition || null;
}

/** `record` (sent to the server), `dictate` (the browser fills the answer box), or null. */
function micMode(room) {
  if (room.speech?.stt === 'server' && recordingType()) return 'record';
  if (recognitionClass()) return 'dictate';
  return null;
}

function canSpeak(room) {
  return room.speech?.tts === 'server' || 'speechSynthesis' in window;
}

function speakerOn() {
  try {
    return localStorage.getItem(SPEAKER_KEY) === 'on';
  } catch {
    return false;
  }
}

function updateVoiceControls(room, busy) {
  const { mic, speaker } = room.els;
  const mode = micMode(room);
  const active = Boolean(room.voice);
  mic.hidden = !mode;
  mic.disabled = busy && !active;
  mic.setAttribute('aria-pressed', String(active));
  mic.dataset.mode = mode || '';
  if (mode === 'record') {
    mic.textContent = active ? 'Stop and send' : 'Speak';
    mic.title = 'Record your answer; it is transcribed and sent when you stop';
  } else {
    mic.textContent = active ? 'Stop dictation' : 'Dictate';
    mic.title = 'Your browser turns what you say into text in the answer box; send it when ready';
  }
  speaker.hidden = !canSpeak(room);
  speaker.setAttribute('aria-pressed', String(speakerOn()));
  speaker.textContent = speakerOn() ? 'Reading replies aloud' : 'Read replies aloud';
}

function toggleMic(room) {
  if (room.voice) {
    room.voice.stop();
    return;
  }
  if (room.busy) return;
  const mode = micMode(room);
  if (mode === 'record') startRecording(room);
  else if (mode === 'dictate') startDictation(room);
}

async function startRecording(room) {
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch {
    showBanner('error', 'The microphone is not available: allow it in the browser, or type your answer.');
    return;
  }
  if (!room.view.alive) {
    stream.getTracks().forEach((t) => t.stop());
    return;
  }
  const type = recordingType();
  const recorder = new MediaRecorder(stream, { mimeType: type });
  const chunks = [];
  let discard = false;
  recorder.addEventListener('dataavailable', (event) => {
    if (event.data.size) chunks.push(event.data);
  });
  recorder.addEventListener('stop', () => {
    stream.getTracks().forEach((t) => t.stop());
    room.voice = null;
    if (discard || !room.view.alive) return;
    updateControls(room);
    const blob = new Blob(chunks, { type: recorder.mimeType || type });
    if (blob.size) sendRecording(room, blob);
  });
  room.voice = {
    stop: () => recorder.state !== 'inactive' && recorder.stop(),
    discard: () => {
      discard = true;
      if (recorder.state !== 'inactive') recorder.stop();
    },
  };
  stopSpeaking(room);
  recorder.start();
  updateControls(room);
  room.els.status.textContent = 'Recording… press “Stop and send” when you have finished your answer.';
}

function sendRecording(room, blob) {
  const pending = turnBubble({ role: 'candidate', created_at: new Date().toISOString(), spoken: true });
  pending.setAttribute('data-pending', 'true');
  const body = pending.querySelector('.turn__body');
  body.classList.add('turn__body--plain');
  body.textContent = 'Transcribing your answer…';
  return runStream(room, `/api/sessions/${enc(room.id)}/audio`, blob, pending, { contentType: blob.type });
}

function startDictation(room) {
  const Recognition = recognitionClass();
  const recognition = new Recognition();
  recognition.lang = navigator.language || document.documentElement.lang || 'en-US';
  recognition.continuous = true;
  recognition.interimResults = true;
  const box = room.els.answer;
  const before = box.value && !/\s$/.test(box.value) ? `${box.value} ` : box.value;
  recognition.addEventListener('result', (event) => {
    let heard = '';
    for (const result of event.results) heard += result[0].transcript;
    box.value = before + heard;
    saveDraft(room.id, box.value);
  });
  recognition.addEventListener('error', (event) => {
    if (event.error !== 'aborted') showBanner('error', `Speech recognition stopped (${event.error}). You can type your answer.`);
  });
  recognition.addEventListener('end', () => {
    room.voice = null;
    if (room.view.alive) {
      room.els.status.textContent = '';
      updateControls(room);
    }
  });
  room.voice = { stop: () => recognition.stop(), discard: () => recognition.abort() };
  stopSpeaking(room);
  recognition.start();
  updateControls(room);
  room.els.status.textContent = 'Listening… your words go into the answer box; send it when ready.';
}

function toggleSpeaker(room) {
  const on = !speakerOn();
  try {
    localStorage.setItem(SPEAKER_KEY, on ? 'on' : 'off');
  } catch {
    // private mode: the toggle lasts for this page only
  }
  if (!on) stopSpeaking(room);
  updateControls(room);
}

/** Reads a new reply aloud when the speaker is on: the server's voice, else the browser's. */
function speakReply(room, turnId, text) {
  if (!speakerOn() || !room.view.alive) return;
  stopSpeaking(room);
  if (room.speech?.tts === 'server') {
    const audio = new Audio(`/api/sessions/${enc(room.id)}/turns/${enc(String(turnId))}/speech`);
    room.audio = audio;
    audio.play().catch(() => speakInBrowser(text));
  } else {
    speakInBrowser(text);
  }
}

function speakInBrowser(text) {
  if (!('speechSynthesis' in window) || !text) return;
  // The reply streamed as Markdown: its marks are not read.
  const words = text.replace(/```[\s\S]*?```/g, ' ').replace(/[*_`#>|]/g, '').trim();
  if (words) window.speechSynthesis.speak(new SpeechSynthesisUtterance(words));
}

function stopSpeaking(room) {
  if (room.audio) {
    room.audio.pause();
    room.audio = null;
  }
  if ('speechSynthesis' in window) window.speechSynthesis.cancel();
}

function stopVoice(room) {
  room.voice?.discard();
  room.voice = null;
  stopSpeaking(room);
}

async function finishInterview(room) {
  if (room.busy) return;
  const ok = window.confirm('Finish the interview and get your scorecard? You cannot add answers afterwards.');
  if (!ok) return;
  clearBanners();
  setBusy(room, true, { status: 'Scoring your interview…' });
  try {
    await api(`/api/sessions/${enc(room.id)}/finish`, { method: 'POST' });
    saveDraft(room.id, '');
    location.replace(`#/review/${enc(room.id)}`);
  } catch (err) {
    if (!room.view.alive) return;
    setBusy(room, false);
    showBanner('error', err.message);
  }
}

// ---------------------------------------------------------------------------------------------------
// Charts: drawn in real pixels for the width they get, and redrawn when that width changes

const chartDrawers = new WeakMap();

function chartBox(draw) {
  const box = h('div', { class: 'chart-box' });
  chartDrawers.set(box, draw);
  box.append(draw(640));
  return box;
}

function redrawChart(box) {
  const width = Math.floor(box.clientWidth);
  if (!width || String(width) === box.dataset.width) return;
  box.dataset.width = String(width);
  box.replaceChildren(chartDrawers.get(box)(width));
}

function fitCharts(view) {
  const boxes = app.querySelectorAll('.chart-box');
  if (!boxes.length) return;
  boxes.forEach(redrawChart);
  if (!window.ResizeObserver) return;
  const observer = new ResizeObserver((entries) => entries.forEach((e) => redrawChart(e.target)));
  boxes.forEach((box) => observer.observe(box));
  view.cleanups.push(() => observer.disconnect());
}

function clip(text, maxChars) {
  const n = Math.max(8, Math.floor(maxChars));
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

// ---------------------------------------------------------------------------------------------------
// Scorecard and review

async function renderReview(view, id) {
  const session = await api(`/api/sessions/${enc(id)}`);
  let card = null;
  try {
    card = await api(`/api/sessions/${enc(id)}/scorecard`);
  } catch (err) {
    if (err.code !== 'not_finished') throw err;
  }
  if (!view.alive) return;
  pageTitle(`Review: ${session.question.title}`);
  app.replaceChildren(reviewLayout(session, card));
  fitCharts(view);
  await addAccountsToReview(view, session);
}

function reviewLayout(session, card) {
  const q = session.question;
  return h(
    'div',
    { class: 'review' },
    heading(q.title),
    h('p', { class: 'meta' },
      h('span', { class: 'badge' }, KINDS[q.kind] || q.kind),
      h('span', {}, capitalise(session.level)),
      h('span', {}, 'Started ', timeEl(session.started_at, true)),
      session.finished_at ? h('span', {}, 'Finished ', timeEl(session.finished_at, true)) : null),
    h(
      'div',
      { class: 'review__grid' },
      card ? scorecardSection(card) : notFinishedSection(session),
      transcriptSection(session),
    ),
  );
}

function notFinishedSection(session) {
  return h(
    'section',
    { class: 'scorecard card', 'aria-labelledby': 'scorecard-heading' },
    h('h2', { id: 'scorecard-heading' }, 'Scorecard'),
    h('p', {}, 'This interview is not finished yet, so there is no scorecard. ',
      h('a', { href: `#/session/${enc(session.id)}` }, 'Go back to the interview')),
  );
}

function scorecardSection(card) {
  return h(
    'section',
    { class: 'scorecard', 'data-testid': 'scorecard', 'aria-labelledby': 'scorecard-heading' },
    h('h2', { id: 'scorecard-heading' }, 'Scorecard'),
    overallBlock(card),
    h('figure', { class: 'chart-figure' },
      chartBox((width) => dimensionChart(card.dimensions, width)),
      h('figcaption', { class: 'hint' }, 'Each dimension is scored from 1 to 4.')),
    h('h3', {}, 'Dimensions'),
    h('div', { class: 'dimensions' }, card.dimensions.map(dimensionBlock)),
    requirementsBlock(card.requirements),
    listBlock('Strengths', card.strengths, 'strengths'),
    improvementsBlock(card),
    notesBlock(card.notes),
    referenceBlock(card.reference_outline),
  );
}

/** The ranked improvements, each linked to the turn where it would have fitted. */
function improvementsBlock(card) {
  const plan = card.improvement_plan || [];
  if (!plan.length) return listBlock('To improve', card.improvements, 'improvements');
  return h(
    'section',
    { class: 'list-block', 'data-testid': 'improvements' },
    h('h3', {}, 'To improve'),
    h('ol', { class: 'improvements' }, plan.map((imp) => h('li', {},
      imp.text,
      imp.turn_id != null ? h('span', { class: 'small muted' }, ' ', h('a', { href: `#turn-${imp.turn_id}` }, `(turn ${imp.turn_id})`)) : null))),
  );
}

function notesBlock(notes) {
  if (!notes || !notes.length) return null;
  return h('section', { class: 'list-block', 'data-testid': 'scorer-notes' },
    h('h3', {}, 'Set aside by the scorer'),
    h('ul', {}, notes.map((n) => h('li', { class: 'small' }, n))));
}

/** The question's reference outline: what a strong answer covers, shown once the interview is over. */
function referenceBlock(outline) {
  if (!outline) return null;
  const points = outline.split('\n').map((l) => l.trim()).filter(Boolean);
  return h(
    'section',
    { class: 'list-block reference card', 'data-testid': 'reference-outline', 'aria-labelledby': 'reference-heading' },
    h('h3', { id: 'reference-heading' }, 'Reference outline'),
    h('p', { class: 'small muted' }, 'What a strong answer to this question covers.'),
    h('ol', { class: 'reference__points' }, points.map((p) => {
      const text = p.replace(/^\d+\.\s*/, '');
      const colon = text.indexOf(': ');
      return colon > 0 && colon < 60
        ? h('li', {}, h('strong', {}, text.slice(0, colon)), text.slice(colon))
        : h('li', {}, text);
    })),
  );
}

function overallBlock(card) {
  const rec = card.overall.recommendation;
  const scorer = SCORERS[card.scorer] || card.scorer;
  return h(
    'div',
    { class: 'overall card' },
    h('p', { class: 'overall__score' },
      h('span', { class: 'overall__label' }, 'Overall '),
      h('span', { 'data-testid': 'overall-score' }, `${card.overall.score}/100`)),
    h('p', { class: `overall__rec rec--${rec}`, 'data-testid': 'recommendation', 'data-value': rec }, RECOMMENDATIONS[rec] || rec),
    h('p', { class: 'small muted' },
      `Scored by ${scorer}${card.judge_model && card.scorer === 'llm' ? ` (${card.judge_model})` : ''}`,
      card.rubric ? ` · rubric ${card.rubric.id} v${card.rubric.version}` : ''),
    card.limits ? h('p', { class: 'small muted', 'data-testid': 'scorer-limits' }, card.limits) : null,
    card.reliability ? h('p', { class: 'small muted', 'data-testid': 'scorer-reliability' }, card.reliability.summary) : null,
    card.hints_used > 0
      ? h('p', { class: 'small', 'data-testid': 'hints-used' },
        `Hints used: ${card.hints_used} (marked in the transcript).`)
      : null,
  );
}

function dimensionChart(dimensions, width) {
  const W = Math.min(width, 560);
  const rowH = 46;
  const left = 8;
  const right = 44;
  const top = 18;
  const H = top + dimensions.length * rowH + 4;
  const x = (v) => left + (v / 4) * (W - left - right);
  const ticks = [1, 2, 3, 4].map((t) => [
    svg('line', { class: 'chart__grid', x1: x(t), x2: x(t), y1: top - 4, y2: H - 4 }),
    svg('text', { class: 'chart__tick', x: x(t), y: 12, 'text-anchor': 'middle' }, String(t)),
  ]);
  const rows = dimensions.map((d, i) => {
    const y = top + i * rowH;
    return svg('g', { class: `bar bar--${d.score}` },
      svg('text', { class: 'chart__label', x: left, y: y + 14 }, svg('title', {}, d.name), clip(d.name, (W - left) / 7.5)),
      svg('rect', { class: 'bar__track', x: left, y: y + 20, width: x(4) - left, height: 14, rx: 3 }),
      svg('rect', { class: 'bar__fill', x: left, y: y + 20, width: Math.max(x(d.score) - left, 2), height: 14, rx: 3 }),
      svg('text', { class: 'chart__value', x: x(4) + 6, y: y + 32 }, `${d.score}/4`));
  });
  const summary = dimensions.map((d) => `${d.name} ${d.score} of 4`).join('; ');
  return svg('svg', { class: 'chart chart--bars', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': `Dimension scores: ${summary}` },
    svg('title', {}, 'Dimension scores'), ticks, rows);
}

function dimensionBlock(d) {
  return h(
    'article',
    { class: 'dimension card', 'data-testid': `dimension-${d.id}`, id: `dimension-${d.id}` },
    h('header', { class: 'dimension__head' },
      h('h4', {}, d.name),
      h('span', { class: `pill score--${d.score}`, 'data-score': d.score }, `${d.score}/4`)),
    d.feedback ? h('p', {}, d.feedback) : null,
    d.reference ? h('p', { class: 'small dimension__reference' }, h('strong', {}, 'What a 4 would say here: '), d.reference) : null,
    d.evidence && d.evidence.length
      ? h('div', { class: 'evidence' },
        h('p', { class: 'small muted' }, 'Evidence from your answers'),
        h('ul', {}, d.evidence.map((e) => h('li', {}, quoteLink(e.turn_id, e.quote)))))
      : h('p', { class: 'small muted' }, 'No evidence quoted.'),
  );
}

function quoteLink(turnId, quote) {
  return h('a', { href: `#turn-${turnId}`, class: 'quote' }, `“${quote}”`, srOnly(` (turn ${turnId} in the transcript)`));
}

function requirementsBlock(req) {
  if (!req) return null;
  const asked = req.asked || [];
  const missed = req.missed || [];
  return h(
    'section',
    { class: 'requirements', 'aria-labelledby': 'req-heading' },
    h('h3', { id: 'req-heading' }, 'Requirements'),
    h('h4', {}, `Asked (${asked.length})`),
    asked.length
      ? h('ul', { class: 'req-list', 'data-testid': 'requirements-asked' },
        asked.map((r) => h('li', {}, h('a', { href: `#turn-${r.turn_id}` }, r.topic, srOnly(` (turn ${r.turn_id})`)))))
      : h('p', { class: 'muted' }, 'None.'),
    h('h4', {}, `Missed (${missed.length})`),
    missed.length
      ? h('dl', { class: 'facts', 'data-testid': 'requirements-missed' },
        missed.map((r) => h('div', { class: 'fact' },
          h('dt', {}, r.topic, r.important ? h('span', { class: 'pill pill--warn' }, 'important') : null),
          h('dd', {}, r.answer))))
      : h('p', { class: 'muted' }, 'None: you asked about everything that mattered.'),
  );
}

function listBlock(title, items, testid) {
  return h(
    'section',
    { class: 'list-block', 'data-testid': testid },
    h('h3', {}, title),
    items && items.length ? h('ul', {}, items.map((s) => h('li', {}, s))) : h('p', { class: 'muted' }, 'None.'),
  );
}

function transcriptSection(session) {
  const list = transcriptEl(false);
  syncTranscript(list, session);
  const base = `/api/sessions/${enc(session.id)}/transcript`;
  return h(
    'section',
    { class: 'review__transcript', 'aria-labelledby': 'transcript-heading' },
    h('div', { class: 'review__transcript-head' },
      h('h2', { id: 'transcript-heading' }, 'Transcript'),
      h('p', { class: 'downloads' },
        h('a', { href: base, download: `interview-${session.id}.md`, 'data-testid': 'download-md', class: 'btn btn--quiet' }, 'Download Markdown'),
        h('a', { href: `${base}?format=json`, download: `interview-${session.id}.json`, 'data-testid': 'download-json', class: 'btn btn--quiet' }, 'Download JSON'))),
    list,
  );
}

// ---------------------------------------------------------------------------------------------------
// Progress

async function renderProgress(view) {
  const data = await api('/api/progress');
  if (!view.alive) return;
  pageTitle('Progress');
  const sessions = [...(data.sessions || [])].sort((a, b) => String(a.finished_at).localeCompare(String(b.finished_at)));
  if (!sessions.length) {
    app.replaceChildren(
      heading('Progress'),
      h('p', { class: 'empty card', 'data-testid': 'progress-empty' },
        'No finished interviews yet. Finish an interview and your scores will show up here. ',
        h('a', { href: '#/' }, 'Start an interview')),
    );
    return;
  }
  app.replaceChildren(
    heading('Progress'),
    h('p', { class: 'lede' }, `${sessions.length} finished interview${sessions.length === 1 ? '' : 's'}, oldest first.`),
    ...progressByKind(sessions),
    progressOverall(sessions),
    progressTable(sessions),
  );
  fitCharts(view);
}

function dimensionSeries(sessions) {
  const byId = new Map();
  sessions.forEach((s, i) => {
    for (const d of s.dimensions || []) {
      if (!byId.has(d.id)) byId.set(d.id, { id: d.id, name: d.name, points: [] });
      const series = byId.get(d.id);
      series.name = d.name;
      series.points.push({ x: i, y: d.score, label: `${d.name}: ${d.score}/4 (#${i + 1} ${s.question_title || s.question_id})` });
    }
  });
  return [...byId.values()];
}

/** One chart per interview kind: each kind has its own dimensions, and 25 lines on one chart are unreadable. */
function progressByKind(sessions) {
  const kinds = new Map();
  for (const s of sessions) {
    const kind = s.rubric || 'other';
    if (!kinds.has(kind)) kinds.set(kind, []);
    kinds.get(kind).push(s);
  }
  return [...kinds.entries()].map(([kind, list]) => progressDimensions(list, kind));
}

function progressDimensions(sessions, kind) {
  const series = dimensionSeries(sessions);
  const headingId = `progress-dim-heading-${kind}`;
  return h(
    'section',
    { 'aria-labelledby': headingId },
    h('h2', { id: headingId }, `${KINDS[kind] || kind}: dimension scores`),
    h('figure', { class: 'chart-figure card', 'data-testid': 'progress-chart', 'data-kind': kind },
      chartBox((width) => lineChart({
        width,
        series,
        count: sessions.length,
        yMin: 1,
        yMax: 4,
        yTicks: [1, 2, 3, 4],
        label: `${KINDS[kind] || kind} dimension scores (1 to 4) over ${sessions.length} finished interview${sessions.length === 1 ? '' : 's'}`,
      })),
      h('figcaption', {},
        h('span', { class: 'sr-only' }, 'Legend'),
        h('ul', { class: 'legend' }, series.map((s, k) => h('li', { 'data-series': s.id }, legendSwatch(k), s.name))))),
  );
}

function progressOverall(sessions) {
  const series = [{
    id: 'overall',
    name: 'Overall',
    points: sessions.map((s, i) => ({ x: i, y: s.overall.score, label: `Overall ${s.overall.score}/100 (#${i + 1})` })),
  }];
  return h(
    'section',
    { 'aria-labelledby': 'progress-overall-heading' },
    h('h2', { id: 'progress-overall-heading' }, 'Overall score'),
    h('figure', { class: 'chart-figure card', 'data-testid': 'progress-overall' },
      chartBox((width) => lineChart({
        width,
        height: 220,
        series,
        count: sessions.length,
        yMin: 0,
        yMax: 100,
        yTicks: [0, 25, 50, 75, 100],
        label: `Overall score (0 to 100): ${sessions.map((s) => s.overall.score).join(', ')}`,
      }))),
  );
}

function seriesClass(k) {
  return `series series--${k % SERIES_COLOURS}`;
}

function seriesDash(k) {
  return SERIES_DASHES[Math.floor(k / SERIES_COLOURS) % SERIES_DASHES.length] || null;
}

function legendSwatch(k) {
  return svg('svg', { class: 'legend__swatch', viewBox: '0 0 28 10', width: 28, height: 10, 'aria-hidden': 'true' },
    svg('line', { class: seriesClass(k), x1: 1, x2: 27, y1: 5, y2: 5, 'stroke-dasharray': seriesDash(k) }));
}

/** An SVG line chart: x = index 0..count-1 (sessions in time order), y in [yMin, yMax]. */
function lineChart({ width, height = 280, series, count, yMin, yMax, yTicks, label }) {
  const W = width;
  const H = height;
  const pad = { left: 40, right: 16, top: 14, bottom: 34 };
  const x = (i) => (count <= 1 ? (pad.left + W - pad.right) / 2 : pad.left + (i * (W - pad.left - pad.right)) / (count - 1));
  const y = (v) => pad.top + ((yMax - v) * (H - pad.top - pad.bottom)) / (yMax - yMin);
  const every = Math.max(1, Math.ceil(count / Math.max(2, Math.floor((W - pad.left) / 44))));
  const grid = yTicks.map((t) => [
    svg('line', { class: 'chart__grid', x1: pad.left, x2: W - pad.right, y1: y(t), y2: y(t) }),
    svg('text', { class: 'chart__tick', x: pad.left - 8, y: y(t) + 4, 'text-anchor': 'end' }, String(t)),
  ]);
  const xLabels = Array.from({ length: count }, (_, i) => i)
    .filter((i) => i % every === 0 || i === count - 1)
    .map((i) => svg('text', { class: 'chart__tick', x: x(i), y: H - 12, 'text-anchor': 'middle' }, `#${i + 1}`));
  const lines = series.map((s, k) => {
    // Spread overlapping lines apart by a pixel or two so each stays visible.
    const offset = series.length > 1 ? (k - (series.length - 1) / 2) * 1.6 : 0;
    const pts = s.points.map((p) => [x(p.x), y(p.y) + offset, p.label]);
    return svg('g', { class: seriesClass(k), 'data-series': s.id },
      svg('polyline', { points: pts.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' '), fill: 'none', 'stroke-dasharray': seriesDash(k) }),
      pts.map(([px, py, text]) => svg('circle', { cx: px.toFixed(1), cy: py.toFixed(1), r: 3.5 }, svg('title', {}, text))));
  });
  return svg('svg', { class: 'chart chart--lines', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': label },
    svg('title', {}, label),
    grid,
    svg('text', { class: 'chart__axis', x: (pad.left + W - pad.right) / 2, y: H - 1, 'text-anchor': 'middle' }, 'Session'),
    xLabels,
    lines);
}

function progressTable(sessions) {
  return h(
    'section',
    { 'aria-labelledby': 'progress-table-heading' },
    h('h2', { id: 'progress-table-heading' }, 'Finished interviews'),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'progress-table-heading' },
      h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, ['#', 'Finished', 'Question', 'Level', 'Overall', 'Recommendation'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, sessions.map((s, i) => h('tr', {},
          h('td', {}, String(i + 1)),
          h('td', {}, h('time', { datetime: s.finished_at, title: formatDateTime(s.finished_at) }, formatDate(s.finished_at))),
          h('td', {}, h('a', { href: `#/review/${enc(s.session_id)}` }, s.question_title || s.question_id)),
          h('td', {}, capitalise(s.level)),
          h('td', {}, `${s.overall.score}/100`),
          h('td', { class: `rec--${s.overall.recommendation}` }, RECOMMENDATIONS[s.overall.recommendation] || s.overall.recommendation)))))),
  );
}

// ---------------------------------------------------------------------------------------------------
// Start

// ---------------------------------------------------------------------------------------------------
// Accounts: sign in and out, the coach's review (comments beside the turns), sharing

const TOKEN_KEY = 'mock-interviewer:token';
let me = null; // {auth, user}; user is null with --auth none
let afterLogin = '#/';

function storedToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

function storeToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage disabled: the token lasts as long as this page
  }
}

/** Who is signed in; with accounts on and nobody signed in, `user` is null and the mode is known. */
async function loadMe() {
  try {
    me = await api('/api/me');
  } catch (err) {
    if (err.code !== 'unauthenticated') throw err;
    const health = await api('/healthz');
    me = { auth: health.auth, user: null };
  }
}

const needsLogin = () => me && me.auth !== 'none' && !me.user;
const accountsOn = () => me && me.auth !== 'none' && me.user;

function listHeading() {
  const role = accountsOn() ? me.user.role : null;
  if (role === 'coach') return 'Your interviews and those shared with you';
  if (role === 'admin') return 'All interviews';
  return 'Your interviews';
}

function renderAccount() {
  const box = document.getElementById('account');
  if (!box) return;
  if (!accountsOn()) {
    box.replaceChildren();
    return;
  }
  const out = h('button', { type: 'button', class: 'btn btn--quiet', 'data-testid': 'logout' }, 'Sign out');
  out.addEventListener('click', logout);
  box.replaceChildren(
    h('span', { class: 'account__who', 'data-testid': 'account-name' }, me.user.name,
      h('span', { class: 'badge' }, capitalise(me.user.role))),
    out,
  );
}

async function logout() {
  try {
    await request('/api/auth/logout', { method: 'POST', body: {} });
  } catch {
    // signed out on this side whatever the server says
  }
  storeToken('');
  me = null;
  location.hash = '#/login';
  if (parseRoute(location.hash).name === 'login') onRoute();
}

function renderLogin(view) {
  pageTitle('Sign in');
  const byPassword = me?.auth !== 'token';
  const error = h('p', { class: 'error-text', role: 'alert', 'data-testid': 'login-error' });
  const fields = byPassword
    ? [
      labelled('login-name', 'Name', h('input', { id: 'login-name', name: 'name', autocomplete: 'username', required: true })),
      labelled('login-password', 'Password', h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    ]
    : [labelled('login-token', 'API token', h('input', { id: 'login-token', name: 'token', type: 'password', autocomplete: 'off', required: true }))];
  const submit = h('button', { type: 'submit', class: 'btn btn--primary', 'data-testid': 'login-submit' }, 'Sign in');
  const form = h('form', { class: 'card login', 'data-testid': 'login-form' }, ...fields, submit, error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      if (byPassword) {
        storeToken('');
        me = await api('/api/auth/login', {
          method: 'POST',
          body: { name: form.elements.name.value, password: form.elements.password.value },
        });
      } else {
        storeToken(form.elements.token.value.trim());
        me = await api('/api/me');
      }
      const next = afterLogin;
      afterLogin = '#/';
      if (location.hash === next) onRoute();
      else location.hash = next;
    } catch (err) {
      if (!byPassword) storeToken('');
      error.textContent = err.code === 'invalid_credentials' || err.code === 'unauthenticated'
        ? (byPassword ? 'Wrong name or password.' : 'That token is not valid.')
        : err.message;
      submit.disabled = false;
    }
  });
  app.replaceChildren(
    heading('Sign in'),
    h('p', { class: 'lede' }, byPassword
      ? 'This server has accounts. Sign in to see your interviews.'
      : 'This server takes API tokens. Paste yours (from `mock-interviewer users token NAME`).'),
    form,
  );
  if (view.alive) form.querySelector('input')?.focus();
}

async function openShare(view, token) {
  const opened = await api('/api/shares/open', { method: 'POST', body: { token } });
  if (view.alive) location.replace(`#/review/${enc(opened.session_id)}`);
}

/** Comments beside the turns and a form to add one; the share control for the owner. */
async function addAccountsToReview(view, session) {
  if (!accountsOn()) return;
  const base = `/api/sessions/${enc(session.id)}`;
  const [comments, shares] = await Promise.all([
    api(`${base}/comments`),
    api(`${base}/shares`).catch((err) => {
      if (err.code === 'forbidden') return null; // not the owner: no share control
      throw err;
    }),
  ]);
  if (!view.alive) return;
  const review = app.querySelector('.review');
  for (const c of comments) placeComment(c);
  const mayComment = me.user.role !== 'admin' || shares !== null;
  if (mayComment) review.append(commentForm(session, base));
  if (shares !== null) review.append(shareControl(base, shares));
}

function commentEl(c) {
  return h('aside', { class: 'comment', 'data-testid': `comment-${c.id}` },
    h('p', { class: 'comment__meta small muted' }, `${c.author} (${c.author_role}) · `, timeEl(c.created_at)),
    h('p', { class: 'comment__body' }, c.body));
}

/** A comment goes right after its turn's bubble, or in the session's comments when on no turn. */
function placeComment(c) {
  const turn = c.turn_id != null ? document.getElementById(`turn-${c.turn_id}`) : null;
  if (turn) {
    let box = turn.nextElementSibling;
    if (!box || !box.classList.contains('comments')) {
      box = h('div', { class: 'comments', 'data-testid': `comments-turn-${c.turn_id}` });
      turn.after(box);
    }
    box.append(commentEl(c));
    return;
  }
  let box = document.getElementById('session-comments');
  if (!box) {
    box = h('section', { class: 'comments card', id: 'session-comments', 'data-testid': 'session-comments' },
      h('h2', {}, 'Comments'));
    app.querySelector('.review__transcript')?.prepend(box);
  }
  box.append(commentEl(c));
}

function commentForm(session, base) {
  const turns = session.turns.filter((t) => t.id != null);
  const target = selectEl('comment-turn', [['', 'The whole interview'],
    ...turns.map((t, i) => [String(t.id), `Turn ${i + 1} (${ROLES[t.role] || t.role})`])], '');
  const text = h('textarea', { id: 'comment-body', rows: '3', maxlength: '4096', required: true, 'data-testid': 'comment-body' });
  const status = h('p', { class: 'small', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'btn btn--primary', 'data-testid': 'comment-submit' }, 'Add comment');
  const form = h('form', { class: 'card comment-form', 'data-testid': 'comment-form', 'aria-labelledby': 'comment-heading' },
    h('h2', { id: 'comment-heading' }, 'Add a comment'),
    labelled('comment-turn', 'On', target), labelled('comment-body', 'Comment', text), submit, status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    status.textContent = '';
    try {
      const body = { body: text.value };
      if (target.value) body.turn_id = Number(target.value);
      placeComment(await api(`${base}/comments`, { method: 'POST', body }));
      text.value = '';
      status.textContent = 'Comment added.';
    } catch (err) {
      status.textContent = err.message;
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

function shareControl(base, initial) {
  const list = h('ul', { class: 'shares', 'data-testid': 'share-list' });
  const linkOut = h('p', { class: 'small', 'data-testid': 'share-link' });
  const status = h('p', { class: 'small', role: 'status' });
  const coach = h('input', { id: 'share-coach', autocomplete: 'off', 'data-testid': 'share-coach' });
  const byName = h('button', { type: 'submit', class: 'btn', 'data-testid': 'share-submit' }, 'Share');
  const makeLink = h('button', { type: 'button', class: 'btn btn--quiet', 'data-testid': 'share-make-link' }, 'Create a share link');
  const show = (shares) => list.replaceChildren(...shares.map((s) => {
    const revoke = h('button', { type: 'button', class: 'btn btn--quiet', 'data-testid': `revoke-${s.id}` }, 'Revoke');
    revoke.addEventListener('click', async () => {
      try {
        await request(`${base}/shares/${enc(s.id)}`, { method: 'DELETE', body: {} });
        show(await api(`${base}/shares`));
        status.textContent = 'Share revoked.';
      } catch (err) {
        status.textContent = err.message;
      }
    });
    const what = s.kind === 'coach' ? `Coach ${s.coach}` : `Share link (opened by ${s.opened})`;
    return h('li', { class: 'share' }, what, ' ', revoke);
  }));
  show(initial);
  const form = h('form', { class: 'share-form' }, labelled('share-coach', 'Coach', coach), byName);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api(`${base}/shares`, { method: 'POST', body: { coach: coach.value.trim() } });
      coach.value = '';
      show(await api(`${base}/shares`));
      status.textContent = 'Shared.';
    } catch (err) {
      status.textContent = err.message;
    }
  });
  makeLink.addEventListener('click', async () => {
    try {
      const share = await api(`${base}/shares`, { method: 'POST', body: { link: true } });
      linkOut.replaceChildren('Send this link to a coach (shown once): ',
        h('code', {}, `${location.origin}/#/share/${share.token}`));
      show(await api(`${base}/shares`));
    } catch (err) {
      status.textContent = err.message;
    }
  });
  return h('section', { class: 'card share-control', 'data-testid': 'share-control', 'aria-labelledby': 'share-heading' },
    h('h2', { id: 'share-heading' }, 'Share with a coach'), form, makeLink, linkOut, list, status);
}

document.addEventListener('click', onDocumentClick);
window.addEventListener('hashchange', onRoute);
onRoute();
