#!/usr/bin/env bash
# Time-based fuzzing of every parser with the proptest harness, the `fuzz` module of the test binary
# (tests/cli/fuzz/; cargo-fuzz needs a nightly toolchain; this runs on stable). The harness's
# properties are grouped into one target per parser; each target's properties are run over and
# over, each repetition with fresh random cases (proptest seeds itself randomly), until MINUTES have
# passed for that target.
#
# Usage, from anywhere in the repository:
#   bash fuzz/proptest.sh                          every target, 10 minutes each
#   MINUTES=1 bash fuzz/proptest.sh workload flags only the targets named, 1 minute each
#   bash fuzz/proptest.sh --list                   the targets and their properties
# On a shared machine: nice -n 19 bash fuzz/proptest.sh
# (fuzz/run.sh is the coverage-guided cargo-fuzz driver; this is the stable-toolchain proptest one.)
#
# Environment:
#   MINUTES      minutes of fuzzing per target, a decimal (default 10): CPU time of the test
#                process (user + system), so time it spends waiting for a CPU (it runs beside
#                other work, and under nice) or stopped does not count
#   BATCH        PROPTEST_CASES of a target's first repetition (default 128); later repetitions
#                are sized from the measured speed to last about REP_SECONDS, and the last one
#                to end on time
#   REP_SECONDS  how long a repetition should last (default 60)
#   FUZZ_HANG_SECONDS  how long one Terraform case may run before it is reported as a hang (60)
#
# The test binary is built once (`cargo test --release --test cli --no-run`) and a copy of it is
# run directly (`cli --exact fuzz::...::NAME... --test-threads=1`, what `cargo test --release --test
# cli -- --exact fuzz::...::NAME... --test-threads=1` runs), so the whole run fuzzes one build even
# if the sources change meanwhile. The plain tests of the harness (its checks, regressions) run once
# first. A failure stops the run with a non-zero exit and proptest's output, the minimal failing
# input included (proptest also saves it to tests/proptest-regressions/fuzz/FILE.txt and replays it
# first on later runs); make it a plain regression test in tests/cli/fuzz/regressions.rs. At the
# end, one line per target: its minutes (CPU) and wall-clock minutes, repetitions, cases (generated
# inputs, summed over its properties) and result.
set -euo pipefail
export LC_ALL=C # one sort order for comm, and `.` in decimals
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MINUTES="${MINUTES:-10}"
BATCH="${BATCH:-128}"
REP_SECONDS="${REP_SECONDS:-60}"

# The targets, in run order, and their properties: test names of tests/cli/fuzz/ (the last part of
# the path, unique within the harness). The run stops before fuzzing if a name here is not in the
# harness, or a property of the harness is in no target.
ORDER=(flags task-definition workload rate-table report price-list terraform-plan batch services cloudformation)
declare -A TARGETS=(
    [flags]="parse_decimal_never_panics
             estimate_with_hostile_flags_keeps_the_contract
             compare_with_hostile_flags_keeps_the_contract
             any_argument_list_keeps_the_contract"
    [task-definition]="task_definition_parse_never_panics
                       mutated_task_definitions_never_panic
                       mutated_task_definitions_through_the_cli"
    [workload]="workload_parse_never_panics
                mutated_workloads_never_panic
                mutated_workloads_through_the_cli
                totals_are_exact_sums_and_numbers_are_plain_decimals
                doubling_every_count_doubles_every_per_hour_line"
    [rate-table]="rate_table_parse_never_panics
                  mutated_rate_tables_never_panic
                  mutated_rate_tables_through_the_cli"
    [report]="report_parse_never_panics
              mutated_reports_never_panic
              mutated_reports_through_diff"
    [price-list]="read_price_list_never_panics
                  mutated_price_lists_never_panic
                  mutated_price_lists_through_import"
    [terraform-plan]="terraform_plan_parse_never_panics
                      usage_file_parse_never_panics
                      mutated_plans_never_panic
                      mutated_usage_files_never_panic
                      generated_plans_never_panic
                      mutated_plans_through_the_cli
                      mutated_usage_files_through_the_cli
                      generated_plans_through_the_cli"
    [batch]="mutated_batches_through_the_cli
             arbitrary_batches_through_the_cli"
    [services]="services_parse_never_panics
                mutated_services_never_panic"
    [cloudformation]="cloudformation_parse_never_panics
                      mutated_templates_never_panic"
)

die() {
    echo "fuzz/proptest.sh: $*" >&2
    exit 2
}

if [ "${1:-}" = "--list" ]; then
    for target in "${ORDER[@]}"; do
        echo "$target:" ${TARGETS[$target]}
    done
    exit 0
fi

selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${ORDER[@]}")
for target in "${selected[@]}"; do
    [ -n "${TARGETS[$target]+set}" ] || die "no target '$target' (targets: ${ORDER[*]})"
done
awk -v m="$MINUTES" 'BEGIN { exit !(m > 0) }' || die "MINUTES must be a number above 0, got '$MINUTES'"
[[ "$BATCH" =~ ^[1-9][0-9]*$ ]] || die "BATCH must be a whole number of 1 or more, got '$BATCH'"

echo "== building the test binary tests/cli (release)" >&2
bin=$(cargo test --release --test cli --no-run --message-format=json |
    grep -o '"executable":"[^"]*/cli-[^"]*"' | tail -n 1 | sed 's/^"executable":"//; s/"$//')
