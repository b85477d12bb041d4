"""Wage arrears (欠薪): a worker says a worked job was not paid. The report is written in the same
transaction as the worker's answer (`gig_arrears`), and a case of procedure `gig_wage_arrears` is
opened through the cases service (`open_report`) for the district's 就业服务中心 (盟本级: the 盟中心),
whose staff get an inbox message. Never silently lost:

- if opening the case fails, the report stays with `case_error` and ``gig_arrears`` (the task queue,
  every 10 minutes) opens it on the next run;
- a case still in its first step `arrears.escalate_after_hours` after the report (推定（资料未写明）)
  is escalated once to the 盟中心 (inbox message, `escalated_at`, an audit event);
- a report whose case reached a final state is marked handled.
"""
from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.models import Case, User
from jiuye.gig.common import aware, iso, mask_name, now, record_event, show, yuan
from jiuye.gig.models import GigArrears, GigMatch
from jiuye.gig.settings import settings

log = logging.getLogger("jiuye.gig.arrears")
PROCEDURE = "gig_wage_arrears"


def _staff(s: Session, district: str) -> list[int]:
    role = "league_center" if district == "兴安盟" else "county_center"
    return list(s.scalars(select(User.id).where(User.role == role, User.district == district,
                                                User.active.is_(True))).all())


def report(s: Session, user: User | None, m: GigMatch, note: str | None = None) -> GigArrears:
    j, w = m.job, m.worker
    amount = m.days_worked * j.pay_fen if j.pay_type == "day" and m.days_worked else None
    a = GigArrears(match_id=m.id, district=j.district, job_title=j.title, days=m.days_worked, amount_fen=amount,
                   note=note, reported_at=now(), reported_by_id=user.id if user else None, handled=False)
    s.add(a)
    s.flush()
    record_event(s, user, "arrears_reported", job_id=j.id, worker_id=w.id, match_id=m.id,
                 data={"arrears_id": a.id, "amount_fen": amount, "days": m.days_worked})
    _open_case(s, a, m)
    return a


def _open_case(s: Session, a: GigArrears, m: GigMatch) -> None:
    """Open the case (savepoint: a failure leaves the report, with its error, for the queue)."""
    from jiuye.cases import service

    j, w = m.job, m.worker
    fields = {"job_title": j.title, "job_place": f"{j.district}{j.town or ''}", "work_days": m.days_worked,
              "pay": f"{'每天' if j.pay_type == 'day' else '每' + (j.piece_unit or '件')} {yuan(j.pay_fen)}",
              "amount_fen": a.amount_fen, "amount": yuan(a.amount_fen), "worker_name": w.name, "worker_phone": w.phone,
              "employer_name": j.poster_name, "employer_phone": j.poster_phone, "start_on": iso(j.start_on),
              "end_on": iso(j.end_on), "gig_match_id": m.id, "note": a.note or ""}
    summary = (f"零工欠薪报告：{w.name}在{j.district}{j.town or ''}干「{j.title}」{m.days_worked or '?'}天，"
               f"应得{yuan(a.amount_fen)}，报告未拿到工钱。雇主：{j.poster_name}")
    try:
        with s.begin_nested():
            account = s.get(User, w.user_id)
            case = service.open_report(s, PROCEDURE, district=j.district, person_id=account.person_id,
                                       applicant_user_id=account.id, fields=fields,
                                       summary=summary, dedupe_key=f"gig-arrears:{a.id}")
        a.case_id, a.case_error = case.id, None
    except Exception as exc:  # noqa: BLE001 - kept on the report and retried by the queue, never lost
        a.case_error = f"{type(exc).__name__}: {str(exc)[:300]}"
        log.warning("gig: arrears report %s: the case could not be opened (%s); the queue retries", a.id, a.case_error)
        return
    from jiuye.market import notify

    for uid in _staff(s, j.district):
        notify.notify(s, "gig_arrears", user_id=uid, title=f"零工欠薪报告：{j.title}",
                      body=f"{mask_name(w.name)}报告{j.district}{j.town or ''}的零工没拿到工钱（{yuan(a.amount_fen)}），"
                           "请3个工作日内联系双方（推定时限，资料未写明）。",
                      link=f"/console/cases/{case.id}", dedupe=f"gig-arrears:{a.id}:{uid}")


def sweep(s: Session) -> dict[str, int]:
    """The queue's run (idempotent): open missing cases, mark handled, escalate the stale. Commits."""
    from jiuye.market import notify

    out = {"opened": 0, "handled": 0, "escalated": 0}
    for a in s.scalars(select(GigArrears).where(GigArrears.case_id.is_(None))).all():
        m = s.get(GigMatch, a.match_id)
        _open_case(s, a, m)
        out["opened"] += a.case_id is not None
    s.flush()
    cfg = settings().arrears
    limit = now() - dt.timedelta(hours=cfg.escalate_after_hours)
    for a in s.scalars(select(GigArrears).where(GigArrears.handled.is_(False), GigArrears.case_id.is_not(None))).all():
        case = s.get(Case, a.case_id)
        if case.final:
            a.handled = True
            out["handled"] += 1
            continue
        if a.escalated_at is None and case.state == "reported" and aware(a.reported_at) <= limit:
            a.escalated_at = now()
            record_event(s, None, "arrears_escalated", match_id=a.match_id,
                         data={"arrears_id": a.id, "case_id": a.case_id, "district": a.district})
            for uid in _staff(s, cfg.escalate_to):
                notify.notify(s, "gig_arrears_escalated", user_id=uid, title=f"零工欠薪报告超时未办：{a.job_title}",
                              body=f"{a.district}于 {show(a.reported_at)} 收到的欠薪报告（{yuan(a.amount_fen)}）"
                                   f"超过 {cfg.escalate_after_hours} 小时仍未联系双方，请督办。",
                              link=f"/console/cases/{a.case_id}", dedupe=f"gig-arrears-esc:{a.id}:{uid}")
            out["escalated"] += 1
    s.commit()
    return out


def view(s: Session, a: GigArrears) -> dict:
    case = s.get(Case, a.case_id) if a.case_id else None
    state = None
    if case is not None:
        from jiuye.cases.procedures import get_procedures

        state = get_procedures()[PROCEDURE].state_label(case.state)
    return {"id": a.id, "district": a.district, "job_title": a.job_title, "days": a.days, "amount": yuan(a.amount_fen),
            "reported": show(a.reported_at), "case_id": a.case_id, "case_state": state or "建案失败，系统稍后重试",
            "escalated": show(a.escalated_at) if a.escalated_at else "", "handled": a.handled}


def listing(s: Session, district: str | None) -> list[GigArrears]:
    q = select(GigArrears).order_by(GigArrears.id.desc())
    if district is not None:
        q = q.where(GigArrears.district == district)
    return list(s.scalars(q.limit(500)).all())


def run() -> dict:
    """The queue's entry point (the task gig_arrears: an entry point of jiuye.tasks, run by jiuye.store.tasks)."""
    from jiuye.market.tasks import _session

    s = _session()
    if s is None:
        return {}
    with s:
        return sweep(s)
