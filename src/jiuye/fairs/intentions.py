"""Intentions (意向): at a booth, staff or the booth's employer record that a checked-in seeker and the
employer mean to go on (for one of the booth's posts); from a live stream's page a seeker signs up for a
featured post, which is an intention too. Each gets a follow-up clock (data/fairs/fairs.yaml ›
intention_follow_up): the task opens the day after the fair at 09:00 (Beijing) and is due 24 hours later.
The outcome (录用 / 约面试 / 不合适 / 联系不上) is recorded by the employer or staff; a hire gets a check
`hire_check_days` after its start (still working?), which the report counts as 30 天在岗.

A hire is written back to the labour market (jiuye.market.hires): the seeker's 求职登记 closes as
经本平台录用 and, when the intention names a post, the market counts the hire once (the same hire
recorded through a market application is not counted again); what happened is in the audit trail.

The clock runs on the task queue (jiuye.fairs.tasks): opening the task tells the employer and the
centre, a task past its due time is marked and the centre is told; both once per intention.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.fairs import access
from jiuye.fairs.common import (
    Invalid, NotFound, actor_of, at_beijing, check_id, clean_text, clock, commit, record_event,
)
from jiuye.fairs.models import Booth, Fair, Intention, Visitor
from jiuye.fairs.settings import fairs as settings
from jiuye.fairs.visitors import normalise_code

OUTCOMES = {"hired": "已录用", "interview": "约了面试", "declined": "不合适", "unreachable": "联系不上"}
STATE_LABELS = {"open": "待回访", "followed_up": "已回访"}


def clock_of(fair_day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """(opens, due) of an intention made at a fair held on `fair_day`."""
    cfg = settings().intention_follow_up
    opens = at_beijing(fair_day + dt.timedelta(days=1), cfg.opens(fair_day))
    return opens, opens + dt.timedelta(hours=cfg.hours)


def _new(s: Session, f: Fair, v: Visitor, *, booth: Booth | None, posting_id: int | None, title: str | None,
         note: str | None, by: User | None) -> Intention:
    opens, due = clock_of(f.held_on)
    i = Intention(fair_id=f.id, booth_id=booth.id if booth else None, visitor_id=v.id, posting_id=posting_id,
                  posting_title=title, note=clean_text(note), recorded_by_id=by.id if by else None,
                  recorded_at=clock.now(), opens_at=opens, due_at=due, state="open", updated_at=clock.now())
    s.add(i)
    s.flush()
    return i


def record(s: Session, user: User, booth_id: int, *, code: str, posting_id: int | None = None, note: str = "") -> Intention:
    """At a booth: the seeker by their check-in code (typed or scanned) or their phone."""
    from jiuye.fairs.booths import load as load_booth
    from jiuye.market.models import Posting

    b = load_booth(s, user, booth_id, "record_intention")
    c = normalise_code(code)
    if not c:
        raise Invalid("请输入求职者的签到码或手机号", field="code")
    v = s.scalar(select(Visitor).where(Visitor.fair_id == b.fair_id, (Visitor.code == c) | (Visitor.phone == c)))
    if v is None:
        raise NotFound("本场招聘会没有这个签到码或手机号的求职者（请先在入口登记签到）", field="code")
    title = None
    if posting_id is not None:
        if posting_id not in (b.posting_ids or []):
            raise Invalid("请选择本展位带来的岗位", field="posting_id")
        title = s.scalar(select(Posting.title).where(Posting.id == posting_id))
    if s.scalar(select(Intention.id).where(Intention.booth_id == b.id, Intention.visitor_id == v.id,
                                           Intention.posting_id.is_(posting_id) if posting_id is None
                                           else Intention.posting_id == posting_id)):
        raise Invalid("已经为这位求职者记录过这个意向", field="code")
    i = _new(s, b.fair, v, booth=b, posting_id=posting_id, title=title, note=note, by=user)
    record_event(s, user, "intention_recorded", fair_id=b.fair_id, booth_id=b.id, visitor_id=v.id, intention_id=i.id)
    commit(s)
    return i


def stream_signup(s: Session, user: User | None, fair_id: int, posting_id: int, *, name: str, phone: str) -> Intention:
    """Sign up for a post featured in a live stream (from the stream's page): registration + intention."""
    from jiuye.fairs.fairs import get as get_fair
    from jiuye.fairs.models import Feature
    from jiuye.fairs.visitors import register
    from jiuye.market.models import Posting

    f = get_fair(s, fair_id)
    if f.kind != "stream":
        raise Invalid("只有直播带岗的推介岗位可以在这里报名", field="fair_id")
    if s.scalar(select(Feature.id).where(Feature.fair_id == f.id, Feature.posting_id == posting_id)) is None:
        raise NotFound("本期直播没有推介这个岗位", field="posting_id")
    v, _created = register(s, user, fair_id, name=name, phone=phone, channel="stream", commit_now=False)
    old = s.scalar(select(Intention).where(Intention.fair_id == f.id, Intention.visitor_id == v.id,
                                           Intention.posting_id == posting_id))
    if old is not None:
        commit(s)
        return old
    title = s.scalar(select(Posting.title).where(Posting.id == posting_id))
    i = _new(s, f, v, booth=None, posting_id=posting_id, title=title, note=None, by=None)
    record_event(s, user, "stream_signup", fair_id=f.id, visitor_id=v.id, intention_id=i.id)
    commit(s)
    return i


def _ids(i: Intention) -> dict:
    return {"district": i.visitor.fair.district, "employer_id": i.booth.employer_id if i.booth else None,
            "visitor_user_id": i.visitor.user_id}


def load(s: Session, user: User | None, intention_id: int, action: str = "view") -> Intention:
    check_id(intention_id, "意向")
    i = s.get(Intention, intention_id)
    actor = actor_of(s, user)
    if i is None or not access.intention(actor, "view", i.state, **_ids(i))[0]:
        raise NotFound("没有这条意向（或您无权查看）")
    if action != "view":
        access.require(access.intention(actor, action, i.state, **_ids(i)))
    return i


def follow_up(s: Session, user: User, intention_id: int, outcome: str, *, note: str = "",
              hired_on: dt.date | None = None) -> Intention:
    i = load(s, user, intention_id, "follow_up")
    if outcome not in OUTCOMES:
        raise Invalid(f"回访结果应为：{'、'.join(OUTCOMES.values())}", field="outcome")
    if outcome == "hired":
        hired_on = hired_on or clock.today()
        if hired_on < i.visitor.fair.held_on:
            raise Invalid("上岗日期不能早于招聘会日期", field="hired_on")
        if hired_on > clock.today() + dt.timedelta(days=366):
            raise Invalid("上岗日期不能晚于一年以后", field="hired_on")
        i.hired_on, i.check_due_on = hired_on, hired_on + dt.timedelta(days=settings().hire_check_days)
    now = clock.now()
    i.state, i.outcome, i.outcome_note = "followed_up", outcome, clean_text(note)
    i.followed_up_at, i.followed_up_by_id, i.updated_at = now, user.id, now
    data = {"outcome": outcome, "late": now > clock.aware(i.due_at)}
    if outcome == "hired":  # written back to the labour market in the same transaction, counted once there
        from jiuye.market.hires import record_outside_hire

        w = record_outside_hire(s, user, "fair", user_id=i.visitor.user_id, phone=i.visitor.phone,
                                posting_id=i.posting_id, note=i.outcome_note)
        data["market"] = {"counted": w.counted, "application_id": w.application_id, "seeker_id": w.seeker_id, "why": w.why}
    record_event(s, user, "intention_followed_up", fair_id=i.fair_id, booth_id=i.booth_id, intention_id=i.id,
                 data=data)
    commit(s)
    return i


def market_note(s: Session, i: Intention) -> str:
    """What the hire's write-back to the labour market did (from the audit trail), '' when none."""
    from jiuye.fairs.models import FairEvent

    data = s.scalar(select(FairEvent.data).where(FairEvent.kind == "intention_followed_up", FairEvent.intention_id == i.id)
                    .order_by(FairEvent.id.desc()).limit(1))
    return ((data or {}).get("market") or {}).get("why", "")


def check_30(s: Session, user: User, intention_id: int, still_working: bool) -> Intention:
    i = load(s, user, intention_id, "check_30")
    if i.outcome != "hired":
        raise Invalid("只有录用的意向需要 30 天在岗回访", field="still_working")
    if i.check_due_on and clock.today() < i.check_due_on:
        raise Invalid(f"上岗满 {settings().hire_check_days} 天（{i.check_due_on.isoformat()}）后再回访", field="still_working")
    i.still_working, i.updated_at = bool(still_working), clock.now()
    record_event(s, user, "intention_30_days", fair_id=i.fair_id, intention_id=i.id, data={"still_working": bool(still_working)})
    commit(s)
    return i


def _scoped(s: Session, user: User):
    """The intentions a user may list: an employer's own booths', staff's district, admin all."""
    actor = actor_of(s, user)
    q = select(Intention).join(Fair, Fair.id == Intention.fair_id)
    if actor.kind == "employer":
        return q.join(Booth, Booth.id == Intention.booth_id).where(Booth.employer_id == actor.employer_id)
    if actor.kind == "admin":
        return q
    if actor.kind == "staff" and actor.role in access.VIEW_ROLES:
        scope = access.scope(actor)
        return q if scope is None else q.where(Fair.district == scope)
    return None


def queue(s: Session, user: User, *, fair_id: int | None = None, tab: str = "open", limit: int = 200) -> list[Intention]:
    """Follow-up tasks by time left (open ones whose task has opened; `all`: every one)."""
    q = _scoped(s, user)
    if q is None:
        return []
    if fair_id is not None:
        q = q.where(Intention.fair_id == fair_id)
    if tab == "open":
        q = q.where(Intention.state == "open", Intention.opens_at <= clock.now())
    elif tab == "waiting":
        q = q.where(Intention.state == "open", Intention.opens_at > clock.now())
    elif tab == "checks":
        q = q.where(Intention.outcome == "hired", Intention.still_working.is_(None))
    return list(s.scalars(q.order_by(Intention.due_at, Intention.id).limit(limit)).all())


def mine(s: Session, user: User) -> list[Intention]:
    """A seeker's own intentions (by their registrations)."""
    from jiuye.fairs.visitors import mine as my_visits

    ids = [v.id for v in my_visits(s, user)]
    if not ids:
        return []
    return list(s.scalars(select(Intention).where(Intention.visitor_id.in_(ids)).order_by(Intention.id.desc())).all())


def view(i: Intention, *, full: bool = False) -> dict:
    from jiuye.fairs.visitors import view as visitor_view

    now = clock.now()
    due = clock.aware(i.due_at)
    return {"id": i.id, "fair_id": i.fair_id, "booth_id": i.booth_id,
            "employer_name": i.booth.employer_name if i.booth else "（直播带岗报名）",
            "posting_id": i.posting_id, "posting_title": i.posting_title or "（未指定岗位）", "note": i.note or "",
            "visitor": visitor_view(i.visitor, full=full), "recorded_at": clock.show(i.recorded_at),
            "opens_at": clock.show(i.opens_at), "due_at": clock.show(i.due_at), "state": i.state,
            "state_label": STATE_LABELS[i.state], "opened": clock.aware(i.opens_at) <= now,
            "overdue": i.state == "open" and due < now, "time_left": clock.time_left_text(due, now) if i.state == "open" else "",
            "outcome": i.outcome, "outcome_label": OUTCOMES.get(i.outcome or "", ""), "outcome_note": i.outcome_note or "",
            "followed_up_at": clock.show(i.followed_up_at), "hired_on": i.hired_on.isoformat() if i.hired_on else "",
            "check_due_on": i.check_due_on.isoformat() if i.check_due_on else "", "still_working": i.still_working,
            "fair_name": i.visitor.fair.name, "fair_day": i.visitor.fair.held_on.isoformat()}
