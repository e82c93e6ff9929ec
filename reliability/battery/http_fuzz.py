"""HTTP fuzz of every route in the OpenAPI document (`/api/openapi.json`) with schemathesis: valid and
invalid inputs (examples, coverage and fuzzing phases), asserting no 5xx and that every error is the
documented JSON body. A few real sessions are created first and their ids (and their stored turns' ids)
fed to the path parameters, so the fuzz reaches past the 404s. The voice routes are served by the
battery's mock speech server (`mock_speech.py`), so a recording is transcribed and a turn read aloud
for real, and a 5xx from them is the service's own."""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import requests

from common import Service, report
from mock_speech import MockSpeech

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--max-examples", type=int, default=200)
    ap.add_argument("--schemathesis", required=True)
    a = ap.parse_args()
    a.schemathesis = os.path.abspath(a.schemathesis)
    work = tempfile.mkdtemp(prefix="reliability-fuzz-")
    speech = MockSpeech()
    # The turn quota off: one fuzzing client would otherwise spend most of the turn and audio cases on
    # 429 `rate_limited` after its 30th turn of the minute, and never reach the handlers behind it.
    svc = Service(a.binary, os.path.join(work, "f.db"), log=os.path.join(work, "service.log"),
                  extra=speech.flags() + ["--turns-per-minute", "0"]).start()
    try:
        http = requests.Session()
        sessions = [session(http, svc.base) for _ in range(5)]
        routes = json.loads(http.get(svc.base + "/api/openapi.json").content)["paths"]
        env = dict(os.environ, SCHEMATHESIS_HOOKS="st_hooks", PYTHONPATH=HERE,
                   RELIABILITY_ACTIVE_SESSIONS=json.dumps(sessions[:3]),
                   RELIABILITY_FINISHABLE_SESSIONS=json.dumps(sessions[3:]))
        ndjson = os.path.join(work, "events.ndjson")
        cmd = [a.schemathesis, "run", f"{svc.base}/api/openapi.json",
               "--checks", "not_a_server_error,json_error_shape",
               "--max-examples", str(a.max_examples), "--workers", "4", "--seed", "14",
               "--suppress-health-check", "all", "--request-timeout", "30",
               "--report", "ndjson", "--report-ndjson-path", ndjson, "--no-color"]
        print(" ".join(cmd[1:]), flush=True)
        code = subprocess.call(cmd, env=env, cwd=work)
        exited = svc.proc.poll()
        by_status, voice = served(http, svc.base) if exited is None else ({}, {})
    finally:
        svc.stop()
        speech.close()
    labels = set()
    with open(ndjson) as f:
        for line in f:
            labels.update(re.findall(r'"label":"((?:GET|POST|PUT|PATCH|DELETE) [^"]+)"', line))
    total = sum(by_status.values())
    five = sum(n for st, n in by_status.items() if st.startswith("5"))
    report("http_fuzz", code == 0 and exited is None and five == 0, {
        "operations_in_document": sum(len(m) for m in routes.values()), "operations_tested": len(labels),
        "requests_served": total, "responses_5xx": five,
        "by_status": dict(sorted(by_status.items())), "max_examples": a.max_examples,
        "schemathesis_exit": code, "service_alive": exited is None,
        "voice": {"by_status": {k: dict(sorted(v.items())) for k, v in sorted(voice.items())},
                  "mock_speech": speech.counts},
    })


def session(http, base):
    """A new session: its id and the ids of its stored turns (the opening)."""
    r = http.post(base + "/api/sessions", json={"question_id": "rag-customer-support"}, timeout=30)
    r.raise_for_status()
    body = r.json()
    return {"id": body["id"], "turns": [t["id"] for t in body["turns"]]}


def served(http, base):
    """Requests the service answered, from its own counter on /metrics: by status, and by status for
    each voice route ("METHOD route")."""
    out, voice = {}, {}
    for line in http.get(base + "/metrics").text.splitlines():
        if line.startswith("mock_interviewer_http_requests_total{"):
            m = re.search(r'status="(\d+)"', line)
            if m:
                n = int(float(line.rsplit(" ", 1)[1]))
                out[m.group(1)] = out.get(m.group(1), 0) + n
                route = re.search(r'method="(\w+)".*route="([^"]+)"', line)
                if route and route.group(2).endswith(("/audio", "/speech")):
                    per = voice.setdefault(f"{route.group(1)} {route.group(2)}", {})
                    per[m.group(1)] = per.get(m.group(1), 0) + n
    return out, voice

if __name__ == "__main__":
    main()
