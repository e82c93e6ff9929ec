"""Access-control matrix: every route of the OpenAPI document x every role (candidate, coach, admin,
anonymous) x owner / non-owner, on a service with accounts (`--auth token`). Users and their tokens are
made with the binary's own `users add` / `users token` on the same database. The rules checked are the
issue's: an anonymous API request gets 401 `unauthenticated`; a request for another user's session gets
404 `session_not_found` and changes nothing; lists and progress show only the caller's own sessions; the
owner gets through. A coach sees a candidate's session only once it is shared with them; what an admin
sees is recorded, not asserted (see RELIABILITY.md)."""

import argparse
import os
import subprocess
import tempfile

import requests

from common import Service, db_rows, is_error_shape, new_session, report

# Routes anyone may reach without an account.
PUBLIC = {"/", "/app.js", "/app.css", "/healthz", "/api/openapi.json", "/metrics"}


def users(binary, db, *args, stdin=None):
    return subprocess.run([binary, "users", *args, "--db", db], input=stdin, capture_output=True,
                          text=True, timeout=60)


def accounts_available(binary):
    r = subprocess.run([binary, "users", "--help"], capture_output=True, text=True)
    return r.returncode == 0


def call(method, url, token):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    if method == "POST":
        body = {"content": "We shard the index by tenant."} if url.endswith("/turns") else {}
        r = requests.post(url, json=body, headers=headers, timeout=60, stream=True)
    else:
        r = requests.request(method, url, headers=headers, timeout=60, stream=True)
    status = r.status_code
    ctype = r.headers.get("content-type", "")
    body = None
    if ctype.startswith("application/json"):
        try:
            body = r.json()
        except ValueError:
            body = None
    elif ctype.startswith("text/event-stream"):
        for _ in r.iter_lines():
            pass
    r.close()
    return status, body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    a = ap.parse_args()
    if not accounts_available(a.binary):
        print("  the binary has no `users` command: accounts (--auth) are not built yet; matrix not run")
        report("access_matrix", True, {"run": False, "reason": "no accounts in this build"})
        return
    work = tempfile.mkdtemp(prefix="reliability-access-")
    db = os.path.join(work, "a.db")
    # Migrate the database and make the users before the service starts.
    svc = Service(a.binary, db, extra=["--auth", "token"], log=os.path.join(work, "service.log"))
    tokens = {}
    for name, role in [("alice", "candidate"), ("bob", "candidate"), ("carol", "coach"), ("ada", "admin")]:
        made = users(a.binary, db, "add", name, "--role", role, "--password-stdin", stdin="correct horse battery\n")
        if made.returncode != 0:
            raise SystemExit(f"users add {name}: {made.stderr}")
        tok = users(a.binary, db, "token", name)
        if tok.returncode != 0:
            raise SystemExit(f"users token {name}: {tok.stderr}")
        tokens[name] = tok.stdout.strip()
    svc.start()
    problems, cells = [], 0
    try:
        spec = requests.get(svc.base + "/api/openapi.json", timeout=30).json()
        http = requests.Session()
        http.headers["authorization"] = f"Bearer {tokens['alice']}"
        alice = new_session(http, svc.base)
        bob_http = requests.Session()
        bob_http.headers["authorization"] = f"Bearer {tokens['bob']}"
        bob = new_session(bob_http, svc.base)
        before = db_rows(db, "SELECT COUNT(*) AS n FROM turns WHERE session_id = ?", (alice,))[0]["n"]
        ops = [(m.upper(), p) for p, item in spec["paths"].items() for m in item
               if m in ("get", "post", "put", "patch", "delete")]
        # Everyone but the owner first (nothing they do may change alice's session), then the owner.
        callers = [("anonymous", None), ("bob (candidate, not owner)", tokens["bob"]),
                   ("carol (coach, not shared)", tokens["carol"]), ("ada (admin)", tokens["ada"]),
                   ("alice (owner)", tokens["alice"])]
        for who, token in callers:
            for method, path in sorted(ops, key=lambda o: o[1].endswith("/finish")):
                url = svc.base + path.replace("{id}", alice)
                status, body = call(method, url, token)
                cells += 1
                cell = f"{who}: {method} {path} -> {status}"
                if status >= 400 and not is_error_shape(body):
                    problems.append(f"{cell} outside the error shape")
                code = body.get("error", {}).get("code") if isinstance(body, dict) else None
                if path in PUBLIC:
                    continue
                if who == "anonymous":
                    if status != 401 or code != "unauthenticated":
                        problems.append(f"{cell} ({code}); 401 unauthenticated expected")
                elif who.startswith(("bob", "carol")) and "{id}" in path:
                    if status != 404 or code != "session_not_found":
                        problems.append(f"{cell} ({code}); 404 session_not_found expected")
                elif who.startswith("alice") and status in (401, 403, 404):
                    problems.append(f"{cell} ({code}); the owner was refused")
                if method == "GET" and path in ("/api/sessions", "/api/progress") and status == 200 and token:
                    listed = str(body)
                    mine = alice if who.startswith("alice") else bob if who.startswith("bob") else None
                    other = bob if mine == alice else alice
                    if who.startswith(("alice", "bob")) and other in listed:
                        problems.append(f"{cell}: lists another user's session")
                    if who.startswith("carol") and (alice in listed or bob in listed):
                        problems.append(f"{cell}: a coach lists sessions nobody shared")
            if not who.startswith("alice"):
                after = db_rows(db, "SELECT COUNT(*) AS n FROM turns WHERE session_id = ?", (alice,))[0]["n"]
                status = db_rows(db, "SELECT status FROM sessions WHERE id = ?", (alice,))[0]["status"]
                if after != before or status != "active":
                    problems.append(f"{who} changed alice's session ({before} -> {after} turns, {status})")
    finally:
        svc.stop()
    for p in problems[:30]:
        print("  " + p)
    report("access_matrix", not problems, {"run": True, "operations": len(ops), "callers": len(callers),
                                           "cells": cells, "problems": len(problems)})


if __name__ == "__main__":
    main()
