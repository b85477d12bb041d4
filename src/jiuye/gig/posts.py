"""Posting: a worker's availability and a short job; their views for each reader; the job board.

Views never carry a phone number: a phone is shown only in a match both sides accepted
(jiuye.gig.matches). Names are masked for everyone but the owner and staff."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases.models import Enterprise, User
from jiuye.gig import access
from jiuye.gig.common import (Invalid, NotFound, check_date, check_id, check_int, check_phone, check_place, check_span,
                              check_text, commit, iso, mask_name, now, occupation_name, record_event,
                              resolve_occupation, show, yuan, yuan_to_fen)
from jiuye.gig.models import GigJob, GigMatch, GigWorker
from jiuye.gig.settings import settings

PAY_TYPES = {"day": "按天", "piece": "按件"}
JOB_STATE_LABELS = {"open": "招人中", "filled": "已招满", "closed": "已关闭"}
WORKER_STATE_LABELS = {"open": "可接活", "closed": "已下架"}


def _actor(user: User | None) -> access.Actor:
    return access.actor_for(user)


# --- availability ----------------------------------------------------------------------------------
def post_availability(s: Session, user: User | None, data: dict[str, Any]) -> GigWorker:
    access.require(access.post(_actor(user)))
    if user.person_id is None:
        raise Invalid("接活信息由个人发布；单位账号请发布「招零工」")
    cfg = settings().pay
    code, text = resolve_occupation(data.get("occupation"))
    place = check_place(data.get("district"), data.get("town"), data.get("lat"), data.get("lon"))
    start = check_date(data.get("available_from"), "available_from", "可以上工的开始日期")
    end = check_date(data.get("available_to") or start, "available_to", "可以上工的结束日期")
    check_span(start, end, cfg.max_days)
    rate = yuan_to_fen(data.get("daily_rate"), "daily_rate", "期望日工资", maximum=cfg.max_per_day_yuan)
    name = check_text(data.get("name") or user.display_name, "name", "姓名", limit=30)
    phone = check_phone(data.get("phone") or user.phone)
    t = now()
    w = GigWorker(user_id=user.id, name=name, phone=phone, occupation_code=code, occupation_text=text,
                  available_from=start, available_to=end, daily_rate_fen=rate,
                  note=check_text(data.get("note"), "note", "备注", limit=200, required=False), state="open",
                  created_at=t, updated_at=t, **place)
    s.add(w)
    s.flush()
    record_event(s, user, "worker_posted", worker_id=w.id, data={"district": w.district, "occupation": code})
    commit(s)
    return w


def load_worker(s: Session, user: User | None, worker_id: int) -> GigWorker:
    check_id(worker_id, "接活信息")
    w = s.get(GigWorker, worker_id)
    a = _actor(user)
    if w is None or not (a.user_id == w.user_id and a.kind == "citizen" or access.covers(a, w.district)
                         or a.kind == "admin"):
        raise NotFound(f"没有编号为 {worker_id} 的接活信息（或您无权查看）")
    return w


def close_worker(s: Session, user: User | None, worker_id: int) -> GigWorker:
    w = load_worker(s, user, worker_id)
    if w.user_id != (user.id if user else None):
        access.require((False, "只有本人能下架自己的接活信息"))
    if w.state != "open":
        raise Invalid("这条接活信息已下架")
    w.state, w.updated_at = "closed", now()
    record_event(s, user, "worker_closed", worker_id=w.id)
    commit(s)
    return w


def worker_view(w: GigWorker, *, full: bool) -> dict:
    return {"id": w.id, "name": w.name if full else mask_name(w.name), "occupation": occupation_name(w.occupation_code),
            "occupation_code": w.occupation_code, "occupation_text": w.occupation_text, "district": w.district,
            "town": w.town, "available_from": iso(w.available_from), "available_to": iso(w.available_to),
            "daily_rate": yuan(w.daily_rate_fen), "daily_rate_fen": w.daily_rate_fen, "state": w.state,
            "state_label": WORKER_STATE_LABELS[w.state], "note": w.note if full else None,
            "created_at": iso(w.created_at), "created": show(w.created_at)}


def my_workers(s: Session, user: User) -> list[GigWorker]:
    return list(s.scalars(select(GigWorker).where(GigWorker.user_id == user.id).order_by(GigWorker.id.desc())).all())


# --- jobs --------------------------------------------------------------------------------------------
def _poster(s: Session, user: User) -> tuple[str, str]:
    if user.enterprise_id:
        e = s.get(Enterprise, user.enterprise_id)
        return "employer", (e.name if e else user.display_name)
    return "household", user.display_name


def post_job(s: Session, user: User | None, data: dict[str, Any]) -> GigJob:
    access.require(access.post(_actor(user)))
    cfg = settings().pay
    title = check_text(data.get("title"), "title", "干什么活", limit=50)
    code, text = resolve_occupation(data.get("occupation") or title)
    place = check_place(data.get("district"), data.get("town"), data.get("lat"), data.get("lon"))
    start = check_date(data.get("start_on"), "start_on", "开始日期")
    end = check_date(data.get("end_on") or start, "end_on", "结束日期")
    check_span(start, end, cfg.max_days)
    pay_type = str(data.get("pay_type") or "day")
    if pay_type not in PAY_TYPES:
        raise Invalid("工钱请选择「按天」或「按件」", field="pay_type")
    pay = yuan_to_fen(data.get("pay"), "pay", "工钱", maximum=cfg.max_per_day_yuan)
    unit = check_text(data.get("piece_unit"), "piece_unit", "计件单位（如 亩、件、车）", limit=10,
                      required=pay_type == "piece") if pay_type == "piece" else None
    people = check_int(data.get("people_needed") or 1, "people_needed", "要几个人", low=1, high=cfg.max_people)
    kind, poster_name = _poster(s, user)
    phone = check_phone(data.get("phone") or user.phone)
    t = now()
    j = GigJob(poster_user_id=user.id, poster_kind=kind, poster_name=poster_name, poster_phone=phone, title=title,
               occupation_code=code, occupation_text=text, start_on=start, end_on=end, pay_type=pay_type, pay_fen=pay,
               piece_unit=unit, people_needed=people,
               note=check_text(data.get("note"), "note", "备注", limit=200, required=False), state="open",
               created_at=t, updated_at=t, **place)
    s.add(j)
    s.flush()
    record_event(s, user, "job_posted", job_id=j.id, data={"district": j.district, "occupation": code})
    commit(s)
    return j


def load_job(s: Session, user: User | None, job_id: int, action: str = "view") -> GigJob:
    check_id(job_id, "零工信息")
    j = s.get(GigJob, job_id)
    if j is None:
        raise NotFound(f"没有编号为 {job_id} 的零工信息（或您无权查看）")
    access.require(access.job(_actor(user), action, j.state, district=j.district, poster_id=j.poster_user_id),
                   hide=action == "view")
    return j


def close_job(s: Session, user: User | None, job_id: int) -> GigJob:
    j = load_job(s, user, job_id)
    access.require(access.job(_actor(user), "close", j.state, district=j.district, poster_id=j.poster_user_id))
    j.state, j.updated_at = "closed", now()
    record_event(s, user, "job_closed", job_id=j.id)
    commit(s)
    return j


def taken(s: Session, job_id: int) -> int:
    return s.scalar(select(func.count()).select_from(GigMatch).where(
        GigMatch.job_id == job_id, GigMatch.state.in_(("accepted", "worked", "paid", "unpaid")))) or 0


def pay_text(j: GigJob) -> str:
    return f"每天 {yuan(j.pay_fen)}" if j.pay_type == "day" else f"每{j.piece_unit} {yuan(j.pay_fen)}（按件）"


def job_view(s: Session, j: GigJob, *, full: bool) -> dict:
    return {"id": j.id, "title": j.title, "occupation": occupation_name(j.occupation_code),
            "occupation_code": j.occupation_code, "district": j.district, "town": j.town,
            "start_on": iso(j.start_on), "end_on": iso(j.end_on), "days": (j.end_on - j.start_on).days + 1,
            "pay_type": j.pay_type, "pay_type_label": PAY_TYPES[j.pay_type], "pay_fen": j.pay_fen,
            "piece_unit": j.piece_unit, "pay": pay_text(j), "people_needed": j.people_needed, "taken": taken(s, j.id),
            "poster_kind": j.poster_kind, "poster_kind_label": "单位" if j.poster_kind == "employer" else "个人/家庭",
            "poster_name": j.poster_name if full else mask_name(j.poster_name) if j.poster_kind == "household"
            else j.poster_name, "state": j.state, "state_label": JOB_STATE_LABELS[j.state],
            "note": j.note, "created_at": iso(j.created_at), "created": show(j.created_at),
            "filled_at": iso(j.filled_at)}


def board(s: Session, *, district: str | None = None, occupation: str | None = None, limit: int = 50) -> list[GigJob]:
    """Open jobs, newest first (anyone)."""
    q = select(GigJob).where(GigJob.state == "open")
    if district:
        q = q.where(GigJob.district == district)
    if occupation:
        code, _ = resolve_occupation(occupation, "occupation")
        q = q.where(GigJob.occupation_code == code)
    return list(s.scalars(q.order_by(GigJob.created_at.desc(), GigJob.id.desc()).limit(limit)).all())


def my_jobs(s: Session, user: User) -> list[GigJob]:
    return list(s.scalars(select(GigJob).where(GigJob.poster_user_id == user.id).order_by(GigJob.id.desc())).all())
