"""What every check of the battery shares: the service under test started as a child process (its own
port and SQLite file), an SSE reader for turn streams, a slow mock OpenAI-compatible upstream, the
database read back row by row, and the summary line each check prints."""

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

QUESTION = "rag-customer-support"

# The load checks measure durability, not the per-client quotas (one client here is the whole load).
NO_QUOTAS = ["--sessions-per-hour", "0", "--turns-per-minute", "0", "--tokens-per-day", "0",
             "--max-connections", "4096"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """The real binary, `serve` on a free loopback port over one SQLite file (kept across restarts)."""

    def __init__(self, binary, db, extra=(), log=None):
        self.binary = binary
        self.db = db
        self.extra = list(extra)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc = None

    def start(self, timeout=120):
        args = [self.binary, "serve", "--addr", f"127.0.0.1:{self.port}", "--db", self.db] + self.extra
        if not any(a == "--llm" for a in self.extra):
            args += ["--llm", "offline"]
        env = dict(os.environ, RUST_LOG=os.environ.get("RUST_LOG", "warn"))
        env.pop("OPENAI_API_KEY", None)
        env.pop("OPENAI_BASE_URL", None)
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen(args, stdout=out, stderr=out, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the service exited with {self.proc.returncode} at start-up")
            try:
                if requests.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError("the service did not become ready")

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def term(self, timeout=60):
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill9()


def new_session(http, base, question=QUESTION):
    r = http.post(base + "/api/sessions", json={"question_id": question}, timeout=30)
    r.raise_for_status()
    return r.json()["id"]


def read_events(response):
    """The named events of an SSE response, in order, as (event, data) with data parsed as JSON.
    Stops at the end of the body or at a broken connection, whichever comes first."""
    events = []
    name, data = None, []
    try:
        for raw in response.iter_lines(decode_unicode=False):
            line = raw.decode("utf-8")
            if line == "":
                if name is not None or data:
                    payload = "\n".join(data)
                    try:
                        parsed = json.loads(payload) if payload else None
                    except ValueError:
                        parsed = {"unparsed": payload}
                    events.append((name or "message", parsed))
                name, data = None, []
            elif line.startswith(":"):
                continue
            elif line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip(" "))
    except (requests.RequestException, ConnectionError, OSError):
        pass
    except Exception as e:  # urllib3 protocol errors on a killed peer
        if "Connection" not in type(e).__name__ and "Protocol" not in type(e).__name__:
            raise
    return events


def post_turn(http, base, session, content, timeout=120):
    """Sends a turn and reads its stream: (HTTP status, events, error body or None)."""
    try:
        r = http.post(
            f"{base}/api/sessions/{session}/turns",
            json={"content": content},
            stream=True,
            timeout=timeout,
        )
    except requests.RequestException as e:
        return None, [], str(e)
    if r.status_code != 200:
        try:
            body = r.json()
        except ValueError:
            body = r.text
        return r.status_code, [], body
    return 200, read_events(r), None


def db_rows(path, sql, args=()):
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute(sql, args)]
    finally:
        con.close()


def is_error_shape(body):
    """The documented error body: {"error": {"code": str, "message": str, ...}}."""
    return (
        isinstance(body, dict)
        and isinstance(body.get("error"), dict)
        and isinstance(body["error"].get("code"), str)
        and body["error"]["code"] != ""
        and isinstance(body["error"].get("message"), str)
    )


class SlowUpstream:
    """An OpenAI-compatible chat completions endpoint that streams a long reply slowly, so a
    SIGTERM finds streams in the middle of their tokens."""

    def __init__(self, pieces=400, delay=0.02):
        self.pieces = pieces
        self.delay = delay
        up = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(n) or b"{}")
                if not body.get("stream"):
                    text = json.dumps({"scores": []})
                    out = json.dumps({
                        "id": "c", "object": "chat.completion", "created": 1, "model": "mock",
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                     "finish_reason": "stop"}],
                    }).encode()
                    self.send_response(200)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)
                    return
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("connection", "close")
                self.end_headers()

                def chunk(delta, finish=None):
                    c = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "mock",
                         "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                    self.wfile.write(f"data: {json.dumps(c)}\n\n".encode())
                    self.wfile.flush()

                try:
                    chunk({"role": "assistant", "content": ""})
                    for i in range(up.pieces):
                        chunk({"content": f"word{i} "})
                        time.sleep(up.delay)
                    chunk({}, "stop")
                    self.wfile.write(b"data: [DONE]\n\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def answer(i, s):
    """A plausible design statement, unique per session and turn, so every stored row can be matched."""
    topics = ["chunking the documents by section", "a hybrid retriever with BM25 and embeddings",
              "a reranker on the top fifty passages", "caching answers for frequent questions",
              "an evaluation set of two hundred labelled tickets", "sharding the index by tenant"]
    return f"[s{s} t{i}] For this part I would use {random.choice(topics)}, measured against P95 latency."


def report(name, ok, figures):
    line = {"check": name, "ok": bool(ok), **figures}
    print(json.dumps(line), flush=True)
    out = os.environ.get("RELIABILITY_OUT")
    if out:
        with open(out, "a") as f:
            f.write(json.dumps(line) + "\n")
    if not ok:
        sys.exit(1)