[ -n "$bin" ] && [ -x "$bin" ] || die "could not find the built test binary of tests/cli"
# A private copy: a later build cannot replace it under the run, nor the run stop a build.
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-run.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$bin" "$work/cli"
echo "== test binary: $bin (run from a copy in $work)" >&2
bin="$work/cli"

# Keep this script and the harness in sync: properties take arguments (`fn name(x in ...)`), the
# plain tests (`fn name()`) do not. The binary names a test by its path (`fuzz::laws::NAME`).
paths=$("$bin" --list 2>/dev/null | sed -n 's/: test$//p' | grep '^fuzz::' | sort)
listed=$(echo "$paths" | sed 's/.*:://' | sort)
twice=$(echo "$listed" | uniq -d)
[ -z "$twice" ] || die "tests of tests/cli/fuzz/ share a name:" $twice
plain=$(cat tests/cli/fuzz/*.rs | grep -ozP '#\[test\]\s*(#\[[^\]]*\]\s*)*fn \w+\(\)' | tr '\0' '\n' |
    sed -n 's/^fn \([a-z0-9_]*\)().*/\1/p' | sort)
properties=$(comm -23 <(echo "$listed") <(echo "$plain"))
assigned=$(for target in "${ORDER[@]}"; do printf '%s\n' ${TARGETS[$target]}; done | sort)
missing=$(comm -13 <(echo "$listed") <(echo "$assigned"))
[ -z "$missing" ] || die "tests/cli/fuzz/ has no test named:" $missing "(update TARGETS in fuzz/proptest.sh)"
unassigned=$(comm -23 <(echo "$properties") <(echo "$assigned"))
[ -z "$unassigned" ] || die "properties of tests/cli/fuzz/ in no target:" $unassigned "(add them to TARGETS in fuzz/proptest.sh)"

# path NAME...: the full test paths of the harness tests NAME....
path() {
    local name
    for name in "$@"; do
        echo "$paths" | grep -x "fuzz::.*::$name"
    done
}

log="$work/log"

# run CASES NAME...: the named tests with PROPTEST_CASES=CASES, leaving the CPU seconds they took
# (user + system) in $cpu; on failure, prints their output and returns 1.
run() {
    local cases=$1 status=0 ran TIMEFORMAT='%U %S'
    shift
    { time PROPTEST_CASES="$cases" "$bin" --exact "$@" --test-threads=1 >"$log" 2>&1; } 2>"$work/time" ||
        status=$?
    cpu=$(awk '{ print $1 + $2 }' "$work/time")
    if [ "$status" -ne 0 ]; then
        cat "$log"
        return 1
    fi
    ran=$(sed -n 's/^running \([0-9]*\) tests\{0,1\}$/\1/p' "$log" | head -n 1)
    [ "$ran" = "$#" ] || { cat "$log"; die "expected to run $# tests, ran ${ran:-none}"; }
}

now() { date +%s; }

if [ -n "$plain" ]; then
    echo "== plain tests, once:" $plain >&2
    # shellcheck disable=SC2086 # one name per word
    run 1 $(path $plain) || { echo "fuzz/proptest.sh: a plain test of tests/cli/fuzz/ failed" >&2; exit 1; }
fi

summary=()
line() { printf '%-16s %7s %7s %11s %13s  %s' "$@"; }
header=$(line target minutes wall repetitions cases result)
result=ok

for target in "${selected[@]}"; do
    # shellcheck disable=SC2207 # one name per word
    names=($(path ${TARGETS[$target]}))
    budget=$(awk -v m="$MINUTES" 'BEGIN { print m * 60 }')
    start=$(now)
    reps=0 total=0 cases=$BATCH spent=0
    echo "== $target: ${#names[@]} properties for $MINUTES minute(s) of CPU time" >&2
    while awk -v s="$spent" -v b="$budget" 'BEGIN { exit !(s < b) }'; do
        run "$cases" "${names[@]}" || result=FAILED
        reps=$((reps + 1))
        total=$((total + cases * ${#names[@]}))
        spent=$(awk -v s="$spent" -v c="$cpu" 'BEGIN { print s + c }')
        [ "$result" = ok ] || break
        echo "   repetition $reps: $cases cases of each property in $cpu s" >&2
        # The next repetition: about REP_SECONDS long, and no longer than the time left.
        cases=$(awk -v c="$cases" -v t="$cpu" -v r="$REP_SECONDS" -v left="$(awk -v s="$spent" -v b="$budget" 'BEGIN { print b - s }')" '
            BEGIN {
                per = (t > 0.05 ? t : 0.05) / c
                want = (left < r ? left : r)
                n = int(want / per)
                if (n > 4 * c) n = 4 * c
                if (n < 1) n = 1
                print n
            }')
    done
    minutes=$(awk -v s="$spent" 'BEGIN { printf "%.1f", s / 60 }')
    wall=$(awk -v s="$start" -v n="$(now)" 'BEGIN { printf "%.1f", (n - s) / 60 }')
    summary+=("$(line "$target" "$minutes" "$wall" "$reps" "$total" "$result")")
    echo "$header" >&2
    echo "${summary[-1]}" >&2
    if [ "$result" != ok ]; then
        echo "fuzz/proptest.sh: $target failed; proptest's output is above" >&2
        break
    fi
done

echo
echo "$header"
printf '%s\n' "${summary[@]}"
[ "$result" = ok ]
