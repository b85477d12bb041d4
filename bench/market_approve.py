"""`make bench` (part): how long a reviewer waits for 「通过」 on a post, with many open 求职登记 —
issue 15's leftover "approving a post matches it against every active seeker inside the staff request".

Set-up (this process, a temporary $JIUYE_VAR_DIR: the embedded SQLite default with its demo data):
JIUYE_BENCH_APPROVE_SEEKERS (default 100,000) active registrations who want to be told of new posts —
`jiuye synth` seekers, each parsed by the market's own record parser, bulk-inserted with a person
each (bench-only identity numbers, never shown) — and JIUYE_BENCH_APPROVE_POSTS (default 5) posts
submitted by the demo employer (食品包装工 / 电焊工 … in 乌兰浩特市).

Then each post is approved through the service (`postings.review_post`, the same call the console
page and the API make; the time includes the commit), one after the other. Where the code has the
queue's announcement (jiuye.market.announce), the matching that the approval no longer does is timed
too: `announce.run_pending`, as the queue's task runs it after the approvals.

Run it against two trees to compare: `PYTHONPATH=<tree>/src python bench/market_approve.py` (one JSON
line); `make bench` runs it in a child process through :func:`run` and prints a table.
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time

N_SEEKERS = int(os.environ.get("JIUYE_BENCH_APPROVE_SEEKERS", "100000"))
N_POSTS = int(os.environ.get("JIUYE_BENCH_APPROVE_POSTS", "5"))
TITLES = ["食品包装工", "电焊工", "保洁员", "服务员", "叉车司机", "收银员", "厨师", "保安员"]


def setup_seekers(s, n: int) -> int:
    from sqlalchemy import insert

    from jiuye.batch.synth import DISTRICTS
    from jiuye.cases.models import Person, utcnow
    from jiuye.config import today
    from jiuye.market import synth
    from jiuye.market.models import Seeker
    from jiuye.market.recordio import parse_row

    day, now = today(), utcnow()
    people, rows = [], []
    for i, row in enumerate(synth.seekers(n, seed=11, as_of=day).to_pylist()):
        rec, _why = parse_row("seeker", row)
        if rec is None:
            continue
        k = len(rows)
        people.append({"id_number": f"9{k:017d}", "name": f"基准{k}", "created_at": now})
        home = rec.districts[0] if rec.districts else DISTRICTS[k % len(DISTRICTS)][1]
        rows.append({"phone": f"139{k:08d}", "district": home, "state": "active", "channel": "window",
                     "record": rec.model_dump(mode="json", exclude={"id", "registered_on"}),
                     "occupation": rec.desired_occupations[0] if rec.desired_occupations else None,
                     "registered_on": day, "expires_on": day.replace(year=day.year + 1), "notify_matches": True,
                     "created_at": now, "updated_at": now, "version": 1})
    ids = s.execute(insert(Person).returning(Person.id), people).scalars().all()
    for r, pid in zip(rows, ids):
        r["person_id"] = pid
    s.execute(insert(Seeker), rows)
    s.commit()
    return len(rows)


def main() -> dict:
    with tempfile.TemporaryDirectory(prefix="jiuye-bench-approve-") as tmp:
        os.environ["JIUYE_VAR_DIR"] = tmp
        os.environ["JIUYE_QUEUE_URL"] = f"sqlite:///{tmp}/bench-queue.sqlite3"  # nobody consumes it here
        os.environ.pop("JIUYE_DATABASE_URL", None)
        from sqlalchemy import select
        from sqlalchemy.orm import Session

        from jiuye.cases.models import User
        from jiuye.market import employers, postings
        from jiuye.store.db import default_engine

        engine = default_engine()
        out: dict = {"tree": os.path.dirname(os.path.dirname(postings.__file__))}
        with Session(engine, expire_on_commit=False) as s:
            t0 = time.perf_counter()
            out["seekers"] = setup_seekers(s, N_SEEKERS)
            out["setup_seconds"] = round(time.perf_counter() - t0, 1)
            firm = s.scalar(select(User).where(User.username == "xingan_food"))
            staff = s.scalar(select(User).where(User.username == "zx_wlht"))
            if employers.employer_for(s, firm) is None:
                employers.register(s, firm, kind="employer", contact_name="王经理", phone="13800000001")
            ids = [postings.create(s, firm, {"title": TITLES[i % len(TITLES)], "places": 3, "district": "乌兰浩特市",
                                             "wage_min": 3200, "wage_max": 3800, "social_insurance": True,
                                             "contact": "人事部 0482-0000001"}, submit=True).id for i in range(N_POSTS)]
            try:
                from jiuye.market import announce
            except ImportError:
                announce = None
            if announce is not None:
                announce.run_pending(s)  # the demo market's own approvals, not timed
            times = []
            for pid in ids:
                t = time.perf_counter()
                postings.review_post(s, staff, pid, "approve", "基准测试：已核对")
                times.append((time.perf_counter() - t) * 1000)
            out["approve_ms"] = [round(x, 1) for x in times]
            out["approve_median_ms"] = round(statistics.median(times), 1)
            if announce is not None:
                t = time.perf_counter()
                res = announce.run_pending(s)
                out["queue_task_ms"] = round((time.perf_counter() - t) * 1000, 1)
                out["queue_task"] = res
    print(json.dumps(out, ensure_ascii=False))
    return out


def run(console=None) -> dict:
    """`make bench`: the measurement in a child process (its own $JIUYE_VAR_DIR), then a table."""
    import subprocess

    from rich.console import Console
    from rich.table import Table

    console = console or Console(width=140)
    r = subprocess.run([sys.executable, __file__], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"market_approve failed:\n{r.stderr[-3000:]}")
    res = json.loads(r.stdout.strip().splitlines()[-1])
    t = Table(title=f"审核通过一个岗位（SQLite，{res['seekers']:,} 条在登记中的求职登记，逐个通过 {len(res['approve_ms'])} 个岗位）")
    for col in ("what", "ms", "notes"):
        t.add_column(col)
    t.add_row("postings.review_post approve (median)", f"{res['approve_median_ms']:.0f}", f"each: {res['approve_ms']}")
    if "queue_task_ms" in res:
        t.add_row("queue task market_announce (all the approvals)", f"{res['queue_task_ms']:.0f}", str(res["queue_task"]))
    console.print(t)
    return res


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
