"""Ask's cold start alone (issue 19: ≤ 2 s): a fresh process imports, loads the data and the prepared
index, and answers one question. Wall time and the process's CPU time (user + system) are both shown:
on a shared machine the wall time grows with the load, the CPU time much less.

    PYTHONPATH=src .venv/bin/python bench/ask_cold.py [runs]
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time

CODE = ("from jiuye.knowledge.loader import get_knowledge; from jiuye.ask.engine import get_engine; "
        "get_engine(get_knowledge()).ask('失业金能领几个月')")


def measure(code: str, runs: int) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def run_and_print(runs: int = 5) -> None:
    base_wall, base_cpu = measure("import yaml", runs)
    walls, cpus = measure(CODE, runs)
    load = os.getloadavg()[0]
    print(f"Ask cold start ({runs} runs, load average {load:.1f} on {os.cpu_count()} cores; target ≤ 2 s)")
    print(f"  baseline python + import yaml: wall median {statistics.median(base_wall):.2f} s, CPU {statistics.median(base_cpu):.2f} s")
    print(f"  ask cold start:                wall median {statistics.median(walls):.2f} s (min {min(walls):.2f}), "
          f"CPU median {statistics.median(cpus):.2f} s (min {min(cpus):.2f})")


if __name__ == "__main__":
    run_and_print(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
