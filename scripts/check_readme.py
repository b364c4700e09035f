#!/usr/bin/env python3
"""Runs the README's commands, in order, in one bash session, and checks what they print.

Usage: check_readme.py PATH/TO/cordon [--readme README.md] [--timeout SECONDS] [--keep]

Every ```sh block of README.md is read in order; each command (a line, with the lines after it when
it ends with a backslash) runs in one bash session, so a variable set by one command is there for
the next, exactly as a reader's shell would have it. The session works in a fresh temporary folder:
what the tour writes (demo-accounts.json, the demo's cordon-demo-*.sqlite, cordon.sqlite, keys.json,
root.json, cp/, night.backup, ...) goes there and is removed at the end (--keep keeps it and says
where). The README's first command starts the demo server (`serve --demo ... &`); every server the
tour starts in the background is stopped at the end, with the whole session.

What is replaced before a command runs:

- `swift run cordon` by the path of the built binary given as the argument: `swift run` would only
  build that same binary again (and wait on SwiftPM's lock while another build runs).
- A port, only when one the commands name (8080 for the demo server, 8081 for a server on one's own
  database, 8090 for the checkpoint station) is already taken on this machine, say by another test:
  it becomes a free port wherever it appears as `localhost:PORT`, `127.0.0.1:PORT` or `--port PORT`,
  and a `cordon serve` with no `--port` (which means 8080) is given `--port NEW` when 8080 is taken.
  The first line printed says so. Where those ports are free, as on CI's fresh machine, the commands
  run exactly as written.

The README's conventions, which this script reads:

- A command must exit with status 0, unless its expectation line says `exit N`.
- A comment line right after a command that starts with `# →` says what the command's output
  (standard output and standard error together) must contain: each fragment in backquotes must
  appear as written, and each /REGEX/ (a Python regular expression, the slash starting a word) must
  match somewhere; words outside them are for the reader. Several such lines may follow a command.
  For example:

      swift run cordon scenario check my-scenario.json     # validate a scenario
      # → exit 1, and `persons[0].birth_date: 2031 is in the future [in_future]`

- A command whose comment contains `(not run by scripts/check_readme.py: REASON)` is shown, not run:
  for what CI cannot do (PostgreSQL of one's own, a person at a browser, a loop that runs until
  stopped, scripts/test itself). Keep those few.
- Other comment lines, and lines outside ```sh blocks, are ignored.

Prints one line per command (`ok`, `FAIL`, or `skip` with the reason), then, when something failed,
one line per mismatch naming the command, the end of each failed command's output and of what the
background servers logged. A command that does not finish within --timeout seconds (180) fails, and
the ones after it are not run. Exits 1 when any command failed, 2 when the README or the binary
cannot be used.
"""

import argparse
import os
import queue
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SKIP_MARKER = re.compile(r"\(not run by scripts/check_readme\.py: ([^)]*)\)")
EXPECTATION_LINE = re.compile(r"^\s*#\s*→\s?(.*)$")
EXIT_STATUS = re.compile(r"\bexit (\d+)\b")
LITERAL = re.compile(r"`([^`]+)`")
REGEX = re.compile(r"(?:^|(?<=\s))/((?:[^/\\]|\\.)+)/")
DONE = "__check_readme_done__"

SERVE_DEFAULT_PORT = 8080
"""`cordon serve` listens on this port when the command gives no --port."""


@dataclass
class Command:
    text: str
    line: int
    skip: str = None
    exit_status: int = 0
    literals: list = field(default_factory=list)
    patterns: list = field(default_factory=list)

    @property
    def title(self):
        """The command's first line without its comment, shortened: how the report names it."""
        first = self.text.splitlines()[0]
        first = re.sub(r"\s+#\s.*$", "", first).rstrip(" \\")
        if len(first) > 110:
            first = first[:107] + "..."
        return f"README.md:{self.line}: {first}"


def parse_readme(text):
    """The commands of the README's ```sh blocks, in order, with their expectations and skip marks."""
    commands = []
    in_block = False
    pending = None  # lines of a command continued with a backslash
    pending_line = 0
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not in_block:
            if stripped == "```sh":
                in_block = True
            continue
        if stripped.startswith("```"):
            if pending is not None:
                raise ValueError(f"README.md:{pending_line}: a command ends its block with a backslash")
            in_block = False
            continue
        if pending is not None:
            pending.append(line)
            if not line.endswith("\\"):
                commands.append(_command("\n".join(pending), pending_line))
                pending = None
            continue
        if not stripped:
            continue
        if stripped.startswith("#"):
            expectation = EXPECTATION_LINE.match(line)
            if expectation:
                if not commands:
                    raise ValueError(f"README.md:{number}: an expectation before any command")
                _add_expectations(commands[-1], expectation.group(1), number)
            continue
        if line.endswith("\\"):
            pending, pending_line = [line], number
        else:
            commands.append(_command(line, number))
    if in_block:
        raise ValueError("README.md: a ```sh block is not closed")
    return commands


