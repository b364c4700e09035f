#!/usr/bin/env python3
"""An independent verifier of Cordon's Merkle audit log (RFC 6962 trees, RFC 9162 proof checks).

1. Self-test: RFC 6962's test roots; RFC 6962 PATH/PROOF proofs for every 0 <= m <= n <= 20 pass the RFC 9162
   verifiers and tampered ones fail; the Ed25519 library gives RFC 8032's first test vector.
2. Starts `cordon serve --demo --port 0 --keys DIR`, signs in as demo-admin, checks the signed tree head
   (RFC 6962 3.5 TreeHeadSignature, key from DIR/audit-log.ed25519) against the records of GET /v1/audit.
3. Screens a name, waits up to 90 s for a larger head, checks the consistency proof between the heads and
   inclusion proofs of at least 10 records, each leaf hash computed from the record itself.
4. Checks that bad proof queries are refused with 400 or 422 and application/problem+json.

Usage: check_audit_log.py PATH/TO/cordon, or check_audit_log.py --self-test (part 1 only, no server).
Prints one line per check; exits 0 only when every check passes.
"""

import argparse
import base64
import hashlib
import json
import struct
import sys
import tempfile
import time
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path

EMPTY_ROOT = hashlib.sha256(b"").digest()

# --- Merkle trees: RFC 6962 section 2.1 ---------------------------------------------------------


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n):
    """The largest power of two below n (n >= 2): where RFC 6962 splits a tree of n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(hashes):
    """MTH over a list of leaf hashes."""
    if not hashes:
        return EMPTY_ROOT
    if len(hashes) == 1:
        return hashes[0]
    k = split(len(hashes))
    return node_hash(root_of(hashes[:k]), root_of(hashes[k:]))


def reference_path(m, hashes):
    """PATH(m, D[n]) of RFC 6962 2.1.1: the audit path of leaf m, leaf side first."""
    if len(hashes) == 1:
        return []
    k = split(len(hashes))
    if m < k:
        return reference_path(m, hashes[:k]) + [root_of(hashes[k:])]
    return reference_path(m - k, hashes[k:]) + [root_of(hashes[:k])]


def reference_proof(m, hashes):
    """PROOF(m, D[n]) of RFC 6962 2.1.2; empty for m = 0 (nothing to prove) and for m = n."""
    def subproof(m, hashes, whole):
        n = len(hashes)
        if m == n:
            return [] if whole else [root_of(hashes)]
        k = split(n)
        if m <= k:
            return subproof(m, hashes[:k], whole) + [root_of(hashes[k:])]
        return subproof(m - k, hashes[k:], False) + [root_of(hashes[:k])]

    return [] if m == 0 else subproof(m, hashes, True)


# --- Proof verification: RFC 9162 sections 2.1.3.2 and 2.1.4.2 -----------------------------------


def verify_inclusion(index, size, leaf, path, root):
    """True when `path` proves that `leaf` is leaf `index` of the tree of `size` leaves with `root`."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:  # up past the levels where this node is a left child with no sibling
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, path):
    """True when `path` proves that the tree of `first` leaves is a prefix of the one of `second`."""
    if first > second:
        return False
    if first == second:  # PROOF(m, D[m]) is empty; the heads must agree
        return not path and first_root == second_root
    if first == 0:  # the empty tree is a prefix of every tree
        return not path and first_root == EMPTY_ROOT
    if not path:
        return False
    if first & (first - 1) == 0:  # a power of two: the old root is itself a node of the new tree
        path = [first_root] + list(path)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


# --- Ed25519: pyca/cryptography when importable, else the pure-Python pyca/ed25519 vendored by ---------
# --- securesystemslib (which tuf, pinned by scripts/test, brings into .venv) ---------------------------


def ed25519():
    """Returns (library name, public key from seed, verify(public, signature, message) -> bool)."""
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
    except ImportError:
        from securesystemslib._vendor.ed25519 import ed25519 as pure

        def verify(public, signature, message):
            try:
                return pure.checkvalid(signature, message, public) is None
            except Exception:  # a mismatch, or a malformed key or signature
                return False

        return f"securesystemslib {version('securesystemslib')} (pyca/ed25519)", pure.publickey_unsafe, verify

    def verify(public, signature, message):
        try:
            return Ed25519PublicKey.from_public_bytes(public).verify(signature, message) is None
        except (InvalidSignature, ValueError):
            return False

    return (f"cryptography {version('cryptography')}",
            lambda seed: Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw(), verify)


# --- Reporting ------------------------------------------------------------------------------------


