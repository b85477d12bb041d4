"""Attendance: the provider shows a one-time code in class (per course and day, valid a few minutes —
data/training/settings.yaml › sign_in, 推定); a learner signs in on their phone with it (location only
with their consent); the provider may also record a learner present by hand (method "provider",
audited). One row per learner and day (a second sign-in answers the first: nothing lost, nothing
doubled). The sheet is the evidence attached to the subsidy cases."""
from __future__ import annotations

import csv
import datetime as dt
import io
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiuye.cases.models import Person, User
from jiuye.training import access, courses
from jiuye.training.common import Invalid, NotFound, actor_of, clock, commit, mask_id_number, mask_name, record
from jiuye.training.models import Attendance, Course, Enrolment, SignCode
from jiuye.training.settings import settings


def _class_day(c: Course) -> dt.date:
    day = clock.today()
    if not c.start_on <= day <= c.end_on:
        raise Invalid(f"今天（{day.isoformat()}）不在培训日期内（{c.start_on.isoformat()} 至 {c.end_on.isoformat()}）",
                      field="day")
    return day


def new_code(s: Session, user: User, course_id: int) -> SignCode:
    """A fresh code for today's class (earlier codes of the day stay valid until they expire)."""
    try:
        c = courses.must(s, user, course_id, "sign_code")
        day = _class_day(c)
        cfg = settings().sign_in
        code = "".join(secrets.choice("0123456789") for _ in range(cfg.code_digits))
        sc = SignCode(course_id=c.id, day=day, code=code, created_at=clock.now(),
                      expires_at=clock.now() + dt.timedelta(minutes=cfg.code_minutes))
        s.add(sc)
        record(s, user, "sign_code", provider_id=c.provider_id, course_id=c.id)
        commit(s)
        return sc
    except BaseException:
        s.rollback()
        raise


def sign_in(s: Session, user: User, course_id: int, code: str, *, consent: bool = False,
            latitude: float | None = None, longitude: float | None = None) -> tuple[Attendance, bool]:
    """(the row, whether it is new). The code must be today's for this course and unexpired."""
    try:
        c = courses.load(s, course_id)
        actor = actor_of(s, user)
        access.require(access.course(actor, "sign_in", c.state, provider_id=c.provider_id, district=c.district))
        e = s.scalar(select(Enrolment).where(Enrolment.course_id == c.id, Enrolment.person_id == actor.person_id,
                                             Enrolment.state == "enrolled"))
        if e is None:
            raise NotFound("您没有报名这门课程（或已结业、已退出）")
        day = _class_day(c)
        code = (code or "").strip()
        if not code.isdigit():
            raise Invalid("签到码应为课堂上显示的数字", field="code")
        now = clock.now()
        valid = s.scalar(select(SignCode.id).where(SignCode.course_id == c.id, SignCode.day == day,
                                                   SignCode.code == code, SignCode.expires_at >= now))
        if valid is None:
            raise Invalid("签到码不对或已过期，请看课堂上最新的签到码", field="code")
        done = s.scalar(select(Attendance).where(Attendance.enrolment_id == e.id, Attendance.day == day))
        if done is not None:
            return done, False
        if not consent:
            latitude = longitude = None
        for name, v, lo, hi in (("latitude", latitude, -90, 90), ("longitude", longitude, -180, 180)):
            if v is not None and not lo <= float(v) <= hi:
                raise Invalid("位置数据不对", field=name)
        row = Attendance(enrolment_id=e.id, course_id=c.id, day=day, at=now, method="code",
                         latitude=latitude, longitude=longitude, location_consent=bool(consent), by_user_id=user.id)
        s.add(row)
        try:
            s.commit()
        except IntegrityError:  # the same learner, the same day, twice at once: the first row stands
            s.rollback()
            row = s.scalar(select(Attendance).where(Attendance.enrolment_id == e.id, Attendance.day == day))
            return row, False
        return row, True
    except BaseException:
        s.rollback()
        raise


def mark(s: Session, user: User, course_id: int, enrolment_id: int, day: dt.date | None = None) -> Attendance:
    """The provider records a learner present by hand (e.g. no phone): audited, method 'provider'."""
    try:
        c = courses.must(s, user, course_id, "attendance")
        day = day or _class_day(c)
        if not c.start_on <= day <= min(c.end_on, clock.today()):
            raise Invalid("只能补记培训期间、今天及以前的出勤", field="day")
        e = s.get(Enrolment, enrolment_id)
        if e is None or e.course_id != c.id or e.state != "enrolled":
            raise NotFound("这门课程没有这名在读学员")
        row = s.scalar(select(Attendance).where(Attendance.enrolment_id == e.id, Attendance.day == day))
        if row is None:
            row = Attendance(enrolment_id=e.id, course_id=c.id, day=day, at=clock.now(), method="provider",
                             location_consent=False, by_user_id=user.id)
            s.add(row)
            record(s, user, "attendance_marked", provider_id=c.provider_id, course_id=c.id, enrolment_id=e.id,
                   data={"day": day.isoformat()})
        commit(s)
        return row
    except BaseException:
        s.rollback()
        raise


def sheet_rows(s: Session, course_id: int, *, enrolment_id: int | None = None, full: bool = False) -> list[dict]:
    q = select(Attendance, Enrolment, Person).join(Enrolment, Attendance.enrolment_id == Enrolment.id).join(
        Person, Enrolment.person_id == Person.id).where(Attendance.course_id == course_id)
    if enrolment_id:
        q = q.where(Attendance.enrolment_id == enrolment_id)
    out = []
    for a, e, p in s.execute(q.order_by(Attendance.day, Attendance.at)).all():
        out.append({"day": a.day.isoformat(), "time": clock.aware(a.at).astimezone(clock.BEIJING).strftime("%H:%M:%S"),
                    "enrolment_id": e.id, "name": p.name if full else mask_name(p.name),
                    "id_number": mask_id_number(p.id_number), "method": {"code": "签到码", "voucher": "培训券",
                                                                         "provider": "机构补记"}[a.method],
                    "location": "已同意记录位置" if a.location_consent and a.latitude is not None else "未记录位置"})
    return out


def sheet(s: Session, user: User, course_id: int) -> list[dict]:
    c = courses.must(s, user, course_id, "learners")
    return sheet_rows(s, c.id)


def sheet_csv(rows: list[dict], course: Course) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([f"签到表：{course.title}（{course.start_on.isoformat()} 至 {course.end_on.isoformat()}，{course.place}）"])
    w.writerow(["日期", "时间（北京时间）", "学员", "身份证号", "方式", "位置"])
    for r in rows:
        w.writerow([r["day"], r["time"], r["name"], r["id_number"], r["method"], r["location"]])
    return buf.getvalue().encode("utf-8-sig")
