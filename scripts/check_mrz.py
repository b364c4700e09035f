#!/usr/bin/env python3
"""Checks Cordon's reading of machine-readable zones against the PyPI `mrz` package's generators.

Makes a few hundred documents with random (seeded) data with mrz's TD1, TD2, TD3, MRV-A and MRV-B
code generators, plus a copy of each with one check digit deliberately wrong, and feeds them all to
`cordon mrz check --batch` (JSON lines in, one JSON line out per document, `--today` pinned). Then
asserts that:

- every generated document is valid for Cordon, of the right format, and every field Cordon reports
  (document code, issuing state, document number, nationality, birth and expiry dates with their
  century, sex, primary and secondary names, optional data) agrees with what was generated;
- every corrupted copy is rejected with an issue naming the field whose check digit was changed
  (Cordon puts an OCR misreading right only where a composite check digit confirms it, so a visa's
  wrong document-number digit is rejected too).

Usage: check_mrz.py CORDON_BINARY [COUNT]
Prints one summary line; exits 0 when everything agrees, 1 listing each disagreement, 2 on bad input.
"""

import json
import random
import subprocess
import sys
import tempfile
from datetime import date
from importlib.metadata import version
from pathlib import Path

from mrz.generator.mrva import MRVACodeGenerator
from mrz.generator.mrvb import MRVBCodeGenerator
from mrz.generator.td1 import TD1CodeGenerator
from mrz.generator.td2 import TD2CodeGenerator
from mrz.generator.td3 import TD3CodeGenerator

TODAY = date(2025, 6, 1)
SEED = 9303
COUNTRIES = ["TJK", "RUS", "UZB", "AFG", "KGZ", "KAZ", "D", "FRA", "GBR", "USA", "TUR", "IRN", "CHN", "PAK"]
ISO2 = {"TJK": "TJ", "RUS": "RU", "UZB": "UZ", "AFG": "AF", "KGZ": "KG", "KAZ": "KZ", "D": "DE", "FRA": "FR",
        "GBR": "GB", "USA": "US", "TUR": "TR", "IRN": "IR", "CHN": "CN", "PAK": "PK"}
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = LETTERS + "0123456789"

# Per format: the length of the name field, and its check digits as (line, position, field name).
FORMATS = {
    "td1": (30, [(0, 14, "document_number"), (1, 6, "birth_date"), (1, 14, "expiry_date"), (1, 29, "composite")]),
    "td2": (31, [(1, 9, "document_number"), (1, 19, "birth_date"), (1, 27, "expiry_date"), (1, 35, "composite")]),
    "td3": (39, [(1, 9, "document_number"), (1, 19, "birth_date"), (1, 27, "expiry_date"),
                 (1, 42, "optional_data"), (1, 43, "composite")]),
    "mrv_a": (39, [(1, 9, "document_number"), (1, 19, "birth_date"), (1, 27, "expiry_date")]),
    "mrv_b": (31, [(1, 9, "document_number"), (1, 19, "birth_date"), (1, 27, "expiry_date")]),
}
OPTIONAL_LENGTH = {"td1": 15, "td2": 7, "td3": 14, "mrv_a": 16, "mrv_b": 8}


def random_date(rng, start, end):
    day = date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))
    return day


def random_name(rng, words, longest):
    return " ".join("".join(rng.choice(LETTERS) for _ in range(rng.randint(2, longest))) for _ in range(words))


def make(rng, fmt):
    """One random document: the data and the generated lines."""
    data = {
        "document_code": {"td1": rng.choice(["I", "ID", "C"]), "td2": rng.choice(["I", "IR", "A"]),
                          "td3": rng.choice(["P", "PP", "PD", "DP"]), "mrv_a": "V", "mrv_b": rng.choice(["V", "VB"])}[fmt],
        "issuing_state": rng.choice(COUNTRIES),
        "nationality": rng.choice(COUNTRIES),
        "document_number": "".join(rng.choice(ALNUM) for _ in range(rng.randint(6, 9))),
        "birth": random_date(rng, date(1930, 1, 1), TODAY),
        "expiry": random_date(rng, date(2000, 1, 1), date(2035, 5, 31)),
        "sex": rng.choice(["M", "F", "<"]),
        "optional": "".join(rng.choice(ALNUM) for _ in range(rng.randint(0, OPTIONAL_LENGTH[fmt] - 1))),
    }
    # The generators refuse names longer than the field; a name filling it exactly is kept.
    while True:
        data["surname"] = random_name(rng, rng.choice([1, 1, 2]), 14)
        data["given"] = random_name(rng, rng.choice([1, 2, 3]), 10)
        if len(data["surname"]) + 2 + len(data["given"]) <= FORMATS[fmt][0]:
            break
    common = dict(document_type=data["document_code"], country_code=data["issuing_state"],
                  document_number=data["document_number"], nationality=data["nationality"],
                  birth_date=data["birth"].strftime("%y%m%d"), sex=data["sex"],
                  expiry_date=data["expiry"].strftime("%y%m%d"), surname=data["surname"], given_names=data["given"])
    if fmt == "td1":
        first = "".join(rng.choice(ALNUM) for _ in range(rng.randint(0, 14)))
        second = "".join(rng.choice(ALNUM) for _ in range(rng.randint(0, 10)))
        code = TD1CodeGenerator(**common, optional_data1=first, optional_data2=second)
        data["optional_parts"] = [first, second]
    else:
        generator = {"td2": TD2CodeGenerator, "td3": TD3CodeGenerator, "mrv_a": MRVACodeGenerator,
                     "mrv_b": MRVBCodeGenerator}[fmt]
        code = generator(**common, optional_data=data["optional"])
        data["optional_parts"] = [data["optional"]]
    return data, str(code).split("\n")


