"""Group sign-ups (集体报名): a station sends a bus of workers to one employer. The group names the post,
the planned size, the departure (time, place), the escort (带队人, phone) and the employer's contact
on arrival. Each worker in it is an ordinary sign-up of that station and post (their own clock and
path); the departure of the group marks every recommended member 已出发 at once.
Who may: jiuye.platforms.access (the station's master, staff of its district).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.platforms import access, clock
from jiuye.platforms.common import (
    Conflict, Invalid, NotFound, actor_of, check_id, check_name, check_phone, clean_text, commit, iso, mask_name,
    mask_phone, record_event,
)
from jiuye.platforms.models import Group, Signup, Station

STATE_LABELS = {"planned": "待出发", "departed": "已出发", "cancelled": "已取消"}


def _rule(actor: access.Actor, g: Group, action: str):
    return access.group(actor, action, g.state, district=g.station.district, station_id=g.station_id)


def load(s: Session, user: User | None, group_id: int, action: str = "view") -> Group:
    check_id(group_id, "集体报名")
    g = s.get(Group, group_id)
    actor = actor_of(s, user)
    if g is None or not _rule(actor, g, "view")[0]:
        raise NotFound(f"没有编号为 {group_id} 的集体报名（或您无权查看）")
    if action != "view":
        access.require(_rule(actor, g, action))
    return g


def _when(value: dt.datetime | str | None) -> dt.datetime:
    if value in (None, ""):
        raise Invalid("请填写出发时间", field="departure_at")
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise Invalid("出发时间格式应为 YYYY-MM-DD HH:MM", field="departure_at") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=clock.BEIJING)
    return value.astimezone(clock.UTC)


def create(s: Session, user: User, *, station_id: int | None, posting_id: int, size: int, departure_at,
           departure_place: str, escort_name: str, escort_phone: str, contact_name: str | None = None,
           contact_phone: str | None = None, note: str | None = None) -> Group:
    from jiuye.platforms.signups import _post

    actor = actor_of(s, user)
    if station_id is None and actor.kind == "station_master":
        station_id = actor.station_id
    if station_id is None:
        raise Invalid("请选择工作站", field="station_id")
    check_id(station_id, "工作站")
    st = s.get(Station, station_id)
    if st is None:
        raise NotFound("没有这个工作站", field="station_id")
    access.require(access.station(actor, "group", "active" if st.active else "inactive", district=st.district,
                                  station_id=st.id))
    try:
        size = int(size)
    except (TypeError, ValueError):
        raise Invalid("人数应为整数", field="size") from None
    if not 2 <= size <= 200:
        raise Invalid("集体报名人数应为 2–200 人", field="size")
    when = _when(departure_at)
    if when < clock.now() - dt.timedelta(hours=1):
        raise Invalid("出发时间早于现在", field="departure_at")
    place = (departure_place or "").strip()
    if not place:
        raise Invalid("请填写出发地点", field="departure_place")
    post = _post(s, posting_id)
    now = clock.now()
    g = Group(station_id=st.id, posting_id=post["id"], posting_title=post["title"][:100],
              employer_name=(post["employer_name"] or "")[:100] or None, size=size, departure_at=when,
              departure_place=place[:100], escort_name=check_name(escort_name, "escort_name", "带队人姓名"),
              escort_phone=check_phone(escort_phone, "escort_phone"),
              contact_name=check_name(contact_name, "contact_name", "单位联系人姓名") if (contact_name or "").strip() else None,
              contact_phone=check_phone(contact_phone, "contact_phone", required=False), note=clean_text(note),
              state="planned", created_by_id=user.id, created_at=now, updated_at=now, version=1)
    g.station = st
    s.add(g)
    s.flush()
    record_event(s, user, "group_created", station_id=st.id, group_id=g.id,
                 data={"posting_id": post["id"], "size": size, "departure_at": iso(when)})
    commit(s)
    return g


def members(s: Session, g: Group) -> list[Signup]:
    return list(s.scalars(select(Signup).where(Signup.group_id == g.id).order_by(Signup.id)).all())


def add_member(s: Session, user: User, group_id: int, *, name: str, phone: str, client_token: str | None = None,
               note: str | None = None) -> tuple[Signup, bool]:
    """One worker of the bus: a sign-up of the group's station and post (its own clock)."""
    from jiuye.platforms import signups

    g = load(s, user, group_id, "edit")
    count = s.scalar(select(func.count()).select_from(Signup).where(Signup.group_id == g.id,
                                                                   Signup.state != "closed")) or 0
    if count >= g.size:
        raise Conflict(f"这批已有 {g.size} 人（计划人数）：请先修改人数", field="size")
    return signups.create(s, user, posting_id=g.posting_id, name=name, phone=phone, station_id=g.station_id,
                          client_token=client_token, note=note, group_id=g.id)


