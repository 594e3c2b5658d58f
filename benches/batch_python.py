#!/usr/bin/env python3
"""The reference `cost estimate --batch` is measured against: a straightforward Python script that
prices the same JSON Lines with the decimal module (us-east-1 rates, the billing rules of the
README) and writes one JSON object per line. Usage: python3 benches/batch_python.py FILE > out.jsonl

It covers what benches/batch.rs generates: Linux x86/arm64, Spot, Windows, ephemeral storage, data
transfer tiers, round_up and EKS pod sizing, minutes/hours and runs. It is a benchmark reference,
not a second implementation to trust.
"""
import json
import math
import sys
from decimal import Decimal, ROUND_CEILING

RATES = {
    ("linux", "x86_64", False): (Decimal("0.04048"), Decimal("0.004445")),
    ("linux", "arm64", False): (Decimal("0.03238"), Decimal("0.00356")),
    ("linux", "x86_64", True): (Decimal("0.01288871"), Decimal("0.00141527")),
    ("linux", "arm64", True): (Decimal("0.01030969"), Decimal("0.00113349")),
    ("windows", "x86_64", False): (Decimal("0.046552"), Decimal("0.00511175")),
}
OS_LICENSE = Decimal("0.046")
STORAGE = Decimal("0.000111")
TIERS = [(Decimal(10240), Decimal("0.09")), (Decimal(51200), Decimal("0.085")),
         (Decimal(153600), Decimal("0.07")), (None, Decimal("0.05"))]
SIZES = [(Decimal(c) / 1024, Decimal(m) / 1024) for c, ms in [
    (256, [512, 1024, 2048]), (512, range(1024, 4097, 1024)), (1024, range(2048, 8193, 1024)),
    (2048, range(4096, 16385, 1024)), (4096, range(8192, 30721, 1024)), (8192, range(16384, 61441, 4096)),
    (16384, range(32768, 122881, 8192))] for m in ms]


def number(value):
    return Decimal(str(value)) if not isinstance(value, str) else Decimal(value)


def price(task):
    vcpu, memory = number(task.get("vcpu", 0)), number(task.get("memory", 0))
    if task.get("platform") == "eks":
        memory += Decimal("0.25")
    if task.get("round_up") or task.get("platform") == "eks":
        vcpu, memory = next((v, m) for v, m in SIZES if v >= vcpu and m >= memory)
    elif (vcpu, memory) not in SIZES:
        raise ValueError("invalid size")
    os, arch, spot = task.get("os", "linux"), task.get("arch", "x86_64"), bool(task.get("spot", False))
    count, runs = int(task.get("count", 1)), int(task.get("runs", 1))
    seconds = number(task["minutes"]) * 60 if "minutes" in task else number(task.get("hours", 730)) * 3600
    seconds = max(seconds.to_integral_value(rounding=ROUND_CEILING), Decimal(300 if os == "windows" else 60))
    task_seconds = count * seconds * runs
    vcpu_rate, gb_rate = RATES[(os, arch, spot)]
    lines = [("vcpu", vcpu * task_seconds / 3600, vcpu_rate), ("memory", memory * task_seconds / 3600, gb_rate)]
    if os == "windows":
        lines.append(("os_license", vcpu * task_seconds / 3600, OS_LICENSE))
    extra = number(task.get("ephemeral_storage", 20)) - 20
    if extra > 0:
        lines.append(("ephemeral_storage", extra * task_seconds / 3600, STORAGE))
    out = [{"component": c, "quantity": str(q), "rate": str(r), "cost": str(q * r)} for c, q, r in lines]
    gb, lower = number(task.get("data_transfer", 0)), Decimal(0)
    for upper, rate in TIERS:
        top = gb if upper is None else min(gb, upper)
        if top > lower:
            out.append({"component": "data_transfer", "quantity": str(top - lower), "rate": str(rate),
                        "cost": str((top - lower) * rate)})
        if upper is None or upper >= gb:
            break
        lower = upper
    total = sum(Decimal(line["cost"]) for line in out)
    return {"name": task.get("name", "task"), "billed": {"vcpu": str(vcpu), "memory_gb": str(memory),
            "seconds_per_run": str(seconds), "runs": runs, "count": count}, "lines": out, "total": str(total)}


def main():
    write = sys.stdout.write
    with open(sys.argv[1]) as lines:
        for line in lines:
            if line.strip():
                write(json.dumps(price(json.loads(line))) + "\n")


if __name__ == "__main__":
    main()
