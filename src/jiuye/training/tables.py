"""The provider table: per provider and course — enrolled, completed, certified, employed within N
months of completion (from the labour market's records: a 求职登记 closed as employed,
jiuye.market.seekers.employed_between), subsidy cases opened and paid. A provider sees its own rows;
staff their district's (the 盟中心 and 人社局 all); the admin all."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.models import Case, User
from jiuye.cases.procedures import get_procedures
from jiuye.training import access
from jiuye.training.common import Forbidden, actor_of, clock
from jiuye.training.models import Claim, Course, Enrolment, Provider
from jiuye.training.settings import settings

COLUMNS = {"enrolled": "报名", "completed": "结业合格", "certified": "取得证书", "employed": "结业后就业",
           "claims_opened": "补贴已建案", "paid": "补贴已拨付", "paid_amount_fen": "已拨付金额（分）"}


def _paid(case: Case | None) -> bool:
    if case is None:
        return False
    proc = get_procedures().get(case.procedure)
    st = proc.states.get(case.state) if proc else None
    return bool(st and st.outcome == "paid")


def compute(s: Session, user: User) -> dict:
    from jiuye.market.seekers import employed_between

    actor = actor_of(s, user)
    q = select(Course, Provider).join(Provider, Course.provider_id == Provider.id)
    if actor.kind == "provider":
        q = q.where(Course.provider_id == actor.provider_id)
    elif actor.kind == "staff":
        if actor.role not in access.VIEW_ROLES:
            raise Forbidden("您的角色不能查看培训统计")
    elif actor.kind != "admin":
        raise Forbidden("只有培训机构和就业服务部门可以查看培训统计")
    months = settings().employed_within_months
    rows, totals = [], {k: 0 for k in COLUMNS}
    for c, p in s.execute(q.order_by(Provider.name, Course.start_on)).all():
        if actor.kind == "staff" and not access.covers(actor, c.district):
            continue
        ens = s.scalars(select(Enrolment).where(Enrolment.course_id == c.id, Enrolment.state != "withdrawn")).all()
        done = [e for e in ens if e.state == "completed"]
        employed = 0
        if done:
            first = min(e.completed_on for e in done)
            end = min(clock.today(), first + dt.timedelta(days=31 * months + 31))
            found = employed_between(s, [e.person_id for e in done], first, end)
            employed = sum(1 for e in done if e.person_id in found)
        claims = s.scalars(select(Claim).where(Claim.enrolment_id.in_([e.id for e in ens]))).all() if ens else []
        opened = [x for x in claims if x.state == "opened"]
        paid = [x for x in opened if _paid(s.get(Case, x.case_id))]
        row = {"provider": p.name, "provider_id": p.id, "course_id": c.id, "course": c.title, "district": c.district,
               "start_on": c.start_on.isoformat(), "enrolled": len(ens), "completed": len(done),
               "certified": sum(1 for e in done if e.certificate_no), "employed": employed,
               "claims_opened": len(opened), "paid": len(paid),
               "paid_amount_fen": sum(x.amount_fen or 0 for x in paid)}
        rows.append(row)
        for k in COLUMNS:
            totals[k] += row[k]
    by_provider: dict[int, dict] = {}
    for r in rows:
        agg = by_provider.setdefault(r["provider_id"], {"provider": r["provider"], **{k: 0 for k in COLUMNS}})
        for k in COLUMNS:
            agg[k] += r[k]
    return {"columns": COLUMNS, "courses": rows, "providers": list(by_provider.values()), "totals": totals,
            "employed_within_months": months}
