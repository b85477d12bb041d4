"""Applications: a seeker applies to a public post (or staff recommend them: 职业介绍), the employer
sees it, invites to an interview (time and place) and records the outcome: 录用 (hired), 未录用 with
a reason (rejected), 未到 (no_show, after an interview invitation). Who may do what:
jiuye.market.access.

Hiring closes the loop in one transaction: the application is hired, the post's places left go down
(at none the post is filled and its other open applications are closed, their seekers told), the
seeker's 求职登记 is closed with the outcome `hired_here`, and the statistics (computed from these
tables) count it. Every step is in the audit trail and tells the other side through the outbox.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiuye.cases.models import User, utcnow
from jiuye.cases.unit import commit
from jiuye.cases.security import scrub
from jiuye.config import today
from jiuye.market import access, notify
from jiuye.market.common import (
    Conflict, Forbidden, Invalid, NotFound, check_id, iso, market_actor, record_event,
)
from jiuye.market.models import Application, Posting, Seeker
from jiuye.market.postings import _employer_users
from jiuye.market.postings import view as posting_view
from jiuye.market.seekers import close_registration, recipient_id
from jiuye.market.seekers import view as seeker_view

STATE_LABELS = {"applied": "已投递", "interview": "已邀请面试", "hired": "已录用", "rejected": "未录用",
                "no_show": "未到面试", "withdrawn": "已撤回", "closed": "岗位已结束"}
CHANNEL_LABELS = {"apply": "本人投递", "recommend": "工作人员推荐（职业介绍）", "fair": "招聘会意向（回访录用）"}
BEIJING = dt.timezone(dt.timedelta(hours=8))


def _rules(actor: access.Actor, a: Application, action: str):
    return access.application(actor, action, a.state, seeker_user_id=a.seeker.user_id,
                              seeker_person_id=a.seeker.person_id, seeker_district=a.seeker.district,
                              owner_employer_id=a.posting.employer_id, posting_scope=a.posting.scope_district)


def load(s: Session, user: User | None, application_id: int, action: str = "view") -> Application:
    check_id(application_id, "求职申请")
    a = s.get(Application, application_id)
    actor = market_actor(s, user)
    if a is None or not _rules(actor, a, "view")[0]:
        raise NotFound(f"没有编号为 {application_id} 的求职申请（或您无权查看）")
    if action != "view":
        access.require(_rules(actor, a, action))
    return a


def _open_post(p: Posting) -> None:
    if p.valid_through is not None and p.valid_through < today():
        raise Conflict("岗位已过有效期，不再接受投递")
    if p.places_left <= 0:
        raise Conflict("岗位已招满")


def _create(s: Session, actor_user: User, sk: Seeker, p: Posting, channel: str, note: str | None) -> Application:
    if s.scalar(select(Application.id).where(Application.posting_id == p.id, Application.seeker_id == sk.id)) is not None:
        raise Conflict("已经投递过这个岗位")
    now = utcnow()
    a = Application(posting_id=p.id, seeker_id=sk.id, channel=channel, state="applied",
                    recommended_by_id=actor_user.id if channel == "recommend" else None,
                    note=scrub((note or "").strip()[:1000]) or None, created_at=now, updated_at=now, version=1)
    a.posting, a.seeker = p, sk
    s.add(a)
    try:
        s.flush()
    except IntegrityError:
        s.rollback()
        raise Conflict("已经投递过这个岗位") from None
    record_event(s, actor_user, "application_created", posting_id=p.id, seeker_id=sk.id, application_id=a.id,
                 data={"channel": channel})
    who = "工作人员推荐了一位求职者" if channel == "recommend" else "有一位求职者投递了简历"
    for u in _employer_users(s, p.employer_id):
        notify.notify_user(s, u, "application_received", title=f"收到求职申请：{p.title}",
                           body=f"{who}，请查看并答复。", link=f"/employer/posts/{p.id}")
    if channel == "recommend":
        notify.notify(s, "recommendation", user_id=recipient_id(s, sk), phone=sk.phone,
                      title=f"工作人员为您推荐了岗位：{p.title}", body="已把您的求职登记推荐给用人单位，请留意面试通知。",
                      link=f"/jobs/{p.id}")
    return a


def apply(s: Session, user: User, posting_id: int, note: str | None = None) -> Application:
    """The seeker (an open 求职登记 of their own) applies to a public post."""
    from jiuye.market.postings import load as load_post
    from jiuye.market.seekers import current

    p = load_post(s, user, posting_id, "apply")
    sk = current(s, user)
    if sk is None or sk.state != "active":
        raise Forbidden("请先办理求职登记（或确认已过期的登记），再投递岗位")
    _open_post(p)
    a = _create(s, user, sk, p, "apply", note)
    s.commit()
    return a


def recommend(s: Session, staff: User, seeker_id: int, posting_id: int, note: str | None = None) -> Application:
    """职业介绍: staff put a seeker of their district forward for a public post."""
    from jiuye.market.postings import load as load_post
    from jiuye.market.seekers import load as load_seeker

    sk = load_seeker(s, staff, seeker_id, "recommend")
    p = load_post(s, staff, posting_id, "recommend")
    _open_post(p)
    a = _create(s, staff, sk, p, "recommend", note)
    s.commit()
    return a


def _check_version(a: Application, expected: int | None) -> None:
    if expected is not None and a.version != expected:
        raise Conflict("这条申请已被他人处理，请刷新后重试")


def invite(s: Session, user: User, application_id: int, *, at: dt.datetime, place: str, note: str | None = None,
           expected_version: int | None = None) -> Application:
    """Invite to an interview (or move it): a time (Beijing time if none given) and a place."""
    a = load(s, user, application_id, "invite")
    _check_version(a, expected_version)
    place = (place or "").strip()
    if not place:
        raise Invalid("请填写面试地点", field="place")
    if at.tzinfo is None:
        at = at.replace(tzinfo=BEIJING)
    if at.astimezone(BEIJING).date() < today():
        raise Invalid("面试时间早于今天", field="at")
    now = utcnow()
    a.state, a.interview_at, a.interview_place = "interview", at.astimezone(dt.timezone.utc), place[:200]
    a.answered_at = a.answered_at or now
    a.updated_at = now
    when = at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
    extra = f"。{scrub(note.strip()[:300])}" if note and note.strip() else ""
    notify.notify(s, "interview", user_id=recipient_id(s, a.seeker), phone=a.seeker.phone,
                  title=f"面试邀请：{a.posting.title}",
                  body=f"{a.posting.record.get('employer_name')}邀请您于 {when}（北京时间）到「{place[:60]}」面试{extra}",
                  link="/my/jobs")
    record_event(s, user, "application_interview", posting_id=a.posting_id, seeker_id=a.seeker_id,
                 application_id=a.id, data={"at": a.interview_at.isoformat(), "place": place[:200]})
    commit(s)
    return a


def decide(s: Session, user: User, application_id: int, outcome: str, reason: str | None = None, *,
           expected_version: int | None = None) -> Application:
    """录用 (hired) / 未录用 with a reason (rejected) / 未到 (no_show)."""
    if outcome not in ("hired", "rejected", "no_show"):
        raise Invalid("结果应为 hired（录用）、rejected（未录用）或 no_show（未到）", field="outcome")
    a = load(s, user, application_id, {"hired": "hire", "rejected": "reject", "no_show": "no_show"}[outcome])
    _check_version(a, expected_version)
    reason = scrub((reason or "").strip()[:1000]) or None
    if outcome == "rejected" and not reason:
        raise Invalid("未录用须写明原因（求职者会看到）", field="reason")
    p, sk = a.posting, a.seeker
    now = utcnow()
    if outcome == "hired":
        if p.places_left <= 0:
            raise Conflict("岗位已招满，不能再录用")
        p.places_left -= 1
        p.updated_at = now
    a.state, a.outcome_reason, a.decided_at, a.updated_at = outcome, reason, now, now
    a.answered_at = a.answered_at or now
    record_event(s, user, f"application_{outcome}", posting_id=p.id, seeker_id=sk.id, application_id=a.id,
                 comment=reason)
    text = {"hired": f"恭喜！{p.record.get('employer_name')}决定录用您，请按单位通知办理入职。",
            "rejected": f"很遗憾，这次未被录用。原因：{reason}。可以继续查看其他岗位。",
            "no_show": "单位记录您未到面试。如有误会，请联系单位。"}[outcome]
    notify.notify(s, "application_result", user_id=recipient_id(s, sk), phone=sk.phone,
                  title=f"求职结果：{p.title}", body=text, link="/my/jobs")
    if outcome == "hired":
        if sk.state == "active":
            close_registration(s, user, sk, "hired_here", f"录用于「{p.title}」", hired_posting_id=p.id)
        if p.places_left == 0 and p.state == "published":
            from jiuye.market.postings import _end

            _end(s, user, p, "filled", "岗位已招满")
    commit(s)
    return a


def withdraw(s: Session, user: User, application_id: int) -> Application:
    a = load(s, user, application_id, "withdraw")
    a.state, a.updated_at = "withdrawn", utcnow()
    record_event(s, user, "application_withdrawn", posting_id=a.posting_id, seeker_id=a.seeker_id, application_id=a.id)
    commit(s)
    return a


# --- lists and views -------------------------------------------------------------------------------
def for_seeker(s: Session, user: User) -> list[Application]:
    from jiuye.market.seekers import mine

    ids = [sk.id for sk in mine(s, user)]
    if not ids:
        return []
    return list(s.scalars(select(Application).where(Application.seeker_id.in_(ids)).order_by(Application.id.desc())).all())


def for_posting(s: Session, user: User, posting_id: int) -> list[Application]:
    from jiuye.market.postings import load as load_post

    p = load_post(s, user, posting_id, "applicants")
    return list(s.scalars(select(Application).where(Application.posting_id == p.id).order_by(Application.id)).all())


def view(a: Application, *, as_employer: bool = False, as_seeker: bool = False) -> dict:
    """An application with its post and (for the employer and staff) the seeker: an employer sees the
    applicant's name and phone (to contact them), never the 身份证号."""
    d = {"id": a.id, "state": a.state, "state_label": STATE_LABELS[a.state], "channel": a.channel,
         "channel_label": CHANNEL_LABELS[a.channel], "note": a.note, "created_at": iso(a.created_at),
         "interview_at": iso(a.interview_at), "interview_place": a.interview_place,
         "outcome_reason": a.outcome_reason, "decided_at": iso(a.decided_at), "version": a.version,
         "posting": posting_view(a.posting)}
    if not as_seeker:
        d["seeker"] = seeker_view(a.seeker, detail=True, full_identity=True, employer=as_employer)
    return d