def depart(s: Session, user: User, group_id: int, *, at: dt.datetime | None = None) -> dict:
    """The bus left: every member already 已推荐 is 已出发; the others are listed (not moved)."""
    from jiuye.platforms import followup

    g = load(s, user, group_id, "depart")
    moved, left = [], []
    for su in members(s, g):
        if su.state == "recommended":
            followup.depart(s, user, su.id, at=at, _commit=False)
            moved.append(su.id)
        elif su.state != "closed":
            left.append(su.id)
    now = clock.now()
    g.state, g.departed_at, g.updated_at = "departed", clock.aware(at) if at else now, now
    record_event(s, user, "group_departed", station_id=g.station_id, group_id=g.id,
                 data={"departed": len(moved), "not_recommended": len(left)})
    commit(s)
    return {"departed": moved, "not_departed": left}


def cancel(s: Session, user: User, group_id: int, reason: str | None = None) -> Group:
    g = load(s, user, group_id, "cancel")
    g.state, g.updated_at = "cancelled", clock.now()
    record_event(s, user, "group_cancelled", station_id=g.station_id, group_id=g.id, comment=clean_text(reason))
    commit(s)
    return g


def list_for(s: Session, user: User | None, *, limit: int = 200) -> list[Group]:
    actor = actor_of(s, user)
    if actor.kind in ("anonymous", "citizen") or (actor.kind == "staff" and actor.role not in access.VIEW_ROLES):
        return []
    district, station = access.scope(actor)
    q = select(Group).join(Station, Station.id == Group.station_id)
    if station is not None:
        q = q.where(Group.station_id == station)
    elif district is not None:
        q = q.where(Station.district == district)
    return list(s.scalars(q.order_by(Group.departure_at.desc(), Group.id.desc()).limit(limit)).all())


def view(s: Session, g: Group, *, full: bool = False, with_members: bool = False) -> dict:
    d = {"id": g.id, "station_id": g.station_id, "station_name": g.station.name, "district": g.station.district,
         "posting_id": g.posting_id, "posting_title": g.posting_title, "employer_name": g.employer_name or "",
         "size": g.size, "departure_at": iso(g.departure_at), "departure_text": clock.show(g.departure_at),
         "departure_place": g.departure_place, "escort_name": g.escort_name if full else mask_name(g.escort_name),
         "escort_phone": g.escort_phone if full else mask_phone(g.escort_phone),
         "contact_name": (g.contact_name or "") if full else mask_name(g.contact_name),
         "contact_phone": (g.contact_phone or "") if full else mask_phone(g.contact_phone),
         "note": g.note if full else None, "state": g.state, "state_label": STATE_LABELS[g.state],
         "departed_text": clock.show(g.departed_at), "version": g.version}
    if with_members:
        from jiuye.platforms import signups

        rows = members(s, g)
        d["members"] = [signups.view(su) for su in rows]
        d["member_count"] = sum(su.state != "closed" for su in rows)
    return d
