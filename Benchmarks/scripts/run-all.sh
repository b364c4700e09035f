#!/bin/sh
# Reproduces docs/PERFORMANCE.md: Cordon and its peers on the name benchmark, and the synthetic
# 100,000-entry performance run. Usage (from the repository root):
#   Benchmarks/scripts/run-all.sh [BENCH_DIR] [OUT_DIR]
set -eu
BENCH=${1:-../shared/bench/names}
OUT=${2:-/tmp/cordon-bench}
mkdir -p "$OUT"
swift build -c release --package-path Benchmarks --scratch-path .build-bench
B=.build-bench/release/cordon-match-bench

# 1. The public name benchmark: Cordon, nomenklatura logic-v2 and rapidfuzz, one after the other.
$B batch --list "$BENCH/watchlist.jsonl" --queries "$BENCH/queries.jsonl" > "$OUT/cordon.jsonl" 2> "$OUT/cordon.timing"
python3 "$BENCH/baselines.py" nomenklatura --out "$OUT/nomenklatura.jsonl"
python3 "$BENCH/baselines.py" rapidfuzz --out "$OUT/rapidfuzz.jsonl"
python3 Benchmarks/scripts/compare.py "$BENCH" cordon="$OUT/cordon.jsonl@0.95" \
    nomenklatura="$OUT/nomenklatura.jsonl@0.85" nomenklatura-0.70="$OUT/nomenklatura.jsonl@0.7" \
    rapidfuzz="$OUT/rapidfuzz.jsonl@0.9" | tee "$OUT/quality.md"
tail -n 1 "$OUT/cordon.timing"

# 2. Synthetic 100,000 entries (own generator): build, memory, latency, updates.
$B perf --entries 100000 --queries 5000 | tee "$OUT/perf.json"

# 3. Queries per second against rapidfuzz brute force on the same synthetic list.
$B synth --entries 100000 --out "$OUT/synth.jsonl" --queries 500 --queries-out "$OUT/synth-queries.jsonl"
$B batch --list "$OUT/synth.jsonl" --queries "$OUT/synth-queries.jsonl" > "$OUT/cordon-synth.jsonl" 2> "$OUT/cordon-synth.timing"
tail -n 1 "$OUT/cordon-synth.timing"
python3 "$BENCH/baselines.py" rapidfuzz --watchlist "$OUT/synth.jsonl" --queries "$OUT/synth-queries.jsonl" \
    --out "$OUT/rapidfuzz-synth.jsonl"