def _command(text, line):
    command = Command(text=text, line=line)
    marker = SKIP_MARKER.search(text)
    if marker:
        command.skip = marker.group(1).strip()
    return command


def _add_expectations(command, text, number):
    literals = LITERAL.findall(text)
    rest = LITERAL.sub(" ", text)
    patterns = REGEX.findall(rest)
    rest = REGEX.sub(" ", rest)
    status = EXIT_STATUS.search(rest)
    if status:
        command.exit_status = int(status.group(1))
    if not (literals or patterns or status):
        raise ValueError(f"README.md:{number}: an expectation line with nothing to check (`text`, /regex/ or exit N)")
    command.literals.extend(literals)
    for pattern in patterns:
        try:
            command.patterns.append(re.compile(pattern))
        except re.error as error:
            raise ValueError(f"README.md:{number}: /{pattern}/: {error}") from None


# --- Ports ------------------------------------------------------------------------------------------

PORT_REFERENCE = re.compile(r"(?:(?<=localhost:)|(?<=127\.0\.0\.1:)|(?<=--port ))(\d{2,5})\b")


def port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def choose_ports(commands):
    """Maps each port the commands use that is taken here to a free one; {} when all are free."""
    ports = set()
    for command in commands:
        ports.update(int(port) for port in PORT_REFERENCE.findall(command.text))
        if _serves_without_port(command.text):
            ports.add(SERVE_DEFAULT_PORT)
    mapping = {}
    for port in sorted(ports):
        if not port_is_free(port):
            replacement = free_port()
            while replacement in ports or replacement in mapping.values():
                replacement = free_port()
            mapping[port] = replacement
    return mapping


def _serves_without_port(text):
    return re.search(r"\bcordon serve\b", text) is not None and "--port" not in text


def prepare(command, binary, ports):
    """The command as it runs here: the built binary for `swift run cordon`, free ports if need be."""
    text = command.text
    if SERVE_DEFAULT_PORT in ports and _serves_without_port(text):
        text = re.sub(r"\bcordon serve\b", f"cordon serve --port {ports[SERVE_DEFAULT_PORT]}", text, count=1)
    if ports:
        text = PORT_REFERENCE.sub(lambda match: str(ports.get(int(match.group(1)), match.group(1))), text)
    return text.replace("swift run cordon", shlex.quote(str(binary)))


# --- The bash session -------------------------------------------------------------------------------


