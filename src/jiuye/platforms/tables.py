"""The station and district tables of 打工直通车: for each station (and each district, and the whole
scope) the sign-ups, how many were contacted within the follow-up clock (24 hours, data/platforms/
dagong.yaml) and their share, placed (已上岗), and still working at the 30-day visit. CSV / XLSX export.

Shares are over the sign-ups whose clock is decided: contacted (in time or late) or past the clock
uncontacted. A sign-up still inside its 24 hours and not yet contacted is counted in 「报名」 and
「等待联系」, not in the share. 「30 天仍在岗」 is over the visits done.

Scope (jiuye.platforms.access.scope): a station master their station, staff their district, the
盟中心 / 人社局 of 盟本级 and the admin the league. Period: the sign-up's date (Beijing) from `start` to `end`.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.platforms import access, clock
from jiuye.platforms.common import Invalid, actor_of
from jiuye.platforms.models import Signup, Station

COLUMNS = [("signups", "报名"), ("waiting", "等待联系（24小时内）"), ("decided", "时限已到或已联系"),
           ("in_time", "24小时内联系上"), ("in_time_rate", "24小时内联系率"), ("late", "超时后联系上"),
           ("overdue", "超时未联系"), ("escalated", "已转交旗县市中心"), ("placed", "已上岗"), ("visited", "已做30天回访"),
           ("still_working", "30天仍在岗"), ("retention_rate", "30天在岗率")]


def _bounds(start: dt.date | None, end: dt.date | None):
    if start and end and end < start:
        raise Invalid("结束日期早于开始日期", field="end")
    lo = dt.datetime.combine(start, dt.time(), clock.BEIJING).astimezone(clock.UTC) if start else None
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), clock.BEIJING).astimezone(clock.UTC) if end else None
    return lo, hi


def _aggregates(now: dt.datetime):
    contacted = Signup.contacted_at.is_not(None)
    in_time = and_(contacted, Signup.contacted_at <= Signup.due_at)
    n = lambda cond: func.sum(case((cond, 1), else_=0))  # noqa: E731
    return [func.count(Signup.id).label("signups"),
            n(and_(Signup.contacted_at.is_(None), Signup.due_at > now, Signup.state == "signed_up")).label("waiting"),
            n(or_(contacted, Signup.due_at <= now)).label("decided"),
            n(in_time).label("in_time"),
            n(and_(contacted, Signup.contacted_at > Signup.due_at)).label("late"),
            n(and_(Signup.contacted_at.is_(None), Signup.due_at <= now)).label("overdue"),
            n(Signup.escalated_at.is_not(None)).label("escalated"),
            n(Signup.started_on.is_not(None)).label("placed"),
            n(Signup.followed_up_at.is_not(None)).label("visited"),
            n(Signup.still_working.is_(True)).label("still_working")]


def _rate(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _row(r) -> dict:
    d = {k: int(getattr(r, k) or 0) for k, _ in COLUMNS if not k.endswith("_rate")}
    d["in_time_rate"] = _rate(d["in_time"], d["decided"])
    d["retention_rate"] = _rate(d["still_working"], d["visited"])
    return d


def compute(s: Session, user: User | None, *, start: dt.date | None = None, end: dt.date | None = None) -> dict:
    actor = actor_of(s, user)
    access.require(access.tables(actor))
    district, station = access.scope(actor)
    lo, hi = _bounds(start, end)
    conds = []
    if station is not None:
        conds.append(Signup.station_id == station)
    elif district is not None:
        conds.append(Signup.district == district)
    if lo is not None:
        conds.append(Signup.created_at >= lo)
    if hi is not None:
        conds.append(Signup.created_at < hi)
    now = clock.now()
    aggs = _aggregates(now)
    total = _row(s.execute(select(*aggs).where(*conds)).one())
    by_district = [{"district": r.district, **_row(r)} for r in
                   s.execute(select(Signup.district, *aggs).where(*conds).group_by(Signup.district)
                             .order_by(Signup.district)).all()]
    names = dict(s.execute(select(Station.id, Station.name)).all())
    dists = dict(s.execute(select(Station.id, Station.district)).all())
    by_station = [{"station": names.get(r.station_id, "（未经工作站：手机或电话报名）") if r.station_id else
                   "（未经工作站：手机或电话报名）", "station_id": r.station_id,
                   "district": dists.get(r.station_id, r.district) if r.station_id else r.district, **_row(r)}
                  for r in s.execute(select(Signup.station_id, Signup.district, *aggs).where(*conds)
                                     .group_by(Signup.station_id, Signup.district)).all()]
    by_station.sort(key=lambda r: (r["district"], r["station_id"] is None, r["station"]))
    scope = (names.get(station, "本工作站") if station is not None else district) or "兴安盟（全盟）"
    from jiuye.platforms.settings import follow_up_basis

    return {"scope": scope, "start": start.isoformat() if start else None, "end": end.isoformat() if end else None,
            "as_of": clock.show(now), "totals": total, "by_district": by_district, "by_station": by_station,
            "columns": COLUMNS, "basis": follow_up_basis()}


def _fmt(key: str, v) -> str:
    if v is None:
        return "—"
    if key.endswith("_rate"):
        return f"{v * 100:.1f}%"
    return str(v)


def long_rows(d: dict) -> tuple[list[str], list[list[str]]]:
    """One wide table: a row per station, then per district, then the total."""
    header = ["类别", "旗县市", "工作站"] + [label for _, label in COLUMNS]
    rows = []
    for r in d["by_station"]:
        rows.append(["工作站", r["district"], r["station"]] + [_fmt(k, r[k]) for k, _ in COLUMNS])
    for r in d["by_district"]:
        rows.append(["旗县市合计", r["district"], ""] + [_fmt(k, r[k]) for k, _ in COLUMNS])
    rows.append(["合计", d["scope"], ""] + [_fmt(k, d["totals"][k]) for k, _ in COLUMNS])
    return header, rows


def export(d: dict, path: Path) -> Path:
    """Write the table to `path` (.csv UTF-8 with BOM, or .xlsx); formula-looking cells are defused."""
    import pyarrow as pa

    from jiuye.batch.writers import write_table

    header, rows = long_rows(d)
    cols = list(zip(*rows)) if rows else [[] for _ in header]
    table = pa.table({name: pa.array(list(col), pa.string()) for name, col in zip(header, cols)})
    return write_table(path, table)
