#!/usr/bin/env python3
"""Scores `cordon read` against the labelled reading corpus in Tests/ReadingCorpus.

Usage: score_reading.py CORDON [--corpus DIR] [--threshold T] [--json] [--check] [--timeout SECONDS]
       score_reading.py --self-test [--corpus DIR]

Runs `CORDON read --json FILE...` once with every report of the corpus (the paths as this script
names them: relative to the current folder when the corpus was found there, absolute otherwise),
reads one JSON object per file from its output and compares the mentions with labels.jsonl:

- A label is found when an alerting mention has the label's entity and a span that overlaps the
  label's span (offsets in Unicode scalars into the file's text exactly as stored, end exclusive).
- An alerting mention is correct when it overlaps a label of the same entity; any other alerting
  mention is a false alert (named with the trap it set off, if it overlaps one).
- A mention is alerting when its `alert` is true, or, with --threshold T, when its `score` >= T.

Each label's span is found with str.find, taking the label's `occurrence`-th match of its exact
`text`; a label that cannot be found is a corpus bug, reported with its file and text (exit 2).

Prints a table per language (reports, labels, recall, precision, false alerts), recall per kind of
label, then every miss and every false alert (file, text, entity, score). --json prints the same as
one JSON object. Exits 0; with --check, exits 1 when a language's recall or precision is below
0.95. Exits 2 on a corpus bug or when the reader cannot be run or its output cannot be read.

--self-test needs no binary: it resolves every label and trap, checks the corpus's own rules (every
report labelled, entity ids from the demo scenario, no label inside an HTML <script> or <style>
block, no label overlapping another or a trap) and scores a perfect prediction built from the labels
through the same output parser; it exits 1 unless recall and precision are 1 everywhere.
"""

import argparse
import html
import json
import os
import re
import subprocess
import tempfile
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = "Tests/ReadingCorpus"
SCENARIO = REPO / "Sources" / "CordonDemo" / "Resources" / "demo-scenario.json"
KINDS = {"full", "inflected", "initials", "surname_only", "alias", "line_break", "organization", "acronym",
         "plate", "plural"}
LANGUAGES = ("ru", "tg", "uz", "en", "fa")
CHECK_FLOOR = 0.95
HIDDEN_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


class CorpusError(Exception):
    """A label or trap that does not resolve, or a corpus file that breaks the corpus's rules."""


class ReaderError(Exception):
    """The reader could not be run, or what it printed cannot be read."""


class Span:
    def __init__(self, entity, start, end, text, kind=None, why=None):
        self.entity, self.start, self.end, self.text, self.kind, self.why = entity, start, end, text, kind, why

    def overlaps(self, other):
        return self.start < other.end and other.start < self.end


class Report:
    def __init__(self, file, language, path, text):
        self.file, self.language, self.path, self.text = file, language, path, text
        self.labels, self.traps = [], []


def locate(text, needle, occurrence):
    """Start of the occurrence-th match of needle in text (1-based; matches may overlap), or -1."""
    if not needle or not isinstance(occurrence, int) or occurrence < 1:
        return -1
    at = -1
    for _ in range(occurrence):
        at = text.find(needle, at + 1)
        if at == -1:
            return -1
    return at


def corpus_folder(given):
    path = Path(given)
    if not path.exists() and not path.is_absolute() and (REPO / given).exists():
        path = REPO / given
    if not (path / "labels.jsonl").is_file():
        raise CorpusError(f"{given}: no labels.jsonl there")
    return path


