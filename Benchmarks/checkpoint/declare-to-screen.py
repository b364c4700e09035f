#!/usr/bin/env python3
"""From declaration to screening: how long a new fugitive takes to reach an offline checkpoint.

Starts `cordon serve --demo` (the binary given), imports a synthetic list of N persons (CSV), gives a
checkpoint the repository's root and runs its first sync (the whole list), then starts
`cordon checkpoint sync --every INTERVAL` in the background. Some seconds into an interval it declares a
new fugitive, and polls `cordon checkpoint screen --no-report` on the checkpoint's copy until he is
found. Prints the time of each step and the total from the declaration to the first screening hit.

Usage: declare-to-screen.py PATH/TO/cordon [--entries N] [--interval SECONDS] [--offset SECONDS]
"""

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path


def call(url, path, token=None, body=None, raw=None, content_type="application/json", method=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    headers = {"Content-Type": content_type} if data is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=600) as response:
        return response.read()


def start(binary, folder):
    process = subprocess.Popen([str(binary), "serve", "--demo", "--port", "0"], cwd=folder, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    found = {}

    def read(stream, key):
        for line in stream:
            if key == "out":
                match = re.match(r"^\s*(demo-[a-z-]+)\s+(\S+)", line)
                if match:
                    found[match.group(1)] = match.group(2)
            else:
                match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
                if match:
                    found["url"] = match.group(1)

    threading.Thread(target=read, args=(process.stdout, "out"), daemon=True).start()
    threading.Thread(target=read, args=(process.stderr, "err"), daemon=True).start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not ("url" in found and "demo-checkpoint-officer" in found):
        time.sleep(0.1)
    return process, found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", type=Path)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--interval", type=float, default=60)
    parser.add_argument("--offset", type=float, default=20, help="seconds after a sync to declare")
    arguments = parser.parse_args()
    binary = arguments.binary.resolve()
    rng = random.Random(20100822)
    syllables = ["ba", "do", "fa", "gu", "ha", "ji", "ka", "lo", "mu", "na", "ro", "sa", "sho", "tu", "zi", "kho"]

    def word():
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()

    with tempfile.TemporaryDirectory(prefix="cordon-declare-") as folder:
        server, found = start(binary, folder)
        try:
            url = found["url"]
            admin = json.loads(call(url, "/v1/auth/token", body={"username": "demo-admin", "password": found["demo-admin"]}))["token"]
            officer = json.loads(call(url, "/v1/auth/token", body={
                "username": "demo-checkpoint-officer", "password": found["demo-checkpoint-officer"]}))["token"]
            rows = ["id,type,name,aliases,birth_date,nationalities,gender"]
            for i in range(arguments.entries):
                rows.append(f"q-{i},person,{word()} {word()}ov,,{1950 + rng.randint(0, 50)},TJ,male")
            started = time.monotonic()
            answer = json.loads(call(url, "/v1/lists/import?format=csv", token=admin,
                                     raw="\n".join(rows).encode(), content_type="text/csv"))
            print(f"imported {answer['persons']} persons in {time.monotonic() - started:.1f} s")
            root = call(url, "/v1/lists/tuf/1.root.json", token=officer)
            (Path(folder) / "root.json").write_bytes(root)
            store = str(Path(folder) / "cp")
            sync = [str(binary), "checkpoint", "sync", "--server", url, "--token", officer, "--store", store]
            started = time.monotonic()
            first = subprocess.run(sync + ["--root", str(Path(folder) / "root.json")], capture_output=True, text=True)
            print(f"first sync ({first.stdout.strip() or first.stderr.strip()}) in {time.monotonic() - started:.1f} s")
            background = subprocess.Popen(sync + ["--every", str(arguments.interval)], stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, text=True)
            synced = []
            threading.Thread(target=lambda: [synced.append((time.monotonic(), line.strip())) for line in background.stdout],
                             daemon=True).start()
            while not synced:
                time.sleep(0.1)
            time.sleep(arguments.offset)
            person = {
                "id": "p-declared", "name": {"parts": [{"kind": "family", "value": "Қодиров"},
                                                       {"kind": "given", "value": "Нозим"}]},
                "nationalities": ["TJ"],
                "wanted": {"reason": "escaped", "history": [{"status": "at_large", "at": "2010-08-23T01:10:00+05:00"}]},
            }
            declared = time.monotonic()
            call(url, "/v1/persons", token=admin, body=person)
            print(f"declared {arguments.offset:.0f} s after a sync (interval {arguments.interval:.0f} s)")
            while True:
                screened = subprocess.run([str(binary), "checkpoint", "screen", "--store", store, "--no-report",
                                           "Qodirov Nozim"], capture_output=True, text=True)
                if "[p-declared]" in screened.stdout:
                    found_at = time.monotonic()
                    break
                if time.monotonic() - declared > 600:
                    print("not found within 10 minutes")
                    return 1
            for at, line in synced:
                if at >= declared:
                    print(f"  sync at +{at - declared:.1f} s: {line}")
            print(f"from declaration to a screening hit at the checkpoint: {found_at - declared:.1f} s "
                  f"(last screening took {screened.stdout.splitlines()[0] if screened.stdout else ''})")
            background.terminate()
            return 0
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
