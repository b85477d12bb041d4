"""Fairs: the weekly on-site fair and the 「上什么班」 live stream as dated occurrences made from
data/fairs/fairs.yaml (idempotent: `series` is unique), fairs staff create (on site or online), lists,
views and the live stream's featured posts.

A fair's day and hours are Beijing time; it is over (`past`) once its end has passed.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.fairs import access
from jiuye.fairs.common import (
    Invalid, NotFound, actor_of, at_beijing, check_id, clean_text, clock, commit, record_event, system_event,
)
from jiuye.fairs.models import Booth, Fair, Feature, Visitor
from jiuye.fairs.settings import cite, fairs as settings

KIND_LABELS = {"onsite": "现场招聘会", "online": "网络招聘会", "stream": "直播带岗"}
MODE_LABELS = {"first_come": "先到先得", "sector": "按行业分区"}
STATE_LABELS = {"open": "正常举办", "cancelled": "已取消"}


def _next_weekday(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.isoweekday()) % 7)


def _sources(items) -> list[dict]:
    return [{"document": x.document, "section": x.section, "quote": x.quote} for x in items]


def ensure_schedule(s: Session, *, weeks: int | None = None, start: dt.date | None = None) -> dict[str, int]:
    """Make the weekly on-site fairs and the live streams of the coming weeks (from today, Beijing) that
    are not there yet. Commits. Returns how many of each were made."""
    cfg = settings()
    w, ls = cfg.weekly, cfg.livestream
    day0 = start or clock.today()
    made = {"onsite": 0, "stream": 0}
    have = set(s.scalars(select(Fair.series).where(Fair.series.is_not(None), Fair.held_on >= day0)).all())
    for i in range(weeks or w.weeks_ahead):
        day = _next_weekday(day0, w.weekday) + dt.timedelta(weeks=i)
        key = f"weekly-{day.isoformat()}"
        if key not in have:
            s.add(Fair(kind="onsite", series=key, name=w.name, held_on=day, starts_at=at_beijing(day, w.start),
                       ends_at=at_beijing(day, w.end), place=w.place, district="兴安盟", booths=w.booths,
                       assign_mode="first_come", sources=_sources(w.sources), state="open",
                       note=f"提供岗位 {w.posts_min}-{w.posts_max} 个（资料所写）。展位数：{w.booths_source}"))
            made["onsite"] += 1
    for i in range(weeks or ls.weeks_ahead):
        day = _next_weekday(day0, ls.weekday) + dt.timedelta(weeks=i)
        key = f"stream-{day.isoformat()}"
        if key not in have:
            s.add(Fair(kind="stream", series=key, name=ls.name, held_on=day, starts_at=at_beijing(day, ls.start),
                       ends_at=at_beijing(day, ls.end), platform="；".join(ls.platforms), district="兴安盟", booths=0,
                       assign_mode="first_come", sources=_sources(ls.sources), state="open", note=ls.note or None))
            made["stream"] += 1
    if made["onsite"] or made["stream"]:
        system_event(s, "schedule_made", data=made)
    commit(s)
    return made


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        day = dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise Invalid("日期格式应为 2026-12-11", field=field) from None
    if not 2000 <= day.year <= 2100:
        raise Invalid("日期应在 2000 至 2100 年之间", field=field)
    return day


def _time(value: Any, field: str) -> dt.time:
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value or "").strip())
    except ValueError:
        raise Invalid("时间格式应为 09:00", field=field) from None


def create(s: Session, staff: User, data: dict[str, Any]) -> Fair:
    """A fair staff make: name, kind (onsite | online), date, hours, place (on site) or platform (online),
    booths, assignment (first come | by sector)."""
    actor = actor_of(s, staff)
    district = (data.get("district") or staff.district or "").strip()
    access.require(access.fair(actor, "edit", "open", district=district))
    kind = data.get("kind") or "onsite"
    if kind not in ("onsite", "online"):
        raise Invalid("招聘会类型应为：现场招聘会、网络招聘会", field="kind")
    name = (data.get("name") or "").strip()
    if not name or len(name) > 100:
        raise Invalid("请填写招聘会名称（100 字以内）", field="name")
    day = _date(data.get("held_on"), "held_on")
    start, end = _time(data.get("start") or "09:00", "start"), _time(data.get("end") or "11:30", "end")
    if end <= start:
        raise Invalid("结束时间须晚于开始时间", field="end")
    place = (data.get("place") or "").strip()[:100] or None
    platform = (data.get("platform") or "").strip()
    if kind == "onsite" and not place:
        raise Invalid("现场招聘会请填写地点", field="place")
    if kind == "online":
        if platform not in {p.code for p in settings().online_platforms}:
            raise Invalid("请选择网络招聘平台", field="platform")
        platform = settings().platform_name(platform)
    try:
        booths = int(str(data.get("booths") or "").strip())
    except ValueError:
        raise Invalid("展位数应为整数", field="booths") from None
    if not 1 <= booths <= 1000:
        raise Invalid("展位数应在 1 至 1000 之间", field="booths")
    mode = data.get("assign_mode") or "first_come"
    if mode not in MODE_LABELS:
        raise Invalid("展位分配方式应为：先到先得、按行业分区", field="assign_mode")
    f = Fair(kind=kind, name=name, held_on=day, starts_at=at_beijing(day, start), ends_at=at_beijing(day, end),
             place=place if kind == "onsite" else None, platform=platform or None, district=district, booths=booths,
             assign_mode=mode, sources=[], note=clean_text(data.get("note")), state="open", created_by_id=staff.id)
    s.add(f)
    s.flush()
    record_event(s, staff, "fair_created", fair_id=f.id, data={"kind": kind, "held_on": day.isoformat()})
    commit(s)
    return f


def get(s: Session, fair_id: int) -> Fair:
    check_id(fair_id, "招聘会")
    f = s.get(Fair, fair_id)
    if f is None:
        raise NotFound("没有这场招聘会")
    return f


def is_past(f: Fair) -> bool:
    return clock.now() > clock.aware(f.ends_at)


def cancel(s: Session, staff: User, fair_id: int, reason: str) -> Fair:
    f = get(s, fair_id)
    access.require(access.fair(actor_of(s, staff), "edit", f.state, district=f.district))
    if f.state != "open":
        raise Invalid("这场招聘会已取消", field="state")
    why = clean_text(reason, 200)
    if not why:
        raise Invalid("请写明取消原因", field="reason")
    f.state, f.updated_at = "cancelled", clock.now()
    record_event(s, staff, "fair_cancelled", fair_id=f.id, comment=why)
    commit(s)
    return f


def upcoming(s: Session, *, kind: str | None = None, limit: int = 30, include_past_days: int = 0) -> list[Fair]:
    q = select(Fair).where(Fair.held_on >= clock.today() - dt.timedelta(days=include_past_days))
    if kind:
        q = q.where(Fair.kind == kind)
    return list(s.scalars(q.order_by(Fair.held_on, Fair.starts_at, Fair.id).limit(limit)).all())


def for_staff(s: Session, staff: User, *, days_back: int = 60, limit: int = 100) -> list[Fair]:
    scope = access.scope(actor_of(s, staff))
    q = select(Fair).where(Fair.held_on >= clock.today() - dt.timedelta(days=days_back))
    if scope is not None:
        q = q.where(Fair.district == scope)
    return list(s.scalars(q.order_by(Fair.held_on, Fair.id).limit(limit)).all())


# --- live streams: the featured posts ------------------------------------------------------------------
def feature(s: Session, staff: User, fair_id: int, posting_id: int) -> Feature:
    from jiuye.market import postings

    f = get(s, fair_id)
    access.require(access.fair(actor_of(s, staff), "edit", f.state, district=f.district))
    if f.kind != "stream":
        raise Invalid("只有直播带岗可以设置推介岗位；招聘会的岗位随展位发布", field="fair_id")
    p = postings.load(s, None, posting_id)  # public posts only
    if s.scalar(select(Feature.id).where(Feature.fair_id == f.id, Feature.posting_id == p.id)):
        raise Invalid("这个岗位已在本期直播中", field="posting_id")
    row = Feature(fair_id=f.id, posting_id=p.id, added_by_id=staff.id, added_at=clock.now())
    s.add(row)
    record_event(s, staff, "stream_post_added", fair_id=f.id, data={"posting_id": p.id})
    commit(s)
    return row


def posts_of(s: Session, f: Fair) -> list[dict]:
    """The posts shown with a fair: a stream's featured posts; a fair's approved booths' posts."""
    from jiuye.market.models import Posting
    from jiuye.market.postings import view

    if f.kind == "stream":
        ids = list(s.scalars(select(Feature.posting_id).where(Feature.fair_id == f.id).order_by(Feature.id)).all())
    else:
        ids = [i for lst in s.scalars(select(Booth.posting_ids).where(Booth.fair_id == f.id, Booth.state == "approved"))
               for i in (lst or [])]
    if not ids:
        return []
    rows = {p.id: p for p in s.scalars(select(Posting).where(Posting.id.in_(ids))).all()}
    return [view(rows[i]) for i in dict.fromkeys(ids) if i in rows and rows[i].state == "published"]


