"""SIGTERM: the service is sent SIGTERM while many turn streams are open (a slow mock upstream keeps them
in the middle of their tokens, and more turns are arriving). Every stream that got a 200 must end with
`done` or `error` (an `error` at shutdown says `shutting_down`); every candidate turn found in the
database must have been announced to its client (`turn`), so a client never retries a saved answer; and
every announced turn must be stored."""

import argparse
import os
import tempfile
import threading
import time

import requests

from common import NO_QUOTAS, Service, SlowUpstream, answer, db_rows, new_session, post_turn, read_events, report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--streams", type=int, default=50)
    ap.add_argument("--runs", type=int, default=1)
    a = ap.parse_args()
    totals = {"streams": 0, "ended_done": 0, "ended_error": 0, "shutting_down": 0, "refused": 0,
              "no_end": 0, "unannounced_stored": 0, "announced_lost": 0}
    problems = []
    for run in range(a.runs):
        up = SlowUpstream(pieces=2000, delay=0.01)
        work = tempfile.mkdtemp(prefix="reliability-sigterm-")
        db = os.path.join(work, "t.db")
        svc = Service(a.binary, db, log=os.path.join(work, "service.log"), extra=[
            "--llm", "openai", "--llm-base-url", up.url, "--model", "mock", "--api-key", "test",
            "--llm-retries", "0", *NO_QUOTAS]).start()
        http = requests.Session()
        sids = [new_session(http, svc.base) for _ in range(a.streams)]
        results = [None] * len(sids)
        started = threading.Barrier(len(sids) + 1, timeout=120)

        def stream(k):
            h = requests.Session()
            content = answer(k, f"term{run}")
            r = h.post(f"{svc.base}/api/sessions/{sids[k]}/turns", json={"content": content},
                       stream=True, timeout=120)
            # Half the clients wait for the first tokens before SIGTERM; half are still arriving.
            try:
                started.wait()
            except threading.BrokenBarrierError:
                pass
            events = read_events(r) if r.status_code == 200 else []
            try:
                body = r.json() if r.status_code != 200 else None
            except ValueError:
                body = r.text
            results[k] = (content, r.status_code, events, body)

        threads = [threading.Thread(target=stream, args=(k,)) for k in range(len(sids))]
        for t in threads:
            t.start()
        started.wait()
        # Later arrivals, racing the signal: they must get a 503 or a stream that ends properly.
        late = []

        def late_turn(k):
            late.append(post_turn(requests.Session(), svc.base, new_sid[k], answer(k, "late"), timeout=60))

        new_sid = [new_session(http, svc.base) for _ in range(max(1, a.streams // 5))]
        lt = [threading.Thread(target=late_turn, args=(k,)) for k in range(len(new_sid))]
        for t in lt:
            t.start()
        time.sleep(0.3)
        code = svc.term()
        for t in threads + lt:
            t.join()
        up.close()
        rows = db_rows(db, "SELECT id, session_id, role, content, incomplete FROM turns WHERE role = 'candidate'")
        stored = {(r["session_id"], r["content"]) for r in rows}
        for k, (content, status, events, body) in enumerate(results):
            totals["streams"] += 1
            names = [e for e, _ in events]
            announced = "turn" in names
            if status != 200:
                totals["refused"] += 1
                if (sids[k], content) in stored:
                    totals["unannounced_stored"] += 1
                    problems.append(f"{sids[k]}: refused with {status} but its turn is stored")
                continue
            last = names[-1] if names else None
            if last == "done":
                totals["ended_done"] += 1
            elif last == "error":
                totals["ended_error"] += 1
                if events[-1][1].get("code") == "shutting_down":
                    totals["shutting_down"] += 1
            else:
                totals["no_end"] += 1
                problems.append(f"{sids[k]}: stream ended after {names[-3:]} with neither done nor error")
            if (sids[k], content) in stored and not announced:
                totals["unannounced_stored"] += 1
                problems.append(f"{sids[k]}: its turn is stored but no `turn` event was sent")
            if announced and (sids[k], content) not in stored:
                totals["announced_lost"] += 1
                problems.append(f"{sids[k]}: its `turn` was announced but is not stored")
        for status, events, err in late:
            totals["streams"] += 1
            names = [e for e, _ in events]
            if status == 200 and (not names or names[-1] not in ("done", "error")):
                totals["no_end"] += 1
                problems.append(f"a late turn's stream ended after {names[-3:]}")
            elif status not in (200, None) and not (isinstance(err, dict) and "error" in err):
                problems.append(f"a late turn got {status} with a body outside the error shape: {err!r:.80}")
            elif status != 200:
                totals["refused"] += 1
        if code != 0:
            problems.append(f"the service exited with {code} after SIGTERM")
    for p in problems[:20]:
        print("  " + p)
    report("sigterm", not problems, {"runs": a.runs, **totals, "problems": len(problems)})


if __name__ == "__main__":
    main()
