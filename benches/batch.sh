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
time_of() {  # prints the wall seconds of the command, output discarded
    local start end
    start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.3f}')"
}
cost_s=$(time_of target/release/cost estimate --batch "$file" --no-stale-warning)
py_s=$(time_of python3 benches/batch_python.py "$file")
python3 - "$LINES" "$cost_s" "$py_s" <<'PY'
import sys
n, c, p = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"cost estimate --batch   {c:8.3f} s  {n / c:12,.0f} tasks/s")
print(f"python decimal script   {p:8.3f} s  {n / p:12,.0f} tasks/s")
print(f"cost is {p / c:.1f}x the Python script's throughput")
PY
LINES="$LINES" cargo bench --quiet --bench batch 2>/dev/null | tail -4
