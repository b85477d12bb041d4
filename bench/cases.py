"""Cases on PostgreSQL: N concurrent clients (threads, each with its own session on a shared
connection pool) move cases through 灵活就业社保补贴 (6 transitions: 社区 → 街道 → 中心 → 人社局 → 财政局 →
中心发放). Mostly each client works its own cases; one pick in five is any open case, so clients
collide and the optimistic lock has to turn the losers away.

Reported: latency of one transition (load, checks, UPDATE with the version, audit INSERT, commit)
for successful moves, conflicts, throughput, and the check that audit rows = successful moves and
every case's version = 1 + its transitions (no lost, no duplicated move).

    .venv/bin/python bench/cases.py [--clients 200] [--cases-per-client 2] [--think-ms 0] [--seconds 60]

Runs in a fresh schema of $JIUYE_BENCH_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test),
dropped afterwards. `make bench` runs it through bench/run.py.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
import uuid

PATH = ["submitted", "street_review", "center_review", "hrss_approval", "finance_approval", "payment", "paid"]
ACTOR = {"submitted": "sq_wlht", "street_review": "jd_wlht", "center_review": "zx_wlht", "hrss_approval": "rsj_wlht",
         "finance_approval": "czj_wlht", "payment": "zx_wlht"}
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, int(round(len(ordered) * q)) - 1))] if ordered else float("nan")


def run(clients: int = 200, cases_per_client: int = 2, think_ms: float = 0.0, seconds: float = 60.0,
        base_url: str | None = None, pool: int = 40) -> dict:
    from sqlalchemy import create_engine, func, select, text
    from sqlalchemy.orm import Session

    from jiuye.store import db, service
    from jiuye.cases.demo import load_demo_data
    from jiuye.cases.models import Case, CaseEvent, User

    base = base_url or os.environ.get("JIUYE_BENCH_PG_URL", DEFAULT_URL)
    schema = f"jiuye_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = db.make_engine(base, schema=schema, pool_size=pool, max_overflow=10)
    try:
        db.upgrade(engine)
        with Session(engine, expire_on_commit=False) as s:
            load_demo_data(s)  # offices, the reviewers of 乌兰浩特市, applicants
            me = s.scalar(select(User).where(User.username == "zhangmin"))
            first = service.create_case(s, me, "flexible_employment_si_subsidy", profile={"district": "乌兰浩特市"})
            snapshot = first.screening  # one screening, saved as it was, reused for every bench case
            ids = [first.id] + [service.create_case(s, me, "flexible_employment_si_subsidy",
                                                      profile={"district": "乌兰浩特市"}, snapshot=snapshot).id
                                for _ in range(clients * cases_per_client - 1)]
        lat: list[float] = []
        conflicts = [0]
        ok = [0]
        other_errors: list[str] = []
        lock = threading.Lock()
        start_gate = threading.Barrier(clients + 1)
        stop_at = [0.0]

        def client(i: int):
            rnd = random.Random(i)
            mine = ids[i * cases_per_client:(i + 1) * cases_per_client]
            with Session(engine, expire_on_commit=False) as s:
                users = {n: s.scalar(select(User).where(User.username == n)) for n in set(ACTOR.values())}
                s.rollback()
                start_gate.wait()
                if think_ms:  # clients arrive spread out, not all in the same instant
                    time.sleep(rnd.uniform(0, 2 * think_ms) / 1000)
                known: dict[int, tuple[str, int]] = {}  # what this client last saw of a case (as a page would)
                while time.monotonic() < stop_at[0]:
                    open_mine = [c for c in mine if known.get(c, ("", 0))[0] != "paid"]
                    if not open_mine:
                        return
                    cid = rnd.choice(open_mine) if rnd.random() < 0.8 else rnd.choice(ids)
                    if cid not in known or cid not in mine:  # open the case: read its state and version
                        row = s.execute(select(Case.state, Case.version).where(Case.id == cid)).one()
                        s.rollback()
                        known[cid] = (row.state, row.version)
                    state, version = known[cid]
                    if state == "paid":
                        continue
                    nxt = PATH[PATH.index(state) + 1]
                    t0 = time.perf_counter()
                    try:
                        case = service.transition(s, users[ACTOR[state]], cid, nxt, comment="同意",
                                                  expected_version=version)
                        dt_ms = (time.perf_counter() - t0) * 1000
                        known[cid] = (case.state, case.version)
                        with lock:
                            lat.append(dt_ms)
                            ok[0] += 1
                    except service.Conflict:
                        known.pop(cid, None)  # someone else moved it: look again next time
                        with lock:
                            conflicts[0] += 1
                    except Exception as exc:  # noqa: BLE001 - counted and shown, never hidden
                        with lock:
                            other_errors.append(f"{type(exc).__name__}: {exc}"[:200])
                    if think_ms:
                        time.sleep(rnd.uniform(0, 2 * think_ms) / 1000)

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
        for t in threads:
            t.start()
        stop_at[0] = time.monotonic() + seconds
        t_start = time.perf_counter()
        start_gate.wait()
        for t in threads:
            t.join(seconds + 30)
        wall = time.perf_counter() - t_start
        with Session(engine) as s:
            audit_rows = s.scalar(select(func.count()).select_from(CaseEvent)
                                  .where(CaseEvent.kind == "transition", CaseEvent.case_id.in_(ids)))
            per_case = dict(s.execute(select(CaseEvent.case_id, func.count()).where(CaseEvent.kind == "transition")
                                      .group_by(CaseEvent.case_id)).all())
            versions = dict(s.execute(select(Case.id, Case.version)).all())
            finished = s.scalar(select(func.count()).select_from(Case).where(Case.state == "paid", Case.id.in_(ids)))
        consistent = all(versions[c] == 1 + per_case.get(c, 0) for c in ids)
        return {"clients": clients, "cases": len(ids), "think_ms": think_ms, "ok": ok[0], "conflicts": conflicts[0],
                "errors": other_errors, "audit_rows": audit_rows, "consistent": consistent, "finished": finished,
                "wall_s": wall, "p50": statistics.median(lat) if lat else float("nan"), "p95": percentile(lat, 0.95),
                "p99": percentile(lat, 0.99), "max": max(lat) if lat else float("nan"),
                "throughput": ok[0] / wall if wall else 0.0}
    finally:
        engine.dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def table(results: list[dict]):
    from rich.table import Table

    t = Table(title="Cases on PostgreSQL: one transition under N concurrent clients (ms; target p95 ≤ 50). "
                    "think = mean pause between a client's moves; 0 = closed loop at saturation")
    for col in ("clients", "think", "cases", "moves ok", "conflicts", "errors", "p50", "p95", "p99", "max", "moves/s",
                "audit rows = moves", "versions consistent", "all paid"):
        t.add_column(col)
    for r in results:
        t.add_row(str(r["clients"]), f"{r['think_ms']:.0f} ms", str(r["cases"]), str(r["ok"]), str(r["conflicts"]),
                  str(len(r["errors"])), f"{r['p50']:.1f}", f"{r['p95']:.1f}", f"{r['p99']:.1f}", f"{r['max']:.1f}",
                  f"{r['throughput']:.0f}", "yes" if r["audit_rows"] == r["ok"] else f"NO ({r['audit_rows']} vs {r['ok']})",
                  "yes" if r["consistent"] else "NO", f"{r['finished']}/{r['cases']}")
    return t


def run_and_print(argv: list[str] | None = None) -> int:
    """Called from bench/run.py: the two load shapes, printed as one table."""
    from rich.console import Console

    console = Console(width=160)
    p = argparse.ArgumentParser()
    p.add_argument("--clients", type=int, default=200)
    p.add_argument("--cases-per-client", type=int, default=2)
    p.add_argument("--think-ms", type=float, default=None,
                   help="mean pause between a client's moves (default: 1000 and 500 — paced reviewers — and 0 — saturation)")
    p.add_argument("--seconds", type=float, default=60)
    a = p.parse_args(argv if argv is not None else [])
    try:
        thinks = [a.think_ms] if a.think_ms is not None else [1000.0, 500.0, 0.0]
        results = [run(a.clients, a.cases_per_client, think, a.seconds) for think in thinks]
    except Exception as exc:  # noqa: BLE001 - e.g. no PostgreSQL on this machine
        console.print(f"[yellow]cases benchmark skipped: {type(exc).__name__}: {exc}[/yellow]")
        return 1
    console.print(table(results))
    for r in results:
        for e in r["errors"][:5]:
            console.print(f"[red]error: {e}[/red]")
    return 0


if __name__ == "__main__":
    sys.exit(run_and_print(sys.argv[1:]))