class Session:
    """One bash process whose standard input takes the commands; each command's output goes to a file."""

    def __init__(self, folder, scratch):
        self.folder = folder
        self.scratch = scratch
        environment = {key: value for key, value in os.environ.items() if not key.startswith("CORDON_")}
        self.process = subprocess.Popen(
            ["bash", "--noprofile", "--norc"],
            cwd=folder,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: the servers started with & stop with it
        )
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def run(self, index, text, timeout):
        """Runs one command; returns (exit status or None when it did not finish, its output)."""
        script = self.scratch / f"{index:03}.sh"
        output = self.scratch / f"{index:03}.out"
        script.write_text(text + "\n", encoding="utf-8")
        self.process.stdin.write(
            f"{{ source {shlex.quote(str(script))}; }} > {shlex.quote(str(output))} 2>&1 < /dev/null\n"
            f"printf '\\n%s %s\\n' {DONE} \"$?\"\n"
        )
        self.process.stdin.flush()
        deadline = time.monotonic() + timeout
        status = None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                break
            if line is None:  # bash itself is gone (a command ran `exit`)
                break
            if line.startswith(DONE + " "):
                status = int(line.split()[1])
                break
        return status, self.output(index)

    def output(self, index):
        path = self.scratch / f"{index:03}.out"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def stop(self, timeout=20):
        """Stops bash and everything it started (SIGTERM to the group, then SIGKILL)."""
        group = self.process.pid
        try:
            os.killpg(group, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        deadline = time.monotonic() + timeout
        while _group_alive(group) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _group_alive(group):
            try:
                os.killpg(group, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _group_alive(group):
    """Whether a process of the group still runs (zombies left to init do not count)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and fields[0] != "Z" and int(fields[2]) == group:
            return True
    return False


# --- Checking ---------------------------------------------------------------------------------------


def mismatches(command, status, output):
    """What differs between what the command did and what the README says, one sentence each."""
    problems = []
    if status != command.exit_status:
        problems.append(f"exited with {status}, the README expects {command.exit_status}")
    for literal in command.literals:
        if literal not in output:
            problems.append(f"output lacks `{literal}`")
    for pattern in command.patterns:
        if not pattern.search(output):
            problems.append(f"output does not match /{pattern.pattern}/")
    return problems


def tail(text, count=15):
    lines = text.rstrip("\n").splitlines()
    shown = lines[-count:]
    prefix = [f"    ... ({len(lines) - count} lines before)"] if len(lines) > count else []
    return "\n".join(prefix + ["    | " + line for line in shown]) if shown else "    (no output)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", help="the built cordon executable (.build/debug/cordon)")
    parser.add_argument("--readme", default=str(ROOT / "README.md"))
    parser.add_argument("--timeout", type=float, default=180, help="seconds one command may take (180)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and say where it is")
    arguments = parser.parse_args()

    binary = Path(arguments.binary).resolve()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        print(f"check_readme: no executable at {binary}", file=sys.stderr)
        return 2
    try:
        commands = parse_readme(Path(arguments.readme).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"check_readme: {error}", file=sys.stderr)
        return 2
    runnable = [command for command in commands if not command.skip]
    ports = choose_ports(runnable)
    print(
        f"README.md: {len(commands)} commands, {len(runnable)} to run, {len(commands) - len(runnable)} shown only"
        + (
            "; ports taken here, used instead: " + ", ".join(f"{old} → {new}" for old, new in ports.items())
            if ports
            else ""
        ),
        flush=True,
    )

    base = Path(tempfile.mkdtemp(prefix="cordon-readme-"))
    folder, scratch = base / "tour", base / "commands"
    folder.mkdir()
    scratch.mkdir()
    failures = []  # (command, problems, output)
    session = Session(folder, scratch)
    try:
        for index, command in enumerate(commands):
            if command.skip:
                print(f"skip {command.title} ({command.skip})", flush=True)
                continue
            text = prepare(command, binary, ports)
            started = time.monotonic()
            hung = False
            syntax = subprocess.run(["bash", "-n"], input=text + "\n", capture_output=True, text=True)
            if syntax.returncode != 0:
                problems, output = ["is not valid bash"], syntax.stderr
            else:
                status, output = session.run(index, text, arguments.timeout)
                problems = mismatches(command, status, output)
                if status is None:
                    hung = True
                    if session.process.poll() is not None:
                        problems = [f"ended the shell itself (status {session.process.returncode})"]
                    else:
                        problems = [f"did not finish within {arguments.timeout:.0f} s"]
            took = time.monotonic() - started
            print(f"{'ok  ' if not problems else 'FAIL'} {command.title} ({took:.1f} s)", flush=True)
            if problems:
                failures.append((command, problems, output))
                if hung:
                    # The session still runs that command, or is gone: the ones after it cannot run.
                    for later in commands[index + 1 :]:
                        if not later.skip:
                            failures.append((later, ["not run: an earlier command did not finish"], ""))
                    break
    finally:
        # What the servers started in the background said, for a failure's report.
        background = [
            (command, session.output(index))
            for index, command in enumerate(commands)
            if not command.skip and re.search(r"&\s*(#.*)?$", command.text)
        ]
        session.stop()
        if arguments.keep:
            print(f"the tour's folder is kept: {folder}")
        else:
            shutil.rmtree(base, ignore_errors=True)

    if failures:
        print()
        for command, problems, _ in failures:
            for problem in problems:
                print(f"FAIL {command.title}: {problem}")
        print()
        for command, problems, output in failures:
            if output:
                print(f"output of {command.title}:\n{tail(output)}")
        for command, output in background:
            print(f"output so far of {command.title} (in the background):\n{tail(output)}")
        print(f"\n{len(failures)} of {len(runnable)} commands do not do what README.md says")
        return 1
    print(f"all {len(runnable)} commands do what README.md says")
    return 0


if __name__ == "__main__":
    sys.exit(main())