def counts(s: Session, fair_id: int) -> dict[str, int]:
    booked = s.scalar(select(func.count()).select_from(Booth).where(Booth.fair_id == fair_id, Booth.state == "approved"))
    waiting = s.scalar(select(func.count()).select_from(Booth).where(Booth.fair_id == fair_id, Booth.state == "waiting"))
    visitors = s.scalar(select(func.count()).select_from(Visitor).where(Visitor.fair_id == fair_id))
    return {"approved": booked or 0, "waiting": waiting or 0, "visitors": visitors or 0}


def view(f: Fair, *, s: Session | None = None) -> dict:
    when = f"{f.held_on.isoformat()}（{'一二三四五六日'[f.held_on.weekday()]}）{clock.show(f.starts_at)[-5:]}–{clock.show(f.ends_at)[-5:]}"
    d = {"id": f.id, "kind": f.kind, "kind_label": KIND_LABELS[f.kind], "name": f.name, "held_on": f.held_on.isoformat(),
         "when": when, "place": f.place, "platform": f.platform, "district": f.district, "booths": f.booths,
         "assign_mode": f.assign_mode, "mode_label": MODE_LABELS.get(f.assign_mode, ""), "state": f.state,
         "state_label": STATE_LABELS[f.state], "past": is_past(f), "note": f.note, "weekly": bool(f.series),
         "sources": [cite_dict(x) for x in (f.sources or [])]}
    if s is not None:
        d.update(counts(s, f.id))
        d["full"] = d["approved"] >= f.booths
    return d


def cite_dict(src: dict) -> str:
    from jiuye.platforms.settings import Source

    return cite(Source(**src))
