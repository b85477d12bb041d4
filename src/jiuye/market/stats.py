"""Statistics for the centre (供求统计): registered seekers and published posts by 旗县市, occupation
and month; places offered and filled (fill rate = hires through the platform / places offered);
time to fill (days from a post's publication to each hire); employer reply rate (applications the
employer answered — interview invitation or outcome — / applications received).

Computed from the tables on demand, so every hire, post and registration counts at once. Staff see
their district (the 盟中心 and 盟人社局 the whole league); the period filters by the registration,
publication and application dates. Export: the same figures as one long table (CSV or XLSX), cells
made inert for spreadsheets (jiuye.batch.safe_cells through jiuye.batch.writers).
"""
from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.models import Enterprise, User
from jiuye.market import access, bridge
from jiuye.market.common import Forbidden, Invalid, beijing_date, market_actor
from jiuye.market.models import Application, MarketEmployer, Posting, Seeker

UNCLASSIFIED = "未归类（未填职业编码）"


def _month(d: dt.date | None) -> str | None:
    return f"{d.year}-{d.month:02d}" if d else None


def _in(d: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    return d is not None and (start is None or d >= start) and (end is None or d <= end)


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def compute(s: Session, user: User, *, start: dt.date | None = None, end: dt.date | None = None) -> dict:
    actor = market_actor(s, user)
    ok, why = access.stats(actor)
    if not ok:
        raise Forbidden(why)
    if start and end and end < start:
        raise Invalid("结束日期早于开始日期", field="end")
    scope = access.stats_scope(actor)

    sq = select(Seeker.district, Seeker.occupation, Seeker.registered_on, Seeker.state, Seeker.outcome)
    if scope:
        sq = sq.where(Seeker.district == scope)
    seekers = [r for r in s.execute(sq).all() if _in(r.registered_on, start, end)]

    pq = select(Posting.id, Posting.scope_district, Posting.occupation_code, Posting.title, Posting.published_on,
                Posting.places, Posting.places_left, Posting.state, Posting.employer_id).where(Posting.published_on.is_not(None))
    if scope:
        pq = pq.where(Posting.scope_district == scope)
    posts = [r for r in s.execute(pq).all() if _in(r.published_on, start, end)]
    post_ids = {p.id for p in posts}

    aq = select(Application.posting_id, Application.state, Application.created_at, Application.answered_at,
                Application.decided_at, Posting.scope_district, Posting.published_on, Posting.employer_id).join(
        Posting, Posting.id == Application.posting_id)
    if scope:
        aq = aq.where(Posting.scope_district == scope)
    apps = [r for r in s.execute(aq).all() if _in(beijing_date(r.created_at), start, end)]
    hires = [r for r in s.execute(aq.where(Application.state == "hired")).all() if r.posting_id in post_ids]

    days_to_fill = [(beijing_date(h.decided_at) - h.published_on).days for h in hires if h.decided_at and h.published_on]
    places = sum(p.places for p in posts)
    answered = sum(1 for a in apps if a.answered_at is not None)

    labels: dict[str, str] = {}
    for p in posts:  # an occupation shown by its classification name, else a title posted under it
        if p.occupation_code:
            labels.setdefault(p.occupation_code, bridge.occupation_label(p.occupation_code) or p.title)

    def occ(code: str | None) -> str:
        if not code:
            return UNCLASSIFIED
        return labels.get(code) or bridge.occupation_label(code) or f"职业编码 {code}"

    by_district: dict[str, dict] = defaultdict(lambda: {"seekers": 0, "active_seekers": 0, "postings": 0, "places": 0,
                                                        "hires": 0, "applications": 0, "answered": 0})
    for r in seekers:
        by_district[r.district]["seekers"] += 1
        by_district[r.district]["active_seekers"] += r.state == "active"
    for p in posts:
        by_district[p.scope_district]["postings"] += 1
        by_district[p.scope_district]["places"] += p.places
    for h in hires:
        by_district[h.scope_district]["hires"] += 1
    for a in apps:
        by_district[a.scope_district]["applications"] += 1
        by_district[a.scope_district]["answered"] += a.answered_at is not None
    district_rows = [{"district": k, **v, "fill_rate": _rate(v["hires"], v["places"]),
                      "reply_rate": _rate(v["answered"], v["applications"])} for k, v in sorted(by_district.items())]

    occ_seekers = Counter(occ(r.occupation) for r in seekers)
    occ_posts, occ_places = Counter(), Counter()
    for p in posts:
        occ_posts[occ(p.occupation_code)] += 1
        occ_places[occ(p.occupation_code)] += p.places
    occupation_rows = sorted(({"occupation": k, "seekers": occ_seekers[k], "postings": occ_posts[k],
                               "places": occ_places[k]} for k in set(occ_seekers) | set(occ_posts)),
                             key=lambda r: (-(r["places"] + r["seekers"]), r["occupation"]))

    months: dict[str, dict] = defaultdict(lambda: {"seekers": 0, "postings": 0, "places": 0, "hires": 0})
    for r in seekers:
        months[_month(r.registered_on)]["seekers"] += 1
    for p in posts:
        months[_month(p.published_on)]["postings"] += 1
        months[_month(p.published_on)]["places"] += p.places
    for h in hires:
        months[_month(beijing_date(h.decided_at))]["hires"] += 1
    month_rows = [{"month": k, **v} for k, v in sorted(months.items())]

    received, replied = Counter(), Counter()
    for a in apps:
        received[a.employer_id] += 1
        replied[a.employer_id] += a.answered_at is not None
    names = dict(s.execute(select(MarketEmployer.id, Enterprise.name).join(
        Enterprise, Enterprise.id == MarketEmployer.enterprise_id).where(MarketEmployer.id.in_(list(received)))).all()) \
        if received else {}
    employer_rows = sorted(({"employer": names.get(k, ""), "received": n, "answered": replied[k],
                             "reply_rate": _rate(replied[k], n)} for k, n in received.items()),
                           key=lambda r: (r["reply_rate"] if r["reply_rate"] is not None else 2, -r["received"]))

    return {
        "scope": scope or "兴安盟（全盟）", "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "totals": {"seekers": len(seekers), "active_seekers": sum(r.state == "active" for r in seekers),
                   "seekers_hired_here": sum(r.outcome == "hired_here" for r in seekers),
                   "postings": len(posts), "places": places, "hires": len(hires),
                   "fill_rate": _rate(len(hires), places),
                   "days_to_fill_median": statistics.median(days_to_fill) if days_to_fill else None,
                   "days_to_fill_mean": round(statistics.fmean(days_to_fill), 1) if days_to_fill else None,
                   "applications": len(apps), "answered": answered, "reply_rate": _rate(answered, len(apps))},
        "by_district": district_rows, "by_occupation": occupation_rows[:30], "by_month": month_rows,
        "by_employer": employer_rows[:30],
    }


