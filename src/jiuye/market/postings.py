"""Posts (招用人员简章): create, edit, submit for review, review (approve / return with a reason),
withdraw, expire, search and show. Who may do what: jiuye.market.access.

States: draft → pending (submitted; flags computed) → published (approved) | returned (with the
reason; edited and submitted again) ; published → expired (valid-through passed) | filled (no place
left) | withdrawn (by the employer). Applicants of a post that ends are told.

The post itself is a PostingRecord (jiuye.market.records), validated whole on every write; the
employer's name (and, for an agency, its own name as `agency_name`) comes from the account, never
from the form.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases import service as cases
from jiuye.cases.models import User, utcnow
from jiuye.cases.unit import commit
from jiuye.cases.security import InvalidCreditCode, scrub, validate_credit_code
from jiuye.config import today
from jiuye.market import access, bridge, notify, review
from jiuye.market.common import (  # noqa: F401  (league_districts: also the pages' list of places)
    Conflict, Invalid, NotFound, check_id, iso, league_districts, log, market_actor, record_event, validate_record,
)
from jiuye.market.employers import employer_view, require_employer
from jiuye.market.models import Application, MarketEmployer, Posting
from jiuye.market.records import EDUCATION_LABELS, WAGE_UNIT_LABELS, PostingRecord
from jiuye.market.settings import settings

STATE_LABELS = {"draft": "草稿", "pending": "待审核", "returned": "已退回修改", "published": "招聘中",
                "expired": "已到期", "filled": "已招满", "withdrawn": "已撤下"}
CONTRACT_TYPE_LABELS = {"fixed": "固定期限劳动合同", "open_ended": "无固定期限劳动合同", "task": "以完成一定工作任务为期限",
                        "part_time": "非全日制", "dispatch": "劳务派遣", "internship": "见习/实习"}
# the fields the account decides, never the form (an agency names its client employer itself)
_FORCED = ("id", "agency_name", "published_on")


def _place(raw: str | None) -> str | None:
    if raw in (None, ""):
        return None
    key = cases.district_key(raw)
    if key not in league_districts():
        raise Invalid(f"工作地点应为兴安盟的旗县市（{'、'.join(league_districts())}），盟外岗位请勾选「盟外岗位」",
                      field="district")
    return key


def build_record(emp: MarketEmployer, data: dict[str, Any], day: dt.date, posting_id: int | None = None) -> PostingRecord:
    """The PostingRecord of a form / API body / spreadsheet row for this employer, checked whole."""
    d = {k: v for k, v in dict(data).items() if k not in _FORCED}
    name = emp.enterprise.name
    if emp.kind == "agency":
        if not str(d.get("employer_name") or "").strip():
            raise Invalid("人力资源服务机构代招，须填写用人单位（委托单位）名称", field="employer_name")
        d["agency_name"] = name
    else:
        d["employer_name"] = name
        d["credit_code"] = emp.enterprise.credit_code
    if d.get("credit_code"):
        try:
            d["credit_code"] = validate_credit_code(d["credit_code"])
        except InvalidCreditCode as exc:
            raise Invalid(f"「统一社会信用代码」：{exc}", field="credit_code") from None
    if d.get("occupation_code") in ("", None) and d.get("title"):
        d["occupation_code"] = bridge.resolve_occupation(str(d["title"]))
    rec = validate_record(PostingRecord, {**d, "id": str(posting_id or "new")})
    district = _place(rec.district)
    if district is None and not rec.outside_league:
        raise Invalid("请填写工作地点（旗县市），盟外岗位请勾选「盟外岗位」", field="district")
    if district is not None and rec.outside_league:
        raise Invalid("盟外岗位不填写兴安盟的旗县市", field="district")
    cfg = settings().posting
    valid = rec.valid_through or day + dt.timedelta(days=cfg.default_valid_days)
    if valid < day:
        raise Invalid(f"「有效期至」{valid.isoformat()} 早于今天", field="valid_through")
    if valid > day + dt.timedelta(days=cfg.max_valid_days):
        raise Invalid(f"「有效期至」最长为提交后 {cfg.max_valid_days} 天", field="valid_through")
    if rec.wage_min is not None and rec.wage_max is not None and rec.wage_max < rec.wage_min:
        raise Invalid("「工资上限」不能低于「工资下限」", field="wage_max")
    if rec.min_age is not None and rec.max_age is not None and rec.max_age < rec.min_age:
        raise Invalid("「最高年龄」不能低于「最低年龄」", field="max_age")
    return rec.model_copy(update={"district": district, "valid_through": valid})


def _apply_record(p: Posting, rec: PostingRecord, emp: MarketEmployer) -> None:
    p.record = rec.model_dump(mode="json", exclude={"id"})
    p.title = rec.title
    p.occupation_code = rec.occupation_code
    p.district = rec.district
    p.scope_district = rec.district or emp.district
    p.wage_min, p.wage_max, p.wage_unit = rec.wage_min, rec.wage_max, rec.wage_unit
    p.places = p.places_left = rec.places
    p.valid_through = rec.valid_through
    p.updated_at = utcnow()


def record_of(p: Posting) -> PostingRecord:
    return PostingRecord.model_validate({**p.record, "id": str(p.id), "published_on": p.published_on})


def create(s: Session, user: User, data: dict[str, Any], *, submit: bool = False, channel: str = "online",
           commit: bool = True) -> Posting:
    emp = require_employer(s, user)
    day = today()
    rec = build_record(emp, data, day)
    p = Posting(employer_id=emp.id, state="draft", flags=[], channel=channel, created_by_id=user.id,
                created_at=utcnow(), version=1)
    p.employer = emp
    _apply_record(p, rec, emp)
    s.add(p)
    s.flush()
    record_event(s, user, "posting_created", posting_id=p.id, data={"channel": channel})
    if submit:
        _submit(s, user, p, day)
    if commit:
        s.commit()
    return p


def load(s: Session, user: User | None, posting_id: int, action: str = "view") -> Posting:
    """The post if `user` may take `action` on it; a post they may not even see is NotFound."""
    check_id(posting_id, "岗位")
    p = s.get(Posting, posting_id)
    actor = market_actor(s, user)
    if p is None or not access.posting(actor, "view", p.state, owner_employer_id=p.employer_id,
                                       scope_district=p.scope_district)[0]:
        raise NotFound(f"没有编号为 {posting_id} 的岗位（或尚未公开）")
    if action != "view":
        access.require(access.posting(actor, action, p.state, owner_employer_id=p.employer_id,
                                      scope_district=p.scope_district))
    return p


def _check_version(p: Posting, expected: int | None) -> None:
    if expected is not None and p.version != expected:
        raise Conflict("岗位已被他人修改，请刷新后重试")


def update(s: Session, user: User, posting_id: int, data: dict[str, Any], *, expected_version: int | None = None) -> Posting:
    p = load(s, user, posting_id, "edit")
    _check_version(p, expected_version)
    rec = build_record(p.employer, data, today(), p.id)
    _apply_record(p, rec, p.employer)
    record_event(s, user, "posting_edited", posting_id=p.id)
    commit(s)
    return p


def _submit(s: Session, user: User, p: Posting, day: dt.date) -> None:
    p.flags = review.flags_for(record_of(p), day)
    if not user.identity_verified_at:
        p.flags = p.flags + [{"rule": "account_unverified", "label": "单位账号未经窗口核验", "level": "info",
                              "field": None, "field_label": "", "laws": [], "found": "单位在网上自行注册，营业执照尚未在窗口核验",
                              "hint": "请核对统一社会信用代码与单位名称（国家企业信用信息公示系统），或请单位到窗口核验"}]
    p.state, p.submitted_at, p.review_note = "pending", utcnow(), None
    record_event(s, user, "posting_submitted", posting_id=p.id, data={"flags": [f["rule"] for f in p.flags]})


def submit(s: Session, user: User, posting_id: int, *, expected_version: int | None = None) -> Posting:
    p = load(s, user, posting_id, "submit")
    _check_version(p, expected_version)
    day = today()
    if p.valid_through is not None and p.valid_through < day:
        raise Invalid("「有效期至」已过，请修改后再提交", field="valid_through")
    _submit(s, user, p, day)
    commit(s)
    return p


def review_post(s: Session, staff: User, posting_id: int, decision: str, note: str | None = None, *,
                expected_version: int | None = None) -> Posting:
    """Approve (publish) or return a pending post. Returning needs a reason; approving a post with
    flags needs a note saying why they do not apply."""
    if decision not in ("approve", "return"):
        raise Invalid("审核结论应为 approve（通过）或 return（退回）", field="decision")
    p = load(s, staff, posting_id, decision)
    _check_version(p, expected_version)
    note = scrub((note or "").strip()[:2000]) or None
    flagged = [f for f in p.flags if f.get("level") == "flag"]
    if decision == "return" and not note:
        raise Invalid("退回须写明理由（单位据此修改）", field="note")
    if decision == "approve" and flagged and not note:
        raise Invalid(f"岗位有 {len(flagged)} 项提示（{review.summary(p.flags)}）：通过须写明这些提示为何不适用", field="note")
    day = today()
    p.reviewed_by_id, p.reviewed_at, p.review_note = staff.id, utcnow(), note
    users = _employer_users(s, p.employer_id)
    if decision == "approve":
        if p.valid_through is not None and p.valid_through < day:
            raise Invalid("岗位「有效期至」已过，请退回单位修改", field="note")
        p.state, p.published_on, p.places_left = "published", day, p.places
        for u in users:
            notify.notify_user(s, u, "posting_reviewed", title=f"岗位已通过审核：{p.title}",
                               body="岗位已公开，求职者可以投递。", link=f"/employer/posts/{p.id}")
    else:
        p.state = "returned"
        for u in users:
            notify.notify_user(s, u, "posting_reviewed", title=f"岗位被退回修改：{p.title}", body=f"退回理由：{note}",
                               link=f"/employer/posts/{p.id}")
    record_event(s, staff, f"posting_{'approved' if decision == 'approve' else 'returned'}", posting_id=p.id,
                 comment=note)
    commit(s)
    if decision == "approve":  # the registrations it fits are told by the queue (jiuye.market.announce)
        from jiuye.market import announce

        announce.request_run()
    return p


def _employer_users(s: Session, employer_id: int) -> list[User]:
    emp = s.get(MarketEmployer, employer_id)
    return list(s.scalars(select(User).where(User.enterprise_id == emp.enterprise_id, User.role == "applicant",
                                             User.active.is_(True))).all())


def withdraw(s: Session, user: User, posting_id: int, reason: str | None = None) -> Posting:
    p = load(s, user, posting_id, "withdraw")
    _end(s, user, p, "withdrawn", reason or "单位已撤下岗位")
    commit(s)
    return p


def _end(s: Session, actor: User | None, p: Posting, state: str, why: str) -> int:
    """End a post; its open applications are closed and the applicants told. Returns how many."""
    p.state, p.closed_on, p.updated_at = state, today(), utcnow()
    open_apps = s.scalars(select(Application).where(Application.posting_id == p.id,
                                                    Application.state.in_(access.OPEN_APPLICATION))).all()
    from jiuye.market.seekers import recipient_id

    kind = "posting_expired"
    for a in open_apps:
        a.state, a.outcome_reason, a.updated_at = "closed", why, utcnow()
        sk = a.seeker
        notify.notify(s, kind, user_id=recipient_id(s, sk), phone=sk.phone, title=f"岗位已结束：{p.title}",
                      body=f"{why}，您的申请随之结束。可以继续查看其他岗位。", link="/my/jobs")
    record_event(s, actor, f"posting_{state}", posting_id=p.id, comment=why, data={"closed_applications": len(open_apps)})
    return len(open_apps)


def expire_due(s: Session, day: dt.date | None = None) -> int:
    """Every public post whose valid-through date has passed: expired, applicants and employer told."""
    day = day or today()
    due = s.scalars(select(Posting).where(Posting.state == "published", Posting.valid_through < day)).all()
    for p in due:
        _end(s, None, p, "expired", f"岗位已于 {p.valid_through.isoformat()} 到期")
        for u in _employer_users(s, p.employer_id):
            notify.notify_user(s, u, "posting_expired", title=f"岗位已到期：{p.title}",
                               body="岗位已下线。如仍需招人，请修改有效期后重新发布。", link=f"/employer/posts/{p.id}",
                               dedupe=f"expired:{p.id}:{u.id}")
    s.commit()
    if due:
        log.info("market: %d post(s) expired", len(due))
    return len(due)


# --- lists and views -------------------------------------------------------------------------------
# What a search with no result may let go of, in this order, and how the page names it.
RELAXATIONS = (("wage_min", "工资要求"), ("district", "旗县市"), ("words", "其他字词"))


def search_nearby(s: Session, *, q: str = "", district: str | None = None, wage_min: float | None = None,
                  limit: int = 10) -> tuple[list[str], list[Posting]]:
    """When a search finds nothing: the posts found by letting go of one condition, then two, in the order of
    RELAXATIONS (the kind of work, when the query names one, is never let go of), and the Chinese names of the
    conditions let go. ([], []) when nothing is found that way either, or when there was nothing to let go."""
    filters = bridge.parse_query(q) if q else {}
    given = {"wage_min": wage_min if wage_min is not None else filters.get("wage_min"),
             "district": district or filters.get("district"), "words": filters.get("words") or None}
    present = [(k, label) for k, label in RELAXATIONS if given[k]]
    tried: list[list[tuple[str, str]]] = [[x] for x in present]
    tried += [present[:i] + present[i + 1:] for i in range(len(present))] if len(present) > 2 else []
    tried += [present] if len(present) > 1 else []
    for drop in tried:
        keys = {k for k, _ in drop}
        kept = {k: (None if k in keys else v) for k, v in given.items()}
        if not (filters.get("occupations") or kept["words"] or kept["district"] or kept["wage_min"]):
            continue  # nothing left to search by: that is the whole list, not a neighbour of the question
        total, rows = _find(s, filters, district=kept["district"], wage_min=kept["wage_min"],
                            words=kept["words"] or [], limit=limit)
        if total:
            return [label for _, label in drop], rows
    return [], []


def _find(s: Session, filters: dict, *, district, wage_min, words, occupation=None, employer_id=None,
          limit: int = 50, offset: int = 0) -> tuple[int, list[Posting]]:
    from jiuye.market import live

    if district:
        district = cases.district_key(district)
    codes = [occupation] if occupation else filters.get("occupations") or None  # 开车的 → 汽车驾驶员 …
    words = [w[:50].replace("%", "").replace("_", "") for w in words]
    total, ids = live.current(s).find(district=district, codes=codes, wage_min=wage_min, employer_id=employer_id,
                                      words=words, offset=offset, limit=limit)
    return total, live.load(s, ids)


def search(s: Session, *, q: str = "", district: str | None = None, occupation: str | None = None,
           wage_min: float | None = None, employer_id: int | None = None, limit: int = 50,
           offset: int = 0) -> tuple[int, list[Posting]]:
    """Public posts (published, not past their date), newest first, filtered: the district, the occupation
    (or the occupations the query names), a wage floor (元; from the query only when it is monthly) met by the
    post's upper or lower wage, the publisher, and every other word of the query inside the title. Over the
    public posts prepared in memory (jiuye.market.live); the page's posts are then read from the database."""
    filters = bridge.parse_query(q) if q else {}
    return _find(s, filters, district=district or filters.get("district"),
                 wage_min=wage_min if wage_min is not None else filters.get("wage_min"),
                 words=filters.get("words") or [], occupation=occupation or filters.get("occupation"),
                 employer_id=employer_id, limit=limit, offset=offset)


