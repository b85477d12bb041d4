"""Flags before payment (thresholds in data/training/settings.yaml › anomalies, 推定 — the documents ask
for 精确资金监管 but give no test): a learner signed in on two classes the same day; a class day whose
sign-ins all came within a minute; the same person enrolled on two courses at once; a pass rate far
above the district's. A flag does not stop the case: it is attached for the reviewer."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.training.models import Attendance, Course, Enrolment
from jiuye.training.settings import settings

LABELS = {"overlap": "同一天在两个班签到", "burst": "全班签到集中在一分钟内", "duplicate": "同一人同时报名两门时间重叠的课程",
          "pass_rate": "合格率远高于本地区平均"}


def _aware(t):
    import datetime as dt

    return t.replace(tzinfo=dt.timezone.utc) if t.tzinfo is None else t


def course_flags(s: Session, course: Course) -> list[dict]:
    cfg = settings().anomalies
    flags = []
    times: dict = {}
    for day, at in s.execute(select(Attendance.day, Attendance.at).where(Attendance.course_id == course.id)).all():
        times.setdefault(day, []).append(_aware(at))
    for day, ts in sorted(times.items()):
        if len(ts) >= cfg.burst_min_signins and (max(ts) - min(ts)).total_seconds() <= cfg.burst_seconds:
            flags.append({"flag": "burst", "label": LABELS["burst"], "detail": f"{day.isoformat()} 的 {len(ts)} 人次签到"})
    rate, district_rate, n = pass_rates(s, course)
    if rate is not None and district_rate is not None and n >= cfg.pass_rate_min_learners \
            and rate - district_rate > cfg.pass_rate_excess:
        flags.append({"flag": "pass_rate", "label": LABELS["pass_rate"],
                      "detail": f"本班 {rate:.0%}，{course.district}其他班 {district_rate:.0%}"})
    return flags


def pass_rates(s: Session, course: Course) -> tuple[float | None, float | None, int]:
    def rate(rows):
        assessed = [r for r in rows if r in ("passed", "failed")]
        return (sum(1 for r in assessed if r == "passed") / len(assessed), len(assessed)) if assessed else (None, 0)

    own, n = rate(s.scalars(select(Enrolment.result).where(Enrolment.course_id == course.id)).all())
    other = s.scalars(select(Enrolment.result).join(Course, Enrolment.course_id == Course.id).where(
        Course.district == course.district, Course.id != course.id, Enrolment.result.is_not(None))).all()
    district, _m = rate(other)
    return own, district, n


def learner_flags(s: Session, e: Enrolment) -> list[dict]:
    c = e.course
    flags = []
    other = s.execute(select(Enrolment.id, Course.id, Course.title).join(Course, Enrolment.course_id == Course.id).where(
        Enrolment.person_id == e.person_id, Enrolment.id != e.id, Enrolment.state != "withdrawn",
        Course.start_on <= c.end_on, Course.end_on >= c.start_on)).all()
    for _eid, cid, title in other:
        flags.append({"flag": "duplicate", "label": LABELS["duplicate"], "detail": f"另一门：{title}（编号 {cid}）"})
    days = select(Attendance.day).where(Attendance.enrolment_id == e.id)
    clash = s.scalar(select(func.count()).select_from(Attendance).join(Enrolment, Attendance.enrolment_id == Enrolment.id).where(
        Enrolment.person_id == e.person_id, Attendance.enrolment_id != e.id, Attendance.day.in_(days)))
    if clash:
        flags.append({"flag": "overlap", "label": LABELS["overlap"], "detail": f"{clash} 天在另一个班也有签到"})
    return flags