def load_corpus(corpus):
    """Reads labels.jsonl and every report, and resolves each label's and trap's span."""
    reports, problems = [], []
    for number, line in enumerate((corpus / "labels.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"labels.jsonl:{number}"
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise CorpusError(f"{where}: not JSON ({error})")
        file = entry.get("file")
        if not isinstance(file, str):
            raise CorpusError(f"{where}: no file")
        path = corpus / file
        if not path.is_file():
            raise CorpusError(f"{where}: {file} does not exist")
        with open(path, encoding="utf-8", newline="") as handle:
            text = handle.read()
        report = Report(file, entry.get("language"), path, text)
        if report.language not in LANGUAGES:
            problems.append(f"{file}: language {report.language!r} is not one of {', '.join(LANGUAGES)}")
        for label in entry.get("mentions", []):
            start = locate(text, label.get("text"), label.get("occurrence"))
            if start == -1:
                problems.append(f"{file}: label {label.get('text')!r} (occurrence {label.get('occurrence')}, "
                                f"{label.get('entity')}) not found in the file")
                continue
            if label.get("kind") not in KINDS:
                problems.append(f"{file}: label {label['text']!r} has kind {label.get('kind')!r}")
            if not isinstance(label.get("entity"), str):
                problems.append(f"{file}: label {label['text']!r} has no entity")
                continue
            report.labels.append(Span(label["entity"], start, start + len(label["text"]), label["text"],
                                      kind=label.get("kind")))
        for trap in entry.get("traps", []):
            start = locate(text, trap.get("text"), trap.get("occurrence", 1))
            if start == -1:
                problems.append(f"{file}: trap {trap.get('text')!r} (occurrence {trap.get('occurrence', 1)}) "
                                f"not found in the file")
                continue
            report.traps.append(Span(None, start, start + len(trap["text"]), trap["text"], why=trap.get("why", "")))
        reports.append(report)
    if problems:
        raise CorpusError("\n".join(problems))
    seen = [r.file for r in reports]
    duplicates = sorted({f for f in seen if seen.count(f) > 1})
    if duplicates:
        raise CorpusError("labelled more than once: " + ", ".join(duplicates))
    unlabelled = sorted(str(p.relative_to(corpus)) for p in (corpus / "reports").iterdir()
                        if p.is_file() and str(p.relative_to(corpus)) not in seen)
    if unlabelled:
        raise CorpusError("reports without a line in labels.jsonl: " + ", ".join(unlabelled))
    return reports


def check_rules(reports):
    """The corpus's own rules, beyond every span resolving (used by --self-test)."""
    problems = []
    known = None
    if SCENARIO.is_file():
        scenario = json.loads(SCENARIO.read_text(encoding="utf-8"))
        known = {p["id"] for p in scenario.get("persons", []) if p.get("wanted")}
        known |= {o["id"] for o in scenario.get("organizations", [])}
        known |= {v["id"] for v in scenario.get("vehicles", [])}
    for report in reports:
        hidden = []
        if report.file.endswith((".html", ".htm")):
            hidden = [Span(None, m.start(), m.end(), m.group(1)) for m in HIDDEN_BLOCK.finditer(report.text)]
        for label in report.labels:
            if known is not None and label.entity not in known:
                problems.append(f"{report.file}: {label.text!r} names {label.entity}, not a wanted person, "
                                f"organisation or vehicle of the demo scenario")
            for block in hidden:
                if label.overlaps(block):
                    problems.append(f"{report.file}: label {label.text!r} is inside a <{block.text}> block")
            for trap in report.traps:
                if label.overlaps(trap):
                    problems.append(f"{report.file}: label {label.text!r} overlaps trap {trap.text!r}")
        ordered = sorted(report.labels, key=lambda s: s.start)
        for first, second in zip(ordered, ordered[1:]):
            if first.overlaps(second):
                problems.append(f"{report.file}: labels {first.text!r} and {second.text!r} overlap")
    return problems


def reader_paths(corpus, reports):
    """The path each report is given to the reader as."""
    return {r.file: str(corpus / r.file) for r in reports}


def parse_output(output, reports, paths):
    """Maps each JSON line of the reader's output to its report: {file: [mentions]}."""
    by_key = {}
    for report in reports:
        given = paths[report.file]
        for key in (given, os.path.normpath(given), os.path.realpath(given), report.file):
            by_key.setdefault(key, report.file)
    predictions = {}
    for number, line in enumerate(output.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise ReaderError(f"output line {number} is not JSON ({error}): {line[:120]}")
        if not isinstance(entry, dict):
            raise ReaderError(f"output line {number} is not a JSON object")
        source = entry.get("source")
        if not isinstance(source, str):
            raise ReaderError(f"output line {number} has no source")
        file = by_key.get(source) or by_key.get(os.path.normpath(source)) or by_key.get(os.path.realpath(source))
        if file is None:
            tails = [r.file for r in reports if os.path.normpath(source).endswith(os.sep + os.path.normpath(r.file))]
            file = tails[0] if len(tails) == 1 else None
        if file is None:
            raise ReaderError(f"output line {number}: source {source!r} is none of the files given")
        if file in predictions:
            raise ReaderError(f"output line {number}: {source!r} printed twice")
        mentions = entry.get("mentions")
        if not isinstance(mentions, list):
            raise ReaderError(f"output line {number} ({source}): mentions is not a list")
        predictions[file] = mentions
    return predictions


SCENARIO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "CordonDemo", "Resources",
                        "demo-scenario.json")


def night_list(path):
    """The list the corpus is read against, as Cordon JSON lines: every person of the demo scenario with a
    wanted record (at large or taken since: reports of the night name all of them) and every organisation."""
    with open(SCENARIO, encoding="utf-8") as handle:
        scenario = json.load(handle)
    lines = []
    for person in scenario["persons"]:
        if "wanted" not in person:
            continue
        name = " ".join(part["value"] for part in person["name"]["parts"])
        aliases = [a["value"] for a in person.get("aliases", []) if a.get("kind") != "weak"]
        weak = [a["value"] for a in person.get("aliases", []) if a.get("kind") == "weak"]
        entry = {"id": person["id"], "type": "person", "name": name, "aliases": aliases, "weak_aliases": weak,
                 "nationalities": person.get("nationalities", [])}
        if person.get("birth_date"):
            entry["birth_dates"] = [person["birth_date"]]
        if person.get("sex") in ("male", "female"):
            entry["gender"] = person["sex"]
        lines.append(entry)
    for organization in scenario["organizations"]:
        lines.append({"id": organization["id"], "type": "organization", "name": organization["name"],
                      "aliases": organization.get("acronyms", []) + organization.get("aliases", [])})
    with open(path, "w", encoding="utf-8") as handle:
        for entry in lines:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def run_reader(cordon, reports, paths, timeout, listed=None):
    command = [cordon, "read", "--json"]
    if listed:
        command += ["--list", listed]
    command += [paths[r.file] for r in reports]
    try:
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    except OSError as error:
        raise ReaderError(f"cannot run {cordon}: {error.strerror or error}")
    except subprocess.TimeoutExpired:
        raise ReaderError(f"{cordon} read did not finish within {timeout} s")
    if done.returncode != 0:
        if not done.stdout.strip():
            raise ReaderError(f"{cordon} read exited {done.returncode}: {done.stderr.strip()[-2000:]}")
        print(f"note: {cordon} read exited {done.returncode}; scoring what it printed", file=sys.stderr)
    return parse_output(done.stdout, reports, paths)


def prediction(raw, report, threshold, notes):
    """A predicted mention as a Span with its score and whether it alerts, or None when malformed."""
    entity, start, end = raw.get("entity"), raw.get("start"), raw.get("end")
    if not isinstance(entity, str) or not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end:
        notes.append(f"{report.file}: malformed mention {json.dumps(raw, ensure_ascii=False)[:160]}")
        return None
    score = raw.get("score")
    score = float(score) if isinstance(score, (int, float)) else None
    alerting = (score is not None and score >= threshold) if threshold is not None else raw.get("alert") is True
    span = Span(entity, start, end, report.text[start:end])
    span.score, span.alerting = score, alerting
    written = raw.get("text")
    if end > len(report.text):
        notes.append(f"{report.file}: mention {entity} at {start}..{end} runs past the end of the file")
    elif isinstance(written, str) and as_read(written, report) != as_read(span.text, report):
        notes.append(f"{report.file}: mention {entity} at {start}..{end} says {written!r}, the file has {span.text!r}")
    return span


def as_read(text, report):
    """Text as a reader shows it: in markup, without tags and with character references resolved."""
    if report.file.endswith((".html", ".htm", ".xml")):
        text = html.unescape(re.sub(r"<[^>]*>", "", text))
    return " ".join(text.split())


def score(reports, predictions, threshold=None):
    """Recall, precision and false alerts per language and overall, recall per kind, misses and false alerts."""
    def fresh():
        return {"reports": 0, "labels": 0, "found": 0, "alerts": 0, "correct": 0, "false_alerts": 0}

    languages, kinds = {}, {}
    misses, false_alerts, notes, traps_set_off, unread = [], [], [], 0, []
    for report in reports:
        lang = languages.setdefault(report.language, fresh())
        lang["reports"] += 1
        if report.file not in predictions:
            unread.append(report.file)
        spans = [p for p in (prediction(raw, report, threshold, notes) for raw in predictions.get(report.file, []))
                 if p is not None]
        alerting = [p for p in spans if p.alerting]
        for label in report.labels:
            kind = kinds.setdefault(label.kind, {"labels": 0, "found": 0})
            lang["labels"] += 1
            kind["labels"] += 1
            if any(p.entity == label.entity and p.overlaps(label) for p in alerting):
                lang["found"] += 1
                kind["found"] += 1
                continue
            quiet = [p for p in spans if p.entity == label.entity and p.overlaps(label)]
            misses.append({"file": report.file, "text": label.text, "entity": label.entity, "kind": label.kind,
                           "start": label.start, "end": label.end,
                           "best_score": max((p.score for p in quiet if p.score is not None), default=None)})
        set_off = set()
        for p in alerting:
            lang["alerts"] += 1
            if any(label.entity == p.entity and label.overlaps(p) for label in report.labels):
                lang["correct"] += 1
                continue
            lang["false_alerts"] += 1
            traps = [t for t in report.traps if t.overlaps(p)]
            set_off.update(id(t) for t in traps)
            other = [label.entity for label in report.labels if label.overlaps(p)]
            false_alerts.append({"file": report.file, "text": p.text, "entity": p.entity, "score": p.score,
                                 "start": p.start, "end": p.end,
                                 "trap": traps[0].why if traps else None,
                                 "label_entity": other[0] if other else None})
        traps_set_off += len(set_off)

    def rates(row):
        row["recall"] = row["found"] / row["labels"] if row["labels"] else 1.0
        if "alerts" in row:
            row["precision"] = row["correct"] / row["alerts"] if row["alerts"] else 1.0
        return row

    overall = fresh()
    for row in languages.values():
        for key in overall:
            overall[key] += row[key]
    return {
        "threshold": threshold,
        "languages": {k: rates(languages[k]) for k in sorted(languages, key=lambda k: (LANGUAGES + (k,)).index(k))},
        "overall": rates(overall),
        "kinds": {k: rates(v) for k, v in sorted(kinds.items())},
        "traps": {"total": sum(len(r.traps) for r in reports), "set_off": traps_set_off},
        "misses": misses,
        "false_alerts": false_alerts,
        "notes": notes + [f"{f}: no output for this file" for f in unread],
    }


def print_result(result):
    rule = "-" * 68
    how = f"score >= {result['threshold']}" if result["threshold"] is not None else "the reader's alert"
    print(f"Reading corpus, alerting by {how}")
    print(rule)
    print(f"{'language':<10}{'reports':>8}{'labels':>8}{'recall':>10}{'precision':>11}{'false alerts':>14}")
    print(rule)
    rows = list(result["languages"].items()) + [("all", result["overall"])]
    for name, row in rows:
        if name == "all":
            print(rule)
        print(f"{name:<10}{row['reports']:>8}{row['labels']:>8}{row['recall']:>10.3f}{row['precision']:>11.3f}"
              f"{row['false_alerts']:>14}")
    print(rule)
    print("recall per kind of label: " + ", ".join(
        f"{k} {v['found']}/{v['labels']}" for k, v in result["kinds"].items()))
    print(f"traps: {result['traps']['set_off']} of {result['traps']['total']} set off")
    for miss in result["misses"]:
        seen = f", seen at score {miss['best_score']:.2f} without alerting" if miss["best_score"] is not None else ""
        print(f"miss         {miss['file']}  {miss['text']!r}  {miss['entity']}  ({miss['kind']}{seen})")
    for alert in result["false_alerts"]:
        score_text = f"{alert['score']:.2f}" if alert["score"] is not None else "-"
        why = f"  [trap: {alert['trap']}]" if alert["trap"] else ""
        why += f"  [the label there is {alert['label_entity']}]" if alert["label_entity"] else ""
        print(f"false alert  {alert['file']}  {alert['text']!r}  {alert['entity']}  {score_text}{why}")
    for note in result["notes"]:
        print(f"note         {note}")


def below_floor(result):
    return [f"{name}: recall {row['recall']:.3f}, precision {row['precision']:.3f}"
            for name, row in result["languages"].items()
            if row["recall"] < CHECK_FLOOR or row["precision"] < CHECK_FLOOR]


def self_test(corpus):
    reports = load_corpus(corpus)
    problems = check_rules(reports)
    if problems:
        raise CorpusError("\n".join(problems))
    paths = reader_paths(corpus, reports)
    lines = []
    for report in reports:
        mentions = [{"entity": label.entity, "start": label.start, "end": label.end, "text": label.text,
                     "score": 1.0, "alert": True, "explanation": "label"} for label in report.labels]
        entities = sorted({label.entity for label in report.labels})
        lines.append(json.dumps({"source": paths[report.file], "mentions": mentions,
                                 "entities": [{"entity": e, "score": 1.0, "alert": True} for e in entities]},
                                ensure_ascii=False))
    result = score(reports, parse_output("\n".join(lines) + "\n", reports, paths))
    for name, row in result["languages"].items():
        print(f"{name}: {row['reports']} reports, {row['labels']} labels, "
              f"{sum(len(r.traps) for r in reports if r.language == name)} traps")
    counts = {k: v["labels"] for k, v in result["kinds"].items()}
    print("kinds: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    perfect = (result["overall"]["recall"] == 1.0 and result["overall"]["precision"] == 1.0
               and not result["misses"] and not result["false_alerts"] and not result["notes"])
    print(f"self-test: {len(reports)} reports, {result['overall']['labels']} labels and "
          f"{result['traps']['total']} traps resolve; the labels scored against themselves: recall "
          f"{result['overall']['recall']:.3f}, precision {result['overall']['precision']:.3f}"
          + ("" if perfect else " (NOT PERFECT)"))
    return 0 if perfect else 1


def main():
    parser = argparse.ArgumentParser(description="Scores `cordon read` against the labelled reading corpus.")
    parser.add_argument("cordon", nargs="?", help="the cordon binary, e.g. .build/debug/cordon")
    parser.add_argument("--corpus", default=DEFAULT_CORPUS, help=f"the corpus folder ({DEFAULT_CORPUS})")
    parser.add_argument("--threshold", type=float, help="a mention alerts when its score is at least this")
    parser.add_argument("--list", help="the list to read against (default: every person of the demo scenario "
                        "with a wanted record, and its organisations)")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.add_argument("--check", action="store_true",
                        help=f"exit 1 when a language's recall or precision is below {CHECK_FLOOR}")
    parser.add_argument("--timeout", type=float, default=600, help="seconds the reader may take (600)")
    parser.add_argument("--self-test", action="store_true", help="check the corpus against itself; no binary")
    args = parser.parse_args()
    try:
        corpus = corpus_folder(args.corpus)
        if args.self_test:
            return self_test(corpus)
        if not args.cordon:
            parser.error("the cordon binary is needed (or --self-test)")
        reports = load_corpus(corpus)
        paths = reader_paths(corpus, reports)
        with tempfile.TemporaryDirectory() as folder:
            listed = args.list
            if listed is None:
                listed = os.path.join(folder, "night.jsonl")
                night_list(listed)
            predictions = run_reader(args.cordon, reports, paths, args.timeout, listed)
        result = score(reports, predictions, args.threshold)
    except CorpusError as error:
        print(f"corpus bug:\n{error}", file=sys.stderr)
        return 2
    except ReaderError as error:
        print(f"reader: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print_result(result)
    failing = below_floor(result)
    if args.check and failing:
        print("below " + str(CHECK_FLOOR) + ": " + "; ".join(failing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
