"""What the staff console shows of training (/console/training), read through the training service's
own rules: providers waiting for approval (and those returned, with the reason), the area's courses
with their counts and the anomaly flags (jiuye.training.anomalies), voucher counts per month
(jiuye.training.vouchers.monthly). Staff of a 旗县市 see their district; the 盟中心 and 人社局 of 兴安盟
the whole league (access.covers); 财政局, the bank, providers and citizens have no console page here
(access.console)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.training import access, anomalies, providers, vouchers
from jiuye.training.common import actor_of, money
from jiuye.training.models import Claim, Course, Enrolment, Provider
from jiuye.training.settings import settings

TABS = {"current": "招生中和已开班", "closed": "已结业和已取消", "all": "全部"}
TAB_STATES = {"current": ("published", "opened"), "closed": ("finished", "cancelled"), "all": access.COURSE_STATES}


def require(s: Session, user: User | None) -> access.Actor:
    actor = actor_of(s, user)
    access.require(access.console(actor))
    return actor


def _in_area(actor: access.Actor, district: str) -> bool:
    return actor.kind == "admin" or access.covers(actor, district)


def provider_rows(s: Session, user: User) -> dict:
    """{"pending": [...], "returned": [...], "others": [...]}, each a provider's view with `may`
    (which decisions this user may take) and, for a returned one, the reason."""
    actor = require(s, user)
    out: dict = {"pending": [], "returned": [], "others": [],
                 "may_register": access.covers(actor, user.district, access.CENTRES)}
    rows = s.scalars(select(Provider).order_by(Provider.created_at, Provider.id)).all()
    for p in rows:
        if not _in_area(actor, p.district):
            continue
        v = providers.view(p)
        v["may"] = {a: access.provider(actor, a, p.state, provider_id=p.id, district=p.district)[0]
                    for a in ("approve", "return", "suspend")}
        v["reason"] = providers.last_reason(s, p)
        v["courses"] = s.scalar(select(func.count()).select_from(Course).where(Course.provider_id == p.id)) or 0
        out[p.state if p.state in ("pending", "returned") else "others"].append(v)
    return out


def course_rows(s: Session, user: User, tab: str = "current") -> list[dict]:
    """The area's courses of a tab (招生中和已开班 / 已结业和已取消 / 全部), soonest first, each with
    seats, enrolled, completed / failed, subsidy cases opened, and the flags (the course's own and its
    learners': the same checks the completion attaches to the cases)."""
    actor = require(s, user)
    states = TAB_STATES.get(tab, TAB_STATES["current"])
    cfg = settings()
    q = select(Course).where(Course.state.in_(states)).order_by(Course.start_on, Course.id)
    out = []
    for c in s.scalars(q).all():
        if not _in_area(actor, c.district):
            continue
        ens = s.scalars(select(Enrolment).where(Enrolment.course_id == c.id, Enrolment.state != "withdrawn")).all()
        flags = [f["label"] + "：" + f["detail"] for f in anomalies.course_flags(s, c)]
        flagged = sum(1 for e in ens if anomalies.learner_flags(s, e))
        if flagged:
            flags.append(f"{flagged} 名学员有异常提示（同时报名时间重叠的课程，或同一天在两个班签到）")
        opened = s.scalar(select(func.count()).select_from(Claim).where(
            Claim.enrolment_id.in_([e.id for e in ens]), Claim.state == "opened")) if ens else 0
        out.append({"id": c.id, "title": c.title, "provider": c.provider.name, "district": c.district,
                    "kind_label": cfg.course_kinds[c.kind].label, "state_label": access.COURSE_LABELS[c.state],
                    "start_on": c.start_on.isoformat(), "end_on": c.end_on.isoformat(), "seats": c.seats,
                    "enrolled": len(ens), "completed": sum(1 for e in ens if e.state == "completed"),
                    "failed": sum(1 for e in ens if e.state == "failed"), "claims_opened": opened or 0,
                    "price": money(c.price_fen) if c.price_fen else "免费", "flags": flags})
    return out


def voucher_counts(s: Session, user: User) -> dict:
    """vouchers.monthly for the console: the months newest first, the use rate as a percentage."""
    require(s, user)
    counts = vouchers.monthly(s, user)
    rate = counts["use_rate"]
    return {**counts, "months": list(reversed(counts["months"])),
            "use_rate_text": f"{rate:.1%}" if rate is not None else "（还没有发放）"}


def scope_label(s: Session, user: User) -> str:
    actor = require(s, user)
    if actor.kind == "admin" or (actor.district == "兴安盟" and actor.role in access.LEAGUE_WIDE):
        return "全盟"
    return actor.district or ""
