#!/usr/bin/env bash
# Scale: every reader is linear in its input, and memory is bounded by the largest single item.
# Whole-process measurements of the real binary on generated inputs:
#
# - `cost estimate --workload` on a workload of ENTRIES `[[service]]` entries (default 100,000);
# - `cost estimate --terraform-plan` on a plan of SERVICES services (default 10,000), each with its
#   own task definition, ten to a cluster; half of the clusters place their services through an
#   `aws_ecs_cluster_capacity_providers` default strategy (FARGATE base 1 weight 1, FARGATE_SPOT
#   weight 3), the other half's services say `launch_type = "FARGATE"`;
# - `cost estimate --cloudformation` on a YAML template of SERVICES services, each with its own task
#   definition (short-form tags, a parameter, a condition), ten to a cluster, half of the clusters
#   placing their services through a ClusterCapacityProviderAssociations default strategy;
#   each on one core (`taskset -c 0`), as JSON and as a table, the median wall time of RUNS runs
#   (default 3);
# - `cost estimate --batch -` fed through a pipe: LINES task lines (default 1,000,000), NEAR lines
#   just under the per-line cap of CAP bytes (default 64 lines of 1 MiB), and, with
#   `--keep-going`, LONG lines of LONG_MB MB each (default 6 of 200 MB) between short lines; the
#   wall time and the peak resident memory of each (GNU time's %M if /usr/bin/time is there, else
#   VmHWM polled from /proc);
# - `cost rates import` on a bulk offer file of PRODUCTS products (default 500,000) that all match
#   (100 instance types, each listed again and again under new SKUs): wall time and peak memory.
#
# Every run has a TIMEOUT (default 600 s): a quadratic build is reported as "> TIMEOUT s" instead
# of running for hours. COST=path measures that binary instead of building this tree's (for a
# before/after comparison: build the older commit elsewhere and pass its binary). PARTS (default
# "workload plan template batch import") chooses what is measured.
#
# Usage, from the repository root:  bash benches/scale.sh
# Needs cargo (unless COST is given), python3, taskset (util-linux) and, for exact peaks, GNU time
# (Debian package `time`). Files are written under
# ${OUT:-/tmp/cost-scale-bench}.
set -euo pipefail
ENTRIES="${ENTRIES:-100000}"
SERVICES="${SERVICES:-10000}"
RUNS="${RUNS:-3}"
LINES="${LINES:-1000000}"
NEAR="${NEAR:-64}"
CAP="${CAP:-1048576}"
LONG="${LONG:-6}"
LONG_MB="${LONG_MB:-200}"
PRODUCTS="${PRODUCTS:-500000}"
TIMEOUT="${TIMEOUT:-600}"
PARTS="${PARTS:-workload plan template batch import}"
OUT="${OUT:-/tmp/cost-scale-bench}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p "$OUT"

if [ -z "${COST:-}" ]; then
    echo "== building cost (release)" >&2
    cargo build --release --quiet --bin cost
    COST="${CARGO_TARGET_DIR:-target}/release/cost"
fi

echo "== generating inputs in $OUT" >&2
python3 - "$OUT" "$ENTRIES" "$SERVICES" "$PRODUCTS" <<'PY'
import json, sys
out, entries, services, products = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

shapes = [
    'vcpu = 1\nmemory = 2\ncount = 2\n',
    'vcpu = 0.5\nmemory = 1\narch = "arm64"\nhours = 100\n',
    'vcpu = 2\nmemory = 4\nspot = true\ncount = 3\n',
    'vcpu = 0.25\nmemory = 0.5\ndata_transfer = 10\n',
]
with open(f"{out}/workload.toml", "w") as f:
    f.write('region = "us-east-1"\n')
    for i in range(entries):
        f.write(f'\n[[service]]\nname = "svc-{i:06d}"\n{shapes[i % len(shapes)]}')

def resource(address, kind, name, values):
    return {"address": address, "mode": "managed", "type": kind, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
            "values": values, "sensitive_values": {}}

