"""Following a sign-up up, one step at a time (who may: jiuye.platforms.access):

- `contact`: every attempt is recorded (how, the result, a note); the first that reaches the worker
  stops the clock (已联系, `contacted_at`). Attempts after the clock ran out count too (late).
- `identify`: staff record the 身份证号 (GB 11643, jiuye.idcard) in `people` — never on the sign-up.
- `recommend` (已推荐): to the post signed up for or another public post. With the 身份证号 known, the
  worker is also registered as a job seeker at the window and put forward to the post through the
  market's own services (求职登记 + 职业介绍), so the employer sees them.
- `depart` (已出发), `start` (已上岗, the start date sets the 30-day visit: data/platforms/dagong.yaml ›
  retention_visit), `visit` (the 30-day visit: still working or not), `close` (a reason), `withdraw`
  (the station master, before anyone called).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases import service as cases
from jiuye.cases.models import Person, User
from jiuye.platforms import clock
from jiuye.platforms.common import CaseError, Conflict, Invalid, clean_text, commit, log, record_event
from jiuye.platforms.models import ContactAttempt, Signup
from jiuye.platforms.settings import dagong
from jiuye.platforms.signups import load


def _version(su: Signup, expected: int | None) -> None:
    if expected is not None and su.version != expected:
        raise Conflict("这条报名已被他人处理，请刷新后重试")


def contact(s: Session, user: User, signup_id: int, *, result: str, channel: str = "phone", note: str | None = None,
            expected_version: int | None = None) -> ContactAttempt:
    cfg = dagong()
    if result not in cfg.contact_results:
        raise Invalid(f"联系结果应为：{'、'.join(f'{k}（{v.label}）' for k, v in cfg.contact_results.items())}",
                      field="result")
    if channel not in cfg.contact_channels:
        raise Invalid(f"联系方式应为：{'、'.join(f'{k}（{v}）' for k, v in cfg.contact_channels.items())}",
                      field="channel")
    su = load(s, user, signup_id, "contact")
    _version(su, expected_version)
    now = clock.now()
    att = ContactAttempt(signup_id=su.id, at=now, by_user_id=user.id, channel=channel, result=result,
                         note=clean_text(note))
    s.add(att)
    su.attempts = (su.attempts or 0) + 1
    su.updated_at = now
    reached = cfg.contact_results[result].reached
    if reached and su.contacted_at is None:
        su.contacted_at = now
    if reached and su.state == "signed_up":
        su.state = "contacted"
    record_event(s, user, "signup_contact", signup_id=su.id, station_id=su.station_id,
                 data={"channel": channel, "result": result,
                       "in_time": clock.aware(su.due_at) >= now if reached else None})
    commit(s)
    return att


def attempts(s: Session, user: User, signup_id: int) -> list[ContactAttempt]:
    su = load(s, user, signup_id)
    return list(s.scalars(select(ContactAttempt).where(ContactAttempt.signup_id == su.id).order_by(ContactAttempt.id)).all())


def identify(s: Session, user: User, signup_id: int, id_number: str, *, name: str | None = None,
             expected_version: int | None = None) -> Signup:
    """Record the worker's 身份证号 (asked by phone or at the station). The name must match the
    number's record if the person is known already."""
    su = load(s, user, signup_id, "identify")
    _version(su, expected_version)
    person = cases.ensure_person(s, (id_number or "").strip(), (name or su.name).strip())
    su.person_id = person.id
    su.updated_at = clock.now()
    record_event(s, user, "signup_identified", signup_id=su.id, station_id=su.station_id)
    commit(s)
    return su


def _market_link(s: Session, user: User, su: Signup, post: dict, note: str | None) -> str | None:
    """求职登记 at the window and 职业介绍 to the post, through the market's services (they commit).
    Returns a note for staff when the market part could not be done (the recommendation stands)."""
    from jiuye.market import applications, seekers

    person = s.get(Person, su.person_id)
    if su.market_seeker_id is None:
        try:
            sk = seekers.register(s, user, {"desired_titles": [su.posting_title],
                                            "districts": [post["district"]] if post["district"] else []},
                                  id_number=person.id_number, name=person.name, phone=su.phone if su.phone.startswith("1") else None,
                                  district=su.district if su.district != "兴安盟" else None)
        except CaseError as exc:
            s.rollback()
            return f"未能办理求职登记：{exc}（可在「招聘求职 › 求职登记」中办理后推荐）"
        su = s.get(Signup, su.id)
        su.market_seeker_id = sk.id
    try:
        app = applications.recommend(s, user, su.market_seeker_id, post["id"], note)
    except CaseError as exc:
        s.rollback()
        return f"未能推荐给用人单位：{exc}"
    su = s.get(Signup, su.id)
    su.market_application_id = app.id
    return None


