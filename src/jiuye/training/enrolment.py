"""Enrolment: a citizen enrols themselves (account with a 身份证号), or a provider enrols a person who
came with their ID card (线下报名: 身份证号 + 姓名) on its own course; a voucher, when shown, is checked
here (the learner's, valid, for the course's kind) and marked used. One enrolment per person and
course; the seats are counted under the course's version (two last-seat enrolments: one wins)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiuye.cases import service as cases
from jiuye.cases.models import Person, User
from jiuye.training import access, courses, vouchers
from jiuye.training.common import (
    Conflict, Forbidden, Invalid, NotFound, actor_of, check_id, check_phone, clock, commit, mask_id_number, mask_name,
    mask_phone, record,
)
from jiuye.training.eligibility import GROUP_FIELDS
from jiuye.training.models import Attendance, Enrolment

STATE_LABELS = {"enrolled": "已报名", "completed": "已结业（合格）", "failed": "考核未通过", "withdrawn": "已退出"}


def _groups(groups: dict | None) -> dict:
    out = {}
    for k, v in (groups or {}).items():
        if k not in GROUP_FIELDS:
            raise Invalid(f"未知的情况「{k}」", field=f"groups.{k}")
        if v not in (True, False, None):
            raise Invalid("情况应为 是 / 否", field=f"groups.{k}")
        if v is not None:
            out[k] = v
    return out


def enrol(s: Session, user: User, course_id: int, *, phone: str | None = None, groups: dict | None = None,
          voucher: str | None = None, id_number: str | None = None, name: str | None = None) -> Enrolment:
    try:
        c = courses.load(s, course_id)
        actor = actor_of(s, user)
        if actor.kind == "provider":
            if not (actor.provider_id == c.provider_id and actor.provider_approved):
                raise Forbidden("培训机构只能为本机构的课程代为报名")
            if c.state not in ("published", "opened"):
                raise Invalid("这门课程已结束或已取消，不能报名", field="course")
            if not id_number:
                raise Invalid("代为报名须填写学员的身份证号和姓名", field="id_number")
            person = cases.ensure_person(s, id_number, name or "")
            owner = s.scalar(select(User).where(User.person_id == person.id, User.role == "applicant"))
        else:
            access.require(access.course(actor, "enrol", c.state, provider_id=c.provider_id, district=c.district))
            if id_number:
                raise Forbidden("个人只能为本人报名")
            person, owner = s.get(Person, user.person_id), user
        if c.end_on < clock.today():
            raise Invalid("这门课程已结业，不能报名", field="course")
        if c.enrolled >= c.seats:
            raise Conflict("名额已满", field="course")
        if s.scalar(select(Enrolment.id).where(Enrolment.course_id == c.id, Enrolment.person_id == person.id)):
            raise Conflict("已经报过这门课程", field="course")
        v = vouchers.for_enrolment(s, voucher, person.id, c.kind)
        e = Enrolment(course_id=c.id, person_id=person.id, user_id=owner.id if owner else None,
                      phone=check_phone(phone or (owner.phone if owner else None), required=False),
                      profile=_groups(groups), voucher_id=v.id if v else None,
                      paid_by_learner=c.price_fen > 0 and not (v and v.kind == "subsidised"), state="enrolled",
                      created_at=clock.now())
        s.add(e)
        c.enrolled += 1
        if v is not None:
            v.state, v.used_on = "used", clock.today()
        s.flush()
        record(s, user, "enrolled", provider_id=c.provider_id, course_id=c.id, enrolment_id=e.id,
               data={"voucher": bool(v)})
        if owner is not None:
            from jiuye.market.notify import notify_user

            notify_user(s, owner, "training_enrolled", title=f"已报名：{c.title}",
                        body=f"{c.start_on.isoformat()} 开班，地点：{c.place}。联系方式：{c.contact}。",
                        link=f"/training/courses/{c.id}")
        commit(s)
        return e
    except IntegrityError:
        s.rollback()
        raise Conflict("已经报过这门课程", field="course") from None
    except BaseException:
        s.rollback()
        raise


def withdraw(s: Session, user: User, enrolment_id: int) -> Enrolment:
    try:
        e = load(s, user, enrolment_id)
        if not (user.person_id and e.person_id == user.person_id):
            raise Forbidden("只有学员本人可以退出")
        if e.state != "enrolled":
            raise Invalid("只能退出尚未结业的报名", field="enrolment")
        e.state = "withdrawn"
        e.course.enrolled = max(0, e.course.enrolled - 1)
        record(s, user, "withdrawn", course_id=e.course_id, enrolment_id=e.id)
        commit(s)
        return e
    except BaseException:
        s.rollback()
        raise


def load(s: Session, user: User | None, enrolment_id: int) -> Enrolment:
    check_id(enrolment_id, "报名")
    e = s.get(Enrolment, enrolment_id)
    if e is None:
        raise NotFound(f"没有编号为 {enrolment_id} 的报名（或您无权查看）")
    actor = actor_of(s, user)
    mine = actor.kind == "citizen" and actor.person_id == e.person_id
    if not mine and not access.course(actor, "learners", e.course.state, provider_id=e.course.provider_id,
                                      district=e.course.district)[0]:
        raise NotFound(f"没有编号为 {enrolment_id} 的报名（或您无权查看）")
    return e


def learners(s: Session, user: User, course_id: int) -> list[Enrolment]:
    c = courses.must(s, user, course_id, "learners")
    return list(s.scalars(select(Enrolment).where(Enrolment.course_id == c.id).order_by(Enrolment.id)).all())


def mine(s: Session, user: User) -> list[Enrolment]:
    if user.person_id is None:
        return []
    return list(s.scalars(select(Enrolment).where(Enrolment.person_id == user.person_id).order_by(Enrolment.id.desc())).all())


def view(s: Session, e: Enrolment, *, full: bool = False) -> dict:
    person = s.get(Person, e.person_id)
    days = s.scalars(select(Attendance.day).where(Attendance.enrolment_id == e.id)).all()
    return {"id": e.id, "course_id": e.course_id, "course": e.course.title,
            "name": person.name if full else mask_name(person.name),
            "id_number": mask_id_number(person.id_number), "phone": e.phone if full else mask_phone(e.phone),
            "state": e.state, "state_label": STATE_LABELS[e.state], "voucher": e.voucher_id is not None,
            "paid_by_learner": e.paid_by_learner, "days_signed": len(days), "days": e.course.days,
            "result": e.result, "certificate_kind": e.certificate_kind,
            "certificate_no": e.certificate_no if full else (e.certificate_no[:3] + "***" if e.certificate_no else None),
            "completed_on": e.completed_on.isoformat() if e.completed_on else None}
