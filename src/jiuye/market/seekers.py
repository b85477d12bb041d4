"""求职登记: a person registers as a job seeker (online with their own account, or staff at a window),
confirms the registration every period (data/market/settings.yaml: registration.valid_days) or it
expires, and closes it with the outcome ("found a job"). A hire through the market closes it with
`hired_here` (jiuye.market.applications). Who may do what: jiuye.market.access.

One open registration per person at a time. The record is a SeekerRecord (jiuye.market.records),
validated whole on every write; the person's name, 身份证号 and phone stay beside it (people, this
table), masked in every list and never logged.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from jiuye.cases import service as cases
from jiuye.cases.models import Person, User, utcnow
from jiuye.cases.unit import commit
from jiuye.cases.security import mask_id_number, scrub
from jiuye.config import today
from jiuye.market import access, bridge, notify
from jiuye.market.common import (
    Conflict, Forbidden, Invalid, NotFound, check_id, check_phone, iso, log, market_actor, mask_name, mask_phone,
    league_districts, record_event, validate_record,
)
from jiuye.market.models import Application, Seeker
from jiuye.market.records import EDUCATION_LABELS, KEY_GROUP_LABELS, WAGE_UNIT_LABELS, SeekerRecord
from jiuye.market.settings import settings

STATE_LABELS = {"active": "登记中", "expired": "已过期（待确认）", "closed": "已关闭"}
OUTCOMES = {"hired_here": "经本平台录用", "found_job": "已找到工作", "self_employed": "自主创业",
            "flexible": "灵活就业", "further_study": "升学、参军或培训", "no_longer_seeking": "不再求职",
            "other": "其他"}
_FORCED = ("id", "registered_on")


def _normalise(data: dict[str, Any], day: dt.date, seeker_id: int | None = None) -> SeekerRecord:
    d = {k: v for k, v in dict(data).items() if k not in _FORCED}
    rec = validate_record(SeekerRecord, {**d, "id": str(seeker_id or "new")})
    districts = []
    for name in rec.districts:
        key = cases.district_key(name)
        if key not in league_districts():
            raise Invalid(f"「愿意工作的旗县市」：「{name}」不是兴安盟的旗县市", field="districts")
        if key not in districts:
            districts.append(key)
    codes = list(rec.desired_occupations)
    for t in rec.desired_titles:
        code = bridge.resolve_occupation(t)
        if code and code not in codes:
            codes.append(code)
    if not rec.desired_titles and not codes:
        raise Invalid("请至少填写一项想做的工作", field="desired_titles")
    if rec.birth_date is not None and rec.birth_date > day:
        raise Invalid("「出生日期」晚于今天", field="birth_date")
    if rec.birth_date is not None and rec.college_leaving_date is not None and rec.college_leaving_date <= rec.birth_date:
        raise Invalid("「离校（毕业）日期」不能早于出生日期", field="college_leaving_date")
    return rec.model_copy(update={"districts": districts, "desired_occupations": codes[:10]})


def record_of(sk: Seeker) -> SeekerRecord:
    return SeekerRecord.model_validate({**sk.record, "id": str(sk.id), "registered_on": sk.registered_on})


def _open_for(s: Session, person_id: int) -> Seeker | None:
    return s.scalar(select(Seeker).where(Seeker.person_id == person_id, Seeker.state == "active"))


def register(s: Session, user: User, data: dict[str, Any], *, id_number: str | None = None, name: str | None = None,
             phone: str | None = None, district: str | None = None) -> Seeker:
    """A new 求职登记. A person's own account registers themself (id_number/name come from the
    account); staff register a person at the window (id_number and name required; district: the
    staff member's own, unless a league-wide centre names one)."""
    actor = market_actor(s, user)
    day = today()
    phone = check_phone(phone)
    if actor.kind == "seeker":
        person = s.get(Person, user.person_id)
        phone = phone or user.phone
        home = user.district or _district_of(person.id_number)
        channel, office_id = "online", None
    elif actor.kind == "staff" and actor.role in access.WINDOW_ROLES:
        if not id_number or not name:
            raise Invalid("窗口登记须填写求职者的姓名和身份证号", field="id_number" if not id_number else "name")
        person = cases.ensure_person(s, id_number, name)
        home = cases.district_key(district) if district else actor.district
        if not access.covers(actor, home):
            raise Forbidden(f"您只能为{actor.district}登记求职者")
        channel, office_id = "window", user.office_id
    else:
        raise Forbidden("求职登记请用个人账号办理，或到社区、街道、就业服务中心窗口办理")
    if home is None or home == "兴安盟":
        rec_d = data.get("districts") or []
        home = cases.district_key(rec_d[0]) if rec_d else None
    if home is None:
        raise Invalid("请选择您所在（或想去）的旗县市：求职登记由当地就业服务中心受理", field="districts")
    if _open_for(s, person.id) is not None:
        raise Conflict("这位求职者已有正在登记中的求职登记：请修改或确认原登记", field="id_number")
    rec = _normalise(data, day)
    cfg = settings().registration
    sk = Seeker(person_id=person.id, user_id=user.id if actor.kind == "seeker" else None,
                phone=phone, district=home, state="active", channel=channel, office_id=office_id,
                created_by_id=user.id, registered_on=day, expires_on=day + dt.timedelta(days=cfg.valid_days),
                notify_matches=True, created_at=utcnow(), updated_at=utcnow(), version=1, record={})
    _apply(sk, rec)
    s.add(sk)
    s.flush()
    record_event(s, user, "seeker_registered", seeker_id=sk.id, data={"channel": channel})
    s.commit()
    return sk


def recipient_id(s: Session, sk: Seeker) -> int | None:
    """Whose inbox hears about this registration: the account that made it, else (a window
    registration) the person's own account once staff have verified its identity."""
    if sk.user_id is not None:
        return sk.user_id
    return s.scalar(select(User.id).where(User.person_id == sk.person_id, User.role == "applicant",
                                          User.identity_verified_at.is_not(None)))


def _district_of(id_number: str) -> str | None:
    from jiuye.screening.typed import district_of_id

    return district_of_id(id_number)


def _apply(sk: Seeker, rec: SeekerRecord) -> None:
    sk.record = rec.model_dump(mode="json", exclude={"id", "registered_on"})
    sk.occupation = rec.desired_occupations[0] if rec.desired_occupations else None
    sk.updated_at = utcnow()


def load(s: Session, user: User | None, seeker_id: int, action: str = "view") -> Seeker:
    check_id(seeker_id, "求职登记")
    sk = s.get(Seeker, seeker_id)
    actor = market_actor(s, user)
    if sk is None or not access.seeker(actor, "view", sk.state, user_id=sk.user_id, person_id=sk.person_id,
                                       district=sk.district, employer_may_see=_employer_may_see(s, actor, sk))[0]:
        raise NotFound(f"没有编号为 {seeker_id} 的求职登记（或您无权查看）")
    if action != "view":
        access.require(access.seeker(actor, action, sk.state, user_id=sk.user_id, person_id=sk.person_id,
                                     district=sk.district))
    return sk


def _employer_may_see(s: Session, actor: access.Actor, sk: Seeker) -> bool:
    if actor.kind != "employer" or actor.employer_id is None:
        return False
    if sk.state == "active" and sk.record.get("consent_to_employers"):
        return True
    from jiuye.market.models import Posting

    return s.scalar(select(Application.id).join(Posting, Posting.id == Application.posting_id).where(
        Application.seeker_id == sk.id, Posting.employer_id == actor.employer_id)) is not None


def update(s: Session, user: User, seeker_id: int, data: dict[str, Any], *, phone: str | None = None,
           notify_matches: bool | None = None, expected_version: int | None = None) -> Seeker:
    sk = load(s, user, seeker_id, "edit")
    if expected_version is not None and sk.version != expected_version:
        raise Conflict("求职登记已被修改，请刷新后重试")
    _apply(sk, _normalise(data, today(), sk.id))
    if phone is not None:
        sk.phone = check_phone(phone)
    if notify_matches is not None:
        sk.notify_matches = bool(notify_matches)
    record_event(s, user, "seeker_edited", seeker_id=sk.id)
    commit(s)
    return sk


def confirm(s: Session, user: User | None, seeker_id: int) -> Seeker:
    """Keep the registration open for another period (also reopens an expired one)."""
    sk = load(s, user, seeker_id, "confirm")
    day = today()
    if sk.state == "expired" and _open_for(s, sk.person_id) is not None:
        raise Conflict("这位求职者已有另一条正在登记中的求职登记")
    sk.state, sk.confirmed_on, sk.reminded_on = "active", day, None
    sk.expires_on = day + dt.timedelta(days=settings().registration.valid_days)
    sk.updated_at = utcnow()
    record_event(s, user, "seeker_confirmed", seeker_id=sk.id, data={"expires_on": sk.expires_on.isoformat()})
    commit(s)
    return sk


def close(s: Session, user: User, seeker_id: int, outcome: str, note: str | None = None) -> Seeker:
    """"Found a job" (or another outcome): the registration is closed, open applications withdrawn."""
    if outcome not in OUTCOMES or outcome == "hired_here":
        raise Invalid(f"结果应为：{'、'.join(f'{k}（{v}）' for k, v in OUTCOMES.items() if k != 'hired_here')}",
                      field="outcome")
    sk = load(s, user, seeker_id, "close")
    close_registration(s, user, sk, outcome, scrub((note or "").strip()[:500]) or None)
    commit(s)
    return sk


def close_registration(s: Session, actor: User | None, sk: Seeker, outcome: str, note: str | None,
                       hired_posting_id: int | None = None) -> None:
    """Close `sk` (no access check, no commit): the hire in applications uses it too."""
    sk.state, sk.closed_on, sk.outcome, sk.outcome_note = "closed", today(), outcome, note
    sk.hired_posting_id = hired_posting_id
    sk.updated_at = utcnow()
    for a in s.scalars(select(Application).where(Application.seeker_id == sk.id,
                                                 Application.state.in_(access.OPEN_APPLICATION))).all():
        if a.posting_id != hired_posting_id:
            a.state, a.outcome_reason, a.updated_at = "withdrawn", "求职者已" + OUTCOMES[outcome], utcnow()
    record_event(s, actor, "seeker_closed", seeker_id=sk.id, comment=note, data={"outcome": outcome})
    notify.notify(s, "registration_closed", user_id=recipient_id(s, sk), title="求职登记已关闭",
                  body=f"结果：{OUTCOMES[outcome]}。如需再找工作，可以重新登记。", link="/my/jobs")


def remind_and_expire(s: Session, day: dt.date | None = None) -> dict[str, int]:
    """The queue's daily job: remind registrations about to expire, expire those past their date."""
    day = day or today()
    cfg = settings().registration
    soon = day + dt.timedelta(days=cfg.remind_days_before)
    reminded = 0
    for sk in s.scalars(select(Seeker).where(Seeker.state == "active", Seeker.expires_on <= soon,
                                             Seeker.expires_on >= day, Seeker.reminded_on.is_(None))).all():
        notify.notify(s, "registration_confirm", user_id=recipient_id(s, sk), phone=sk.phone, title="求职登记待确认",
                      body=f"您的求职登记将于 {sk.expires_on.isoformat()} 到期。仍在找工作请登录「我的求职」确认，"
                           "或到就业服务中心窗口确认。", link="/my/jobs", dedupe=f"confirm:{sk.id}:{sk.expires_on}")
        sk.reminded_on = day
        reminded += 1
    expired = 0
    for sk in s.scalars(select(Seeker).where(Seeker.state == "active", Seeker.expires_on < day)).all():
        sk.state, sk.updated_at = "expired", utcnow()
        notify.notify(s, "registration_expired", user_id=recipient_id(s, sk), phone=sk.phone, title="求职登记已过期",
                      body="您的求职登记未确认，已过期。仍在找工作请登录「我的求职」重新确认。", link="/my/jobs",
                      dedupe=f"expired:{sk.id}:{sk.expires_on}")
        record_event(s, None, "seeker_expired", seeker_id=sk.id)
        expired += 1
    s.commit()
    if reminded or expired:
        log.info("market: %d registration(s) reminded, %d expired", reminded, expired)
    return {"reminded": reminded, "expired": expired}


# --- lists and views -------------------------------------------------------------------------------
def mine(s: Session, user: User) -> list[Seeker]:
    """A seeker's own registrations, the open one first."""
    actor = market_actor(s, user)
    if actor.kind != "seeker":
        return []
    cond = [Seeker.user_id == user.id]
    if actor.verified:
        cond.append(Seeker.person_id == user.person_id)
    rows = s.scalars(select(Seeker).where(or_(*cond)).order_by(Seeker.id.desc())).all()
    return sorted(rows, key=lambda r: r.state != "active")


def current(s: Session, user: User) -> Seeker | None:
    rows = mine(s, user)
    return rows[0] if rows else None


def list_for(s: Session, user: User, *, state: str | None = None, q: str | None = None, limit: int = 200) -> list[Seeker]:
    """Staff: registrations of their district; an employer: open registrations that consented, and
    those who applied to its posts; admin: all."""
    actor = market_actor(s, user)
    cond = []
    if actor.kind == "staff" and actor.role in access.VIEW_ROLES:
        scope = access.stats_scope(actor)
        if scope is not None:
            cond.append(Seeker.district == scope)
    elif actor.kind == "employer" and actor.employer_id is not None:
        from jiuye.market.models import Posting

        applied = select(Application.seeker_id).join(Posting, Posting.id == Application.posting_id).where(
            Posting.employer_id == actor.employer_id)
        consent = Seeker.record["consent_to_employers"].as_boolean().is_(True)
        cond.append(or_(Seeker.id.in_(applied), (Seeker.state == "active") & consent))
    elif actor.kind != "admin":
        return []
    if state:
        if state not in STATE_LABELS:
            raise Invalid(f"状态应为：{'、'.join(f'{k}（{v}）' for k, v in STATE_LABELS.items())}", field="state")
        cond.append(Seeker.state == state)
    if q:
        cond.append(Seeker.occupation == q)
    return list(s.scalars(select(Seeker).where(*cond).order_by(Seeker.id.desc()).limit(limit)).all())


def count_active(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(Seeker).where(Seeker.state == "active")) or 0


def view(sk: Seeker, *, detail: bool = False, full_identity: bool = False, employer: bool = False) -> dict:
    """A registration for a page or the API. Lists mask the name, 身份证号 and phone; `full_identity`
    (the seeker themself, staff on the detail page) shows name and phone; an employer sees the
    registration without 身份证号 and (unless `full_identity`: an applicant) with the name masked."""
    rec = sk.record
    person = sk.person
    d = {"id": sk.id, "state": sk.state, "state_label": STATE_LABELS[sk.state], "district": sk.district,
         "name": person.name if full_identity else mask_name(person.name),
         "id_number": None if employer else mask_id_number(person.id_number),
         "phone": (sk.phone or "") if full_identity else mask_phone(sk.phone),
         "desired_titles": rec.get("desired_titles") or [], "districts": rec.get("districts") or [],
         "desired_occupations": rec.get("desired_occupations") or [],
         "occupation_labels": [bridge.occupation_label(c) or "" for c in rec.get("desired_occupations") or []],
         "expected_wage": rec.get("expected_wage"),
         "expected_wage_text": (f"{rec['expected_wage']:,.0f} {WAGE_UNIT_LABELS.get(rec.get('expected_wage_unit') or 'month', '')}"
                                if rec.get("expected_wage") is not None else "面议"),
         "education_label": EDUCATION_LABELS.get(rec.get("education") or "", ""),
         "registered_on": iso(sk.registered_on), "expires_on": iso(sk.expires_on), "channel": sk.channel,
         "outcome": sk.outcome, "outcome_label": OUTCOMES.get(sk.outcome or "", ""), "closed_on": iso(sk.closed_on),
         "version": sk.version}
    if detail:
        d.update(skills=rec.get("skills") or [], certificates=rec.get("certificates") or [],
                 key_groups=[KEY_GROUP_LABELS.get(k, k) for k in rec.get("key_groups") or []],
                 available_from=rec.get("available_from"), towns=rec.get("towns") or [],
                 consent_to_employers=bool(rec.get("consent_to_employers")), outcome_note=sk.outcome_note,
                 notify_matches=sk.notify_matches, record={**rec, "id": str(sk.id)})
        if employer:
            d["record"] = {k: v for k, v in d["record"].items() if k != "birth_date"}
    return d


EMPLOYED_OUTCOMES = ("hired_here", "found_job", "self_employed", "flexible")


def employed_between(s: Session, person_ids: list[int], start: dt.date, end: dt.date) -> set[int]:
    """The people among `person_ids` whose 求职登记 closed as employed (hired here, found a job, self-
    employed, flexible) between `start` and `end` — for other domains' follow-up figures (training)."""
    if not person_ids:
        return set()
    rows = s.scalars(select(Seeker.person_id).where(Seeker.person_id.in_(person_ids), Seeker.state == "closed",
                                                    Seeker.outcome.in_(EMPLOYED_OUTCOMES), Seeker.closed_on >= start,
                                                    Seeker.closed_on <= end)).all()
    return set(rows)