# --- export ----------------------------------------------------------------------------------------
COLUMNS = ["统计项", "旗县市", "职业", "月份", "单位", "数值"]
TOTAL_LABELS = {"seekers": "求职登记人数", "active_seekers": "登记中的求职者", "seekers_hired_here": "经本平台录用的求职者",
                "postings": "发布岗位数", "places": "招用人数", "hires": "录用人数", "fill_rate": "岗位满足率（录用/招用）",
                "days_to_fill_median": "招满用时中位数（天）", "days_to_fill_mean": "招满用时平均（天）",
                "applications": "收到求职申请", "answered": "单位已答复", "reply_rate": "单位答复率"}
ROW_LABELS = {"seekers": "求职登记人数", "active_seekers": "登记中的求职者", "postings": "发布岗位数", "places": "招用人数",
              "hires": "录用人数", "applications": "收到求职申请", "answered": "单位已答复", "fill_rate": "岗位满足率",
              "reply_rate": "单位答复率", "received": "收到求职申请"}


def long_rows(d: dict) -> list[list]:
    """The statistics as one long table (COLUMNS), for CSV and XLSX."""
    rows: list[list] = [[TOTAL_LABELS[k], d["scope"], "", "", "", v] for k, v in d["totals"].items()]
    for r in d["by_district"]:
        rows += [[ROW_LABELS[k], r["district"], "", "", "", r[k]] for k in ROW_LABELS if k in r]
    for r in d["by_occupation"]:
        rows += [[ROW_LABELS[k], d["scope"], r["occupation"], "", "", r[k]] for k in ("seekers", "postings", "places")]
    for r in d["by_month"]:
        rows += [[ROW_LABELS[k], d["scope"], "", r["month"], "", r[k]] for k in ("seekers", "postings", "places", "hires")]
    for r in d["by_employer"]:
        rows += [[ROW_LABELS[k], d["scope"], "", "", r["employer"], r[k]] for k in ("received", "answered", "reply_rate")]
    return rows


def export(d: dict, path: Path) -> Path:
    """Write the long table to `path` (.csv UTF-8 with BOM, or .xlsx)."""
    import pyarrow as pa

    from jiuye.batch.writers import write_table

    rows = long_rows(d)
    cols = list(zip(*rows)) if rows else [[] for _ in COLUMNS]
    table = pa.table({name: pa.array([None if v is None else str(v) for v in col], pa.string())
                      for name, col in zip(COLUMNS, cols)})
    return write_table(path, table)
