"""HTTP fuzz of every route in the OpenAPI document (`/api/openapi.json`) with schemathesis: valid and
invalid inputs (examples, coverage and fuzzing phases), asserting no 5xx and that every error is the
documented JSON body. A few real sessions are created first and their ids fed to the path parameters, so
the fuzz reaches past the 404s."""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import requests

from common import Service, new_session, report

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--max-examples", type=int, default=200)
    ap.add_argument("--schemathesis", required=True)
    a = ap.parse_args()
    a.schemathesis = os.path.abspath(a.schemathesis)
    work = tempfile.mkdtemp(prefix="reliability-fuzz-")
    svc = Service(a.binary, os.path.join(work, "f.db"), log=os.path.join(work, "service.log")).start()
    try:
        http = requests.Session()
        ids = [new_session(http, svc.base) for _ in range(3)]
        routes = json.loads(http.get(svc.base + "/api/openapi.json").content)["paths"]
        env = dict(os.environ, SCHEMATHESIS_HOOKS="st_hooks", PYTHONPATH=HERE,
                   RELIABILITY_SESSION_IDS=",".join(ids))
        ndjson = os.path.join(work, "events.ndjson")
        cmd = [a.schemathesis, "run", f"{svc.base}/api/openapi.json",
               "--checks", "not_a_server_error,json_error_shape",
               "--max-examples", str(a.max_examples), "--workers", "4", "--seed", "14",
               "--suppress-health-check", "all", "--request-timeout", "30",
               "--report", "ndjson", "--report-ndjson-path", ndjson, "--no-color"]
        print(" ".join(cmd[1:]), flush=True)
        code = subprocess.call(cmd, env=env, cwd=work)
        exited = svc.proc.poll()
        by_status = served(http, svc.base) if exited is None else {}
    finally:
        svc.stop()
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
    })


def served(http, base):
    """Requests the service answered, by status, from its own counter on /metrics."""
    out = {}
    for line in http.get(base + "/metrics").text.splitlines():
        if line.startswith("mock_interviewer_http_requests_total{"):
            m = re.search(r'status="(\d+)"', line)
            if m:
                out[m.group(1)] = out.get(m.group(1), 0) + int(float(line.rsplit(" ", 1)[1]))
    return out


if __name__ == "__main__":
    main()
