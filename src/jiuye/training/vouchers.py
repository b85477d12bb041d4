"""兴安盟职业培训券 — the league's own digital voucher in Jiuye (labelled as such everywhere). 000 五(三)
describes Shanghai's system (上海人社 APP, 上海市职业培训信息管理系统, "本市"): that is surfaced as a source
problem, not presented as the league's. Issued by a centre to a person for a course kind (职业技能
补贴培训券 for those eligible, 打卡签到专用培训券 for others), shown on the phone, checked by the
provider at enrolment, used for sign-in, closed on completion (after the subsidy case is opened);
expires when unused (valid_days, 推定). Counts per month: issued, used, closed, use rate."""
from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases import service as cases
from jiuye.cases.models import Person, User
from jiuye.training import access
from jiuye.training.common import Invalid, NotFound, actor_of, check_id, clock, commit, mask_id_number, record
from jiuye.training.models import Voucher
from jiuye.training.settings import settings

STATE_LABELS = {"issued": "可使用", "used": "已用于报名", "closed": "已结算核销", "expired": "已过期作废"}


def _number() -> str:
    return "XAPX" + "".join(secrets.choice("0123456789") for _ in range(12))


def issue(s: Session, staff: User, *, id_number: str, name: str, course_kind: str, kind: str = "subsidised") -> Voucher:
    try:
        cfg = settings()
        if kind not in cfg.voucher.kinds:
            raise Invalid(f"培训券种类应为：{'、'.join(cfg.voucher.kinds.values())}", field="kind")
        if course_kind not in cfg.course_kinds:
            raise Invalid(f"未知的培训类别「{course_kind}」", field="course_kind")
        district = staff.district
        access.require(access.voucher(actor_of(s, staff), "issue", owner_person_id=0, district=district))
        person = cases.ensure_person(s, id_number, name)
        open_one = s.scalar(select(Voucher).where(Voucher.person_id == person.id, Voucher.course_kind == course_kind,
                                                  Voucher.state.in_(("issued", "used"))))
        if open_one is not None:
            raise Invalid(f"此人已有一张未核销的「{cfg.course_kinds[course_kind].label}」培训券（{open_one.number}）",
                          field="id_number")
        today = clock.today()
        from jiuye.cases.models import User as U

        owner = s.scalar(select(U).where(U.person_id == person.id, U.role == "applicant"))
        v = Voucher(number=_number(), person_id=person.id, user_id=owner.id if owner else None, kind=kind,
                    course_kind=course_kind, district=district, state="issued", issued_on=today,
                    expires_on=today + dt.timedelta(days=cfg.voucher.valid_days), issued_by_id=staff.id)
        s.add(v)
        s.flush()
        record(s, staff, "voucher_issued", comment=v.number, data={"voucher_id": v.id})
        if owner is not None:
            from jiuye.market.notify import notify_user

            notify_user(s, owner, "training_voucher", title=f"您收到一张{cfg.voucher.label}",
                        body=f"{cfg.voucher.kinds[kind]}（{cfg.course_kinds[course_kind].label}），券号 {v.number}，"
                             f"有效期至 {v.expires_on.isoformat()}。报名时向培训机构出示。",
                        link="/training/vouchers")
        commit(s)
        return v
    except BaseException:
        s.rollback()
        raise


def for_enrolment(s: Session, number: str | None, person_id: int, course_kind: str) -> Voucher | None:
    """The provider's check at enrolment: the voucher is the learner's, valid, for this kind."""
    if not number:
        return None
    v = s.scalar(select(Voucher).where(Voucher.number == str(number).strip().upper()))
    if v is None or v.person_id != person_id:
        raise Invalid("培训券号不对，或不是本人的培训券", field="voucher")
    if v.state != "issued":
        raise Invalid(f"培训券{STATE_LABELS[v.state]}，不能再用于报名", field="voucher")
    if v.expires_on < clock.today():
        raise Invalid(f"培训券已于 {v.expires_on.isoformat()} 过期", field="voucher")
    if v.course_kind != course_kind:
        raise Invalid(f"这张培训券用于「{settings().course_kinds[v.course_kind].label}」，与课程类别不符", field="voucher")
    return v


def expire_due(s: Session) -> int:
    rows = s.scalars(select(Voucher).where(Voucher.state == "issued", Voucher.expires_on < clock.today())).all()
    for v in rows:
        v.state = "expired"
    s.commit()
    return len(rows)


def mine(s: Session, user: User) -> list[Voucher]:
    if user.person_id is None:
        return []
    return list(s.scalars(select(Voucher).where(Voucher.person_id == user.person_id).order_by(Voucher.id.desc())).all())


def load(s: Session, user: User, voucher_id: int) -> Voucher:
    check_id(voucher_id, "培训券")
    v = s.get(Voucher, voucher_id)
    if v is None or not access.voucher(actor_of(s, user), "view", owner_person_id=v.person_id, district=v.district)[0]:
        raise NotFound(f"没有编号为 {voucher_id} 的培训券（或您无权查看）")
    return v


def view(s: Session, v: Voucher, *, full: bool = False) -> dict:
    cfg = settings()
    person = s.get(Person, v.person_id)
    return {"id": v.id, "number": v.number if full else v.number[:6] + "******" + v.number[-2:],
            "label": cfg.voucher.label, "kind": v.kind, "kind_label": cfg.voucher.kinds[v.kind],
            "course_kind": v.course_kind, "course_kind_label": cfg.course_kinds[v.course_kind].label,
            "state": v.state, "state_label": STATE_LABELS[v.state], "issued_on": v.issued_on.isoformat(),
            "expires_on": v.expires_on.isoformat(), "used_on": v.used_on.isoformat() if v.used_on else None,
            "closed_on": v.closed_on.isoformat() if v.closed_on else None, "district": v.district,
            "holder": person.name if full and person else None,
            "id_number": mask_id_number(person.id_number) if person else None,
            "source_problem": cfg.voucher.source_problem}


def monthly(s: Session, user: User) -> dict:
    """Issued / used / closed per month (Beijing), and the use rate, in the caller's area."""
    actor = actor_of(s, user)
    if actor.kind not in ("staff", "admin"):
        from jiuye.training.common import Forbidden

        raise Forbidden("只有就业服务部门可以查看培训券统计")
    rows = s.scalars(select(Voucher)).all()
    rows = [v for v in rows if actor.kind == "admin" or access.covers(actor, v.district)]
    months: dict[str, dict[str, int]] = defaultdict(lambda: {"issued": 0, "used": 0, "closed": 0, "expired": 0})
    for v in rows:
        months[v.issued_on.strftime("%Y-%m")]["issued"] += 1
        if v.used_on:
            months[v.used_on.strftime("%Y-%m")]["used"] += 1
        if v.closed_on:
            months[v.closed_on.strftime("%Y-%m")]["closed"] += 1
        if v.state == "expired":
            months[v.expires_on.strftime("%Y-%m")]["expired"] += 1
    issued = len(rows)
    used = sum(1 for v in rows if v.used_on)
    return {"months": [{"month": m, **months[m]} for m in sorted(months)], "issued": issued, "used": used,
            "use_rate": round(used / issued, 4) if issued else None, "label": settings().voucher.label,
            "source_problem": settings().voucher.source_problem}
