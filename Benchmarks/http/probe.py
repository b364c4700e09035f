#!/usr/bin/env python3
"""A latency probe beside a load: one client on its own keep-alive connection screens one name RATE
times a second for SECONDS and reports what an accepted request saw (p50, p99, max) and how many
were refused (503, after which it waits as Retry-After says). Standard library only.

    probe.py PORT TOKEN SECONDS [RATE]
"""
import http.client
import json
import sys
import time


def main():
    port, token, seconds = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    rate = float(sys.argv[4]) if len(sys.argv) > 4 else 20.0
    body = json.dumps({"name": "Davlatov Hikmatullo"})
    headers = {"Content-Type": "application/json", "Authorization": "Bearer " + token}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    accepted, refused, failed = [], 0, 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        start = time.monotonic()
        try:
            connection.request("POST", "/v1/screen", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            failed += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        elapsed = time.monotonic() - start
        if response.status == 200:
            accepted.append(elapsed * 1000)
        elif response.status == 503:
            refused += 1
            time.sleep(float(response.getheader("Retry-After") or 1))
            continue
        else:
            failed += 1
        time.sleep(max(0.0, 1 / rate - elapsed))
    accepted.sort()

    def pick(p):
        return accepted[min(len(accepted) - 1, int(len(accepted) * p / 100))] if accepted else float("nan")

    print(f"probe: {len(accepted)} accepted, p50 {pick(50):.1f} ms, p99 {pick(99):.1f} ms, "
          f"max {accepted[-1] if accepted else float('nan'):.1f} ms; {refused} refused, {failed} failed")


if __name__ == "__main__":
    main()
