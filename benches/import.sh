#!/usr/bin/env bash
# `cost rates import` on a generated AmazonEC2-shaped bulk offer file (default 500 MB), against
# Python's json.load of the same file: wall time, MB/s and peak resident memory of each.
#
# Usage, from the repository root:  bash benches/import.sh        (SIZE_MB=100 for a quicker run)
# Needs cargo, python3 and GNU time (/usr/bin/time, Debian package `time`, installed with apt-get
# if missing). The file is written under ${OUT:-/tmp/cost-import-bench} and removed at the end
# unless KEEP=1.
set -euo pipefail
SIZE_MB="${SIZE_MB:-500}"
OUT="${OUT:-/tmp/cost-import-bench}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -x /usr/bin/time ]; then
    echo "GNU time is missing; installing it with apt-get" >&2
    if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" apt-get update && "${sudo[@]}" apt-get install -y time
fi
mkdir -p "$OUT"
file="$OUT/AmazonEC2-us-east-1.json"
echo "== generating a ${SIZE_MB} MB AmazonEC2-shaped offer file: $file" >&2
python3 - "$file" "$SIZE_MB" <<'PY'
import json, sys
path, size_mb = sys.argv[1], int(sys.argv[2])
target = size_mb * 1_000_000
families = ["m5", "c5", "r5", "t3", "m6g", "c6g", "r6g", "m7i", "c7g", "x2idn"]
sizes = [("large", 2, 8), ("xlarge", 4, 16), ("2xlarge", 8, 32), ("4xlarge", 16, 64)]
oses = ["Linux", "Windows", "RHEL", "SUSE"]
tenancies = ["Shared", "Dedicated", "Host"]
with open(path, "w") as f:
    f.write('{"formatVersion":"v1.0","disclaimer":"generated for the cost import benchmark","offerCode":"AmazonEC2",'
            '"version":"20260301000000","publicationDate":"2026-03-01T00:00:00Z","products":{')
    skus, written, i = [], 0, 0
    # Products take about half the file; terms (on-demand and reserved) the rest.
    while written < target // 2:
        fam = families[i % len(families)]
        sz, vcpu, mem = sizes[(i // len(families)) % len(sizes)]
        sku = f"SKU{i:012d}"
        attrs = {"servicecode": "AmazonEC2", "location": "US East (N. Virginia)", "locationType": "AWS Region",
                 "instanceType": f"{fam}.{sz}" if i < 4000 else f"{fam}.{sz}v{i % 97}",
                 "currentGeneration": "Yes", "instanceFamily": "General purpose", "vcpu": str(vcpu),
                 "physicalProcessor": "AWS Graviton2 Processor" if "g" in fam[1:] else "Intel Xeon Platinum 8175",
                 "clockSpeed": "3.1 GHz", "memory": f"{mem} GiB", "storage": "EBS only", "networkPerformance": "Up to 10 Gigabit",
                 "processorArchitecture": "64-bit", "tenancy": tenancies[i % 3], "operatingSystem": oses[(i // 3) % 4],
                 "licenseModel": "No License required", "usagetype": f"BoxUsage:{fam}.{sz}", "operation": "RunInstances",
                 "capacitystatus": ["Used", "UnusedCapacityReservation", "AllocatedCapacityReservation"][(i // 12) % 3],
                 "preInstalledSw": "NA" if i % 5 else "SQL Std", "regionCode": "us-east-1", "servicename": "Amazon Elastic Compute Cloud"}
        entry = json.dumps({"sku": sku, "productFamily": "Compute Instance", "attributes": attrs})
        f.write(("," if skus else "") + f'"{sku}":{entry}')
        written += len(entry) + 20
        skus.append(sku)
        i += 1
    f.write('},"terms":{"OnDemand":{')
    for n, sku in enumerate(skus):
        dims = {f"{sku}.JRTCKXETXF.6YS6EN2CT7": {"rateCode": f"{sku}.JRTCKXETXF.6YS6EN2CT7", "description": "On demand",
                "beginRange": "0", "endRange": "Inf", "unit": "Hrs", "pricePerUnit": {"USD": f"0.{(n % 900) + 100:04d}000000"}, "appliesTo": []}}
        term = {f"{sku}.JRTCKXETXF": {"offerTermCode": "JRTCKXETXF", "sku": sku, "effectiveDate": "2026-03-01T00:00:00Z",
                "priceDimensions": dims, "termAttributes": {}}}
        f.write(("," if n else "") + f'"{sku}":' + json.dumps(term))
    f.write('},"Reserved":{')
    for n, sku in enumerate(skus):
        term = {f"{sku}.4NA7Y494T4": {"offerTermCode": "4NA7Y494T4", "sku": sku, "effectiveDate": "2026-03-01T00:00:00Z",
                "priceDimensions": {f"{sku}.4NA7Y494T4.6YS6EN2CT7": {"unit": "Hrs", "pricePerUnit": {"USD": "0.0500000000"}}},
                "termAttributes": {"LeaseContractLength": "1yr", "OfferingClass": "standard", "PurchaseOption": "No Upfront"}}}
        f.write(("," if n else "") + f'"{sku}":' + json.dumps(term))
    f.write("}}}")
PY
bytes=$(stat -c %s "$file")
echo "== $((bytes / 1000000)) MB written" >&2

echo "== building cost (release)" >&2
cargo build --release --quiet --bin cost

measure() {  # name, command...: prints "name seconds peak_kib"
    local name=$1; shift
    /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >/dev/null
    read -r secs kib <"$OUT/time.txt"
    echo "$name $secs $kib"
}
python3 -c "import json" # warm the interpreter's files
cat "$file" >/dev/null  # and the page cache, for both
cost_line=$(measure cost target/release/cost rates import "$file" --out "$OUT/imported.toml")
py_line=$(measure python3 python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$file")
python3 - "$bytes" "$cost_line" "$py_line" <<'PY'
import sys
size = int(sys.argv[1]) / 1e6
for line in sys.argv[2:]:
    name, secs, kib = line.split()
    secs = float(secs)
    print(f"{name:8} {secs:7.2f} s  {size / secs:7.1f} MB/s  peak RSS {int(kib) / 1024:7.1f} MB")
c, p = (float(l.split()[1]) for l in sys.argv[2:])
print(f"cost takes {c / p:.2f}x Python's time on {size:.0f} MB")
PY
grep -c '^\[ec2.instances' "$OUT/imported.toml" | sed 's/^/instance types imported: /'
[ "${KEEP:-0}" = 1 ] || rm -f "$file"
