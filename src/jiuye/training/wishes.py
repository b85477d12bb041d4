"""Training wishes (就业培训意愿 / 创业培训意愿, as the 四位一体 platform collects them — 003 报名方式):
a citizen registers one; approved providers of the district (and the league's centre) see the open
ones and answer (optionally with a course); the citizen is told through the outbox."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from jiuye.cases import roles
from jiuye.cases import service as cases
from jiuye.cases.models import User
from jiuye.training import access
from jiuye.training.common import (
    Forbidden, Invalid, NotFound, actor_of, check_id, check_phone, clock, commit, mask_phone, provider_of, record, text,
)
from jiuye.training.models import Course, Wish
from jiuye.training.settings import settings


def create(s: Session, user: User, data: dict) -> Wish:
    try:
        if actor_of(s, user).kind != "citizen":
            raise Forbidden("请用个人账号登录后登记培训意愿")
        kind = data.get("kind") or "employment"
        if kind not in settings().wish_kinds:
            raise Invalid("意愿类别应为 就业培训意愿 或 创业培训意愿", field="kind")
        occ = (data.get("occupation_code") or "").strip() or None
        if occ:
            from jiuye.market.occupations import get_classification

            if occ not in get_classification().entries:
                raise Invalid(f"职业编码「{occ}」不在本系统收录的《职业分类大典》职业中", field="occupation_code")
        w = Wish(user_id=user.id, person_id=user.person_id, kind=kind,
                 district=cases.district_key(data.get("district") or user.district), occupation_code=occ,
                 note=text(data.get("note"), "note", "说明", limit=300, required=False),
                 phone=check_phone(data.get("phone") or user.phone, required=True), state="open",
                 created_at=clock.now())
        s.add(w)
        s.flush()
        record(s, user, "wish_created", comment=settings().wish_kinds[kind])
        commit(s)
        return w
    except BaseException:
        s.rollback()
        raise


def visible(s: Session, user: User, *, state: str | None = "open") -> list[Wish]:
    actor = actor_of(s, user)
    q = select(Wish).order_by(Wish.created_at.desc()).limit(500)
    if state:
        q = q.where(Wish.state == state)
    if actor.kind == "citizen":
        q = q.where(Wish.user_id == user.id)
    elif actor.kind == "provider" and actor.district != roles.LEAGUE_DISTRICT:
        q = q.where(or_(Wish.district == actor.district))
    rows = s.scalars(q).all()
    return [w for w in rows if access.wish(actor, "view", w.state, owner_id=w.user_id, district=w.district)[0]]


def answer(s: Session, user: User, wish_id: int, *, answer_text: str, course_id: int | None = None) -> Wish:
    try:
        check_id(wish_id, "培训意愿")
        w = s.get(Wish, wish_id)
        actor = actor_of(s, user)
        if w is None or not access.wish(actor, "view", w.state, owner_id=w.user_id, district=w.district)[0]:
            raise NotFound(f"没有编号为 {wish_id} 的培训意愿（或您无权查看）")
        access.require(access.wish(actor, "answer", w.state, owner_id=w.user_id, district=w.district))
        provider = provider_of(s, user)
        if course_id is not None:
            c = s.get(Course, course_id)
            if c is None or c.provider_id != provider.id:
                raise Invalid("只能推荐本机构的课程", field="course_id")
        w.answer = text(answer_text, "answer", "答复", limit=500)
        w.provider_id, w.course_id, w.state, w.answered_at = provider.id, course_id, "answered", clock.now()
        owner = s.get(User, w.user_id)
        from jiuye.market.notify import notify_user

        notify_user(s, owner, "training_wish_answered", title=f"{provider.name}答复了您的{settings().wish_kinds[w.kind]}",
                    body=w.answer, link=f"/training/courses/{course_id}" if course_id else "/training/wishes")
        record(s, user, "wish_answered", provider_id=provider.id, course_id=course_id)
        commit(s)
        return w
    except BaseException:
        s.rollback()
        raise


def view(s: Session, w: Wish, *, full: bool = False) -> dict:
    from jiuye.market.occupations import get_classification

    provider = None
    if w.provider_id:
        from jiuye.training.models import Provider

        provider = s.get(Provider, w.provider_id)
    return {"id": w.id, "kind": w.kind, "kind_label": settings().wish_kinds[w.kind], "district": w.district,
            "occupation_code": w.occupation_code,
            "occupation_name": get_classification().name(w.occupation_code) if w.occupation_code else None,
            "note": w.note, "phone": w.phone if full else mask_phone(w.phone), "state": w.state,
            "state_label": access.WISH_LABELS[w.state], "answer": w.answer, "course_id": w.course_id,
            "provider": provider.name if provider else None,
            "created_at": clock.aware(w.created_at).isoformat()}
