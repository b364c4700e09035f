#!/usr/bin/env python3
"""Failover of Cordon's leader, and a standby's screening following the list, measured on real processes.

    Benchmarks/nodes/failover.py --binary .build/release/cordon \
        --database postgresql://cordon@127.0.0.1:5432/postgres [--runs 5]

Starts three `cordon serve` on one PostgreSQL database (a fresh schema in it), then, --runs times:
declares a wanted person on the leader and times until a standby's screening finds it; kills the leader
with SIGKILL and times until another node's /ready says its engines serve (its term began: outboxes,
posts' deadlines and the signed list restored, timers running); starts the killed node again as a
standby. Prints each run, the median and the worst.
"""
import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid


def call(port, method, path, token=None, body=None, timeout=10):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, data=data, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None
    except OSError:
        return 0, None


class Node:
    def __init__(self, binary, database, keys, name, demo=False):
        arguments = [binary, "serve", "--database", database, "--port", "0", "--keys", keys, "--node", name,
                     "--log-level", "notice"]
        if demo:
            arguments.append("--demo")
        self.name = name
        self.output = []
        self.port = None
        self.process = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, args=(self.process.stdout, False), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, True), daemon=True).start()
        deadline = time.monotonic() + 60
        while self.port is None and time.monotonic() < deadline and self.process.poll() is None:
            time.sleep(0.05)
        if self.port is None:
            raise RuntimeError(f"{name} did not start")

    def _read(self, stream, is_log):
        for line in stream:
            if not is_log:
                self.output.append(line)
            match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if match:
                self.port = int(match.group(1))

    def serving(self):
        status, body = call(self.port, "GET", "/ready", timeout=2)
        return status == 200 and body.get("engines") == "serving"

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)


def leader(nodes, within=20):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        serving = [node for node in nodes if node.serving()]
        if len(serving) == 1:
            return serving[0]
        time.sleep(0.01)
    raise RuntimeError("no single leader")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--database", required=True, help="postgresql://user@host:port/database (a schema is added)")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    database = arguments.database + ("&" if "?" in arguments.database else "?") + "schema=bench_" + uuid.uuid4().hex[:12]
    folder = tempfile.mkdtemp()
    keys = os.path.join(folder, "keys")
    first = Node(arguments.binary, database, keys, "n1", demo=True)
    nodes = [first] + [Node(arguments.binary, database, keys, name) for name in ("n2", "n3")]
    try:
        time.sleep(1)
        passwords = {}
        for line in first.output:
            fields = line.split()
            if len(fields) >= 2 and fields[0].startswith("demo-"):
                passwords[fields[0]] = fields[1]
        current = leader(nodes)
        tokens = {}
        for user in ("demo-commander", "demo-checkpoint-officer"):
            _, body = call(current.port, "POST", "/v1/auth/token", body={"username": user, "password": passwords[user]})
            tokens[user] = body["token"]
        follows, failovers = [], []
        for run in range(arguments.runs):
            current = leader(nodes)
            standby = next(node for node in nodes if node is not current)
            person = f"p-bench-follow-{run}"
            start = time.monotonic()
            status, _ = call(current.port, "POST", "/v1/persons", tokens["demo-commander"], {
                "id": person,
                "name": {"parts": [{"kind": "family", "value": "Назаров"}, {"kind": "given", "value": f"Бахтиёр{run}"}]},
                "nationalities": ["TJ"],
                "wanted": {"reason": "escaped", "history": [{"status": "at_large", "at": "2010-08-23T01:10:00+05:00"}]},
            })
            assert status == 201, status
            while True:
                _, body = call(standby.port, "POST", "/v1/screen", tokens["demo-checkpoint-officer"],
                               {"name": f"Nazarov Bakhtiyor{run}"})
                if any(hit.get("id") == person for hit in (body or {}).get("hits", [])):
                    break
                time.sleep(0.005)
            follows.append(time.monotonic() - start)

            killed = current
            start = time.monotonic()
            killed.stop(signal.SIGKILL)
            survivors = [node for node in nodes if node is not killed]
            successor = leader(survivors)
            failovers.append(time.monotonic() - start)
            print(f"run {run + 1}: standby found the new fugitive after {follows[-1] * 1000:.0f} ms; "
                  f"{killed.name} killed, {successor.name} serving after {failovers[-1]:.2f} s", flush=True)
            nodes = survivors + [Node(arguments.binary, database, keys, killed.name)]
        print(f"screening follows the list: median {statistics.median(follows) * 1000:.0f} ms, "
              f"worst {max(follows) * 1000:.0f} ms over {len(follows)} runs")
        print(f"failover (SIGKILL to the new leader serving): median {statistics.median(failovers):.2f} s, "
              f"worst {max(failovers):.2f} s over {len(failovers)} runs")
    finally:
        for node in nodes:
            node.stop()


if __name__ == "__main__":
    main()