def config(kind, name, refs):
    expressions = {key: {"references": r} for key, r in refs.items()}
    return {"address": f"{kind}.{name}", "mode": "managed", "type": kind, "name": name,
            "provider_config_key": "aws", "expressions": expressions, "schema_version": 0}

planned, configured = [], []
sizes = [("256", "512"), ("512", "1024"), ("1024", "2048")]
for c in range((services + 9) // 10):
    planned.append(resource(f"aws_ecs_cluster.c{c}", "aws_ecs_cluster", f"c{c}", {"name": f"c{c}"}))
    configured.append(config("aws_ecs_cluster", f"c{c}", {}))
    if c % 2 == 0:
        strategy = [{"capacity_provider": "FARGATE", "base": 1, "weight": 1},
                    {"capacity_provider": "FARGATE_SPOT", "base": 0, "weight": 3}]
        planned.append(resource(f"aws_ecs_cluster_capacity_providers.cp{c}", "aws_ecs_cluster_capacity_providers",
                                f"cp{c}", {"cluster_name": f"c{c}", "capacity_providers": ["FARGATE", "FARGATE_SPOT"],
                                           "default_capacity_provider_strategy": strategy}))
        configured.append(config("aws_ecs_cluster_capacity_providers", f"cp{c}",
                                 {"cluster_name": [f"aws_ecs_cluster.c{c}.name", f"aws_ecs_cluster.c{c}"]}))
for i in range(services):
    c = i // 10
    values = {"name": f"s{i}", "desired_count": 1 + i % 3}
    if c % 2:
        values["launch_type"] = "FARGATE"
    planned.append(resource(f"aws_ecs_service.s{i}", "aws_ecs_service", f"s{i}", values))
    configured.append(config("aws_ecs_service", f"s{i}", {
        "task_definition": [f"aws_ecs_task_definition.t{i}.arn", f"aws_ecs_task_definition.t{i}"],
        "cluster": [f"aws_ecs_cluster.c{c}.id", f"aws_ecs_cluster.c{c}"]}))
    cpu, memory = sizes[i % len(sizes)]
    planned.append(resource(f"aws_ecs_task_definition.t{i}", "aws_ecs_task_definition", f"t{i}", {
        "family": f"t{i}", "cpu": cpu, "memory": memory, "requires_compatibilities": ["FARGATE"],
        "network_mode": "awsvpc", "container_definitions": '[{"name":"app","image":"nginx","essential":true}]'}))
    configured.append(config("aws_ecs_task_definition", f"t{i}", {}))
plan = {"format_version": "1.2", "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": planned}},
        "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}}},
                          "root_module": {"resources": configured}}}
with open(f"{out}/plan.json", "w") as f:
    json.dump(plan, f)

