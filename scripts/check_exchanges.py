#!/usr/bin/env python3
"""Checks recorded API exchanges against the OpenAPI document with openapi-core.

The Swift API tests append one JSON line per exchange to the file named by CORDON_EXCHANGES_FILE
(see Tests/CordonServerTests/TestServer.swift). For every recorded response this checks that its
operation is documented, its status is documented for that operation, its content type is one the
document gives for that status, and its body conforms to the schema.

Usage: check_exchanges.py EXCHANGES.jsonl [OPENAPI.json]
Exits 0 when every response conforms, 1 listing each violation otherwise, 2 on bad input.
"""

import json
import sys
from collections import Counter
from pathlib import Path

import jsonschema
from openapi_core import Config, OpenAPI
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.testing import MockRequest, MockResponse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DOCUMENT = ROOT / "Sources/CordonServer/Resources/openapi.json"


def text_deserializer(value, **parameters):
    """Bodies of text media types (CSV, JSON lines, Prometheus text, CAP and Atom XML) are checked as strings."""
    return value.decode("utf-8") if isinstance(value, bytes) else value


def json_deserializer(value, **parameters):
    """application/problem+json is JSON."""
    return json.loads(value)


def check_unrouted(document, exchange):
    """A request to no route of the API must still get a problem (404 or 405); returns what is wrong.

    The dashboard's own routes (/ui/…) are not part of the API's document: a refusal there (the live
    feed's 429 when an account holds too many streams) must be a problem, whatever its status."""
    if exchange["path"].startswith("/ui/") and exchange["status"] >= 400:
        if not (exchange.get("content_type") or "").startswith("application/problem+json"):
            return f"the dashboard answered {exchange['status']} without a problem"
    elif exchange["status"] not in (404, 405):
        return f"answered {exchange['status']} for a route the document does not have"
    content_type = (exchange.get("content_type") or "").split(";")[0].strip()
    if content_type != "application/problem+json":
        return f"Content-Type {content_type!r}, not application/problem+json"
    try:
        schema = dict(document, **{"$ref": "#/components/schemas/Problem"})
        jsonschema.Draft202012Validator(schema).validate(json.loads(exchange.get("body") or ""))
    except (ValueError, jsonschema.ValidationError) as error:
        return f"not a Problem: {str(error).splitlines()[0]}"
    return None


def shorten(text, limit=240):
    """Messages quote whole bodies; the schema errors that follow say what is wrong."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(error):
    """The error and its causes, innermost schema errors included."""
    parts = [f"{type(error).__name__}: {shorten(str(error))}"]
    cause = error.__cause__ or error.__context__
    seen = set()
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        schema_errors = getattr(cause, "schema_errors", None)
        if schema_errors:
            for schema_error in schema_errors:
                location = "/".join(str(p) for p in schema_error.absolute_path)
                parts.append(f"at /{location}: {schema_error.message[:300]}")
        else:
            parts.append(f"{type(cause).__name__}: {shorten(str(cause))}")
        cause = cause.__cause__ or cause.__context__
    return "; ".join(dict.fromkeys(part.replace("\n", "\\n") for part in parts))


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    exchanges_path = Path(argv[1])
    document_path = Path(argv[2]) if len(argv) > 2 else DEFAULT_DOCUMENT
    config = Config(
        extra_media_type_deserializers={
            "text/csv": text_deserializer,
            "application/x-ndjson": text_deserializer,
            "text/plain": text_deserializer,
            "application/cap+xml": text_deserializer,
            "application/atom+xml": text_deserializer,
            "application/problem+json": json_deserializer,
        },
    )
    openapi = OpenAPI.from_file_path(str(document_path), config=config)

    document = json.loads(document_path.read_text(encoding="utf-8"))
    lines = exchanges_path.read_text(encoding="utf-8").splitlines() if exchanges_path.exists() else []
    if not lines:
        print(f"check_exchanges: no exchanges recorded in {exchanges_path}", file=sys.stderr)
        return 1

    violations = []
    unrouted = 0
    statuses = Counter()
    for number, line in enumerate(lines, start=1):
        try:
            exchange = json.loads(line)
        except json.JSONDecodeError as error:
            violations.append(f"line {number}: not JSON ({error})")
            continue
        method = exchange["method"].lower()
        path = exchange["path"]
        status = exchange["status"]
        statuses[status // 100] += 1
        label = f"{exchange['method']} {path}{'?' + exchange['query'] if exchange['query'] else ''} -> {status}"
        content_type = exchange.get("content_type")
        body = exchange.get("body") or ""
        request = MockRequest(
            "http://127.0.0.1",
            method,
            path,
            args=None,
            headers={},
            data=(exchange.get("request_body") or "").encode("utf-8"),
            content_type=exchange.get("request_content_type") or "application/json",
        )
        request.parameters.query = {}
        if status in (204, 304) or not content_type:
            if body:
                violations.append(f"{label}: a body without a Content-Type")
                continue
            response = MockResponse(b"", status_code=status, headers=exchange.get("headers") or {}, content_type=None)
        else:
            response = MockResponse(
                body.encode("utf-8"),
                status_code=status,
                headers=exchange.get("headers") or {},
                content_type=content_type,
            )
        try:
            openapi.validate_response(request, response)
        except (PathNotFound, OperationNotFound):
            unrouted += 1
            problem = check_unrouted(document, exchange)
            if problem:
                violations.append(f"{label}: {problem}")
        except Exception as error:  # noqa: BLE001 - every validation failure is a finding
            violations.append(f"{label}: {describe(error)}")

    checked = len(lines)
    summary = ", ".join(f"{k}xx: {v}" for k, v in sorted(statuses.items()))
    if unrouted:
        summary += f"; {unrouted} to no documented route, checked as problems"
    if violations:
        unique = list(dict.fromkeys(violations))
        print(f"check_exchanges: {len(violations)} of {checked} responses break openapi.json ({summary})")
        for violation in unique:
            print(f"  - {violation}")
        return 1
    print(f"check_exchanges: all {checked} recorded responses conform to openapi.json ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
