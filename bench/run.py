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
    # Ask: warm queries against a bare BM25 lookup on the same index; cold start as a whole process
    from jiuye.ask.engine import get_engine

    engine = get_engine(kb)
    questions = ["失业金能领几个月", "大学生自己开店政府给钱吗", "农民工没交够一年社保失业了有啥补助", "个税怎么算",
                 "就业困男人员怎么认定", "创业贷款能贷多少钱", "公益岗能干几年", "扎赉特旗失业保险电话"]
    tokens = [engine.tp.content_words(q) for q in questions]
    bare = timeit(lambda: [engine.indices["q"].get_scores(tk) for tk in tokens], 100)
    row(t, "baseline: one BM25 field, 8 pre-segmented queries", bare)
    row(t, "ask: 8 questions, full pipeline (warm)", timeit(lambda: [engine.ask(q) for q in questions], 100), bare)
    import subprocess
    py = sys.executable
    cold_base = timeit(lambda: subprocess.run([py, "-c", "import yaml"], check=True), 3)
    row(t, "baseline: python start + import yaml", cold_base)
    cold = timeit(lambda: subprocess.run(
        [py, "-c", "from jiuye.knowledge.loader import get_knowledge; from jiuye.ask.engine import get_engine; "
                   "get_engine(get_knowledge()).ask('失业金能领几个月')"], check=True), 3)
    row(t, "ask cold start: load + index + first answer (target ≤ 2000)", cold, cold_base)
    Console(width=130).print(t)
    return 0


if __name__ == "__main__":
    sys.exit(main())
