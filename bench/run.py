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

from benchlib import percentile
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
    ratio = f"{p50 / statistics.median(baseline):.1f}×" if baseline else "—"
    fmt = (lambda x: f"{x:.4f}") if p50 < 0.1 else (lambda x: f"{x:.2f}")
    table.add_row(name, str(len(samples)), fmt(p50), fmt(percentile(samples, 0.95)), fmt(percentile(samples, 0.99)), ratio)


# --- screening: a plain-Python evaluation of three policies, as the baseline -----------------
SCREEN_PERSON = {
    "district": "扎赉特旗", "birth_date": "1975-03-08", "sex": "male", "has_spouse": True,
    "spouse_unemployed": False, "contribution_years": 11, "involuntary_separation": True,
    "registered_unemployed": True, "job_seeking": True, "is_unemployed": True, "receiving_pension": False,
    "ui_stop_event": False, "receiving_ui_benefit": True, "is_enterprise_employee": False,
    "certificate_level": "intermediate", "certificate_date": "2021-03-01", "certificate_already_subsidised": False,
    "skill_subsidy_claims_this_year": 0, "is_first_business": False, "hard_to_employ_certified": False,
}


def plain_three_policies(p: dict, as_of) -> dict:
    """失业保险金 (months + amount), 技能提升补贴 (参保职工), 一次性创业补贴 — by hand, 2021 figures."""
    import datetime as dt

    years = p["contribution_years"]
    months = 0
    for threshold, m in ((10, 24), (9, 18), (8, 17), (7, 16), (6, 15), (5, 14), (4, 12), (3, 8), (2, 4), (1, 2)):
        if years >= threshold:
            months = m
            break
    ui = (years >= 1 and p["involuntary_separation"] and p["registered_unemployed"] and p["job_seeking"]
          and p["is_unemployed"] and not p["receiving_pension"] and not p["ui_stop_event"])
    birth = dt.date.fromisoformat(p["birth_date"])
    age = as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))
    senior = years >= 10 and age >= (45 if p["sex"] == "female" else 50)
    uplift = 1 + 0.2 * senior + 0.08 * bool(p.get("spouse_unemployed"))
    monthly_fen = int(int(1560 * 100 * 0.9 + 0.5) * uplift + 0.5) if ui else 0
    cert = dt.date.fromisoformat(p["certificate_date"])
    recent = (as_of.year - cert.year) * 12 + as_of.month - cert.month - (as_of.day < cert.day) < 12
    skill = (p["is_enterprise_employee"] and years * 12 >= 12 and p["certificate_level"] in ("junior", "intermediate", "senior")
             and recent and not p["certificate_already_subsidised"])
    skill_fen = {"junior": 100000, "intermediate": 150000, "senior": 200000}[p["certificate_level"]] if skill else 0
    startup_fen = 500000 if p["is_first_business"] and p["hard_to_employ_certified"] else 0
    return {"ui_months": months if ui else 0, "ui_monthly_fen": monthly_fen, "skill_fen": skill_fen, "startup_fen": startup_fen}


def ask_quality(engine, root: Path) -> None:
    """Ask's accuracy targets next to its latency (the same figures as `jiuye eval-ask`)."""
    import datetime as dt

    from jiuye.ask.evaluate import evaluate, load_cases, split

    cases = load_cases(root / "eval" / "ask.yaml")
    _, held = split(cases)
    day = dt.date(2026, 11, 24)
    every, h = evaluate(engine, cases, day), evaluate(engine, held, day)
    t = Table(title=f"Ask on data/eval/ask.yaml ({every['questions']} questions; held out: every fifth, not used for tuning)")
    for col in ("measure", "all", "held out", "target"):
        t.add_column(col)
    for label, key, target in (("top-1", "top1", "≥ 90%"), ("top-3", "top3", "≥ 97%"),
                               ("out of scope refused", "oos_recall", "≥ 90%"),
                               ("in scope wrongly refused", "in_scope_refused", "≤ 3%")):
        t.add_row(label, f"{every[key]:.1%}", f"{h[key]:.1%}", target)
    t.add_row("warm query p50 / p95 ms", f"{every['p50_ms']:.2f} / {every['p95_ms']:.2f}", "", "p95 ≤ 10")
    Console(width=130).print(t)


