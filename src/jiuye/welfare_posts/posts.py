"""Posts: the 旗县市 publishes a 公益性岗位 (unit, type, place, places, dates, contact), validated with
Chinese messages naming the field; a post closes when its places are filled (placement.take_place)
or its dates end (close_expired: the hourly queue task and the staff list; public searches leave such posts out
without writing), or when staff end it."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from jiuye.cases import roles
from jiuye.cases.models import User
from jiuye.welfare_posts import access
from jiuye.welfare_posts.common import (
    Invalid, NotFound, actor_of, check_id, clock, commit, day_of, integer, record, text,
)
from jiuye.welfare_posts.models import WelfarePost, WelfareSignup
from jiuye.welfare_posts.settings import settings

FIELDS = ("district", "unit", "post_type", "title", "place", "places", "duties", "contact", "start_on", "end_on")


def districts() -> list[str]:
    from jiuye.market import postings

    return [roles.LEAGUE_DISTRICT, *postings.league_districts()]


def _validated(data: dict, actor: access.Actor) -> dict:
    cfg, lim = settings(), settings().limits
    if not isinstance(data, dict):
        raise Invalid("岗位资料应为表单或 JSON 对象", field="post")
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise Invalid(f"岗位没有字段 {sorted(unknown)}；可填：{'、'.join(FIELDS)}", field=sorted(unknown)[0])
    district = str(data.get("district") or actor.district or "").strip()
    if district not in districts():
        raise Invalid(f"所在旗县市应为：{'、'.join(districts())}", field="district")
    kind = str(data.get("post_type") or "").strip()
    if kind not in cfg.post_types:
        raise Invalid("岗位类别应为：" + "、".join(f"{k}（{v.label}）" for k, v in cfg.post_types.items()), field="post_type")
    start = day_of(data.get("start_on"), "start_on", "招收开始日期")
    end = day_of(data.get("end_on"), "end_on", "招收截止日期")
    if end < start:
        raise Invalid("招收截止日期不能早于开始日期", field="end_on")
    if (end - start).days > lim.max_period_days:
        raise Invalid(f"招收期最长 {lim.max_period_days} 天", field="end_on")
    if end < clock.today():
        raise Invalid(f"招收截止日期 {end} 已过", field="end_on")
    return {
        "district": district, "post_type": kind,
        "unit": text(data.get("unit"), "unit", "用人单位", limit=lim.unit_chars),
        "title": text(data.get("title"), "title", "岗位名称", limit=lim.title_chars),
        "place": text(data.get("place"), "place", "工作地点（苏木镇、街道或社区）", limit=lim.place_chars),
        "places": integer(data.get("places"), "places", "招收人数", 1, lim.max_places),
        "duties": text(data.get("duties"), "duties", "工作内容", limit=lim.duties_chars, required=False),
        "contact": text(data.get("contact"), "contact", "联系方式", limit=lim.contact_chars),
        "start_on": start, "end_on": end,
    }


def publish(s: Session, user: User, data: dict, *, demo: bool = False) -> WelfarePost:
    try:
        actor = actor_of(user)
        v = _validated(data, actor)
        access.require(access.post(actor, "publish", "open", district=v["district"]))
        p = WelfarePost(**v, filled=0, state="open", created_by_id=user.id, demo=demo, created_at=clock.now())
        s.add(p)
        s.flush()
        record(s, user, "published", post_id=p.id, data={"places": p.places})
        commit(s)
        return p
    except BaseException:
        s.rollback()
        raise


def load(s: Session, post_id) -> WelfarePost:
    p = s.get(WelfarePost, check_id(post_id, "公益性岗位"))
    if p is None:
        raise NotFound(f"没有编号为 {post_id} 的公益性岗位（或您无权查看）")
    return p


def must(s: Session, user: User | None, post_id, action: str) -> WelfarePost:
    """The post, if `user` may do `action` on it; a post one may not even view is 'not found'."""
    p = load(s, post_id)
    actor = actor_of(user)
    if not access.post(actor, "view", p.state, district=p.district)[0]:
        raise NotFound(f"没有编号为 {post_id} 的公益性岗位（或您无权查看）")
    access.require(access.post(actor, action, p.state, district=p.district))
    return p


def close_expired(s: Session) -> int:
    """Open or filled posts whose 招收截止日期 has passed are closed (one UPDATE)."""
    n = s.execute(update(WelfarePost).where(WelfarePost.state.in_(("open", "filled")), WelfarePost.end_on < clock.today())
                  .values(state="closed", close_reason="招收期已结束", version=WelfarePost.version + 1)
                  .execution_options(synchronize_session=False)).rowcount
    if n:
        s.commit()
    return n or 0


def search(s: Session, *, district: str | None = None, post_type: str | None = None, limit: int = 50,
           offset: int = 0) -> tuple[int, list[WelfarePost]]:
    """Open posts with places left, in their 招收期 (started, not ended). A read only: a post whose 招收期 has
    ended is left out here and closed by the hourly queue task (welfare_housekeeping) or `jiuye welfare
    close-expired` — anonymous searches (the /welfare page, the API, Ask's front door) write nothing."""
    today = clock.today()
    q = select(WelfarePost).where(WelfarePost.state == "open", WelfarePost.start_on <= today, WelfarePost.end_on >= today,
                                  WelfarePost.filled < WelfarePost.places)
    if district:
        q = q.where(WelfarePost.district == district)
    if post_type:
        q = q.where(WelfarePost.post_type == post_type)
    total = s.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = s.scalars(q.order_by(WelfarePost.end_on, WelfarePost.id).limit(limit).offset(offset)).all()
    return total, list(rows)


def for_staff(s: Session, user: User) -> list[WelfarePost]:
    """The posts the staff member reads (their district; league-wide for 盟中心 / 盟人社局), newest first."""
    close_expired(s)
    actor = actor_of(user)
    rows = s.scalars(select(WelfarePost).order_by(WelfarePost.id.desc()).limit(500)).all()
    return [p for p in rows if access.reads(actor, p.district)]


def close(s: Session, user: User, post_id, reason: str | None) -> WelfarePost:
    try:
        p = must(s, user, post_id, "close")
        p.state, p.close_reason = "closed", text(reason, "reason", "结束原因", limit=200)
        record(s, user, "closed", post_id=p.id, comment=p.close_reason)
        commit(s)
        return p
    except BaseException:
        s.rollback()
        raise


def counts(s: Session, post_id: int) -> dict[str, int]:
    rows = s.execute(select(WelfareSignup.state, func.count()).where(WelfareSignup.post_id == post_id)
                     .group_by(WelfareSignup.state)).all()
    return {state: n for state, n in rows}


def view(p: WelfarePost) -> dict:
    cfg = settings()
    kind = cfg.post_types[p.post_type]
    return {"id": p.id, "district": p.district, "unit": p.unit, "post_type": p.post_type, "type_label": kind.label,
            "type_examples": kind.examples, "title": p.title, "place": p.place, "places": p.places,
            "filled": p.filled, "places_left": max(0, p.places - p.filled), "duties": p.duties, "contact": p.contact,
            "start_on": p.start_on.isoformat(), "end_on": p.end_on.isoformat(), "state": p.state,
            "state_label": access.STATE_LABELS[p.state], "close_reason": p.close_reason, "demo": p.demo}
