"""Concurrency: many sessions, each sending its turns one after another, all sessions at once; then the
database is read back row by row: every session holds its opening, then each candidate turn exactly as
sent (with the id its `turn` event announced) followed by the interviewer's reply (with the id its
`done` event announced), nothing incomplete, nothing extra."""

import argparse
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from common import NO_QUOTAS, Service, answer, db_rows, new_session, post_turn, report


def run_session(base, s, turns):
    http = requests.Session()
    sid = new_session(http, base)
    sent = []
    for i in range(turns):
        content = answer(i, s)
        status, events, err = post_turn(http, base, sid, content)
        names = [e for e, _ in events]
        turn = next((d for e, d in events if e == "turn"), None)
        done = next((d for e, d in events if e == "done"), None)
        sent.append({"content": content, "status": status, "err": err, "names": names,
                     "turn_id": turn and turn.get("id"), "reply_id": done and done.get("turn_id")})
    return sid, sent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--sessions", type=int, default=200)
    ap.add_argument("--turns", type=int, default=50)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="reliability-concurrency-")
    db = os.path.join(work, "c.db")
    svc = Service(a.binary, db, extra=NO_QUOTAS, log=os.path.join(work, "service.log")).start()
    t0 = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=a.sessions) as pool:
            results = list(pool.map(lambda s: run_session(svc.base, s, a.turns), range(a.sessions)))
    finally:
        svc.stop()
    elapsed = time.monotonic() - t0
    problems = []
    acked = sum(1 for _, sent in results for t in sent if t["turn_id"] is not None)
    for sid, sent in results:
        for t in sent:
            if t["status"] != 200 or not t["names"] or t["names"][0] != "turn" or t["names"][-1] != "done":
                problems.append(f"{sid}: turn {t['content'][:12]} got {t['status']} {t['err']} {t['names'][-3:]}")
        rows = db_rows(db, "SELECT id, role, content, incomplete FROM turns WHERE session_id = ? ORDER BY id", (sid,))
        expected = 1 + 2 * len(sent)
        if len(rows) != expected:
            problems.append(f"{sid}: {len(rows)} rows stored, {expected} expected")
            continue
        if rows[0]["role"] != "interviewer":
            problems.append(f"{sid}: the first row is not the opening")
        for i, t in enumerate(sent):
            cand, reply = rows[1 + 2 * i], rows[2 + 2 * i]
            if cand["role"] != "candidate" or cand["content"] != t["content"] or cand["id"] != t["turn_id"]:
                problems.append(f"{sid}: turn {i}: stored {cand['role']} #{cand['id']} differs from what was sent/acknowledged (#{t['turn_id']})")
            if reply["role"] != "interviewer" or reply["id"] != t["reply_id"] or reply["incomplete"] or not reply["content"]:
                problems.append(f"{sid}: reply {i}: stored #{reply['id']} (incomplete={reply['incomplete']}) differs from `done` (#{t['reply_id']})")
    sessions = db_rows(db, "SELECT COUNT(*) AS n FROM sessions")[0]["n"]
    total = db_rows(db, "SELECT COUNT(*) AS n FROM turns")[0]["n"]
    if sessions != a.sessions:
        problems.append(f"{sessions} sessions stored, {a.sessions} created")
    if total != a.sessions * (1 + 2 * a.turns):
        problems.append(f"{total} turns stored, {a.sessions * (1 + 2 * a.turns)} expected")
    for p in problems[:20]:
        print("  " + p)
    report("concurrency", not problems, {
        "sessions": a.sessions, "turns_per_session": a.turns, "acknowledged_turns": acked,
        "rows_stored": total, "problems": len(problems), "seconds": round(elapsed, 1),
        "turns_per_second": round(acked / elapsed, 1) if elapsed else None,
    })


if __name__ == "__main__":
    main()
