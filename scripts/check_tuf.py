#!/usr/bin/env python3
"""python-tuf's ngclient against Cordon's signed wanted-list repository.

Starts the built `cordon serve --demo --port 0` (see check_openapi.py), gives a standard TUF client
(python-tuf's ngclient, from PyPI) the repository's version-1 root as its trust anchor, and checks that:

1. the client accepts the repository and downloads the whole wanted list, whose fugitives it names;
2. after a new fugitive is declared, a second refresh accepts the new release and the delta between
   the two releases names him;
3. a target changed on its way (one byte flipped) is refused (LengthOrHashMismatchError);
4. a timestamp rolled back to the earlier release is refused (BadVersionNumberError).

Usage: check_tuf.py PATH/TO/cordon. Exits 0 when every check holds.
"""

import json
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_openapi import sign_in, start_server  # noqa: E402

from tuf.api.exceptions import BadVersionNumberError, DownloadHTTPError, LengthOrHashMismatchError  # noqa: E402
from tuf.ngclient import FetcherInterface, Updater  # noqa: E402


class BearerFetcher(FetcherInterface):
    """Fetches with the checkpoint's bearer token; `change` may alter what comes back (an attacker)."""

    def __init__(self, token, change=None):
        self.token = token
        self.change = change

    def _fetch(self, url):
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                data = response.read()
        except urllib.error.HTTPError as error:
            raise DownloadHTTPError(f"{url}: {error.code}", error.code) from error
        if self.change:
            data = self.change(url, data)
        return iter([data])


def request(url, token, path, method="GET", body=None):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": f"Bearer {token}"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=60) as response:
        return response.read()


def updater(url, folder, fetcher):
    return Updater(
        metadata_dir=str(folder / "metadata"),
        metadata_base_url=url + "/v1/lists/tuf/",
        target_base_url=url + "/v1/lists/tuf/targets/",
        target_dir=str(folder / "targets"),
        fetcher=fetcher,
        # The trust anchor is the root.json placed in the metadata folder (and the newer roots it led to).
        bootstrap=None,
    )


def client_folder(base, name, root):
    folder = Path(base) / name
    (folder / "metadata").mkdir(parents=True)
    (folder / "targets").mkdir()
    (folder / "metadata" / "root.json").write_bytes(root)
    return folder


def main():
    binary = Path(sys.argv[1]).resolve()
    failures = []

    def check(condition, message):
        print(("ok   " if condition else "FAIL ") + message)
        if not condition:
            failures.append(message)

    with tempfile.TemporaryDirectory(prefix="cordon-tuf-") as base:
        process, url, password, _ = start_server(binary, base)
        try:
            token = sign_in(url, password)
            root = request(url, token, "/v1/lists/tuf/1.root.json")

            # 1. The whole list.
            folder = client_folder(base, "checkpoint", root)
            client = updater(url, folder, BearerFetcher(token))
            client.refresh()
            info = client.get_targetinfo("wanted-list.json")
            check(info is not None, "the targets metadata lists wanted-list.json")
            wanted = json.loads(Path(client.download_target(info)).read_bytes())
            names = {entry["name"] for entry in wanted["entries"]}
            check(
                wanted["format"] == "cordon-wanted-list/1" and any("Мирзоев" in name for name in names),
                f"ngclient downloaded and verified the list ({len(wanted['entries'])} entries, version "
                f"{wanted['list_version']})",
            )
            old_timestamp = request(url, token, "/v1/lists/tuf/timestamp.json")

            # 2. A new fugitive, then a second refresh and the delta.
            person = {
                "id": "p-tuf-check",
                "name": {"parts": [{"kind": "family", "value": "Қодиров"}, {"kind": "given", "value": "Нозим"}]},
                "sex": "male",
                "nationalities": ["TJ"],
                "wanted": {"reason": "escaped from custody", "history": [
                    {"status": "at_large", "at": "2010-08-23T01:10:00+05:00"}]},
            }
            request(url, token, "/v1/persons", method="POST", body=person)
            client = updater(url, folder, BearerFetcher(token))
            client.refresh()
            new_version = None
            delta_name = None
            for name in ("wanted-list.json",):
                new_version = client.get_targetinfo(name).custom["list_version"]
            base_version = wanted["list_version"]
            delta_name = f"wanted-list-delta-{base_version}-{new_version}.json"
            delta_info = client.get_targetinfo(delta_name)
            check(delta_info is not None, f"the new release lists the delta {delta_name}")
            if delta_info is not None:
                delta = json.loads(Path(client.download_target(delta_info)).read_bytes())
                check(
                    [e["id"] for e in delta["upsert_entries"]] == ["p-tuf-check"],
                    f"the delta ({delta_info.length} bytes) carries the new fugitive and nothing else",
                )

            # 3. A target changed on its way.
            def flip(url_, data):
                if "/targets/" in url_ and url_.endswith("wanted-list.json"):
                    return data[:100] + bytes([data[100] ^ 1]) + data[101:]
                return data

            tampered = client_folder(base, "tampered", root)
            client = updater(url, tampered, BearerFetcher(token, flip))
            client.refresh()
            try:
                client.download_target(client.get_targetinfo("wanted-list.json"))
                check(False, "a tampered target is refused")
            except LengthOrHashMismatchError as error:
                check(True, f"a tampered target is refused ({type(error).__name__})")

            # 4. A rolled-back timestamp, offered to the client that holds the newer one.
            def roll_back(url_, data):
                return old_timestamp if url_.endswith("/timestamp.json") else data

            client = updater(url, folder, BearerFetcher(token, roll_back))
            try:
                client.refresh()
                check(False, "a rolled-back timestamp is refused")
            except BadVersionNumberError as error:
                check(True, f"a rolled-back timestamp is refused ({type(error).__name__}: {error})")
        finally:
            process.terminate()
            process.wait(timeout=30)

    print(f"check_tuf: {'FAILED ' + str(len(failures)) if failures else 'all'} checks {'failed' if failures else 'passed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
