#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser of `cost` with libFuzzer, through cargo-fuzz (nightly).
# Each target (fuzz/fuzz_targets/<target>.rs) feeds the fuzzer's bytes to one parser of the library
# and to the CLI run in process, and checks the CLI's contract (fuzz/src/lib.rs). The targets run
# one after another, each for MINUTES, single process, single job.
#
# Usage, from anywhere in the repository (it runs from the repository's root):
#   MINUTES=10 bash fuzz/run.sh                     every target, 10 minutes each
#   MINUTES=1 bash fuzz/run.sh workload batch       only the targets named, 1 minute each
#   bash fuzz/run.sh --list                         the targets
# On a shared machine: nice -n 19 bash fuzz/run.sh
#
# Needs: a nightly toolchain (`rustup toolchain install nightly`) and cargo-fuzz
# (`cargo install cargo-fuzz`). Replaying the seeds needs neither: bash fuzz/replay.sh.
#
# For each target this runs
#   cargo +nightly fuzz run -s none -a TARGET fuzz/corpus/TARGET fuzz/seeds/TARGET -- \
#       -max_total_time=SECONDS -dict=fuzz/dict/TARGET.dict -timeout=10 -rss_limit_mb=2048 ...
# New inputs go to fuzz/corpus/TARGET (made if missing, kept between runs, git-ignored); the
# committed seeds in fuzz/seeds/TARGET are only read. `-s none`: no sanitizer (the code is safe
# Rust; coverage guidance stays on); `-a`: debug assertions and overflow checks on. A unit slower
# than 10 s is a hang and one past 2 GiB of memory is out of memory: both fail like a crash.
# cargo-fuzz rebuilds a target first if the sources changed.
#
# The run stops at the first failure (crash, panic, broken contract, hang, out of memory): the
# failing input is in fuzz/artifacts/TARGET/, and cargo-fuzz prints how to reproduce and minimise
# it (`cargo +nightly fuzz run -s none -a TARGET fuzz/artifacts/TARGET/crash-...`, `cargo +nightly
# fuzz tmin -s none -a TARGET fuzz/artifacts/TARGET/crash-...`). Keep the minimised reproducer in
# fuzz/regressions/TARGET/, where fuzz/replay.sh replays it. Each target's libFuzzer output is in
# fuzz/target/fuzz-logs/TARGET.log.
#
# At the end, one line per target: minutes (of fuzzing, wall clock), executions, executions per second, the
# final coverage (`cov:` edges and `ft:` features), the corpus (the inputs libFuzzer kept, seeds
# included), the files in fuzz/corpus/TARGET, the slowest unit (seconds) and the peak memory
# (MiB), and the result.
#
# Environment:
#   MINUTES     minutes of fuzzing per target, a decimal (default 10); wall-clock time
#   FUZZ_ARGS   more libFuzzer flags, appended (e.g. "-max_len=65536")
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TARGETS=(flags task_definition workload rate_table report price_list terraform_plan batch cloudformation services)
MINUTES="${MINUTES:-10}"

die() {
    echo "fuzz/run.sh: $*" >&2
    exit 2
}

if [ "${1:-}" = "--list" ]; then
    printf '%s\n' "${TARGETS[@]}"
    exit 0
fi

selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${TARGETS[@]}")
for target in "${selected[@]}"; do
    [[ " ${TARGETS[*]} " == *" $target "* ]] || die "no target '$target' (targets: ${TARGETS[*]})"
done
awk -v m="$MINUTES" 'BEGIN { exit !(m > 0) }' || die "MINUTES must be a number above 0, got '$MINUTES'"
seconds=$(awk -v m="$MINUTES" 'BEGIN { s = int(m * 60 + 0.5); print (s < 1 ? 1 : s) }')
cargo +nightly fuzz --version >/dev/null 2>&1 ||
    die "needs cargo-fuzz and a nightly toolchain (rustup toolchain install nightly; cargo install cargo-fuzz)"

# The files a command must be given by name (fuzz/src/lib.rs, `scratch`), removed at the end.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/cost-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export COST_FUZZ_SCRATCH="$scratch"

flags=(-s none -a)
logs=fuzz/target/fuzz-logs
mkdir -p "$logs"
echo "== building the fuzz targets (nightly, release, debug assertions)" >&2
cargo +nightly fuzz build "${flags[@]}" >&2 || die "the build failed"

line() { printf '%-15s %7s %11s %7s %6s %7s %7s %6s %7s %6s  %s\n' "$@"; }
header=$(line target minutes execs exec/s cov ft corpus files slowest rss result)
summary=()
status=0

for target in "${selected[@]}"; do
    corpus=fuzz/corpus/$target
    mkdir -p "$corpus"
    # A fresh checkout starts from the inputs of the last run (fuzz/coverage/TARGET.tar.gz).
    if [ -z "$(ls -A "$corpus")" ] && [ -f "fuzz/coverage/$target.tar.gz" ]; then
        tar -xzf "fuzz/coverage/$target.tar.gz" -C "$(dirname "$corpus")"
    fi
    log=$logs/$target.log
    echo "== $target: $MINUTES minute(s); log: $log" >&2
    start=$(date +%s)
    result=ok
    # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
    timeout --signal=INT --kill-after=60 $((seconds + 900)) \
        cargo +nightly fuzz run "${flags[@]}" "$target" "$corpus" "fuzz/seeds/$target" -- \
        -max_total_time="$seconds" -dict="fuzz/dict/$target.dict" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 ${FUZZ_ARGS:-} >"$log" 2>&1 || result=FAILED
    # Minutes of fuzzing as libFuzzer counts them (`Done N runs in S second(s)`), else the wall
    # clock since the start (a build included).
    fuzzed=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
    wall=$(awk -v s="$start" -v n="$(date +%s)" -v f="$fuzzed" 'BEGIN { printf "%.1f", (f != "" ? f : n - s) / 60 }')
    # The last status line (`#N DONE cov: C ft: F corp: K/SIZE ...`) and the final stats.
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    field() { sed -n "s/.* $1: \([^ ]*\).*/\1/p" <<<"$last"; }
    stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -n 1; }
    execs=$(stat number_of_executed_units)
    [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")
    speed=$(stat average_exec_per_sec)
    if [ "$result" != ok ]; then
        kind=$(grep -oE 'ERROR: libFuzzer: [a-z-]+|panicked at [^:]+:[0-9]+' "$log" | head -n 1 || true)
        artifact=$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -n 1 | sed 's/^Test unit written to //' || true)
        result="FAILED${kind:+ ($kind)}${artifact:+ $artifact}"
        if [ -z "$artifact" ] && grep -q 'could not compile' "$log"; then
            result="FAILED (build)"
        fi
        status=1
    fi
    files=$(find "$corpus" -type f | wc -l)
    corp=$(field corp | cut -d/ -f1)
    summary+=("$(line "$target" "$wall" "${execs:-?}" "${speed:-?}" "$(field cov)" "$(field ft)" "${corp:-?}" "$files" "$(stat slowest_unit_time_sec)s" "$(stat peak_rss_mb)M" "$result")")
    echo "$header" >&2
    echo "${summary[-1]}" >&2
    if [ "$status" -ne 0 ]; then
        tail -n 60 "$log" >&2
        echo "fuzz/run.sh: $target failed; libFuzzer's output is in $log" >&2
        break
    fi
done

echo
echo "$header"
printf '%s\n' "${summary[@]}"
exit "$status"
