"""Courses: a provider publishes (occupation 大典 code, level, A/B/C, hours/days, dates, place, seats,
price, subsidy, contact); anyone finds them (district, occupation, dates, kind, free); the provider
opens the class (开班反馈) at least N days before the start (data/training/settings.yaml › open_class,
quoting 000 五(三)6 with its caveat: that section describes Shanghai's system)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from jiuye.cases import service as cases
from jiuye.cases.models import User
from jiuye.training import access
from jiuye.training.common import (
    Invalid, NotFound, actor_of, check_id, check_phone, clock, commit, day_of, integer, money, provider_of, record, text,
)
from jiuye.training.models import Course, Provider
from jiuye.training.settings import settings

APPROVAL_OF = {"vocational": "vocational", "labour_preparation": "vocational", "syb": "entrepreneurship",
               "iyb": "entrepreneurship", "online_startup": "entrepreneurship"}


def _occupation(code: str | None, kind: str) -> tuple[str | None, str | None]:
    from jiuye.market.occupations import get_classification

    code = (code or "").strip()
    if not code:
        if kind in ("vocational",):
            raise Invalid("职业技能培训须填写培训职业（《职业分类大典》编码，如 4-10-01-05）", field="occupation_code")
        return None, None
    cls = get_classification()
    if not cls.is_valid_code(code):
        raise Invalid(f"职业编码「{code}」格式不对，应如 4-10-01-05（《职业分类大典》）", field="occupation_code")
    if code not in cls.entries:
        raise Invalid(f"职业编码「{code}」不在本系统收录的《职业分类大典》职业中", field="occupation_code")
    return code, cls.name(code)


def check(data: dict, provider: Provider) -> dict:
    cfg = settings()
    kind = data.get("kind") or "vocational"
    if kind not in cfg.course_kinds:
        raise Invalid(f"未知的培训类别「{kind}」；可选：{'、'.join(k.label for k in cfg.course_kinds.values())}", field="kind")
    if APPROVAL_OF[kind] not in provider.approvals:
        need = cfg.approvals[APPROVAL_OF[kind]].label
        raise Invalid(f"本机构没有「{need}」，不能开设{cfg.course_kinds[kind].label}", field="kind")
    code, occ_name = _occupation(data.get("occupation_code"), kind)
    level = data.get("level") or ("none" if kind != "vocational" else "")
    if kind in ("syb", "iyb", "online_startup"):
        level = kind  # a start-up course's level is its kind (000: 同一等级创业培训)
    elif level not in cfg.levels:
        raise Invalid(f"未知的等级「{level}」；可选：{'、'.join(cfg.levels.values())}", field="level")
    category = data.get("category") or "none"
    if category not in cfg.categories:
        raise Invalid("类别应为 A、B、C 类或「不在目录内」", field="category")
    if kind not in ("vocational", "labour_preparation"):
        category = "none"
    hours = integer(data.get("hours"), "hours", "课时", 1, 2000)
    days = integer(data.get("days"), "days", "天数", 1, 365)
    ck = cfg.course_kinds[kind]
    if ck.min_hours and hours < ck.min_hours:
        raise Invalid(f"{ck.label}不少于 {ck.min_hours} 课时（{ck.source.document} {ck.source.section}）", field="hours")
    start = day_of(data.get("start_on"), "start_on", "开班日期")
    end = day_of(data.get("end_on"), "end_on", "结业日期")
    if end < start:
        raise Invalid("结业日期不能早于开班日期", field="end_on")
    if (end - start).days + 1 < days:
        raise Invalid(f"开班到结业只有 {(end - start).days + 1} 天，少于培训天数 {days} 天", field="days")
    price = data.get("price_yuan", 0)
    try:
        price_fen = round(float(price) * 100)
    except (TypeError, ValueError, OverflowError):
        raise Invalid(f"学费应为数字（元），实际为「{price}」", field="price_yuan") from None
    if not 0 <= price_fen <= 10_000_000:
        raise Invalid("学费应在 0 到 100000 元之间", field="price_yuan")
    return {"kind": kind, "title": text(data.get("title"), "title", "课程名称", limit=100), "occupation_code": code,
            "occupation_name": occ_name, "level": level, "category": category, "hours": hours, "days": days,
            "start_on": start, "end_on": end, "district": cases.district_key(data.get("district") or provider.district),
            "place": text(data.get("place"), "place", "培训地点", limit=200),
            "seats": integer(data.get("seats"), "seats", "名额", 1, 500), "price_fen": price_fen,
            "subsidised": bool(data.get("subsidised", True)) and (category != "none" or kind != "vocational"),
            "contact": text(data.get("contact") or provider.phone, "contact", "联系方式", limit=100)}


def publish(s: Session, user: User, data: dict) -> Course:
    try:
        provider = provider_of(s, user)
        if provider is None:
            from jiuye.training.common import Forbidden

            raise Forbidden("只有培训机构账号可以发布课程")
        access.require(access.course(actor_of(s, user), "publish", "published", provider_id=provider.id,
                                     district=provider.district))
        fields = check(data, provider)
        if fields["start_on"] < clock.today():
            raise Invalid("开班日期已过", field="start_on")
        c = Course(provider_id=provider.id, state="published", enrolled=0, created_at=clock.now(), **fields)
        s.add(c)
        s.flush()
        record(s, user, "course_published", provider_id=provider.id, course_id=c.id, comment=c.title)
        commit(s)
        return c
    except BaseException:
        s.rollback()
        raise


def load(s: Session, course_id: int) -> Course:
    check_id(course_id, "课程")
    c = s.get(Course, course_id)
    if c is None:
        raise NotFound(f"没有编号为 {course_id} 的课程")
    return c


def must(s: Session, user: User | None, course_id: int, action: str) -> Course:
    c = load(s, course_id)
    access.require(access.course(actor_of(s, user), action, c.state, provider_id=c.provider_id, district=c.district))
    return c


def open_class(s: Session, user: User, course_id: int) -> Course:
    """开班反馈: at least `days_before_start` calendar days before the start (000 五(三)6)."""
    try:
        c = must(s, user, course_id, "open_class")
        rule = settings().open_class
        latest = c.start_on - dt.timedelta(days=rule.days_before_start)
        if clock.today() > latest:
            raise Invalid(f"须在开班 {rule.days_before_start} 天前（{latest.isoformat()} 前）完成开班反馈，已过期限。"
                          f"依据：{rule.source.quote}（{rule.source.document} {rule.source.section}）。{rule.caveat}",
                          field="start_on")
        if c.enrolled == 0:
            raise Invalid("还没有学员报名，不能开班", field="course")
        c.state, c.opened_at = "opened", clock.now()
        record(s, user, "class_opened", provider_id=c.provider_id, course_id=c.id)
        commit(s)
        return c
    except BaseException:
        s.rollback()
        raise


def cancel(s: Session, user: User, course_id: int) -> Course:
    try:
        c = must(s, user, course_id, "cancel")
        c.state = "cancelled"
        record(s, user, "course_cancelled", provider_id=c.provider_id, course_id=c.id)
        commit(s)
        return c
    except BaseException:
        s.rollback()
        raise


def search(s: Session, *, q: str = "", district: str | None = None, occupation: str | None = None,
           kind: str | None = None, start_from: dt.date | None = None, start_to: dt.date | None = None,
           free_only: bool = False, limit: int = 20, offset: int = 0) -> tuple[int, list[Course]]:
    """Courses one can still enrol on (published or opened, not ended), soonest first."""
    cond = [Course.state.in_(("published", "opened")), Course.end_on >= clock.today()]
    if district:
        cond.append(Course.district == cases.district_key(district))
    if occupation:
        occ = occupation.strip()
        cond.append(or_(Course.occupation_code.startswith(occ), Course.occupation_name.contains(occ)))
    if kind:
        if kind not in settings().course_kinds:
            raise Invalid(f"未知的培训类别「{kind}」", field="kind")
        cond.append(Course.kind == kind)
    if start_from:
        cond.append(Course.start_on >= start_from)
    if start_to:
        cond.append(Course.start_on <= start_to)
    if free_only:
        cond.append(Course.price_fen == 0)
    if q.strip():
        cond.append(or_(Course.title.contains(q.strip()), Course.occupation_name.contains(q.strip())))
    total = s.scalar(select(func.count()).select_from(Course).where(*cond)) or 0
    rows = s.scalars(select(Course).options(joinedload(Course.provider)).where(*cond)
                     .order_by(Course.start_on, Course.id).limit(limit).offset(offset)).all()
    return total, list(rows)


def view(c: Course, provider: Provider | None = None) -> dict:
    cfg = settings()
    ck = cfg.course_kinds[c.kind]
    return {"id": c.id, "title": c.title, "kind": c.kind, "kind_label": ck.label,
            "occupation_code": c.occupation_code, "occupation_name": c.occupation_name, "level": c.level,
            "level_label": cfg.levels.get(c.level) or ck.label, "category": c.category,
            "category_label": cfg.categories[c.category].label, "hours": c.hours, "days": c.days,
            "start_on": c.start_on.isoformat(), "end_on": c.end_on.isoformat(), "district": c.district, "place": c.place,
            "seats": c.seats, "seats_left": max(0, c.seats - c.enrolled), "price_fen": c.price_fen,
            "price": money(c.price_fen) if c.price_fen else "免费", "subsidised": c.subsidised, "contact": c.contact,
            "state": c.state, "state_label": access.COURSE_LABELS[c.state], "provider_id": c.provider_id,
            "provider": (provider or c.provider).name if (provider or c.provider) else None}


def mine(s: Session, user: User) -> list[Course]:
    p = provider_of(s, user)
    if p is None:
        return []
    return list(s.scalars(select(Course).where(Course.provider_id == p.id).order_by(Course.start_on.desc())).all())


def phone_ok(value: str | None) -> str | None:
    return check_phone(value, required=False)
