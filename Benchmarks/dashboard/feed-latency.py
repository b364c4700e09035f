#!/usr/bin/env python3
"""Measures the dashboard over real HTTP: how long a page takes to render, and how long a sighting
takes to reach every open dashboard through the live feed (server-sent events).

Starts `cordon serve --demo --port 0` (the binary given), signs in through the dashboard's form,
opens LISTENERS event streams as an analyst (each a plain socket read on its own thread), then
reports SIGHTINGS sightings one after another through the API and, for each, the time from sending
the request to the event's arrival on every stream. Prints p50/p99/max of that latency, and of the
operations page, the fugitive board and the screening page (REQUESTS sequential GETs each).

Usage: feed-latency.py PATH/TO/cordon [--listeners 50] [--sightings 100] [--requests 50]
"""

import argparse
import http.client
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from dashboard_harness import start_demo_server  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def sign_in(host, port, username, password):
    connection = http.client.HTTPConnection(host, port, timeout=30)
    body = urllib.parse.urlencode({"username": username, "password": password})
    connection.request("POST", "/ui/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    response.read()
    for name, value in response.getheaders():
        if name.lower() == "set-cookie" and value.startswith("cordon_session="):
            return value.split(";", 1)[0].split("=", 1)[1]
    raise RuntimeError(f"sign-in failed: {response.status}")


class Stream:
    """One event stream; records when each sighting id first appears."""

    def __init__(self, host, port, token):
        self.seen = {}
        self.socket = socket.create_connection((host, port), timeout=120)
        self.socket.sendall(
            f"GET /ui/events HTTP/1.1\r\nHost: {host}\r\nCookie: cordon_session={token}\r\n\r\n".encode()
        )
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    def read(self):
        pending = ""
        while True:
            try:
                data = self.socket.recv(65536)
            except OSError:
                return
            if not data:
                return
            now = time.perf_counter()
            pending += data.decode("utf-8", "replace")
            if "retry:" in pending:
                self.ready.set()
            while '"sighting-s-bench-' in pending:
                start = pending.index('"sighting-s-bench-') + len('"sighting-s-bench-')
                end = pending.index('"', start)
                self.seen.setdefault(pending[start:end], now)
                pending = pending[end:]
            pending = pending[-200:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--listeners", type=int, default=50)
    parser.add_argument("--sightings", type=int, default=100)
    parser.add_argument("--requests", type=int, default=50)
    arguments = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="cordon-feed-bench-")
    server = start_demo_server(arguments.binary, folder, ["--streams-per-account", "100000", "--max-connections-per-address", "1000000"])
    try:
        parsed = urllib.parse.urlparse(server.url)
        host, port = parsed.hostname, parsed.port
        analyst = sign_in(host, port, "demo-analyst", server.passwords["demo-analyst"])
        commander = sign_in(host, port, "demo-commander", server.passwords["demo-commander"])
        # Pages, sequentially, on one connection.
        connection = http.client.HTTPConnection(host, port, timeout=60)
        for path in ("/ui/", "/ui/fugitives", "/ui/screen"):
            times = []
            for _ in range(arguments.requests):
                start = time.perf_counter()
                connection.request("GET", path, headers={"Cookie": f"cordon_session={commander}"})
                response = connection.getresponse()
                size = len(response.read())
                times.append((time.perf_counter() - start) * 1000)
                assert response.status == 200, f"{path}: {response.status}"
            print(f"page {path}: {size} bytes, p50 {percentile(times, .5):.1f} ms, p99 {percentile(times, .99):.1f} ms")
        streams = [Stream(host, port, analyst) for _ in range(arguments.listeners)]
        for stream in streams:
            assert stream.ready.wait(30), "a stream did not open"
        api = http.client.HTTPConnection(host, port, timeout=60)
        token_request = json.dumps({"username": "demo-analyst", "password": server.passwords["demo-analyst"]})
        api.request("POST", "/v1/auth/token", token_request, {"Content-Type": "application/json"})
        bearer = json.loads(api.getresponse().read())["token"]
        sent = {}
        for number in range(arguments.sightings):
            sighting = {
                "id": f"s-bench-{number}", "observed_at": "2010-08-24T10:00:00+05:00",
                "location": {"lat": 38.56, "lon": 68.79}, "person": "p-gofurov-sherzod",
                "source": "patrol", "confidence": "low",
            }
            start = time.perf_counter()
            api.request("POST", "/v1/sightings", json.dumps(sighting),
                        {"Content-Type": "application/json", "Authorization": f"Bearer {bearer}"})
            response = api.getresponse()
            response.read()
            assert response.status == 201, response.status
            sent[str(number)] = start
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(len(s.seen) < arguments.sightings for s in streams):
            time.sleep(0.05)
        latencies = [(stream.seen[key] - sent[key]) * 1000 for stream in streams for key in sent if key in stream.seen]
        missing = arguments.sightings * arguments.listeners - len(latencies)
        print(f"feed: {arguments.sightings} sightings x {arguments.listeners} streams: "
              f"p50 {statistics.median(latencies):.1f} ms, p99 {percentile(latencies, .99):.1f} ms, "
              f"max {max(latencies):.1f} ms, missing {missing}")
        for stream in streams:
            stream.socket.close()
        return 1 if missing else 0
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
