"""Pieces for testing the web dashboard in a real browser.

Browser checks import this module (the scripts folder on sys.path) and combine its parts:

- `start_demo_server` runs `cordon serve --demo --port 0` in a folder and learns its address and the
  demo accounts' passwords from what it prints.
- `launch_browser` starts Debian's Chromium headless through Playwright. Playwright's own browser
  builds are never downloaded: the machine has no internet but Debian's and PyPI's registries.
- `axe_serious` runs axe-core (bundled with axe-playwright-python, so it works offline) on a page
  and keeps the violations whose impact is serious or critical.
- `screenshot` saves a full-page PNG at a given viewport size.
- `api_token` signs in through the API and returns a bearer token.

Needs, in .venv/: playwright and axe-playwright-python (see scripts/test); from Debian: chromium and
a font package or two (fonts-liberation, fonts-dejavu-core).
"""

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium; the environment variable CORDON_CHROMIUM names another executable."""

DEMO_ACCOUNTS = (
    "demo-admin",
    "demo-commander",
    "demo-custody-officer",
    "demo-checkpoint-officer",
    "demo-analyst",
    "demo-auditor",
)
"""The accounts that `cordon serve --demo` creates and whose passwords it prints once."""

SEVERE_IMPACTS = ("serious", "critical")

_LISTENING = re.compile(r"listening on (https?://127\.0\.0\.1:\d+)")
_ACCOUNT = re.compile(r"^\s+(demo-[A-Za-z0-9-]+)\s+(\S+)")


# --- The demo server ----------------------------------------------------------------------------------


class DemoServer:
    """A running `cordon serve --demo` process.

    Attributes:
        url: the base address, like "http://127.0.0.1:41353" (no trailing slash).
        passwords: each demo account's password, by user name.
        process: the subprocess.Popen of the server.
        stdout: the lines the server printed on standard output so far.
        stderr: the lines the server logged on standard error so far (kept for failure messages).

    The server's output is read by two background threads for as long as it runs, so that its pipes
    never fill up. Use it as a context manager, or call stop() when done.
    """

    def __init__(self, process):
        self.process = process
        self.url = None
        self.passwords = {}
        self.stdout = []
        self.stderr = []
        self._threads = [
            threading.Thread(target=self._read, args=(process.stdout, self.stdout, self._on_stdout), daemon=True),
            threading.Thread(target=self._read, args=(process.stderr, self.stderr, self._on_stderr), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    @staticmethod
    def _read(stream, lines, handle):
        for line in stream:
            lines.append(line)
            handle(line)

    def _on_stdout(self, line):
        match = _ACCOUNT.match(line)
        if match:
            self.passwords[match.group(1)] = match.group(2)

    def _on_stderr(self, line):
        match = _LISTENING.search(line)
        if match and self.url is None:
            self.url = match.group(1)

    def log_tail(self, count=30):
        """The last `count` lines of the server's standard error, as one string."""
        return "".join(self.stderr[-count:])

    def stop(self, timeout=15):
        """Stops the server: SIGTERM, then SIGKILL if it has not exited within `timeout` seconds.

        Returns the exit status. Calling it again does nothing more.
        """
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for thread in self._threads:
            thread.join(timeout=5)
        return self.process.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.stop()


def start_demo_server(binary, folder, extra_args=(), timeout=120, accounts=DEMO_ACCOUNTS):
    """Starts `BINARY serve --demo --port 0 EXTRA_ARGS...` in `folder` and waits until it listens.

    The server picks a free port and logs `listening on http://127.0.0.1:PORT` on standard error; it
    prints each demo account's password on standard output, as `  demo-admin   PASSWORD  [admin]`.
    This waits, at most `timeout` seconds, until it has seen the address and the passwords of every
    account in `accounts`.

    Returns a DemoServer. Raises RuntimeError, with the end of the server's log, when the server
    exits or does not get that far in time; the process is then already stopped.
    """
    return start_server(
        binary, folder, ["serve", "--demo", "--port", "0", *map(str, extra_args)], timeout=timeout, accounts=accounts
    )


