"""Access-control matrix against the real binary: every operation of the OpenAPI document x every caller
(anonymous, the owner, a coach the session is shared with, an admin, another candidate, another coach)
on `--auth token`, the users and tokens made with the binary's own `users add` / `users token` on the
same database. The expectations are README's table (Accounts): reads for the owner, a coach it is shared
with and an admin; writes for the owner only (403 `forbidden` for the coach and the admin); comments for
the owner and the coach; shares for the owner; 404 `session_not_found` for anyone else and 401
`unauthenticated` for an anonymous API request. A route the classifier below does not know fails the
run, so a new route needs a rule here too. Nothing a non-owner does may change the owner's session.

Every cell sends a request the owner's would succeed with, so it tests access, not the input's shape:
the audio route gets a real small WAV (`audio/wav`), the speech route one of the owner's stored turns,
and both voice sides are served by the battery's mock speech server (`mock_speech.py`)."""

import argparse
import os
import subprocess
import tempfile

import requests

from common import Service, db_rows, is_error_shape, report
from mock_speech import MockSpeech, wav

PUBLIC = {"/", "/app.js", "/app.css", "/healthz", "/metrics", "/api/openapi.json",
          "/api/questions", "/api/questions/{id}", "/api/auth/login", "/api/auth/logout"}
CALLERS = ["anonymous", "bob (other candidate)", "dave (other coach)", "carol (coach, shared)",
           "ada (admin)", "alice (owner)"]
# Who may do what on a session, by rule; anyone else signed in gets 404, anonymous 401.
SESSION_RULES = {
    "read": {"alice (owner)": "ok", "carol (coach, shared)": "ok", "ada (admin)": "ok"},
    "write": {"alice (owner)": "ok", "carol (coach, shared)": 403, "ada (admin)": 403},
    "comment": {"alice (owner)": "ok", "carol (coach, shared)": "ok", "ada (admin)": 403},
    "manage": {"alice (owner)": "ok", "carol (coach, shared)": 403, "ada (admin)": 403},
}


def rule(method, path):
    if path in PUBLIC or path.startswith("/vendor/"):
        return "public"
    if path.startswith("/api/admin/"):
        return "admin"
    if path == "/api/shares/open":
        return "coach"
    if path.startswith("/api/sessions/{id}"):
        if "/shares" in path:
            return "manage"
        if path.endswith("/comments"):
            return "read" if method == "GET" else "comment"
        return "read" if method == "GET" else "write"
    if path in ("/api/sessions", "/api/progress", "/api/diagrams/parse") or path.startswith("/api/me"):
        return "signed_in"
    return None


def expected(r, who):
    """"ok" (neither 401, 403 nor session_not_found), or the status that must come back."""
    if r == "public":
        return "ok"
    if who == "anonymous":
        return 401
    if r == "signed_in":
        return "ok"
    if r == "admin":
        return "ok" if who.startswith("ada") else 403
    if r == "coach":
        return "ok" if who.startswith(("carol", "dave")) else 403
    return SESSION_RULES[r].get(who, 404)


def body_for(path):
    if path == "/api/sessions":
        return {"question_id": "rag-customer-support"}
    if path == "/api/auth/login":
        return {"name": "nobody", "password": "whatever it is"}
    if path == "/api/shares/open":
        return {"token": "mis_unknown"}
    if path == "/api/admin/users":
        return {"name": "newcomer", "role": "candidate"}
    if path.endswith("/turns"):
        return {"content": "We shard the index by tenant."}
    if path.endswith("/comments"):
        return {"body": "A comment."}
    if path.endswith("/shares"):
        return {"link": True}
    if path == "/api/diagrams/parse":
        return {"source": "flowchart LR\n  A[Client] --> B[Retriever]"}
    return {}


def call(base, method, path, token):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    kw = {"json": body_for(path)} if method in ("POST", "PUT", "PATCH", "DELETE") else {}
    if method == "POST" and path.endswith("/audio"):
        headers["content-type"] = "audio/wav"
        kw = {"data": wav([(i * 997) % 4000 - 2000 for i in range(1600)])}
    r = requests.request(method, base + path, headers=headers, timeout=60, stream=True, **kw)
    body = None
    ctype = r.headers.get("content-type", "")
    if ctype.startswith("application/json"):
        try:
            body = r.json()
        except ValueError:
            pass
    else:
        for _ in r.iter_content(65536):
            pass
    r.close()
    return r.status_code, body


