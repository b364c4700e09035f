#!/usr/bin/env python3
"""Checks `cordon serve --tls-cert --tls-key` with Python's own TLS client, against a certificate made
here with openssl for 127.0.0.1.

- The API answers over HTTPS, verified against that certificate, with HSTS on every answer.
- Signing in to the dashboard sets its session cookie `Secure` (and `HttpOnly`).
- A plain-HTTP request to the same port gets no HTTP answer.
- A key that is not the certificate's, or a certificate given without its key, stops the server at
  start with one line naming the problem.

Usage: check_tls.py PATH/TO/cordon
"""

import http.client
import json
import socket
import ssl
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashboard_harness import start_demo_server  # noqa: E402


def make_certificate(folder, name):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", str(folder / f"{name}.key"), "-out", str(folder / f"{name}.pem"), "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return folder / f"{name}.pem", folder / f"{name}.key"


def main():
    binary = Path(sys.argv[1]).resolve()
    failures = []

    def check(condition, message):
        print(("ok   " if condition else "FAIL ") + message, flush=True)
        if not condition:
            failures.append(message)

    with tempfile.TemporaryDirectory(prefix="cordon-tls-") as base:
        folder = Path(base)
        certificate, key = make_certificate(folder, "server")
        _, other_key = make_certificate(folder, "other")

        # Refusals at start.
        for arguments, expected in (
            (["--tls-cert", str(certificate), "--tls-key", str(other_key)], "cannot use the TLS certificate"),
            (["--tls-cert", str(certificate)], "needs its pair"),
        ):
            result = subprocess.run(
                [str(binary), "serve", "--demo", "--port", "0", *arguments],
                cwd=base, capture_output=True, text=True, timeout=120,
            )
            check(result.returncode != 0 and expected in result.stderr,
                  f"refused at start: {' '.join(a.split('/')[-1] for a in arguments)} ({result.stderr.strip()[-120:]})")

        server = start_demo_server(binary, folder, ["--tls-cert", certificate, "--tls-key", key])
        try:
            check(server.url.startswith("https://"), f"the server says it listens on {server.url}")
            port = int(server.url.rsplit(":", 1)[1])
            context = ssl.create_default_context(cafile=str(certificate))

            connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
            connection.request("GET", "/health")
            answer = connection.getresponse()
            answer.read()
            check(answer.status == 200, f"GET /health over TLS answers {answer.status}")
            hsts = answer.getheader("Strict-Transport-Security") or ""
            check("max-age=" in hsts, f"HSTS on the answer: '{hsts}'")

            password = server.passwords["demo-commander"]
            body = json.dumps({"username": "demo-commander", "password": password})
            connection.request("POST", "/v1/auth/token", body=body, headers={"Content-Type": "application/json"})
            answer = connection.getresponse()
            token = json.loads(answer.read()).get("token", "")
            check(answer.status == 201 and token, f"sign-in over TLS answers {answer.status}")
            connection.request("GET", "/ui/login")
            answer = connection.getresponse()
            page = answer.read().decode("utf-8", "replace")
            csrf = page.split('name="csrf" value="')[1].split('"')[0] if 'name="csrf" value="' in page else ""
            form = urllib.parse.urlencode({"username": "demo-commander", "password": password, "csrf": csrf})
            cookies = answer.getheader("Set-Cookie") or ""
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            if cookies:
                headers["Cookie"] = cookies.split(";")[0]
            connection.request("POST", "/ui/login", body=form, headers=headers)
            answer = connection.getresponse()
            answer.read()
            session = [c for c in answer.headers.get_all("Set-Cookie") or [] if "HttpOnly" in c]
            check(bool(session) and all("Secure" in c for c in session),
                  f"the dashboard's session cookie is Secure ({answer.status}: {session[:1]})")
            connection.close()

            with socket.create_connection(("127.0.0.1", port), timeout=10) as plain:
                plain.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                try:
                    reply = plain.recv(64)
                except (ConnectionResetError, socket.timeout):
                    reply = b""
            check(not reply.startswith(b"HTTP/"), f"plain HTTP gets no HTTP answer ({reply[:20]!r})")
        finally:
            server.stop()

    print(f"check_tls: {'all held' if not failures else f'{len(failures)} failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