def start_server(binary, folder, arguments, timeout=120, accounts=()):
    """Starts `BINARY ARGUMENTS...` in `folder` and waits until it logs `listening on http://127.0.0.1:PORT`
    (and, for `serve --demo`, has printed the passwords of `accounts`).

    Used for the demo server, for a server started again on its own database (`serve --database FILE
    --port PORT`), and for a checkpoint station (`checkpoint station … --port 0`). Returns a DemoServer;
    raises RuntimeError, with the end of the log, when the process exits or is not ready in time.
    """
    binary = str(binary)
    if os.sep in binary:
        binary = os.path.abspath(binary)  # the server runs in `folder`: a relative path would not hold there
    process = subprocess.Popen(
        [binary, *map(str, arguments)],
        cwd=str(folder),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = DemoServer(process)
    deadline = time.monotonic() + timeout
    while True:
        ready = server.url is not None and all(name in server.passwords for name in accounts)
        if ready:
            return server
        if process.poll() is not None:
            problem = f"{arguments[0]} exited with status {process.returncode} before it was ready"
            break
        if time.monotonic() > deadline:
            problem = f"{arguments[0]} was not ready within {timeout} s"
            break
        time.sleep(0.05)
    server.stop(timeout=5)
    missing = [name for name in accounts if name not in server.passwords]
    detail = []
    if server.url is None:
        detail.append("no 'listening on' line")
    if missing:
        detail.append("no password for " + ", ".join(missing))
    raise RuntimeError(f"{problem} ({'; '.join(detail)}). Its log ends with:\n{server.log_tail()}")


def built_binary(root=None):
    """The cordon executable that `swift build` made in `root` (default: this repository).

    Asks `swift build --show-bin-path`; falls back on .build/debug/cordon when swift is missing.
    """
    root = Path(root) if root else Path(__file__).resolve().parent.parent
    if shutil.which("swift"):
        result = subprocess.run(
            ["swift", "build", "--show-bin-path"], cwd=root, capture_output=True, text=True, timeout=120
        )
        if result.returncode == 0 and result.stdout.strip():
            return Path(result.stdout.strip()) / "cordon"
    return root / ".build/debug/cordon"


# --- The API ------------------------------------------------------------------------------------------


def api_token(url, username, password, timeout=30):
    """Signs in with POST /v1/auth/token and returns the bearer token from the answer's "token".

    Raises RuntimeError with the status and body of the answer when sign-in is refused.
    """
    request = urllib.request.Request(
        url.rstrip("/") + "/v1/auth/token",
        data=json.dumps({"username": username, "password": password}).encode("utf-8"),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)["token"]
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")
        raise RuntimeError(f"sign-in as {username} failed: HTTP {error.code}: {body}") from None


# --- The browser --------------------------------------------------------------------------------------


def chromium_path():
    """The Chromium executable to drive: $CORDON_CHROMIUM, or else Debian's /usr/bin/chromium."""
    return os.environ.get("CORDON_CHROMIUM") or CHROMIUM


def launch_browser(playwright, **options):
    """Launches Chromium headless through a started Playwright (`sync_playwright().start()` or the
    object a `with sync_playwright() as playwright:` block gives).

    Uses Debian's Chromium rather than Playwright's own builds, which `playwright install` would
    download. Without Chromium's sandbox: it cannot start as root, which is how tests run here and
    in CI (Playwright then passes --no-sandbox). With --disable-dev-shm-usage: a container's
    /dev/shm may be too small for Chromium's shared memory. Other keyword arguments go to
    `playwright.chromium.launch` and win over these.
    """
    executable = chromium_path()
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        raise RuntimeError(
            f"no Chromium at {executable}: install Debian's chromium package (apt-get install chromium)"
            " or set CORDON_CHROMIUM to a Chromium executable"
        )
    settings = {
        "executable_path": executable,
        "headless": True,
        "chromium_sandbox": False,
        "args": ["--disable-dev-shm-usage"],
        "timeout": 60_000,
    }
    settings.update(options)
    return playwright.chromium.launch(**settings)


def axe_serious(page, context=None, options=None):
    """Runs axe-core on the page as it is now; returns the violations of serious or critical impact.

    Each is a dict: "id" (the axe rule, like "label"), "impact", "help" (one sentence), "help_url",
    and "targets": one CSS selector per offending element (for an element inside an iframe or a
    shadow root, the selectors along the way are joined with " >>> ").

    `context` and `options` go to axe.run (see axe-core's API): for example context "#main", or
    options {"runOnly": ["wcag2a", "wcag2aa"]}. axe's script comes from the axe-playwright-python
    package, so no network is needed.
    """
    from axe_playwright_python.sync_playwright import Axe

    run_options = {"resultTypes": ["violations"]}
    run_options.update(options or {})
    results = Axe().run(page, context=context, options=run_options)
    severe = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in SEVERE_IMPACTS:
            continue
        severe.append(
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "help_url": violation.get("helpUrl", ""),
                "targets": [_selector(node["target"]) for node in violation["nodes"]],
            }
        )
    return severe


def _selector(target):
    """One selector from axe's node target: a list of selectors, or of lists for shadow DOM."""
    parts = []
    for part in target:
        parts.append(" >>> ".join(part) if isinstance(part, list) else str(part))
    return " >>> ".join(parts)


def describe_violations(violations):
    """A readable multi-line summary of what axe_serious returned, for assertion messages."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {target}" for target in violation["targets"])
    return "\n".join(lines) if lines else "no serious or critical violations"


def screenshot(page, folder, name, width, height):
    """Sets the page's viewport to width x height and saves the whole page (not only the viewport)
    as FOLDER/NAME-WIDTHxHEIGHT.png. Creates the folder if needed; returns the file's path."""
    page.set_viewport_size({"width": width, "height": height})
    path = Path(folder) / f"{name}-{width}x{height}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path