def cli(binary, db, *args, stdin=None):
    r = subprocess.run([binary, "users", *args, "--db", db], input=stdin, capture_output=True, text=True,
                       timeout=120)
    if r.returncode != 0:
        raise SystemExit(f"users {' '.join(args)}: {r.stderr.strip()}")
    return r.stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    a = ap.parse_args()
    if subprocess.run([a.binary, "users", "--help"], capture_output=True).returncode != 0:
        print("  the binary has no `users` command (no accounts in this build); matrix not run")
        report("access_matrix", False, {"run": False, "reason": "no accounts in this build"})
        return
    work = tempfile.mkdtemp(prefix="reliability-access-")
    db = os.path.join(work, "a.db")
    tokens = {}
    for who, name, role in [("alice (owner)", "alice", "candidate"), ("bob (other candidate)", "bob", "candidate"),
                            ("carol (coach, shared)", "carol", "coach"), ("dave (other coach)", "dave", "coach"),
                            ("ada (admin)", "ada", "admin")]:
        cli(a.binary, db, "add", name, "--role", role, "--password-stdin", stdin="a long password\n")
        tokens[who] = cli(a.binary, db, "token", name).splitlines()[-1].strip()
    tokens["anonymous"] = None
    speech = MockSpeech()
    svc = Service(a.binary, db, extra=["--auth", "token", *speech.flags()],
                  log=os.path.join(work, "service.log")).start()
    problems, cells = [], 0
    try:
        spec = requests.get(svc.base + "/api/openapi.json", timeout=30).json()
        owner = requests.Session()
        owner.headers["authorization"] = f"Bearer {tokens['alice (owner)']}"
        r = owner.post(svc.base + "/api/sessions", json={"question_id": "rag-customer-support"}, timeout=30)
        r.raise_for_status()
        sid = r.json()["id"]
        # The opening, the interviewer's turn: the one the speech route reads aloud.
        turn_id = r.json()["turns"][0]["id"]
        r = owner.post(f"{svc.base}/api/sessions/{sid}/shares", json={"coach": "carol"}, timeout=30)
        if r.status_code >= 300:
            raise SystemExit(f"sharing with carol: {r.status_code} {r.text[:200]}")
        share = r.json()
        share_id = share.get("id") or share.get("share", {}).get("id")
        ops = [(m.upper(), p) for p, item in spec["paths"].items() for m in item
               if m in ("get", "post", "put", "patch", "delete")]
        before = db_rows(db, "SELECT COUNT(*) AS n FROM turns WHERE session_id = ?", (sid,))[0]["n"]
        for who in CALLERS:
            # The owner's finish and share revocation go last: what they change is checked after.
            for method, path in sorted(ops, key=lambda o: (o[1].endswith("/finish"), o[0] == "DELETE")):
                r = rule(method, path)
                if r is None:
                    problems.append(f"{method} {path}: no access rule in access_matrix.py")
                    continue
                concrete = (path.replace("{id}", sid if path.startswith("/api/sessions/") else "rag-customer-support")
                            .replace("{share_id}", str(share_id)).replace("{turn_id}", str(turn_id)).replace("{token_id}", "999999")
                            .replace("{name}", "nobody-here").replace("{file}", "missing.js"))
                status, body = call(svc.base, method, concrete, tokens[who])
                cells += 1
                code = body.get("error", {}).get("code") if isinstance(body, dict) else None
                cell = f"{who}: {method} {path} -> {status} {code or ''}"
                if status >= 400 and not is_error_shape(body):
                    problems.append(f"{cell}: outside the error shape")
                want = expected(r, who)
                if want == "ok":
                    if status in (401, 403) or code == "session_not_found" or status >= 500:
                        problems.append(f"{cell}: should be allowed ({r})")
                    elif path.endswith(("/audio", "/speech")) and status != 200:
                        # Their input is real (a WAV, a stored turn, a speech server): allowed means served.
                        problems.append(f"{cell}: should be served ({r})")
                elif status != want or code != {401: "unauthenticated", 403: "forbidden",
                                                404: "session_not_found"}.get(want, code):
                    problems.append(f"{cell}: {want} expected ({r})")
                if method == "GET" and path in ("/api/sessions", "/api/progress") and status == 200 \
                        and who.startswith(("bob", "dave")) and sid in str(body):
                    problems.append(f"{cell}: lists a session that is not theirs")
            if who != "alice (owner)":
                after = db_rows(db, "SELECT COUNT(*) AS n FROM turns WHERE session_id = ?", (sid,))[0]["n"]
                state = db_rows(db, "SELECT status FROM sessions WHERE id = ?", (sid,))[0]["status"]
                if after != before or state != "active":
                    problems.append(f"{who} changed the owner's session ({before} -> {after} turns, {state})")
    finally:
        svc.stop()
        speech.close()
    for p in problems[:40]:
        print("  " + p)
    report("access_matrix", not problems, {"run": True, "operations": len(ops), "callers": len(CALLERS),
                                           "cells": cells, "problems": len(problems),
                                           "mock_speech": speech.counts})


if __name__ == "__main__":
    main()
