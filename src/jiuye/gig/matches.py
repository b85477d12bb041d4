"""One worker on one job: apply (the worker) or invite (the poster), accept on the other side, then
both confirm "worked" and "paid". Phones are shown to each side only once both accepted; a worker's
"not paid" opens a wage-arrears report (jiuye.gig.arrears) in the same transaction.
Every change goes into the audit trail and, for the other side, into the outbox (inbox message)."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.gig import access
from jiuye.gig.common import (Conflict, Invalid, NotFound, check_id, check_int, check_text, commit, iso, mask_name,
                              now, record_event, show, yuan)
from jiuye.gig.models import GigJob, GigMatch, GigWorker
from jiuye.gig.posts import job_view, load_job, pay_text, taken, worker_view
from jiuye.gig.settings import settings

STATE_LABELS = {"proposed": "等对方确认", "accepted": "双方已接受", "worked": "双方已确认上工", "paid": "工钱已结清",
                "unpaid": "工人报告未拿到工钱（已转欠薪报告）", "declined": "已谢绝"}
FILLING = ("accepted", "worked", "paid", "unpaid")


def side_of(user: User | None, m: GigMatch) -> str | None:
    if user is None or user.role != "applicant":
        return None
    if m.worker.user_id == user.id:
        return "worker"
    if m.job.poster_user_id == user.id:
        return "poster"
    return None


def _done(m: GigMatch, side: str | None, action: str) -> bool:
    if side is None:
        return False
    field = {"accept": "accepted_at", "worked": "worked_at", "paid": "paid_at"}.get(action)
    return bool(field and getattr(m, f"{side}_{field}"))


def allowed(user: User | None, m: GigMatch, action: str) -> tuple[bool, str | None]:
    side = side_of(user, m)
    return access.match(access.actor_for(user), action, m.state, side=side, district=m.job.district,
                        done_by_side=_done(m, side, action))


def load(s: Session, user: User | None, match_id: int) -> GigMatch:
    check_id(match_id, "撮合记录")
    m = s.get(GigMatch, match_id)
    if m is None:
        raise NotFound(f"没有编号为 {match_id} 的撮合记录（或您无权查看）")
    access.require(allowed(user, m, "view"), hide=True)
    return m


def _notify(s: Session, user_id: int, kind: str, title: str, body: str, m: GigMatch, key: str) -> None:
    from jiuye.market import notify

    notify.notify(s, kind, user_id=user_id, title=title, body=body, link=f"/gig/matches/{m.id}",
                  dedupe=f"gig:{key}:{m.id}:{user_id}")


def _check_fill(s: Session, j: GigJob) -> None:
    s.flush()
    n = taken(s, j.id)
    if j.state == "open" and n >= j.people_needed:
        j.state, j.filled_at, j.updated_at = "filled", now(), now()
        record_event(s, None, "job_filled", job_id=j.id, data={"taken": n})
    elif j.state == "filled" and n < j.people_needed:
        j.state, j.filled_at, j.updated_at = "open", None, now()
        record_event(s, None, "job_reopened", job_id=j.id, data={"taken": n})


def _new(s: Session, user: User, j: GigJob, w: GigWorker, started_by: str) -> GigMatch:
    if s.scalar(select(GigMatch.id).where(GigMatch.job_id == j.id, GigMatch.worker_id == w.id)) is not None:
        raise Conflict("已经报名（或邀请）过这条活了")
    t = now()
    m = GigMatch(job_id=j.id, worker_id=w.id, started_by=started_by, state="proposed", created_at=t, updated_at=t,
                 worker_accepted_at=t if started_by == "worker" else None,
                 poster_accepted_at=t if started_by == "poster" else None)
    s.add(m)
    s.flush()
    m.job, m.worker = j, w
    return m


def apply(s: Session, user: User | None, job_id: int, worker_id: int | None = None) -> GigMatch:
    """The worker applies with one of their open availabilities (the first that fits when not named)."""
    from jiuye.gig.matching import reasons

    j = load_job(s, user, job_id)
    access.require(access.job(access.actor_for(user), "apply", j.state, district=j.district, poster_id=j.poster_user_id))
    q = select(GigWorker).where(GigWorker.user_id == user.id, GigWorker.state == "open")
    if worker_id is not None:
        check_id(worker_id, "接活信息")
        q = q.where(GigWorker.id == worker_id)
    mine = list(s.scalars(q.order_by(GigWorker.id.desc())).all())
    if not mine:
        raise Invalid("请先发布「我能干的活」（工种、地点、哪几天有空、日工资），再报名", field="worker_id")
    fitting = [w for w in mine if w.available_to >= j.start_on and w.available_from <= j.end_on]
    if not fitting:
        raise Invalid("您发布的有空日期和这条活的日期不重合", field="worker_id")
    w = fitting[0]
    m = _new(s, user, j, w, "worker")
    record_event(s, user, "match_applied", job_id=j.id, worker_id=w.id, match_id=m.id,
                 data={"reasons": reasons(w, j) or []})
    _notify(s, j.poster_user_id, "gig_applied", f"有人报名您的零工：{j.title}",
            f"{mask_name(w.name)}（{w.occupation_text}，{w.district}{w.town or ''}）报名了。接受后双方才能看到对方电话。",
            m, "applied")
    commit(s)
    return m


def invite(s: Session, user: User | None, job_id: int, worker_id: int) -> GigMatch:
    j = load_job(s, user, job_id)
    access.require(access.job(access.actor_for(user), "invite", j.state, district=j.district, poster_id=j.poster_user_id))
    check_id(worker_id, "接活信息")
    w = s.get(GigWorker, worker_id)
    if w is None or w.state != "open":
        raise NotFound(f"没有编号为 {worker_id} 的接活信息（或已下架）")
    if w.user_id == user.id:
        raise Invalid("不能邀请自己", field="worker_id")
    m = _new(s, user, j, w, "poster")
    record_event(s, user, "match_invited", job_id=j.id, worker_id=w.id, match_id=m.id)
    _notify(s, w.user_id, "gig_invited", f"有雇主请您干活：{j.title}",
            f"{j.district}{j.town or ''}，{job_view(s, j, full=False)['pay']}，{iso(j.start_on)} 起。接受后双方才能看到对方电话。",
            m, "invited")
    commit(s)
    return m


def act(s: Session, user: User | None, match_id: int, action: str, *, days: int | str | None = None,
        note: str | None = None) -> GigMatch:
    """accept | decline | worked | paid | unpaid, by one side of the match."""
    if action not in ("accept", "decline", "worked", "paid", "unpaid"):
        raise Invalid("未知的操作", field="action")
    m = load(s, user, match_id)
    access.require(allowed(user, m, action))
    side = side_of(user, m)
    other = m.job.poster_user_id if side == "worker" else m.worker.user_id
    t = now()
    j = m.job
    if action == "accept":
        setattr(m, f"{side}_accepted_at", t)
        if m.worker_accepted_at and m.poster_accepted_at:
            m.state = "accepted"
            _notify(s, other, "gig_accepted", f"零工已双方确认：{j.title}", "对方已接受，请在「零工」里查看对方电话并约好上工。", m,
                    "accepted")
            _check_fill(s, j)
    elif action == "decline":
        was = m.state
        m.state, m.closed_at = "declined", t
        _notify(s, other, "gig_declined", f"零工未成：{j.title}", "对方谢绝了这次撮合。", m, "declined")
        if was == "accepted":
            _check_fill(s, j)
    elif action == "worked":
        n = None
        if days not in (None, ""):
            n = check_int(days, "days", "上工天数", low=1, high=settings().pay.max_days)
        if side == "worker" and n is not None:
            m.days_worked = n
        elif m.days_worked is None:
            m.days_worked = n or (j.end_on - j.start_on).days + 1
        setattr(m, f"{side}_worked_at", t)
        if m.worker_worked_at and m.poster_worked_at:
            m.state = "worked"
    elif action == "paid":
        setattr(m, f"{side}_paid_at", t)
        if m.worker_paid_at and m.poster_paid_at:
            m.state = "paid"
    else:  # unpaid: the worker's word opens a wage-arrears report
        from jiuye.gig import arrears

        m.state, m.unpaid_at = "unpaid", t
        arrears.report(s, user, m, note=check_text(note, "note", "说明", limit=300, required=False))
    m.updated_at = t
    record_event(s, user, f"match_{action}", job_id=j.id, worker_id=m.worker_id, match_id=m.id,
                 data={"side": side, "state": m.state, "days": m.days_worked})
    commit(s)
    return m


def view(s: Session, user: User | None, m: GigMatch) -> dict:
    side = side_of(user, m)
    phones = allowed(user, m, "see_phone")[0]
    staff = side is None
    j, w = m.job, m.worker
    actions = []
    for a, label in (("accept", "接受"), ("decline", "谢绝"), ("worked", "确认已上工"), ("paid", "确认工钱已结清"),
                     ("unpaid", "没拿到工钱")):
        if a == "paid" and side == "worker":
            label = "我已拿到工钱"
        if a == "paid" and side == "poster":
            label = "我已付清工钱"
        ok, why = allowed(user, m, a)
        if side is not None and (ok or a in ("worked", "paid") and m.state in ("accepted", "worked")):
            actions.append({"action": a, "label": label, "allowed": ok, "why_not": why})
    amount = m.days_worked * j.pay_fen if (j.pay_type == "day" and m.days_worked) else None
    return {"id": m.id, "state": m.state, "state_label": STATE_LABELS[m.state], "side": side,
            "side_label": {"worker": "我是工人", "poster": "我是雇主"}.get(side or "", "经办人员查看"),
            "job": job_view(s, j, full=side == "poster" or staff), "worker": worker_view(w, full=side == "worker" or staff),
            "worker_phone": w.phone if phones and side == "poster" else None,
            "poster_phone": j.poster_phone if phones and side == "worker" else None,
            "poster_name": j.poster_name if (phones and side == "worker") or side == "poster" or staff else None,
            "worker_name": w.name if (phones and side == "poster") or side == "worker" or staff else mask_name(w.name),
            "phones_hidden_because": None if phones else "双方都接受后才显示对方电话",
            "started_by": m.started_by, "days_worked": m.days_worked,
            "amount": yuan(amount) if j.pay_type == "day" and m.days_worked else ("按件计，待双方核对" if j.pay_type == "piece" else None),
            "pay": pay_text(j),
            "confirmations": {"worker_accepted": show(m.worker_accepted_at), "poster_accepted": show(m.poster_accepted_at),
                              "worker_worked": show(m.worker_worked_at), "poster_worked": show(m.poster_worked_at),
                              "worker_paid": show(m.worker_paid_at), "poster_paid": show(m.poster_paid_at),
                              "unpaid": show(m.unpaid_at)},
            "actions": actions, "created": show(m.created_at)}


def mine(s: Session, user: User) -> list[GigMatch]:
    """Every match the user is a side of, newest first."""
    q = (select(GigMatch).join(GigJob, GigMatch.job_id == GigJob.id).join(GigWorker, GigMatch.worker_id == GigWorker.id)
         .where(or_(GigJob.poster_user_id == user.id, GigWorker.user_id == user.id)).order_by(GigMatch.id.desc()))
    return list(s.scalars(q).all())


def applicants(s: Session, user: User | None, job_id: int) -> list[GigMatch]:
    """The matches of one job: its poster (their own jobs only), the district's staff."""
    load_job(s, user, job_id, "applicants")
    return list(s.scalars(select(GigMatch).where(GigMatch.job_id == job_id).order_by(GigMatch.id.desc())).all())