# The same services as a CloudFormation template, in YAML with short-form tags.
with open(f"{out}/template.yaml", "w") as f:
    f.write("Parameters:\n  Cpu: {Type: Number, Default: 256}\nConditions:\n  Big: !Equals [!Ref Cpu, 1024]\nResources:\n")
    for c in range(services // 10 + 1):
        f.write(f"  C{c}:\n    Type: AWS::ECS::Cluster\n")
        if c % 2 == 0:
            f.write(f"  P{c}:\n    Type: AWS::ECS::ClusterCapacityProviderAssociations\n    Properties:\n"
                    f"      Cluster: !Ref C{c}\n      CapacityProviders: [FARGATE, FARGATE_SPOT]\n"
                    "      DefaultCapacityProviderStrategy:\n        - {CapacityProvider: FARGATE, Base: 1, Weight: 1}\n"
                    "        - {CapacityProvider: FARGATE_SPOT, Weight: 3}\n")
    for i in range(services):
        c = i // 10
        launch = "" if c % 2 == 0 else "      LaunchType: FARGATE\n"
        f.write(f"  T{i}:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      Family: !Sub '${{AWS::StackName}}-t{i}'\n"
                "      Cpu: !If [Big, '1024', !Ref Cpu]\n      Memory: '512'\n      RequiresCompatibilities: [FARGATE]\n"
                f"      ContainerDefinitions:\n        - {{Name: app, Image: !ImportValue image{i}}}\n"
                f"  S{i}:\n    Type: AWS::ECS::Service\n    Properties:\n      Cluster: !Ref C{c}\n{launch}"
                f"      DesiredCount: {i % 5 + 1}\n      TaskDefinition: !Ref T{i}\n")

# A bulk AmazonEC2 offer file in which every product matches: 100 instance types, each listed
# under many SKUs (the later listing of a type is the one priced).
with open(f"{out}/offer.json", "w") as f:
    f.write('{"formatVersion":"v1.0","offerCode":"AmazonEC2","version":"20260301000000",'
            '"publicationDate":"2026-03-01T00:00:00Z","products":{')
    for i in range(products):
        attrs = {"regionCode": "us-east-1", "location": "US East (N. Virginia)", "instanceType": f"m{i % 100}.large",
                 "vcpu": "2", "memory": "8 GiB", "operatingSystem": "Linux", "tenancy": "Shared",
                 "preInstalledSw": "NA", "capacitystatus": "Used", "licenseModel": "No License required",
                 "physicalProcessor": "Intel Xeon Platinum 8175"}
        f.write(("," if i else "") + f'"SKU{i:012d}":' + json.dumps({"sku": f"SKU{i:012d}", "productFamily": "Compute Instance", "attributes": attrs}))
    f.write('},"terms":{"OnDemand":{')
    for i in range(products):
        sku = f"SKU{i:012d}"
        dims = {f"{sku}.D": {"beginRange": "0", "endRange": "Inf", "unit": "Hrs", "pricePerUnit": {"USD": f"0.{i % 900 + 100:04d}"}}}
        f.write(("," if i else "") + f'"{sku}":' + json.dumps({f"{sku}.T": {"effectiveDate": "2026-03-01T00:00:00Z", "priceDimensions": dims}}))
    f.write("}}}")
PY
ls -l "$OUT"/workload.toml "$OUT"/plan.json "$OUT"/template.yaml "$OUT"/offer.json >&2

python3 - "$COST" "$OUT" "$PARTS" "$RUNS" "$TIMEOUT" "$LINES" "$NEAR" "$CAP" "$LONG" "$LONG_MB" "$ENTRIES" "$SERVICES" "$PRODUCTS" <<'PY'
import os, statistics, subprocess, sys, threading, time
cost, out, parts = sys.argv[1], sys.argv[2], sys.argv[3].split()
runs, timeout, lines, near, cap, long_n, long_mb, entries, services, products = map(int, sys.argv[4:])
env = {k: v for k, v in os.environ.items() if k not in ("AWS_REGION", "AWS_DEFAULT_REGION")}
env["COST_NO_STALE_WARNING"] = "1"

gnu_time = os.access("/usr/bin/time", os.X_OK)
hwm = f"{out}/time.txt"

def peak_of(pid, seen):
    """Without GNU time: polls the peak resident memory (VmHWM, KiB) of `pid` until it ends."""
    while True:
        try:
            with open(f"/proc/{pid}/status") as f:
                line = next(l for l in f if l.startswith("VmHWM:"))
            seen[0] = max(seen[0], int(line.split()[1]))
        except (OSError, StopIteration):
            return
        time.sleep(0.005)

def run(args, feed=None):
    """Runs args; returns (wall seconds, peak RSS in MB, exit code, CPU seconds: user and system),
    or None after TIMEOUT seconds. The peak is GNU time's (%M: the child's own, not counting the
    memory it was forked with, as this script's wait4 would), else polled from /proc."""
    if gnu_time:
        args = ["/usr/bin/time", "-f", "%M", "-o", hwm] + args
    start = time.perf_counter()
    p = subprocess.Popen(args, stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True)
    killed, seen = [], [0]
    timer = threading.Timer(timeout, lambda: (killed.append(1), os.killpg(p.pid, 9)))
    timer.start()
    threads = [threading.Thread(target=lambda: p.stderr.read())]
    if not gnu_time:
        threads.append(threading.Thread(target=peak_of, args=(p.pid, seen)))
    if feed:
        def write():
            try:
                feed(p.stdin)
                p.stdin.close()
            except (BrokenPipeError, OSError):
                pass
        threads.append(threading.Thread(target=write))
    for t in threads:
        t.start()
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - start
    timer.cancel()
    for t in threads:
        t.join()
    if killed:
        return None
    if gnu_time:
        with open(hwm) as f:
            seen[0] = int(f.read().split()[-1])
    cpu = usage.ru_utime + usage.ru_stime
    return (seconds, seen[0] / 1024, os.waitstatus_to_exitcode(status), cpu)

def timed(name, args):
    results = []
    for _ in range(runs):
        r = run(["taskset", "-c", "0", cost] + args)
        if r is None:
            print(f"{name:44} > {timeout} s (timed out)", flush=True)
            return
        results.append(r)
    seconds = statistics.median(r[0] for r in results)
    cpu = statistics.median(r[3] for r in results)
    print(f"{name:44} {seconds:8.3f} s  median of {runs} (min {min(r[0] for r in results):.3f}, CPU {cpu:.3f})  "
          f"peak RSS {max(r[1] for r in results):6.1f} MB  exit {results[0][2]}", flush=True)

def batch(name, args, feed):
    r = run([cost, "estimate", "--batch", "-"] + args, feed)
    if r is None:
        print(f"{name:44} > {timeout} s (timed out)", flush=True)
    else:
        print(f"{name:44} {r[0]:8.3f} s  (CPU {r[3]:.3f})  peak RSS {r[1]:6.1f} MB  exit {r[2]}", flush=True)

for fmt in ("json", "table"):
    if "workload" in parts:
        timed(f"workload, {entries:,} entries, {fmt} (1 core)", ["estimate", "--workload", f"{out}/workload.toml", "--format", fmt])
    if "plan" in parts:
        timed(f"plan, {services:,} services, {fmt} (1 core)", ["estimate", "--terraform-plan", f"{out}/plan.json", "--format", fmt])
    if "template" in parts:
        timed(f"template, {services:,} services, {fmt} (1 core)", ["estimate", "--cloudformation", f"{out}/template.yaml", "--format", fmt])

short = b'{"vcpu": 1, "memory": 2, "count": 3, "minutes": 10, "runs": 30, "data_transfer": 5}\n'
def many(stream):
    block = short * 1000
    for _ in range(lines // 1000):
        stream.write(block)
if "batch" in parts:
    batch(f"batch, {lines:,} lines", [], many)

def padded(size):
    head = b'{"vcpu": 1, "memory": 2, "name": "'
    return head + b"x" * (size - len(head) - 2) + b'"}'
line = padded(cap - 16) + b"\n"
def near_cap(stream):
    for _ in range(near):
        stream.write(line)
if "batch" in parts:
    batch(f"batch, {near} lines of {len(line) - 1:,} bytes", [], near_cap)

piece = b"x" * (1 << 20)
def long_lines(stream):
    for _ in range(long_n):
        stream.write(short)
        stream.write(b'{"vcpu": 1, "memory": 2, "name": "')
        for _ in range(long_mb * 1000 * 1000 // len(piece)):
            stream.write(piece)
        stream.write(b'"}\n')
    stream.write(short)
if "batch" in parts:
    batch(f"batch --keep-going, {long_n} lines of {long_mb} MB", ["--keep-going"], long_lines)

if "import" in parts:
    timed(f"rates import, {products:,} matching products", ["rates", "import", f"{out}/offer.json", "--out", f"{out}/imported.toml"])
PY
