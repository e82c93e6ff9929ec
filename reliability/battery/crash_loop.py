"""Crash loop: the service under load is killed with SIGKILL again and again and restarted on the same
database; every turn the service acknowledged (its `turn` event, sent only once the turn is committed)
and every reply it finished (`done`) must be in the database afterwards, exactly as sent, and the file
must pass SQLite's integrity check."""

import argparse
import os
import random
import tempfile
import threading
import time

import requests

from common import NO_QUOTAS, Service, answer, db_rows, new_session, post_turn, report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--kills", type=int, default=30)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--min-load", type=float, default=0.5, help="seconds of load before a kill (at least)")
    ap.add_argument("--max-load", type=float, default=2.0)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="reliability-crash-")
    db = os.path.join(work, "crash.db")
    log = os.path.join(work, "service.log")
    acked, replied, created = [], [], []
    lock = threading.Lock()
    sessions = {}
    attempted = 0
    rng = random.Random(14)
    t0 = time.monotonic()
    for cycle in range(a.kills + 1):
        svc = Service(a.binary, db, extra=NO_QUOTAS, log=log).start()
        stop = threading.Event()

        def client(c, base=svc.base, stop=stop):
            nonlocal attempted
            http = requests.Session()
            n = 0
            while not stop.is_set():
                try:
                    if c not in sessions:
                        sessions[c] = new_session(http, base)
                        with lock:
                            created.append(sessions[c])
                except requests.RequestException:
                    return
                content = answer(n, f"{c}-{cycle}")
                n += 1
                with lock:
                    attempted += 1
                status, events, _ = post_turn(http, base, sessions[c], content, timeout=30)
                if status is None:
                    return
                for e, d in events:
                    with lock:
                        if e == "turn":
                            acked.append((sessions[c], d["id"], content))
                        elif e == "done":
                            replied.append((sessions[c], d["turn_id"]))

        threads = [threading.Thread(target=client, args=(c,)) for c in range(a.clients)]
        for t in threads:
            t.start()
        if cycle < a.kills:
            time.sleep(rng.uniform(a.min_load, a.max_load))
            svc.kill9()
        else:
            time.sleep(a.min_load)
            stop.set()
            for t in threads:
                t.join()
            svc.stop()
        stop.set()
        for t in threads:
            t.join()
    elapsed = time.monotonic() - t0
    rows = {r["id"]: r for r in db_rows(db, "SELECT id, session_id, role, content, incomplete FROM turns")}
    stored_sessions = {r["id"] for r in db_rows(db, "SELECT id FROM sessions")}
    lost = [(s, i) for s, i, c in acked
            if i not in rows or rows[i]["session_id"] != s or rows[i]["role"] != "candidate" or rows[i]["content"] != c]
    lost_replies = [(s, i) for s, i in replied
                    if i not in rows or rows[i]["role"] != "interviewer" or rows[i]["incomplete"]]
    lost_sessions = [s for s in created if s not in stored_sessions]
    integrity = db_rows(db, "PRAGMA integrity_check")[0]
    integrity = next(iter(integrity.values()))
    for x in (lost[:10] + lost_replies[:10] + lost_sessions[:10]):
        print("  lost:", x)
    report("crash_loop", not lost and not lost_replies and not lost_sessions and integrity == "ok", {
        "kills": a.kills, "clients": a.clients, "turns_attempted": attempted,
        "acknowledged_turns": len(acked), "lost_turns": len(lost),
        "finished_replies": len(replied), "lost_replies": len(lost_replies),
        "sessions": len(created), "lost_sessions": len(lost_sessions),
        "integrity_check": integrity, "seconds": round(elapsed, 1),
    })


if __name__ == "__main__":
    main()
