"""Schemathesis checks of our own: every 4xx/5xx is the documented JSON error body with a JSON content
type, whatever the route, the method or the input."""

import json

import schemathesis


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


_IDS = [i for i in __import__("os").environ.get("RELIABILITY_SESSION_IDS", "").split(",") if i]
_n = 0


@schemathesis.hook
def map_path_parameters(ctx, path_parameters):
    # Every other case on a session route uses a real session, so the handlers behind the 404 run.
    global _n
    if path_parameters and "id" in path_parameters and _IDS:
        _n += 1
        if _n % 2 == 0:
            path_parameters["id"] = _IDS[_n // 2 % len(_IDS)]
    return path_parameters