def list_for(s: Session, user: User, *, state: str | None = None, limit: int = 200) -> list[Posting]:
    """An employer's own posts, or the posts of a staff member's district (every state); admin: all."""
    actor = market_actor(s, user)
    q = select(Posting)
    if actor.kind == "employer":
        q = q.where(Posting.employer_id == (actor.employer_id or -1))
    elif actor.kind == "staff" and actor.role in access.VIEW_ROLES:
        scope = access.stats_scope(actor)
        if scope is not None:
            q = q.where(Posting.scope_district == scope)
    elif actor.kind != "admin":
        return []
    if state:
        if state not in STATE_LABELS:
            raise Invalid(f"状态应为：{'、'.join(f'{k}（{v}）' for k, v in STATE_LABELS.items())}", field="state")
        q = q.where(Posting.state == state)
    return list(s.scalars(q.order_by(Posting.id.desc()).limit(limit)).all())


def wage_text(rec: dict) -> str:
    lo, hi, unit = rec.get("wage_min"), rec.get("wage_max"), WAGE_UNIT_LABELS.get(rec.get("wage_unit") or "month", "")
    if lo is None and hi is None:
        return "面议"
    if lo is not None and hi is not None and lo != hi:
        return f"{lo:,.0f}–{hi:,.0f} {unit}"
    return f"{(lo if lo is not None else hi):,.0f} {unit}" + ("起" if hi is None else "")