class Checks:
    failures = 0

    def __call__(self, passed, message, reason=""):
        print(("ok   " if passed else "FAIL ") + message + (f": {reason}" if reason and not passed else ""))
        self.failures += 0 if passed else 1
        return passed


class Stop(Exception):
    """A failure after which the live checks cannot go on."""


# --- Part 1: the self-test ------------------------------------------------------------------------

VECTOR_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
VECTOR_ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
# RFC 8032 section 7.1, TEST 1 (an empty message).
RFC8032_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
RFC8032_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
RFC8032_SIGNATURE = ("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")


def flipped(path, j):
    """The path with one byte of element j changed."""
    element = bytearray(path[j])
    element[j % 32] ^= 0x40
    return path[:j] + [bytes(element)] + path[j + 1:]


def tampered(path):
    """Every one-byte flip, every dropped element, and one element added."""
    yield from (("a byte flipped", flipped(path, j)) for j in range(len(path)))
    yield from (("an element dropped", path[:j] + path[j + 1:]) for j in range(len(path)))
    yield "an element added", path + [EMPTY_ROOT]


def self_test(checks):
    leaves = [leaf_hash(bytes.fromhex(data)) for data in VECTOR_LEAVES]
    wrong = [f"{n} leaves" for n, root in VECTOR_ROOTS.items() if root_of(leaves[:n]).hex() != root]
    wrong += ["no leaves"] if root_of([]).hex() != hashlib.sha256(b"").hexdigest() else []
    checks(not wrong, "RFC 6962 test vectors: the roots of 1, 2 and 8 leaves and of the empty tree",
           "wrong root of " + ", ".join(wrong))

    most = 20
    hashes = [leaf_hash(i.to_bytes(2, "big")) for i in range(most + 1)]
    roots = [root_of(hashes[:n]) for n in range(most + 2)]
    bad, proofs, refused = [], 0, 0

    def expect(result, wanted, what):
        nonlocal refused
        if result != wanted:
            bad.append(what)
        refused += not wanted

    for n in range(1, most + 1):
        for i in range(n):
            path, leaf = reference_path(i, hashes[:n]), hashes[i]
            proofs += 1
            expect(verify_inclusion(i, n, leaf, path, roots[n]), True, f"leaf {i} of {n}")
            cases = [(i, n, changed, roots[n], how) for how, changed in tampered(path)]
            cases += [(i, n + 1, path, roots[n + 1], f"as of {n + 1}"), (i, 2 * n, path, roots[n], f"as of {2 * n}"),
                      (n, n, path, roots[n], f"as leaf {n}")]
            if i + 1 < n:
                cases += [(i, n - 1, path, roots[n - 1], f"as of {n - 1}"),
                          (i + 1, n, path, roots[n], f"as leaf {i + 1}")]
            for index, size, changed, root, how in cases:
                expect(verify_inclusion(index, size, leaf, changed, root), False, f"leaf {i} of {n}, {how}")
    checks(not bad, f"inclusion: {proofs} RFC 6962 PATH proofs pass RFC 9162 2.1.3.2, {refused} tampered ones fail",
           f"{len(bad)} wrong, first: {bad[:1]}")

    bad, proofs, refused = [], 0, 0
    for n in range(0, most + 1):
        for m in range(0, n + 1):
            proof = reference_proof(m, hashes[:n])
            proofs += 1
            expect(verify_consistency(m, n, roots[m], roots[n], proof), True, f"{m} to {n}")
            if m == 0:
                continue  # the empty proof from the empty tree is right for every size
            cases = [(m, n, roots[m], roots[n], changed, how) for how, changed in tampered(proof)]
            cases += [(m, n + 1, roots[m], roots[n + 1], proof, f"as to {n + 1}"),
                      (m, 2 * n, roots[m], roots[n], proof, f"as to {2 * n}"),
                      (m, n, flipped([roots[m]], 0)[0], roots[n], proof, "the old root changed")]
            if m > 1:
                cases += [(m - 1, n, roots[m - 1], roots[n], proof, f"as from {m - 1}")]
            for first, second, first_root, second_root, changed, how in cases:
                expect(verify_consistency(first, second, first_root, second_root, changed), False, f"{m} to {n}, {how}")
    checks(not bad, f"consistency: {proofs} RFC 6962 PROOF proofs pass RFC 9162 2.1.4.2, {refused} tampered ones fail",
           f"{len(bad)} wrong, first: {bad[:1]}")

    try:
        name, public, verify = ed25519()
    except ImportError as error:
        checks(False, "Ed25519", f"neither cryptography nor securesystemslib can be imported ({error})")
        return False
    key = public(bytes.fromhex(RFC8032_SEED))
    signature = bytes.fromhex(RFC8032_SIGNATURE)
    checks(key.hex() == RFC8032_PUBLIC and verify(key, signature, b"") and not verify(key, signature, b"\x00"),
           f"Ed25519 with {name}: RFC 8032 test 1's public key and signature; a changed message is refused")
    return checks.failures == 0


