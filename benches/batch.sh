#!/usr/bin/env bash
# `cost estimate --batch` on LINES (default 1,000,000) task lines, whole process, against the
# Python decimal-module script benches/batch_python.py on the same file; then the in-process
# comparison with the serde_json parse-only floor (cargo bench --bench batch).
#
# Usage, from the repository root:  bash benches/batch.sh         (LINES=100000 for a quick run)
set -euo pipefail
LINES="${LINES:-1000000}"
OUT="${OUT:-/tmp/cost-batch-bench}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p "$OUT"
file="$OUT/tasks.jsonl"
python3 - "$file" "$LINES" <<'PY'
import sys
shapes = [
    '{"vcpu": 1, "memory": 2}',
    '{"name": "worker", "vcpu": 0.5, "memory": 1, "count": 3, "spot": true}',
    '{"vcpu": 2, "memory": 4, "arch": "arm64", "hours": 100}',
    '{"vcpu": 4, "memory": 8, "minutes": 45, "runs": 30, "ephemeral_storage": 100}',
    '{"vcpu": 1, "memory": 2, "os": "windows", "count": 2, "hours": 12}',
    '{"vcpu": 0.25, "memory": 0.5, "data_transfer": 20000}',
    '{"vcpu": 1, "memory": 1.5, "round_up": true, "count": 10}',
    '{"platform": "eks", "vcpu": 0.5, "memory": 1, "count": 4}',
]
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write(shapes[i % len(shapes)] + "\n")
PY
cargo build --release --quiet --bin cost
time_of() {  # time_of N CMD...: the median wall seconds of N runs of CMD, output discarded
    local runs=$1 start end times=()
    shift
    for _ in $(seq "$runs"); do
        start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N)
        times+=("$start $end")
    done
    printf '%s\n' "${times[@]}" | python3 -c "
import statistics, sys
print(f'{statistics.median(float(e) - float(s) for s, e in (l.split() for l in sys.stdin)):.3f}')"
}
# ROUNDS rounds (default 3), each timing cost (the median of 3 runs) and then the script once
# (about 15 s): this 2-vCPU machine's speed drifts by tens of percent over minutes, so each round
# compares the two at nearly the same time, and the median round is the figure.
rounds=()
for round in $(seq "${ROUNDS:-3}"); do
    cost_s=$(time_of 3 target/release/cost estimate --batch "$file" --no-stale-warning)
    py_s=$(time_of 1 python3 benches/batch_python.py "$file")
    rounds+=("$cost_s $py_s")
    echo "round $round: cost ${cost_s} s, python ${py_s} s" >&2
done
printf '%s\n' "${rounds[@]}" | python3 -c "
import statistics, sys
n = $LINES
rounds = [tuple(map(float, l.split())) for l in sys.stdin]
ratios = [p / c for c, p in rounds]
c, p = min(rounds, key=lambda r: abs(r[1] / r[0] - statistics.median(ratios)))
print(f'cost estimate --batch   {c:8.3f} s  {n / c:12,.0f} tasks/s')
print(f'python decimal script   {p:8.3f} s  {n / p:12,.0f} tasks/s')
print('ratio per round: ' + ', '.join(f'{r:.1f}x' for r in ratios))
print(f'cost is {statistics.median(ratios):.1f}x the Python script\'s throughput (median round)')"
LINES="$LINES" cargo bench --quiet --bench batch 2>/dev/null | tail -6