def find_length(kb) -> None:
    """政策找人's length over both persona sets (the same figures as `jiuye eval-find`)."""
    from jiuye.web.find_eval import TARGET_MAX, TARGET_MEAN, default_path, evaluate, load_personas

    t = Table(title="政策找人问卷长度（jiuye eval-find）")
    for col in ("persona set", "personas", "questions mean / max", "pages mean / max", "complete", "target"):
        t.add_column(col)
    for name in ("find_personas.yaml", "find_personas_blind.yaml"):
        r = evaluate(kb, load_personas(default_path().parent / name))
        t.add_row(name, str(r["personas"]), f"{r['questions_mean']:.1f} / {r['questions_max']}",
                  f"{r['pages_mean']:.1f} / {r['pages_max']}", f"{r['complete']}/{r['personas']}",
                  f"≤ {TARGET_MEAN} / ≤ {TARGET_MAX}")
    Console(width=130).print(t)


def main() -> int:
    root = data_dir()
    files = sorted(root.rglob("*.yaml"))
    t = Table(title="Jiuye benchmarks (ms)")
    for col in ("what", "runs", "p50", "p95", "p99", "vs baseline"):
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
    # Screening: one person against all 47 policies in a warm process (rules, catalogue and sentence
    # templates loaded once), next to the same figures for three policies computed by hand.
    import datetime as dt

    from jiuye.screening import default_screener

    day = dt.date(2021, 6, 15)
    screener = default_screener()
    plain = timeit(lambda: plain_three_policies(SCREEN_PERSON, day), 2000)
    row(t, "baseline: plain Python, 3 policies (UI months+amount, skill upgrade, start-up)", plain)
    for _ in range(30):
        screener.screen(SCREEN_PERSON, day)
    row(t, "screen one person, all policies (warm; target p50 ≤ 10, p99 ≤ 40)",
        timeit(lambda: screener.screen(SCREEN_PERSON, day), 300), plain)
    import subprocess
    py = sys.executable
    cold_base = timeit(lambda: subprocess.run([py, "-c", "import yaml"], check=True), 3)
    row(t, "baseline: python start + import yaml", cold_base)
    cold = timeit(lambda: subprocess.run(
        [py, "-c", "from jiuye.knowledge.loader import get_knowledge; from jiuye.ask.engine import get_engine; "
                   "get_engine(get_knowledge()).ask('失业金能领几个月')"], check=True), 3)
    row(t, "ask cold start: load + index + first answer (target ≤ 2000)", cold, cold_base)
    rules = timeit(lambda: subprocess.run([py, "-c", "from jiuye.rules import build_system; build_system()"], check=True), 3)
    row(t, "rules: import + build the OpenFisca system, fresh process (target ≤ 2000)", rules, cold_base)
    Console(width=130).print(t)
    ask_quality(engine, root)
    __import__("ask_cold").run_and_print()  # Ask's cold start alone: wall and CPU time (bench/ask_cold.py)
    find_length(kb)
    __import__("hardening").run_and_print()  # the same requests with and without the hardening middlewares
    __import__("cases").run_and_print()  # cases on PostgreSQL, 200 concurrent clients (bench/cases.py)
    __import__("serve").run_and_print()  # jiuye serve --workers 1 and 2 under 20 clients; start → ready (bench/serve.py)
    # jiuye batch: JIUYE_BENCH_ROWS persons (default 1,000,000) and 100,000 enterprises, CSV → Parquet, each in a
    # fresh process, next to a pandas/numpy baseline and the pyarrow floor (bench/batch.py)
    __import__("batch").main(Console(width=140))
    # the labour market: matching quality on the judged set, and 100,000 seekers × 20,000 posts (bench/market.py)
    __import__("market").main(Console(width=140))
    # …and through the API on a real server: 20,000 public posts, one search and one seeker's matches (bench/market_api.py)
    __import__("market_api").run(Console(width=140))
    # 打工直通车: 1,000 sign-ups a minute through the API on SQLite, counted after; the follow-up queue page with
    # 10,000 sign-ups waiting in a district (bench/dagong.py)
    __import__("dagong").run(Console(width=140))
    # 招聘会: 5,000 visitors checked in at the door of a 200-booth fair, on SQLite and on PostgreSQL (bench/fairs.py)
    __import__("fairs").run(Console(width=140))
    # training: a class of 60 signing in within 2 minutes (none lost) and course search with 5,000 courses,
    # on SQLite and PostgreSQL (bench/training.py)
    __import__("training").run(Console(width=140))
    return 0


if __name__ == "__main__":
    sys.exit(main())