def recommend(s: Session, user: User, signup_id: int, *, posting_id: int | None = None, note: str | None = None,
              to_market: bool = True, expected_version: int | None = None) -> tuple[Signup, str | None]:
    """已推荐: to the post signed up for (or `posting_id`, another public post). Returns the sign-up
    and, when the market part was not done, why."""
    from jiuye.platforms.signups import _post

    su = load(s, user, signup_id, "recommend")
    _version(su, expected_version)
    post = _post(s, posting_id or su.posting_id)
    sid = su.id
    warning = None
    if to_market and su.person_id is not None:
        warning = _market_link(s, user, su, post, note)
        su = load(s, user, sid, "recommend")
    elif to_market:
        warning = "还没有身份证号：只在打工直通车记为已推荐，未推荐给用人单位（记录身份证号后可在「招聘求职」中推荐）"
    now = clock.now()
    su.state, su.recommended_at, su.updated_at = "recommended", now, now
    su.recommended_posting_id = post["id"]
    if post["id"] != su.posting_id:
        su.outcome_note = clean_text(f"改推荐到「{post['title']}」（{post['employer_name'] or ''}）")
    record_event(s, user, "signup_recommended", signup_id=su.id, station_id=su.station_id, comment=clean_text(note),
                 data={"posting_id": post["id"], "market_application_id": su.market_application_id,
                       "market_note": warning})
    commit(s)
    return su, warning


def depart(s: Session, user: User, signup_id: int, *, at: dt.datetime | None = None, expected_version: int | None = None,
           _commit: bool = True) -> Signup:
    su = load(s, user, signup_id, "depart")
    _version(su, expected_version)
    now = clock.now()
    when = clock.aware(at.replace(tzinfo=clock.BEIJING) if at is not None and at.tzinfo is None else at) or now
    if when > now + dt.timedelta(minutes=5):
        raise Invalid("出发时间晚于现在：出发后再记录", field="at")
    su.state, su.departed_at, su.updated_at = "departed", when, now
    record_event(s, user, "signup_departed", signup_id=su.id, station_id=su.station_id, group_id=su.group_id)
    if _commit:
        commit(s)
    return su


def start(s: Session, user: User, signup_id: int, *, started_on: dt.date, note: str | None = None,
          expected_version: int | None = None) -> Signup:
    """已上岗 on `started_on`; the 30-day visit falls due that many days later."""
    su = load(s, user, signup_id, "start")
    _version(su, expected_version)
    today = clock.today()
    if started_on > today:
        raise Invalid("上岗日期晚于今天：上岗后再记录", field="started_on")
    if started_on < clock.beijing_date(su.created_at):
        raise Invalid("上岗日期早于报名日期", field="started_on")
    now = clock.now()
    days = dagong().retention_visit.days
    su.state, su.started_on, su.updated_at = "working", started_on, now
    su.followup_due_on = started_on + dt.timedelta(days=days)
    if note:
        su.outcome_note = clean_text(note)
    record_event(s, user, "signup_started", signup_id=su.id, station_id=su.station_id,
                 data={"started_on": started_on.isoformat(), "visit_on": su.followup_due_on.isoformat()})
    commit(s)
    return su


def visit(s: Session, user: User, signup_id: int, *, still_working: bool, note: str | None = None,
          expected_version: int | None = None) -> Signup:
    """The 30-day visit (在岗回访): not before its date."""
    su = load(s, user, signup_id, "followup")
    _version(su, expected_version)
    if su.followup_due_on is not None and clock.today() < su.followup_due_on:
        raise Conflict(f"在岗回访日期未到：{su.followup_due_on.isoformat()}（上岗后 {dagong().retention_visit.days} 天）")
    now = clock.now()
    su.state, su.followed_up_at, su.still_working, su.updated_at = "followed_up", now, bool(still_working), now
    if note:
        su.outcome_note = clean_text(note)
    record_event(s, user, "signup_visited", signup_id=su.id, station_id=su.station_id, comment=clean_text(note),
                 data={"still_working": bool(still_working)})
    commit(s)
    return su


def close(s: Session, user: User, signup_id: int, *, reason: str, note: str | None = None,
          expected_version: int | None = None, action: str = "close") -> Signup:
    reasons = dagong().close_reasons
    if reason not in reasons:
        raise Invalid(f"结束原因应为：{'、'.join(f'{k}（{v}）' for k, v in reasons.items())}", field="reason")
    if reason == "other" and not (note or "").strip():
        raise Invalid("原因为「其他」时请写明", field="note")
    su = load(s, user, signup_id, action)
    _version(su, expected_version)
    now = clock.now()
    su.state, su.close_reason, su.closed_at, su.updated_at = "closed", reason, now, now
    if note:
        su.outcome_note = clean_text(note)
    record_event(s, user, "signup_closed" if action == "close" else "signup_withdrawn", signup_id=su.id,
                 station_id=su.station_id, comment=clean_text(note), data={"reason": reason})
    commit(s)
    log.info("dagong: sign-up %d closed (%s)", su.id, reason)
    return su


def withdraw(s: Session, user: User, signup_id: int, *, note: str | None = None) -> Signup:
    """The station master takes back a sign-up nobody has contacted yet (the worker changed their mind)."""
    return close(s, user, signup_id, reason="declined", note=note, action="withdraw")