def view(p: Posting, *, detail: bool = False, staff: bool = False) -> dict:
    rec = p.record
    d = {"id": p.id, "title": p.title, "state": p.state, "state_label": STATE_LABELS[p.state],
         "employer_name": rec.get("employer_name"), "agency_name": rec.get("agency_name"),
         "by_agency": bool(rec.get("agency_name")), "district": p.district, "town": rec.get("town"),
         "outside_league": rec.get("outside_league", False), "wage": wage_text(rec), "wage_min": p.wage_min,
         "wage_max": p.wage_max, "wage_unit": p.wage_unit, "places": p.places, "places_left": p.places_left,
         "valid_through": iso(p.valid_through), "published_on": iso(p.published_on),
         "occupation_code": p.occupation_code, "occupation_label": bridge.occupation_label(p.occupation_code),
         "social_insurance": rec.get("social_insurance"), "version": p.version}
    if detail:
        d.update(record={**rec, "id": str(p.id)}, duties=rec.get("duties", ""), requirements=rec.get("requirements", ""),
                 benefits=rec.get("benefits", ""), working_hours=rec.get("working_hours", ""),
                 address=rec.get("address", ""), contact=rec.get("contact", ""),
                 education_label=EDUCATION_LABELS.get(rec.get("education_min") or "", ""),
                 contract_label=CONTRACT_TYPE_LABELS.get(rec.get("contract_type") or "", ""),
                 required_certificates=rec.get("required_certificates") or [], min_age=rec.get("min_age"),
                 max_age=rec.get("max_age"), employer=employer_view(p.employer))
    if staff or detail:
        d.update(flags=p.flags or [], review_note=p.review_note, reviewed_at=iso(p.reviewed_at),
                 submitted_at=iso(p.submitted_at), flag_summary=review.summary(p.flags or []))
    return d
