#!/usr/bin/env bash
# Replays every fuzz target once over its committed inputs, on the stable toolchain: a cheap check
# for CI that the seeds (fuzz/seeds/TARGET), the inputs that gave new coverage in the last real
# fuzzing run (fuzz/coverage/TARGET.tar.gz, minimised with `cargo fuzz cmin`) and the minimised
# crashes kept as regressions (fuzz/regressions/TARGET) still pass every target's checks. No
# fuzzing, so no nightly and no cargo-fuzz: libfuzzer-sys builds on stable, the binaries just have
# no coverage instrumentation, and given files (not folders) libFuzzer runs each of them once.
#
# Usage, from anywhere in the repository (it runs from the repository's root):
#   bash fuzz/replay.sh                    every target
#   bash fuzz/replay.sh workload batch     only the targets named
# It fails (exit 1) on the first input that crashes a target, and prints that input's path and
# the panic; replay it alone with `fuzz/target/debug/TARGET PATH`, or fuzz it with fuzz/run.sh.
#
# The build is `cargo build --manifest-path fuzz/Cargo.toml --locked --bins` (the debug profile:
# quicker to build than release, overflow checks on like fuzz/run.sh's `-a`), in fuzz/target
# (or $CARGO_TARGET_DIR).
# Needs a C++ compiler (libfuzzer-sys compiles libFuzzer).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TARGETS=(flags task_definition workload rate_table report price_list terraform_plan batch cloudformation services)

selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${TARGETS[@]}")
for target in "${selected[@]}"; do
    [[ " ${TARGETS[*]} " == *" $target "* ]] || {
        echo "fuzz/replay.sh: no target '$target' (targets: ${TARGETS[*]})" >&2
        exit 2
    }
done

start=$(date +%s)
cargo build --manifest-path fuzz/Cargo.toml --locked --bins
built=$(date +%s)
bin="${CARGO_TARGET_DIR:-fuzz/target}/debug"

# The files a command must be given by name (fuzz/src/lib.rs, `scratch`), removed at the end.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/cost-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export COST_FUZZ_SCRATCH="$scratch"

total=0
for target in "${selected[@]}"; do
    coverage="$scratch/coverage"
    mkdir -p "$coverage"
    if [ -f "fuzz/coverage/$target.tar.gz" ]; then
        tar -xzf "fuzz/coverage/$target.tar.gz" -C "$coverage"
    fi
    mapfile -t inputs < <(find "fuzz/seeds/$target" "$coverage/$target" "fuzz/regressions/$target" -type f 2>/dev/null | sort)
    [ ${#inputs[@]} -gt 0 ] || { echo "fuzz/replay.sh: $target has no seeds" >&2; exit 1; }
    log="$scratch/$target.log"
    if ! "$bin/$target" -timeout=10 -rss_limit_mb=2048 "${inputs[@]}" >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        failed=$(grep '^Running: ' "$log" | tail -n 1 | sed 's/^Running: //')
        echo "fuzz/replay.sh: $target failed on ${failed:-an input (see above)}" >&2
        exit 1
    fi
    ran=$(grep -c '^Executed ' "$log" || true)
    [ "$ran" -eq ${#inputs[@]} ] || { cat "$log" >&2; echo "fuzz/replay.sh: $target ran $ran of ${#inputs[@]} inputs" >&2; exit 1; }
    echo "$target: ${#inputs[@]} inputs ok"
    total=$((total + ran))
done
end=$(date +%s)
echo "replayed $total inputs over ${#selected[@]} target(s): build $((built - start)) s, replay $((end - built)) s"
