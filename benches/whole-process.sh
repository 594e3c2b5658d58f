#!/usr/bin/env bash
# Whole-process wall time of one `cost estimate`, against a hello-world Rust binary as the floor
# (process start-up, dynamic loading, Rust runtime set-up and exit, with no work).
#
# Usage, from the repository root:  bash benches/whole-process.sh
# Knobs (environment): RUNS (default 50), WARMUP (default 10), ROUNDS (default 3: hyperfine runs
# all of one command before the other, so the pair is measured ROUNDS times and each round's
# ratio printed, against the machine's drift), OUT (default /tmp/cost-whole-process, where
# hyperfine's JSON and the `time -v` output are kept).
#
# Both binaries are measured as installed: copied, as `cargo install` does, not run where the
# linker wrote them. The page cache holds a file the linker wrote in small pieces, and loading it
# takes more page faults (about 170 against 150 for `cost` here) and 0.1-0.15 ms more.
#
# Needs cargo, rustc, python3 (to read hyperfine's JSON) and hyperfine; if hyperfine is missing
# it is installed with apt-get (nothing else is ever downloaded). Peak RSS comes from GNU time
# (/usr/bin/time) when it is installed.
set -euo pipefail

RUNS="${RUNS:-50}"
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-10}"
OUT="${OUT:-/tmp/cost-whole-process}"
ARGS=(estimate --vcpu 1 --memory 2)

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v hyperfine >/dev/null; then
    echo "hyperfine is missing; installing it with apt-get" >&2
    if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" apt-get update
    "${sudo[@]}" apt-get install -y hyperfine
fi

echo "== building cost (release)" >&2
cargo build --release --quiet --bin cost
built="${CARGO_TARGET_DIR:-target}/release/cost"
[ -x "$built" ] || { echo "no binary at $built" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cost="$work/cost"
install -m 755 "$built" "$cost"
echo "== building the hello-world reference in $work" >&2
cat >"$work/hello.rs" <<'EOF'
fn main() {
    println!("hello, world");
}
EOF
rustc -O -o "$work/hello.built" "$work/hello.rs"
hello="$work/hello"
install -m 755 "$work/hello.built" "$hello"

# Fail early, with the error, if the estimate does not succeed.
"$cost" "${ARGS[@]}" >/dev/null

mkdir -p "$OUT"
cost_cmd="$cost ${ARGS[*]}"
for round in $(seq "$ROUNDS"); do
    json="$OUT/hyperfine-$round.json"
    echo "== round $round of $ROUNDS: hyperfine, $WARMUP warm-up runs, $RUNS measured runs each, no shell (-N)" >&2
    hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" \
        -n cost "$cost_cmd" -n hello "$hello" >&2
done

echo
echo "== summary (ms; from $OUT/hyperfine-*.json)"
python3 - "$OUT" "$ROUNDS" <<'EOF'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
ratios = []
for round in range(1, rounds + 1):
    results = {r["command"]: r for r in json.load(open(f"{out}/hyperfine-{round}.json"))["results"]}
    for name, r in results.items():
        print(f"round {round} {name:6} median {r['median']*1e3:7.3f}  mean {r['mean']*1e3:7.3f} ± {r['stddev']*1e3:6.3f}"
              f"  min {r['min']*1e3:7.3f}  user {r['user']*1e3:6.3f}  sys {r['system']*1e3:6.3f}")
    c, h = results["cost"], results["hello"]
    ratios.append(c["median"] / h["median"])
    print(f"round {round} ratio cost/hello: median {ratios[-1]:.2f}x; cost over hello: median"
          f" {(c['median']-h['median'])*1e3:+.3f} ms")
print(f"ratio of the medians, per round: {', '.join(f'{r:.2f}x' for r in ratios)};"
      f" median of the rounds {statistics.median(ratios):.2f}x")
EOF

echo
if [ -x /usr/bin/time ]; then
    for name in cost hello; do
        if [ "$name" = cost ]; then cmd=("$cost" "${ARGS[@]}"); else cmd=("$hello"); fi
        /usr/bin/time -v -o "$OUT/time-v-$name.txt" "${cmd[@]}" >/dev/null
        rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/time-v-$name.txt")"
        echo "peak RSS $name: $rss KiB (full output: $OUT/time-v-$name.txt)"
    done
else
    echo "peak RSS: skipped, GNU time (/usr/bin/time) is not installed"
fi
echo "binary size: $(stat -c %s "$built") bytes ($built)"