# --- Parts 2 to 4: the live log ----------------------------------------------------------------------


def call(url, token, path, method="GET", body=None):
    """Returns (status, content type, JSON body or text)."""
    headers = {"Authorization": f"Bearer {token}"} | ({} if body is None else {"Content-Type": "application/json"})
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, kind, raw = response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        status, kind, raw = error.code, error.headers.get("Content-Type", ""), error.read()
    try:
        return status, kind, json.loads(raw)
    except ValueError:
        return status, kind, raw.decode("utf-8", "replace")


def get(url, token, path):
    status, _, body = call(url, token, path)
    if status != 200:
        raise Stop(f"GET {path} answered {status}: {str(body)[:200]}")
    return body


def decoded(text, length, what):
    value = base64.b64decode(text, validate=True)
    if len(value) != length:
        raise Stop(f"{what} is {len(value)} bytes, not {length}")
    return value


def tree_head(url, token):
    head = get(url, token, "/v1/audit/tree-head")
    return {"size": int(head["tree_size"]), "timestamp": int(head["timestamp"]), "key_id": head["key_id"],
            "root": decoded(head["sha256_root_hash"], 32, "sha256_root_hash"),
            "signature": decoded(head["tree_head_signature"], 64, "tree_head_signature")}


def read_log(url, token):
    records, after = [], 0
    while True:
        page = get(url, token, f"/v1/audit?after={after}&limit=1000")
        records += page["records"]
        following = page.get("next_after")  # null or absent at the end
        if following is None:
            return records
        if following <= after:
            raise Stop(f"next_after {following} does not move on from {after}")
        after = following


def check_log(checks, records):
    """The records are numbered 1..N, each links to the one before; returns their leaf hashes."""
    numbers = [record["sequence"] for record in records]
    gaps = [f"record {at} says sequence {number}" for at, number in enumerate(numbers, 1) if number != at]
    checks(not gaps, f"the audit log's {len(records)} records are numbered 1 to N", gaps[0] if gaps else "")
    links = [r["sequence"] for p, r in zip([{"hash": "0" * 64}] + records, records) if r["previous_hash"] != p["hash"]]
    checks(not links, "each record's previous_hash is the hash of the record before", f"not at {links[:5]}")
    return [leaf_hash(bytes.fromhex(record["hash"])) for record in records]


def check_head(checks, head, leaves, public, verify, label):
    size = head["size"]
    message = struct.pack(">BBQQ", 0, 1, head["timestamp"], size) + head["root"]
    checks(str(head["key_id"]).lower() == hashlib.sha256(public).hexdigest(),
           f"{label}: key_id is the SHA-256 of the log's public key", str(head["key_id"]))
    checks(verify(public, head["signature"], message), f"{label}: the Ed25519 signature of the TreeHeadSignature holds",
           "it does not verify with the key of audit-log.ed25519")
    if checks(size <= len(leaves), f"{label}: tree_size {size} is at most the {len(leaves)} records read"):
        root = root_of(leaves[:size])
        checks(root == head["root"], f"{label}: its root is the one computed over records 1-{size}",
               f"the head says {head['root'].hex()}, the records give {root.hex()}")


