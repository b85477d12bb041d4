"""`make bench` (part): the labour market through the API, on a real server — issue 15: "one seeker's
matches and one search through the API: p95 ≤ 50 ms with 20,000 live posts".

Set-up (a child process, a temporary $JIUYE_VAR_DIR: the embedded SQLite default with its demo data):
JIUYE_BENCH_API_POSTINGS (default 20,000) live posts — `jiuye synth` posts of the league's districts
and real 职业 codes, each checked by the service's own `postings.build_record`, bulk-inserted as
published through the models (employers: one enterprise per synthetic employer name) — and
JIUYE_BENCH_API_SEEKERS (default 300) 求职登记 registered through the service at the 盟中心 window.

Then `jiuye serve --workers 1` on 127.0.0.1 (uvicorn, a separate process) and one client (httpx, keep-alive)
sends its requests one after the other, so that each time is one request's latency:
  baseline  GET /healthz (the middleware stack + SELECT 1) and GET /api/market/postings/{id} (one post);
  search    GET /api/market/postings?q=… and the citizen page GET /jobs?q=…, varied colloquial queries;
  matches   GET /api/market/seekers/{id}/matches (the 盟中心's token), each registration once.
The first matches request after start and the first after a post is published are timed apart (they
prepare the index of the live posts).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import free_port, percentile

N_POSTS = int(os.environ.get("JIUYE_BENCH_API_POSTINGS", "20000"))
N_SEEKERS = int(os.environ.get("JIUYE_BENCH_API_SEEKERS", "300"))
N_QUERIES = int(os.environ.get("JIUYE_BENCH_API_QUERIES", "250"))
TARGET_MS = 50

PLACES = ["", "", "乌兰浩特", "乌兰浩特市", "前旗", "科右前旗", "中旗", "扎旗", "扎赉特旗", "突泉", "阿尔山", "科尔沁镇",
          "音德尔镇", "巴彦呼舒镇"]
WORK = ["开车的活", "司机", "电焊", "电焊工", "保姆", "月嫂", "服务员", "收银", "放羊", "瓦工", "外卖", "会计", "保安",
        "厨师", "挖掘机", "叉车", "保洁", "护工", "养老护理", "装卸", "木工", "钢筋工", "快递", "营业员", "育婴员", "饲养员",
        "农机", "刮大白", "水暖工", "仓库管理", "理货员", "销售", "电工", "幼儿园老师", "护士", "焊工", "小工", "砌墙"]
WAGE = ["", "", "", "四千以上", "五千左右", "三千五以上", "日薪三百以上", "三百一天", "6000以上", "两千到三千", "月薪4500"]
WHEN = [""] * 8 + ["最近三天", "最近一周"]


def queries(n: int, seed: int = 15) -> list[str]:
    """n colloquial queries (place, work, wage, date words in varied order; a few without work words)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = [rng.choice(PLACES), rng.choice(WORK) if rng.random() < 0.92 else "", rng.choice(WAGE), rng.choice(WHEN)]
        rng.shuffle(parts)
        q = " ".join(p for p in parts if p)
        out.append(q or rng.choice(WORK))
    return out


