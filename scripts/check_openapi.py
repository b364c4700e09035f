#!/usr/bin/env python3
"""Runs schemathesis against a live demo server, for a bounded time.

Starts the built `cordon serve --demo --port 0` in a temporary folder, reads the port from the
`listening on http://127.0.0.1:PORT` log line (standard error) and the demo-admin password from
standard output, signs in, and runs schemathesis with the admin's bearer token against every
operation of Sources/CordonServer/Resources/openapi.json, checking that no answer is a 5xx and that
every answer's status, content type and body are the ones the document gives. Then it stops the
server.

The two operations that revoke tokens run last, each in a run of its own with its own token, so that
they cannot sign the other runs out.

Usage: check_openapi.py PATH/TO/cordon [--max-examples N] [--timeout SECONDS]
Exits 0 when schemathesis finds nothing, non-zero otherwise.

This file is also the schemathesis hooks module (SCHEMATHESIS_HOOKS=check_openapi): it teaches
schemathesis to send and read the API's text media types.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import schemathesis

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "Sources/CordonServer/Resources/openapi.json"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
REVOKING = ["revokeToken", "revokeAccountTokens"]

# --- Hooks: text bodies (list import and export, metrics) -------------------------------------------


@schemathesis.serializer("text/csv", "application/x-ndjson")
def _text_serializer(ctx, value):
    return value.encode("utf-8") if isinstance(value, str) else json.dumps(value).encode("utf-8")


@schemathesis.deserializer("text/csv", "application/x-ndjson", "text/plain", "application/cap+xml", "application/atom+xml")
def _text_deserializer(ctx, response):
    return response.content.decode("utf-8")


# --- The run ----------------------------------------------------------------------------------------


def start_server(binary, folder, extra_arguments=()):
    """Starts the demo server (with `extra_arguments` after `serve --demo --port 0`); returns the process, its
    base URL, the demo-admin password and its log."""
    process = subprocess.Popen(
        [str(binary), "serve", "--demo", "--port", "0", *extra_arguments],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    found = {}
    log = []

    def read_stdout():
        for line in process.stdout:
            match = re.match(r"^\s*demo-admin\s+(\S+)", line)
            if match:
                found["password"] = match.group(1)

    def read_stderr():
        for line in process.stderr:
            log.append(line)
            match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
            if match:
                found["url"] = match.group(1)

    threading.Thread(target=read_stdout, daemon=True).start()
    threading.Thread(target=read_stderr, daemon=True).start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not ("url" in found and "password" in found):
        if process.poll() is not None:
            break
        time.sleep(0.1)
    if "url" not in found or "password" not in found:
        process.kill()
        process.wait()
        sys.stderr.write("".join(log[-20:]))
        raise RuntimeError("the demo server did not start (no 'listening on' line or no demo-admin password)")
    return process, found["url"], found["password"], log


def sign_in(url, password):
    request = urllib.request.Request(
        url + "/v1/auth/token",
        data=json.dumps({"username": "demo-admin", "password": password}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["token"]


def schemathesis_run(url, token, max_examples, seed, timeout, extra, report):
    command = [
        str(Path(sys.executable).parent / "st"),
        "run",
        str(DOCUMENT),
        "--url",
        url,
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--max-examples",
        str(max_examples),
        "--seed",
        str(seed),
        # One worker: hypothesis parses lambdas with ast.parse, which CPython 3.11 does not allow from two
        # threads at once ("AST constructor recursion depth mismatch").
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--suppress-health-check",
        "too_slow,filter_too_much",
        "--report",
        "junit",
        "--report-junit-path",
        report,
        *extra,
    ]
    environment = dict(os.environ)
    environment["SCHEMATHESIS_HOOKS"] = "check_openapi"
    environment["PYTHONPATH"] = str(Path(__file__).resolve().parent) + os.pathsep + environment.get("PYTHONPATH", "")
    print("==> " + " ".join(c if not c.startswith("Authorization") else "Authorization: Bearer ***" for c in command))
    try:
        # Run in the temporary folder, where schemathesis and hypothesis leave their caches.
        return subprocess.run(command, env=environment, cwd=Path(report).parent, timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        print(f"check_openapi: schemathesis did not finish within {timeout} s", file=sys.stderr)
        return 124


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", type=Path, help="the built cordon executable")
    parser.add_argument("--max-examples", type=int, default=50, help="test cases per operation and phase")
    parser.add_argument("--timeout", type=int, default=300, help="seconds allowed for the whole run")
    parser.add_argument("--seed", type=int, default=20101022, help="the random seed, fixed so that runs repeat")
    arguments = parser.parse_args()

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cordon-schemathesis-") as folder:
        process, url, password, log = start_server(arguments.binary.resolve(), folder)
        try:
            # Signed in up front: the run's own sign-in attempts soon meet the per-address limit.
            tokens = [sign_in(url, password) for _ in range(1 + len(REVOKING))]
            runs = [("everything else", [flag for op in REVOKING for flag in ("--exclude-operation-id", op)])]
            runs += [(operation, ["--include-operation-id", operation]) for operation in reversed(REVOKING)]
            statuses = []
            for (name, flags), token in zip(runs, tokens):
                remaining = arguments.timeout - int(time.monotonic() - started)
                if remaining < 10:
                    print(f"check_openapi: no time left for {name}", file=sys.stderr)
                    statuses.append(124)
                    continue
                report = os.path.join(folder, f"{len(statuses)}.xml")
                statuses.append(
                    schemathesis_run(url, token, arguments.max_examples, arguments.seed, remaining, flags, report)
                )
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        crashed = [line for line in log if "unexpected error" in line or "store error" in line]
        if crashed:
            print("check_openapi: the server logged errors:", file=sys.stderr)
            sys.stderr.write("".join(crashed[:20]))
    elapsed = time.monotonic() - started
    failed = any(status != 0 for status in statuses)
    print(f"check_openapi: schemathesis {'found problems' if failed else 'found nothing'} in {elapsed:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
