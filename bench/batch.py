"""`make bench` (part): jiuye batch on synthetic rosters, next to baselines measured in the same run.

- persons: N (env JIUYE_BENCH_ROWS, default 1,000,000) CSV in → Parquet out, all person policies;
  wall time of the whole `jiuye batch` process, its own split (read / validate / compute / write),
  rows/s and peak memory (resource.getrusage of that process);
- baseline: a pandas/numpy program computing three policies (失业保险金 months and amount, 技能提升
  补贴, 一次性创业补贴) by hand on the same CSV, written to Parquet: no validation, no unknowns;
- floor: pyarrow reading the same CSV and writing the same Parquet result (the batch's own output);
- scaling: 10k, 100k and N rows;
- enterprises: 100,000 (env JIUYE_BENCH_ENTERPRISES) CSV → Parquet.

Each measurement runs in a fresh process, so that peak memory is that run's alone.
Targets (issue 5): 1M persons ≤ 15 s and ≤ 2 GB; 100k enterprises ≤ 5 s.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = "2021-06-15"


def child(kind: str, *args: str) -> None:
    """Run one measurement in this (fresh) process and print it as JSON."""
    import resource

    t0 = time.perf_counter()
    out: dict = {}
    if kind == "batch":
        import datetime as dt

        from jiuye.batch import Options, run

        src, dst, subject = args
        o = run(Options(input=Path(src), output=Path(dst), as_of=dt.date.fromisoformat(AS_OF), subject=subject,
                        progress=False, chart=False))
        s = o.summary
        out = {k: s[k] for k in ("input_rows", "accepted_rows", "rejected_rows", "output_rows", "seconds", "timings")}
    elif kind == "floor":
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        src, result, dst = args
        table = pq.read_table(result)  # the batch's own result, in memory before the clock starts
        t0 = time.perf_counter()
        t_read = time.perf_counter()
        rows = pacsv.read_csv(src, convert_options=pacsv.ConvertOptions(strings_can_be_null=False)).num_rows
        t_write = time.perf_counter()
        pq.write_table(table, dst, compression="zstd")
        out = {"rows": rows, "read": t_write - t_read, "write": time.perf_counter() - t_write}
    elif kind == "pandas":
        src, dst = args
        out = pandas_baseline(src, dst)
    elif kind == "synth":
        what, n, dst = args
        from jiuye.batch import synth as s

        table, _bad = (s.persons(int(n), seed=1) if what == "person" else s.enterprises(int(n), seed=1))
        s.write(table, dst)
    out["wall"] = time.perf_counter() - t0
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:  # the peak of this program's own memory (ru_maxrss also counts the parent's at fork, on Linux)
        status = Path("/proc/self/status").read_text()
        out["peak_mb"] = int(next(x for x in status.splitlines() if x.startswith("VmHWM")).split()[1]) / 1024
    except (OSError, StopIteration, ValueError):
        pass
    print(json.dumps(out))


def pandas_baseline(src: str, dst: str) -> dict:
    """Three policies by hand, vectorised (the 2021 figures, as bench/run.py's plain_three_policies)."""
    import numpy as np
    import pandas as pd

    t0 = time.perf_counter()
    df = pd.read_csv(src, dtype=str, keep_default_na=False, engine="pyarrow")
    t1 = time.perf_counter()
    as_of = pd.Timestamp(AS_OF)
    years = pd.to_numeric(df["参保缴费年限"], errors="coerce").fillna(0).to_numpy()

    def yes(c):
        return (df[c] == "是").to_numpy()

    ui = ((years >= 1) & yes("非本人意愿中断就业") & yes("失业登记") & yes("有求职要求") & yes("是否失业")
          & ~yes("领取养老金") & ~yes("待遇停发情形"))
    thresholds = [(10, 24), (9, 18), (8, 17), (7, 16), (6, 15), (5, 14), (4, 12), (3, 8), (2, 4), (1, 2)]
    months = np.select([years >= t for t, _m in thresholds], [m for _t, m in thresholds], 0)
    birth = pd.to_datetime(df["出生日期"], errors="coerce", format="%Y-%m-%d")
    age = (as_of.year - birth.dt.year - ((birth.dt.month * 100 + birth.dt.day) > as_of.month * 100 + as_of.day)).fillna(0).to_numpy()
    female = (df["性别"] == "女").to_numpy()
    senior = (years >= 10) & (age >= np.where(female, 45, 50))
    uplift = 1 + 0.2 * senior + 0.08 * yes("配偶失业")
    monthly_fen = np.where(ui, np.floor(int(1560 * 100 * 0.9 + 0.5) * uplift + 0.5), 0).astype(np.int64)
    cert = pd.to_datetime(df["证书核发日期"], errors="coerce", format="%Y-%m-%d")
    recent = ((as_of - cert).dt.days < 365).fillna(False).to_numpy()
    level = df["证书等级"].map({"初级": 100000, "中级": 150000, "高级": 200000}).fillna(0).to_numpy()
    skill_fen = np.where(yes("企业在职职工") & (years >= 1) & recent & ~yes("已享受技能提升补贴"), level, 0).astype(np.int64)
    hard = df["人员类别"].str.contains("就业困难人员", regex=False).to_numpy()
    startup_fen = np.where(yes("首次创业") & hard, 500000, 0).astype(np.int64)
    t2 = time.perf_counter()
    pd.DataFrame({"row": np.arange(1, len(df) + 1), "ui_months": np.where(ui, months, 0), "ui_monthly_fen": monthly_fen,
                  "skill_fen": skill_fen, "startup_fen": startup_fen}).to_parquet(dst, compression="zstd")
    t3 = time.perf_counter()
    return {"rows": len(df), "read": t1 - t0, "compute": t2 - t1, "write": t3 - t2}


def measure(kind: str, *args: str) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child", kind, *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["process_wall"] = time.perf_counter() - t0
    return out


def synth(kind: str, n: int, path: Path) -> None:
    measure("synth", kind, str(n), str(path))  # in a process of its own: this one stays small


def main(console=None) -> int:
    from rich.console import Console
    from rich.table import Table

    console = console or Console(width=140)
    n = int(os.environ.get("JIUYE_BENCH_ROWS", "1000000"))
    n_ent = int(os.environ.get("JIUYE_BENCH_ENTERPRISES", "100000"))
    sizes = sorted({s for s in (10_000, 100_000, n) if s <= n})
    with tempfile.TemporaryDirectory(prefix="jiuye-bench-") as tmp:
        d = Path(tmp)
        runs = {}
        for size in sizes:
            src = d / f"persons-{size}.csv"
            synth("person", size, src)
            runs[size] = measure("batch", str(src), str(d / f"out-{size}.parquet"), "person")
        big = d / f"persons-{n}.csv"
        baseline = measure("pandas", str(big), str(d / "pandas.parquet"))
        floor = measure("floor", str(big), str(d / f"out-{n}.parquet"), str(d / "floor.parquet"))
        ent_src = d / f"enterprises-{n_ent}.csv"
        synth("enterprise", n_ent, ent_src)
        ent = measure("batch", str(ent_src), str(d / "ent.parquet"), "enterprise")

    t = Table(title=f"jiuye batch (CSV → Parquet, as of {AS_OF}; each run a fresh process; s = seconds)")
    for col in ("what", "rows", "wall s (process)", "in-run s", "read", "validate", "compute", "write", "rows/s",
                "peak MB", "vs baseline"):
        t.add_column(col)
    import datetime as dt

    from jiuye.batch.plan import build_plan

    n_policies = len(build_plan("person", dt.date.fromisoformat(AS_OF)).policies)
    b = runs[n]
    for size, r in runs.items():
        tm = r["timings"]
        target = "  (target ≤ 15 s, ≤ 2048 MB)" if size == 1_000_000 else ""
        t.add_row(f"batch, persons, all {n_policies} person policies{target}", f"{size:,}", f"{r['process_wall']:.2f}",
                  f"{r['seconds']:.2f}", f"{tm['read']:.2f}", f"{tm['validate']:.2f}", f"{tm['compute']:.2f}",
                  f"{tm['write']:.2f}", f"{r['input_rows'] / r['seconds']:,.0f}", f"{r['peak_mb']:,.0f}",
                  f"{r['process_wall'] / baseline['process_wall']:.1f}× pandas" if size == n else "")
    t.add_row("baseline: pandas/numpy, 3 policies by hand", f"{baseline['rows']:,}", f"{baseline['process_wall']:.2f}",
              f"{baseline['wall']:.2f}", f"{baseline['read']:.2f}", "—", f"{baseline['compute']:.2f}",
              f"{baseline['write']:.2f}", f"{baseline['rows'] / baseline['wall']:,.0f}", f"{baseline['peak_mb']:,.0f}", "1.0×")
    t.add_row("floor: pyarrow read the CSV + write the same Parquet", f"{floor['rows']:,}", f"{floor['process_wall']:.2f}",
              f"{floor['read'] + floor['write']:.2f}", f"{floor['read']:.2f}", "—", "—", f"{floor['write']:.2f}",
              f"{floor['rows'] / (floor['read'] + floor['write']):,.0f}", f"{floor['peak_mb']:,.0f}",
              f"batch = {b['seconds'] / (floor['read'] + floor['write']):.1f}× floor")
    tm = ent["timings"]
    t.add_row("batch, enterprises, all enterprise policies (target ≤ 5 s)", f"{ent['input_rows']:,}",
              f"{ent['process_wall']:.2f}", f"{ent['seconds']:.2f}", f"{tm['read']:.2f}", f"{tm['validate']:.2f}",
              f"{tm['compute']:.2f}", f"{tm['write']:.2f}", f"{ent['input_rows'] / ent['seconds']:,.0f}",
              f"{ent['peak_mb']:,.0f}", "")
    console.print(t)
    if len(runs) > 1:
        sizes_run = sorted(runs)
        per = ", ".join(f"{s:,}: {runs[s]['seconds']:.2f} s ({runs[s]['seconds'] / s * 1e6:.1f} µs/row)" for s in sizes_run)
        marginal = ", ".join(
            f"{a:,}→{b:,}: {(runs[b]['seconds'] - runs[a]['seconds']) / (b - a) * 1e6:.1f} µs/row"
            for a, b in zip(sizes_run, sizes_run[1:]))
        console.print(f"scaling, in-run time: {per}; marginal cost per added row: {marginal} "
                      "(linear when the marginal costs agree; small runs carry the fixed start-up)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2], *sys.argv[3:])
    else:
        sys.exit(main())
