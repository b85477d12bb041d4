"""`make bench`: timings printed as a table. Each figure is compared with a baseline measured in
the same run (this machine is noisy; absolute numbers mean little on their own)."""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

from jiuye.config import data_dir
from jiuye.knowledge import catalogue
from jiuye.knowledge.loader import load_knowledge


def timeit(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def row(table, name, samples, baseline=None):
    p50 = statistics.median(samples)
    p95 = sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]
    ratio = f"{p50 / statistics.median(baseline):.1f}×" if baseline else "—"
    table.add_row(name, str(len(samples)), f"{p50:.2f}", f"{p95:.2f}", ratio)


def main() -> int:
    root = data_dir()
    files = sorted(root.rglob("*.yaml"))
    t = Table(title="Jiuye benchmarks (ms)")
    for col in ("what", "runs", "p50", "p95", "vs baseline"):
        t.add_column(col)
    raw = timeit(lambda: [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files], 5)
    row(t, "baseline: yaml.safe_load of every data file", raw)
    row(t, "knowledge load + validate + cross-checks", timeit(lambda: load_knowledge(root), 5), raw)
    kb = load_knowledge(root)
    lookup = timeit(lambda: kb.policies["unemployment_insurance_benefit"], 2000)
    row(t, "baseline: dict lookup of a policy", lookup)
    row(t, "policy detail (window, audit warnings, contacts)",
        timeit(lambda: catalogue.policy_detail(kb, kb.policies["unemployment_insurance_benefit"],
                                               __import__("datetime").date(2026, 11, 24), "扎赉特旗"), 200), lookup)
    row(t, "contacts: district + topic", timeit(lambda: catalogue.find_contacts(kb, "扎赉特旗", "失业保险"), 500), lookup)
    Console().print(t)
    return 0


if __name__ == "__main__":
    sys.exit(main())
