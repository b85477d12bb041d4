"""Which subsidies a person would get on completing a course, as of a date: the rules, through
screening (jiuye.screening). The profile is the person's (their 身份证号 gives age and sex; the groups
they declared) plus the course's facts (category, hours, days, certificate on completion) and the
per-year counts from the claims already opened (≤ 3 subsidised trainings a year, no repeat of the
same occupation and level; 创业培训: no repeat of the same level within the year).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.training.models import Claim, Course
from jiuye.training.settings import settings

# the groups a learner may declare (screening profile fields), with their Chinese names from the profile
GROUP_FIELDS = {"registered_unemployed": "已办理失业登记", "hard_to_employ_certified": "已被认定为就业困难人员",
                "poverty_alleviated_labour": "脱贫劳动力", "rural_low_income": "农村牧区低收入人口",
                "rural_school_leaver_trainee": "两后生中的农村牧区学员", "urban_dibao_household_member": "城市低保家庭成员",
                "junior_secondary_leaver": "未继续升学的应届初中毕业生", "veteran": "退役军人",
                "flexibly_employed": "灵活就业人员", "has_disability_certificate": "持有残疾人证",
                "returning_home_founder": "返乡创业人员", "receiving_pension": "已按月领取养老金"}
LEVELLESS = ("none", "special")


def policies_for(course: Course) -> list[str]:
    kind = settings().course_kinds[course.kind]
    if course.kind == "vocational":
        return ["vocational_training_subsidy", "training_living_allowance"]
    if course.kind == "labour_preparation":
        return ["labour_preparation_training", "vocational_training_subsidy"]
    return [kind.policy, "training_living_allowance"]


def claims_this_year(s: Session, person_id: int, year: int, *, exclude_enrolment: int | None = None) -> dict:
    q = select(Claim).where(Claim.person_id == person_id, Claim.year == year, Claim.state == "opened")
    if exclude_enrolment:
        q = q.where(Claim.enrolment_id != exclude_enrolment)
    rows = s.scalars(q).all()
    voc = [c for c in rows if c.policy == "vocational_training_subsidy"]
    return {"vocational": voc, "startup": [c for c in rows if c.policy == "entrepreneurship_training"]}


def profile_for(s: Session, course: Course, *, id_number: str, groups: dict, person_id: int | None, as_of: dt.date,
                completed: bool = True, exclude_enrolment: int | None = None) -> dict:
    prof: dict = {"id_number": id_number, "district": course.district}
    for k in GROUP_FIELDS:
        if k in groups and groups[k] is not None:
            prof[k] = bool(groups[k])
    past = claims_this_year(s, person_id, as_of.year, exclude_enrolment=exclude_enrolment) if person_id else \
        {"vocational": [], "startup": []}
    if course.kind in ("vocational", "labour_preparation"):
        prof.update(training_category=course.category, training_hours=course.hours,
                    training_certificate_obtained=completed, training_claims_this_year=len(past["vocational"]),
                    training_same_occupation_level_claimed=any(
                        c.occupation_code == course.occupation_code and c.level == course.level for c in past["vocational"]),
                    training_shortage_occupation=course.occupation_code in settings().shortage_occupations.codes, training_days=course.days)
        if "receiving_pension" not in prof:
            prof["receiving_pension"] = False  # a learner who declared nothing: asked on the enrolment form
    if course.kind == "labour_preparation":
        prof["in_labour_preparation_training"] = True
    if course.kind in settings().course_kinds and settings().course_kinds[course.kind].policy == "entrepreneurship_training":
        prof.update(startup_training_iyb=course.kind == "iyb", training_days=course.days,
                    startup_training_same_level_claimed=any(c.level == course.kind for c in past["startup"]))
    return prof


def screen(s: Session, course: Course, *, id_number: str, groups: dict, person_id: int | None,
           as_of: dt.date, exclude_enrolment: int | None = None) -> list[dict]:
    """[{policy, name, status, amount_fen, reasons: [text], snapshot}] for the course's policies."""
    from jiuye.screening import ProfileError, default_screener

    prof = profile_for(s, course, id_number=id_number, groups=groups, person_id=person_id, as_of=as_of,
                       exclude_enrolment=exclude_enrolment)
    try:
        result = default_screener().screen(prof, as_of)
    except ProfileError as exc:
        from jiuye.training.common import Invalid

        raise Invalid("情况有误：" + "；".join(e["message"] for e in exc.errors), field="groups") from None
    wanted = policies_for(course)
    out = []
    for r in result.results:
        if r.policy in wanted:
            out.append({"policy": r.policy, "name": r.name, "status": r.status, "amount_fen": r.amount_fen,
                        "reasons": [x.text for x in r.reasons if x.state in ("not_met", "unknown")][:4],
                        "snapshot": {"as_of": as_of.isoformat(), "kind": "training", "district": result.district,
                                     "result": r.model_dump(mode="json")}})
    out.sort(key=lambda x: wanted.index(x["policy"]))
    return out


def count_opened(s: Session, person_id: int, year: int) -> int:
    return s.scalar(select(func.count()).select_from(Claim).where(
        Claim.person_id == person_id, Claim.year == year, Claim.state == "opened",
        Claim.policy == "vocational_training_subsidy")) or 0