def corrupt(rng, fmt, lines):
    """The lines with one check digit changed, and the name of the field it protects."""
    line, position, field = rng.choice(FORMATS[fmt][1])
    chars = list(lines[line])
    printed = chars[position]
    digit = int(printed) if printed.isdigit() else 0
    chars[position] = str((digit + rng.randint(1, 9)) % 10)
    copy = list(lines)
    copy[line] = "".join(chars)
    return copy, field


def expected_fields(fmt, data):
    """What Cordon must report for a generated document."""
    birth, expiry = data["birth"], data["expiry"]
    return {
        "document_code": data["document_code"],
        "issuing_state": data["issuing_state"],
        "nationality": data["nationality"],
        "document_number": data["document_number"],
        # The century rule pins both dates back to the very days generated.
        "birth_date": birth.isoformat(),
        "expiry_date": expiry.isoformat(),
        "sex": {"M": "male", "F": "female", "<": "unspecified"}[data["sex"]],
    }


def compare(fmt, data, answer):
    """Disagreements between a generated document and Cordon's reading of it."""
    problems = []
    document = answer.get("document")
    if not answer.get("valid") or document is None:
        return [f"not valid: {answer.get('issues')}"]
    if document["format"] != fmt:
        problems.append(f"format {document['format']}, generated {fmt}")
    fields = {f["name"]: f["value"] for f in document["fields"]}
    for name, value in expected_fields(fmt, data).items():
        if fields.get(name) != value:
            problems.append(f"{name}: Cordon {fields.get(name)!r}, generated {value!r}")
    if document["corrections"]:
        problems.append(f"unexpected corrections {document['corrections']}")
    if not all(c["passed"] for c in document["checks"]):
        problems.append("a check failed")
    if document["nationality_country"] != ISO2[data["nationality"]]:
        problems.append(f"nationality_country {document['nationality_country']}")
    optional = [fields.get("optional_data", ""), fields.get("optional_data_2", "")]
    if [o for o in optional if o] != [o for o in data["optional_parts"] if o]:
        problems.append(f"optional data {optional}, generated {data['optional_parts']}")
    field_length = FORMATS[fmt][0]
    full = data["surname"] + "<<" + data["given"].replace(" ", "<")
    if len(full) < field_length:
        names = (fields.get("primary_name"), fields.get("secondary_name"), fields.get("name"))
        generated = (data["surname"], data["given"], data["surname"] + " " + data["given"])
        if names != generated:
            problems.append(f"names {names}, generated {generated}")
        if document["name_truncated"]:
            problems.append("name flagged as truncated")
    elif not fields.get("name", "").replace(" ", "").startswith(data["surname"].replace(" ", "")[:field_length - 1]):
        problems.append(f"long name read as {fields.get('name')!r}, generated {full!r}")
    return problems


def main(argv):
    if len(argv) < 2 or not Path(argv[1]).is_file():
        print("usage: check_mrz.py CORDON_BINARY [COUNT]", file=sys.stderr)
        return 2
    binary = argv[1]
    count = int(argv[2]) if len(argv) > 2 else 300
    rng = random.Random(SEED)
    cases = {}
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as batch:
        for k in range(count):
            fmt = list(FORMATS)[k % len(FORMATS)]
            data, lines = make(rng, fmt)
            cases[f"good-{k}"] = ("good", fmt, data, lines)
            bad_lines, field = corrupt(rng, fmt, lines)
            cases[f"bad-{k}"] = ("bad", fmt, field, bad_lines)
        for case_id, case in cases.items():
            batch.write(json.dumps({"id": case_id, "lines": case[3]}) + "\n")
        path = batch.name
    result = subprocess.run([binary, "mrz", "check", "--batch", path, "--today", TODAY.isoformat()],
                            capture_output=True, text=True, timeout=300)
    Path(path).unlink()
    answers = {}
    for line in result.stdout.splitlines():
        answer = json.loads(line)
        answers[answer["id"]] = answer
    failures = []
    good = rejected = 0
    for case_id, case in cases.items():
        answer = answers.get(case_id)
        if answer is None:
            failures.append(f"{case_id}: no answer")
            continue
        if case[0] == "good":
            problems = compare(case[1], case[2], answer)
            if problems:
                failures.append(f"{case_id} {case[3]}: " + "; ".join(problems))
            else:
                good += 1
            continue
        fmt, field = case[1], case[2]
        paths = [issue["path"] for issue in answer.get("issues", [])]
        if not answer.get("valid") and field in paths and set(paths) <= {field, "composite"}:
            rejected += 1
        else:
            failures.append(f"{case_id} {case[3]}: changed {field}, Cordon answered valid={answer.get('valid')} "
                            f"issues={paths}")
    if result.returncode not in (0, 1):
        failures.append(f"cordon exited with {result.returncode}: {result.stderr.strip()[:300]}")
    for failure in failures[:50]:
        print(failure)
    status = "FAILED" if failures else "ok"
    print(f"check_mrz (mrz {version('mrz')}): {status}: {good}/{count} generated documents agree, "
          f"{rejected}/{count} with a wrong check digit rejected naming the field, {len(failures)} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
