"""Schemathesis hooks of our own: a check that every 4xx/5xx is the documented JSON error body with a
JSON content type, whatever the route, the method or the input; a serializer for the recordings
`POST /api/sessions/{id}/audio` takes (the OpenAPI document lists them as byte arrays under `audio/*`);
and real session and turn ids fed to the path parameters."""

import json
import os
import threading
import zlib

import schemathesis

from mock_speech import wav


@schemathesis.check
def json_error_shape(ctx, response, case):
    if response.status_code < 400:
        return None
    ctype = response.headers.get("content-type", [""])
    ctype = ctype[0] if isinstance(ctype, list) else ctype
    if not ctype.startswith("application/json"):
        raise AssertionError(f"{response.status_code} with content type {ctype!r}, not JSON")
    try:
        body = json.loads(response.content)
    except ValueError as e:
        raise AssertionError(f"{response.status_code} with a body that is not JSON: {e}")
    err = body.get("error") if isinstance(body, dict) else None
    if not (isinstance(err, dict) and isinstance(err.get("code"), str) and err["code"]
            and isinstance(err.get("message"), str)):
        raise AssertionError(f"{response.status_code} body outside the documented shape: {body!r:.200}")
    return None


# The recordings the OpenAPI document lists for `POST .../audio`. The service reads only a WAV's header
# (for the recording's length) and forwards the rest to the transcription server as it is, so every
# type gets WAV bytes mostly, and arbitrary bytes (the generated integers as bytes, some behind a cut
# WAV header, some empty) the rest of the time.
AUDIO_TYPES = ("audio/wav", "audio/webm", "audio/ogg", "audio/mpeg")


@schemathesis.serializer(*AUDIO_TYPES)
def audio_body(ctx, value):
    ints = [v for v in value if isinstance(v, int)] if isinstance(value, list) else []
    pick = zlib.crc32(repr(value).encode())
    if pick % 4:
        samples = [v % 65536 - 32768 for v in ints[:8000]] or [0]
        return wav(samples, rate=(8000, 16000, 22050, 44100, 48000)[pick % 5])
    raw = bytes(v % 256 for v in ints) if isinstance(value, list) else repr(value).encode()
    if pick % 3 == 0:
        raw = wav()[: pick % 44] + raw
    return raw


def _sessions(name):
    """[(session id, [turn ids])] from RELIABILITY_<name>, JSON written by http_fuzz.py."""
    return [(s["id"], s["turns"]) for s in json.loads(os.environ.get(f"RELIABILITY_{name}") or "[]")]


# Real sessions: the active ones are never sent to `finish`, the finishable ones are where `finish`
# goes, so the turn and voice routes keep reaching a live session while the finished-session paths run
# too (one case in four of those that get a real session).
_ACTIVE = _sessions("ACTIVE_SESSIONS")
_FINISHABLE = _sessions("FINISHABLE_SESSIONS")
_seen = {}
_lock = threading.Lock()


@schemathesis.hook
def map_path_parameters(ctx, path_parameters):
    # Every other case of each session or question route names a real one (and, three times in four,
    # one of the session's stored turns where the route names a turn), so the handlers behind the 404
    # run. Counted per operation, so the workers' interleaving does not decide which cases are real.
    if not (path_parameters and "id" in path_parameters):
        return path_parameters
    path = getattr(ctx.operation, "path", "") or ""
    with _lock:
        n = _seen[path] = _seen.get(path, 0) + 1
    if n % 2:
        return path_parameters
    if path.startswith("/api/questions/"):
        path_parameters["id"] = "rag-customer-support"
        return path_parameters
    if path.endswith("/finish"):
        pool = _FINISHABLE or _ACTIVE
    elif n % 8 == 0:
        pool = _ACTIVE + _FINISHABLE
    else:
        pool = _ACTIVE or _FINISHABLE
    if not pool:
        return path_parameters
    sid, turns = pool[n // 2 % len(pool)]
    path_parameters["id"] = sid
    if "turn_id" in path_parameters and turns and n % 8 != 6:
        path_parameters["turn_id"] = turns[n // 2 % len(turns)]
    return path_parameters


@schemathesis.deserializer("audio/mpeg")
def audio_response(ctx, response):
    # `GET .../speech` answers audio, documented as a byte array: read it as one.
    return list(response.content)
