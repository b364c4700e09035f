#!/usr/bin/env python3
"""Markdown tables comparing results files scored by the benchmark's own score.py.

  python3 compare.py BENCH_DIR NAME=RESULTS.jsonl@THRESHOLD ...

Runs BENCH_DIR/score.py --json on each results file and prints, per matcher, recall@1, recall@10,
recall@threshold, precision@threshold and the false-alert rate, overall, by category and by script.
"""
import json
import subprocess
import sys
from pathlib import Path


def score(bench: Path, results: str, threshold: str) -> dict:
    out = subprocess.check_output(
        [sys.executable, str(bench / "score.py"), results, "--threshold", threshold, "--by", "category", "--by",
         "script", "--json"], text=True)
    return json.loads(out)


def fmt(v):
    return "–" if v is None else f"{v:.3f}"


def main() -> None:
    bench = Path(sys.argv[1])
    runs = []
    for arg in sys.argv[2:]:
        name, rest = arg.split("=", 1)
        path, threshold = rest.rsplit("@", 1)
        runs.append((name, threshold, score(bench, path, threshold)))
    print("| matcher | threshold | recall@1 | recall@10 | recall@thr | precision@thr | false-alert rate |")
    print("|---|---|---|---|---|---|---|")
    for name, t, s in runs:
        o = s["overall"]
        print(f"| {name} | {t} | {fmt(o['recall@1'])} | {fmt(o['recall@10'])} | {fmt(o['recall@threshold'])} "
              f"| {fmt(o['precision@threshold'])} | {fmt(o['fpr_negatives'])} |")
    for by in ("category", "script"):
        keys = sorted(runs[0][2][f"by_{by}"])
        print()
        print(f"| {by} | " + " | ".join(f"{name} r@1 / r@thr / FPR" for name, _, _ in runs) + " |")
        print("|---|" + "---|" * len(runs))
        for k in keys:
            cells = []
            for _, _, s in runs:
                m = s[f"by_{by}"][k]
                if m["positives"]:
                    cells.append(f"{fmt(m['recall@1'])} / {fmt(m['recall@threshold'])}")
                else:
                    cells.append(f"FPR {fmt(m['fpr_negatives'])}")
            n = runs[0][2][f"by_{by}"][k]["queries"]
            print(f"| {k} ({n}) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