# --- set-up (child process, $JIUYE_VAR_DIR set by the caller) --------------------------------------
def setup(n_posts: int, n_seekers: int) -> dict:
    from sqlalchemy import insert, select
    from sqlalchemy.orm import Session

    from jiuye.batch.synth import DISTRICTS
    from jiuye.store.db import default_engine
    from jiuye.cases.demo import demo_id
    from jiuye.cases.models import Enterprise, User, utcnow
    from jiuye.cases.security import credit_code_with_check
    from jiuye.config import today
    from jiuye.market import postings, seekers, synth
    from jiuye.market.models import MarketEmployer, Posting
    from jiuye.market.recordio import parse_row

    t0 = time.perf_counter()
    engine = default_engine()  # migrated, with the demo accounts and the small demo market
    day = today()
    live = []
    for row in synth.postings(int(n_posts * 1.6) + 100, seed=7, as_of=day).to_pylist():
        rec, why = parse_row("posting", row)
        if rec is not None and (rec.valid_through is None or rec.valid_through >= day):
            live.append(rec)
        if len(live) == n_posts:
            break
    region = {name: code for code, name, _short, _w in DISTRICTS}
    now = utcnow()
    with Session(engine, expire_on_commit=False) as s:
        emps: dict[str, MarketEmployer] = {}
        for i, name in enumerate(sorted({r.employer_name for r in live})):
            district = DISTRICTS[i % len(DISTRICTS)][1]
            ent = Enterprise(credit_code=credit_code_with_check(f"91{region[district]}MA0B{i:05d}"), name=name,
                             district=district, created_at=now)
            emp = MarketEmployer(enterprise=ent, kind="employer", contact_name="联系人", district=district, created_at=now)
            s.add(emp)
            emps[name] = emp
        s.flush()
        rows = []
        for r in live:
            emp = emps[r.employer_name]
            data = r.model_dump(mode="json", exclude={"id", "published_on", "employer_name", "credit_code"})
            built = postings.build_record(emp, data, day)  # the service's checks (and the code of a title without one)
            rows.append({"employer_id": emp.id, "record": built.model_dump(mode="json", exclude={"id"}),
                         "title": built.title, "occupation_code": built.occupation_code, "district": built.district,
                         "scope_district": built.district or emp.district, "wage_min": built.wage_min,
                         "wage_max": built.wage_max, "wage_unit": built.wage_unit, "places": built.places,
                         "places_left": built.places, "valid_through": built.valid_through, "state": "published",
                         "flags": [], "published_on": r.published_on, "submitted_at": now, "reviewed_at": now,
                         "channel": "import", "created_at": now, "updated_at": now, "version": 1})
        s.execute(insert(Posting), rows)
        s.commit()
        t_posts = time.perf_counter() - t0
        staff = s.scalar(select(User).where(User.username == "mz"))  # the 盟中心: registers anywhere in the league
        ids = []
        for i, row in enumerate(synth.seekers(n_seekers, seed=7, as_of=day).to_pylist()):
            rec, why = parse_row("seeker", row)
            if rec is None or rec.birth_date is None:
                continue
            home = rec.districts[0] if rec.districts else DISTRICTS[i % len(DISTRICTS)][1]
            idn = demo_id(region[home], rec.birth_date.strftime("%Y%m%d"), f"{i % 1000:03d}")
            data = rec.model_dump(mode="json", exclude={"id", "registered_on"})
            ids.append(seekers.register(s, staff, data, id_number=idn, name=f"求职者{i}（测试）", district=home).id)
        posts = [p for (p,) in s.execute(select(Posting.id).where(Posting.state == "published").order_by(Posting.id))]
    return {"posts": len(live), "published": len(posts), "post_ids": posts[:: max(1, len(posts) // 300)],
            "seeker_ids": ids, "employers": len(emps), "seconds_posts": t_posts,
            "seconds": time.perf_counter() - t0}


# --- measuring (parent) --------------------------------------------------------------------------
def _timed(client, method: str, url: str, **kw) -> tuple[float, object]:
    t0 = time.perf_counter()
    r = client.request(method, url, **kw)
    ms = (time.perf_counter() - t0) * 1000
    if r.status_code >= 400:
        raise RuntimeError(f"{method} {url} → {r.status_code}: {r.text[:300]}")
    return ms, r


def _wait_ready(client, base: str, proc, deadline: float) -> None:
    import httpx

    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"jiuye serve exited with {proc.returncode}")
        try:
            if client.get(f"{base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("jiuye serve did not become ready")


def _publish_one(client, base: str) -> int:
    """A post through the API as an employer would (xingan_food), approved by its centre: the live set changes."""
    firm = {"Authorization": "Bearer " + client.post(f"{base}/api/auth/login", json={
        "username": "xingan_food", "password": "jiuye-demo"}).json()["token"]}
    zx = {"Authorization": "Bearer " + client.post(f"{base}/api/auth/login", json={
        "username": "zx_wlht", "password": "jiuye-demo"}).json()["token"]}
    valid = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    r = client.post(f"{base}/api/market/postings", headers=firm, json={
        "title": "电焊工", "places": 2, "district": "乌兰浩特市", "wage_min": 4500, "wage_max": 5500, "social_insurance": True,
        "contact": "设备部 0482-0000002", "valid_through": valid, "submit": True})
    r.raise_for_status()
    pid = r.json()["id"]
    client.post(f"{base}/api/market/postings/{pid}/review", headers=zx,
                json={"decision": "approve", "note": "基准测试：已核对"}).raise_for_status()
    return pid


def measure(var: Path, info: dict) -> dict:
    import httpx

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "JIUYE_VAR_DIR": str(var)}
    for k in ("JIUYE_DATABASE_URL", "JIUYE_QUEUE_URL", "JIUYE_WORKER_HEADER"):
        env.pop(k, None)
    jiuye = Path(sys.executable).parent / "jiuye"
    t_start = time.monotonic()
    proc = subprocess.Popen([str(jiuye), "serve", "--port", str(port), "--workers", "1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict = {}
    try:
        with httpx.Client(timeout=120) as c:
            _wait_ready(c, base, proc, time.monotonic() + 300)
            out["ready_seconds"] = time.monotonic() - t_start
            login = c.post(f"{base}/api/auth/login", json={"username": "mz", "password": "jiuye-demo"})
            login.raise_for_status()
            staff = {"Authorization": f"Bearer {login.json()['token']}"}
            sids, pids, qs = info["seeker_ids"], info["post_ids"], queries(N_QUERIES)
            out["first_matches"], first = _timed(c, "GET", f"{base}/api/market/seekers/{sids[0]}/matches", headers=staff)
            out["first_search"], _r = _timed(c, "GET", f"{base}/api/market/postings", params={"q": qs[0]})
            out["first_matches_n"] = len(first.json())
            for q in qs[:5]:  # warm the page templates and the query parser's caches
                _timed(c, "GET", f"{base}/jobs", params={"q": q}, headers={"accept": "text/html"})
            runs = {
                "healthz": [_timed(c, "GET", f"{base}/healthz")[0] for _ in range(len(qs))],
                "one_post": [_timed(c, "GET", f"{base}/api/market/postings/{pids[i % len(pids)]}")[0] for i in range(len(qs))],
            }
            search, totals = [], []
            for q in qs:
                ms, r = _timed(c, "GET", f"{base}/api/market/postings", params={"q": q})
                search.append(ms)
                totals.append(r.json()["total"])
            runs["search"] = search
            runs["jobs_page"] = [_timed(c, "GET", f"{base}/jobs", params={"q": q}, headers={"accept": "text/html"})[0]
                                 for q in qs]
            matches, found = [], []
            for sid in sids:
                ms, r = _timed(c, "GET", f"{base}/api/market/seekers/{sid}/matches", headers=staff)
                matches.append(ms)
                found.append(len(r.json()))
            runs["matches"] = matches
            out["search_hits"] = statistics.median(totals)
            out["search_empty"] = sum(1 for t in totals if t == 0)
            out["matches_found"] = statistics.mean(found)
            out["matches_empty"] = sum(1 for f in found if f == 0)
            _publish_one(c, base)
            out["after_change_matches"], _r = _timed(c, "GET", f"{base}/api/market/seekers/{sids[1]}/matches",
                                                     headers=staff)
            out["after_change_search"], _r = _timed(c, "GET", f"{base}/api/market/postings", params={"q": qs[1]})
            out["runs"] = runs
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return out


def run(console=None) -> dict:
    from rich.console import Console
    from rich.table import Table

    console = console or Console(width=140)
    with tempfile.TemporaryDirectory(prefix="jiuye-bench-market-api-") as tmp:
        var = Path(tmp) / "var"
        env = {**os.environ, "JIUYE_VAR_DIR": str(var)}
        for k in ("JIUYE_DATABASE_URL", "JIUYE_QUEUE_URL"):
            env.pop(k, None)
        r = subprocess.run([sys.executable, __file__, "--setup", str(N_POSTS), str(N_SEEKERS)], env=env,
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"set-up failed:\n{r.stderr[-3000:]}")
        info = json.loads(r.stdout.strip().splitlines()[-1])
        res = measure(var, info)
    runs = res["runs"]
    t = Table(title=f"招聘求职 API（jiuye serve --workers 1，SQLite；{info['published']:,} 个公开岗位，"
                    f"{len(info['seeker_ids'])} 条求职登记；一个客户端逐个发送；目标 p95 ≤ {TARGET_MS} ms）")
    for col in ("what", "requests", "p50 ms", "p95 ms", "p99 ms", "p50 vs /healthz", "notes"):
        t.add_column(col)
    base50 = statistics.median(runs["healthz"])
    notes = {
        "healthz": "baseline: middlewares + SELECT 1",
        "one_post": "baseline: one post's 简章 (no query)",
        "search": f"varied colloquial queries; median total {res['search_hits']:,.0f}, {res['search_empty']} with none",
        "jobs_page": "the citizen page, same queries",
        "matches": f"each registration once; {res['matches_found']:.1f} posts on average, {res['matches_empty']} with none",
    }
    labels = {"healthz": "GET /healthz", "one_post": "GET /api/market/postings/{id}",
              "search": "GET /api/market/postings?q=…", "jobs_page": "GET /jobs?q=… (page)",
              "matches": "GET /api/market/seekers/{id}/matches"}
    for k, label in labels.items():
        xs = runs[k]
        t.add_row(label, str(len(xs)), f"{statistics.median(xs):.1f}", f"{percentile(xs, 0.95):.1f}", f"{percentile(xs, 0.99):.1f}",
                  f"{statistics.median(xs) / base50:.1f}×", notes[k])
    t.add_row("first matches request after start", "1", f"{res['first_matches']:.0f}", "", "", "",
              f"{res['first_matches_n']} posts; search's first: {res['first_search']:.0f} ms; "
              f"start → /healthz 200: {res['ready_seconds']:.1f} s")
    t.add_row("first matches request after a post is published", "1", f"{res['after_change_matches']:.0f}", "", "", "",
              f"search's first: {res['after_change_search']:.0f} ms")
    console.print(t)
    console.print(f"set-up: {info['published']:,} posts of {info['employers']} employers in {info['seconds_posts']:.1f} s, "
                  f"{len(info['seeker_ids'])} registrations; {info['seconds']:.1f} s in all")
    return {"info": info, **res}


def run_and_print(console=None) -> None:
    run(console)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--setup":
        print(json.dumps(setup(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        run()