def live(url, token, keys, checks):
    name, public_of, verify = ed25519()
    old = tree_head(url, token)  # the head first: every record it covers is in the log read after it
    records = read_log(url, token)
    leaves = check_log(checks, records)
    key_file = keys / "audit-log.ed25519"
    if not key_file.exists():
        raise Stop("the server wrote no audit-log.ed25519 in its --keys folder")
    public = public_of(bytes.fromhex(key_file.read_text().strip()))
    print(f"     (Ed25519 by {name}; log key {public.hex()})")
    check_head(checks, old, leaves, public, verify, "first head")

    statuses = [call(url, token, "/v1/screen", "POST", {"name": "Mirzoev"})[0] for _ in range(5)]
    checks(statuses == [200] * 5, "five screenings of 'Mirzoev' answered 200", f"{statuses}")
    deadline = time.monotonic() + 90
    while True:
        new = tree_head(url, token)
        if new["size"] > old["size"]:
            break
        if time.monotonic() > deadline:
            raise Stop(f"the tree head stayed at tree_size {old['size']} for 90 s")
        time.sleep(2)
    print(f"     (the head grew from {old['size']} to {new['size']})")
    again = read_log(url, token)
    changed = [r["sequence"] for r, s in zip(records, again) if r["hash"] != s["hash"]]
    checks(len(again) >= len(records) and not changed,
           f"the first {len(records)} records are unchanged when the log is read again",
           f"now {len(again)} records; changed: {changed[:5]}")
    leaves = check_log(checks, again)
    check_head(checks, new, leaves, public, verify, "second head")
    checks(new["timestamp"] >= old["timestamp"], "the second head's timestamp is not before the first's",
           f"{new['timestamp']} < {old['timestamp']}")

    m, n = old["size"], new["size"]
    if n > len(leaves):
        raise Stop(f"the second head's tree_size {n} is beyond the {len(leaves)} records the log gave")
    if m == 0:
        checks(old["root"] == EMPTY_ROOT, "the first head is the empty tree, consistent with every tree")
    else:
        proof = get(url, token, f"/v1/audit/proof/consistency?first={m}&second={n}")
        path = [decoded(p, 32, "a consistency element") for p in proof["consistency"]]
        checks((proof["first"], proof["second"]) == (m, n), "the consistency proof names the sizes asked for",
               f"first {proof['first']}, second {proof['second']}")
        checks(verify_consistency(m, n, old["root"], new["root"], path),
               f"consistency proof {m} -> {n} ({len(path)} hashes) holds (RFC 9162 2.1.4.2)",
               "it does not lead to both heads' roots")

    wanted = range(1, n + 1) if n <= 12 else sorted({1 + (n - 1) * i // 11 for i in range(12)})
    for sequence in wanted:
        proof = get(url, token, f"/v1/audit/proof/inclusion?sequence={sequence}&tree_size={n}")
        leaf = leaves[sequence - 1]
        path = [decoded(p, 32, "an audit_path element") for p in proof["audit_path"]]
        echoed = (proof["sequence"], proof["leaf_index"], proof["tree_size"]) == (sequence, sequence - 1, n)
        same = decoded(proof["leaf_hash"], 32, "leaf_hash") == leaf
        holds = verify_inclusion(sequence - 1, n, leaf, path, new["root"])
        checks(echoed and same and holds,
               f"inclusion of record {sequence} in {n} ({len(path)} hashes, RFC 9162 2.1.3.2)",
               "sequence, leaf_index or tree_size not as asked" if not echoed
               else "leaf_hash is not SHA-256(0x00 || hash)" if not same else "the path does not lead to the root")

    bad_queries = [
        f"/v1/audit/proof/inclusion?sequence={n + 1}&tree_size={n}",
        f"/v1/audit/proof/inclusion?sequence=1&tree_size={len(again) + 1000000}",
        f"/v1/audit/proof/consistency?first={n}&second={m}",
        f"/v1/audit/proof/inclusion?sequence=one&tree_size={n}",
    ]
    for query in bad_queries:
        status, kind, body = call(url, token, query)
        checks(status in (400, 422) and kind.startswith("application/problem+json") and isinstance(body, dict),
               f"GET {query} is refused with a problem", f"{status} {kind}")


def run_server(binary, checks):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from check_openapi import sign_in, start_server

    with tempfile.TemporaryDirectory(prefix="cordon-audit-") as folder:
        keys = Path(folder) / "keys"
        try:
            process, url, password, log = start_server(binary, folder, ["--keys", str(keys)])
        except RuntimeError as error:
            checks(False, "the demo server starts", str(error))
            return
        try:
            live(url, sign_in(url, password), keys, checks)
        except Exception as error:  # a Stop, or an unexpected answer: named on one line
            checks(False, "the live checks could not go on", str(error) if isinstance(error, Stop)
                   else f"{type(error).__name__}: {error}")
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except Exception:
                process.kill()
                process.wait()
        errors = [line for line in log if "unexpected error" in line or "store error" in line]
        checks(not errors, "the server logged no unexpected or store errors", errors[0].strip() if errors else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", type=Path, nargs="?", help="the built cordon executable")
    parser.add_argument("--self-test", action="store_true", help="check only this file's Merkle and Ed25519 code")
    arguments = parser.parse_args()
    if not arguments.self_test and arguments.binary is None:
        parser.error("give the cordon executable, or --self-test")

    checks = Checks()
    if self_test(checks) and not arguments.self_test:
        run_server(arguments.binary.resolve(), checks)
    elif not arguments.self_test:
        checks(False, "the live checks", "skipped: the self-test failed, so their results would mean nothing")
    print(f"check_audit_log: {checks.failures} checks failed" if checks.failures else "check_audit_log: all passed")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
