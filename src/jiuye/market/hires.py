"""Hires made outside the market's own application flow, written back into it — so the statistics
(录用人数, 岗位满足率, 招满用时) and the seeker's 求职登记 outcome (经本平台录用, counted as 就业)
count them once.

The first caller is the 招聘会 (jiuye.fairs.intentions): an employer's intention for a seeker at a
booth, followed up as 已录用. The rule (`record_outside_hire`, no commit: the caller's transaction):

- The seeker is found by their account (its 求职登记, the open one first) or, failing that, by the one
  open registration under the visitor's phone number — unless one of those registrations was already
  hired for the same post through the market; none found: nothing is written (the answer says why) —
  a registration is never made for someone without their consent.
- With a post: the (post, registration) application is the hire. One already 已录用 (the same hire
  came through the market first) is left as it is — counted once. An open or ended one becomes
  已录用; none yet: one is made with channel `fair` (招聘会). A new hire takes one of the post's
  places left (never below 0; at 0 a published post is filled, as in the market).
- The registration, while open, is closed as 经本平台录用 (hired_posting_id: the post).
- Without a post (the intention named none): the open registration is closed as 经本平台录用; the
  post-based figures cannot count it (no post), and the answer says so.

Market hires arriving later for the same pair find the application already 已录用 and cannot hire it
again (jiuye.market.access: only open applications are decided).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.models import User, utcnow
from jiuye.cases.security import scrub
from jiuye.market.common import record_event
from jiuye.market.models import Application, Posting, Seeker
from jiuye.market.seekers import close_registration

SOURCES = {"fair": "招聘会"}  # the channel written on an application made here (market_applications.channel)


@dataclass(frozen=True)
class Written:
    counted: bool  # a hire newly counted by the market (False: already counted, or nothing to count)
    application_id: int | None
    seeker_id: int | None
    why: str  # in Chinese, for the audit trail and the page


def seeker_for(s: Session, *, user_id: int | None, phone: str | None, posting_id: int | None) -> Seeker | None:
    """The 求职登记 an outside hire belongs to (see the module doc): one of the account's or the phone's
    registrations already hired for this post (the market has the hire), else the account's open one,
    else the one open registration under the phone."""
    own: list[Seeker] = []
    if user_id is not None:
        account = s.get(User, user_id)
        if account is not None and account.role == "applicant":
            from jiuye.market.seekers import mine

            own = mine(s, account)
    by_phone = list(s.scalars(select(Seeker).where(Seeker.phone == phone).order_by(Seeker.id.desc()).limit(20)).all()) \
        if phone else []
    if posting_id is not None and (own or by_phone):
        ids = [r.id for r in own + by_phone]
        sid = s.scalar(select(Application.seeker_id).where(Application.posting_id == posting_id, Application.state == "hired",
                                                           Application.seeker_id.in_(ids)).limit(1))
        if sid is not None:
            return s.get(Seeker, sid)
    active = [r for r in own if r.state == "active"]
    if active:
        return active[0]
    open_by_phone = [r for r in by_phone if r.state == "active"]
    return open_by_phone[0] if len(open_by_phone) == 1 else None


def record_outside_hire(s: Session, actor: User | None, source: str, *, user_id: int | None, phone: str | None,
                        posting_id: int | None, note: str | None = None) -> Written:
    if source not in SOURCES:
        raise ValueError(f"unknown hire source {source!r}")
    sk = seeker_for(s, user_id=user_id, phone=phone, posting_id=posting_id)
    if sk is None:
        return Written(False, None, None, "求职者没有求职登记（或无法确定是哪一条），未计入招聘求职统计")
    where = SOURCES[source]
    note = scrub((note or "").strip()[:500]) or None
    if posting_id is None:
        if sk.state != "active":
            return Written(False, None, sk.id, "求职登记已关闭，未重复计入")
        close_registration(s, actor, sk, "hired_here", f"{where}录用" + (f"：{note}" if note else ""))
        return Written(True, None, sk.id, f"求职登记已按「经本平台录用」关闭（{where}意向未指定岗位，不计入岗位录用人数）")
    p = s.get(Posting, posting_id)
    if p is None:
        return Written(False, None, sk.id, "岗位不存在，未计入")
    now = utcnow()
    a = s.scalar(select(Application).where(Application.posting_id == p.id, Application.seeker_id == sk.id))
    if a is not None and a.state == "hired":
        return Written(False, a.id, sk.id, "这次录用已经在招聘求职中记录过，不重复计入")
    if a is None:
        a = Application(posting_id=p.id, seeker_id=sk.id, channel=source, state="hired", note=note,
                        created_at=now, answered_at=now, decided_at=now, updated_at=now, version=1)
        a.posting, a.seeker = p, sk
        s.add(a)
        s.flush()
    else:
        a.state, a.decided_at, a.updated_at = "hired", now, now
        a.answered_at = a.answered_at or now
    a.outcome_reason = f"{where}回访：已录用" + (f"（{note}）" if note else "")
    if p.places_left > 0:
        p.places_left -= 1
        p.updated_at = now
    record_event(s, actor, "application_hired", posting_id=p.id, seeker_id=sk.id, application_id=a.id,
                 comment=a.outcome_reason, data={"source": source})
    if sk.state == "active":
        close_registration(s, actor, sk, "hired_here", f"{where}录用于「{p.title}」", hired_posting_id=p.id)
    if p.places_left == 0 and p.state == "published":
        from jiuye.market.postings import _end

        _end(s, actor, p, "filled", "岗位已招满")
    return Written(True, a.id, sk.id, "已计入招聘求职的录用人数，求职登记按「经本平台录用」关闭")
