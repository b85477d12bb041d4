"""The station registry (打工直通车工作站): seeded from data/platforms/stations.yaml, edited by the centre
(旗县市中心 of the district, 盟中心) in the console, the API or the CLI. A station master's account
(role `station_master`) is opened from its station: one account per station.

`sync_from_file` adds the file's stations that the database does not have (by code) and never
overwrites an edit; demo stations only when asked (`include_demo`, the embedded demo database).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases import service as cases
from jiuye.cases.models import User
from jiuye.platforms import access, clock
from jiuye.platforms.common import (
    Conflict, Invalid, NotFound, actor_of, check_id, check_name, check_phone, clean_text, commit, mask_name,
    mask_phone, record_event,
)
from jiuye.platforms.models import Signup, Station
from jiuye.platforms.settings import cite, stations_file

FIELDS = ("name", "district", "town", "village", "master_name", "phone", "terminal")
LABELS = {"name": "工作站名称", "district": "旗县市", "town": "苏木镇/街道", "village": "嘎查/村/社区",
          "master_name": "站长姓名", "phone": "工作站电话", "terminal": "终端设备", "active": "是否启用"}


def _district(name: str | None) -> str:
    return cases.district_key(name)


def sync_from_file(s: Session, *, include_demo: bool = False) -> dict[str, int]:
    """Add the stations of the data file that the database lacks. Commits."""
    have = set(s.scalars(select(Station.code)).all())
    added = skipped = 0
    now = clock.now()
    for e in stations_file().stations:
        if e.code in have:
            continue
        if e.demo and not include_demo:
            skipped += 1
            continue
        st = Station(code=e.code, name=e.name, district=_district(e.district), town=e.town, village=e.village,
                     master_name=e.master, phone=e.phone, terminal=e.terminal, demo=e.demo,
                     sources=[x.model_dump() for x in e.sources], active=True, created_at=now, updated_at=now,
                     version=1)
        s.add(st)
        s.flush()
        record_event(s, None, "station_loaded", station_id=st.id, data={"code": e.code})
        added += 1
    s.commit()
    return {"added": added, "skipped_demo": skipped, "in_file": len(stations_file().stations)}


def declared() -> dict:
    """The number of stations the documents give, with its sources (the registry is compared to it)."""
    d = stations_file().declared
    return {"count": d.count, "sources": [cite(x) for x in d.sources], "note": d.note}


def load(s: Session, user: User | None, station_id: int, action: str = "view") -> Station:
    check_id(station_id, "工作站")
    st = s.get(Station, station_id)
    actor = actor_of(s, user)
    if st is None or not access.station(actor, "view", _state(st), district=st.district, station_id=st.id)[0]:
        raise NotFound(f"没有编号为 {station_id} 的工作站（或您无权查看）")
    if action != "view":
        access.require(access.station(actor, action, _state(st), district=st.district, station_id=st.id))
    return st


def by_code(s: Session, code: str | None) -> Station | None:
    """An active station by its code (the terminal's address carries it); None when unknown."""
    if not code or len(code) > 40:
        return None
    st = s.scalar(select(Station).where(Station.code == code.strip()))
    return st if st is not None and st.active else None


def _state(st: Station) -> str:
    return "active" if st.active else "inactive"


def list_for(s: Session, user: User | None, *, district: str | None = None, include_inactive: bool = True) -> list[Station]:
    actor = actor_of(s, user)
    q = select(Station)
    scope_district, scope_station = access.scope(actor)
    if actor.kind in ("anonymous", "citizen"):
        return []
    if actor.kind == "staff" and actor.role not in access.VIEW_ROLES:
        return []
    if scope_station is not None:
        q = q.where(Station.id == scope_station)
    elif scope_district is not None:
        q = q.where(Station.district == scope_district)
    if district:
        q = q.where(Station.district == _district(district))
    if not include_inactive:
        q = q.where(Station.active.is_(True))
    return list(s.scalars(q.order_by(Station.district, Station.demo, Station.name)).all())


def for_signup_choice(s: Session) -> list[Station]:
    """Active stations, for a citizen picking where they are (names and places only)."""
    return list(s.scalars(select(Station).where(Station.active.is_(True)).order_by(Station.district, Station.name)).all())


def _values(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k in FIELDS:
        if k not in data:
            continue
        v = data[k]
        if k == "district":
            out[k] = _district(v)
        elif k == "phone":
            out[k] = check_phone(v, "phone", required=False)
        elif k == "name":
            n = (v or "").strip()
            if not n:
                raise Invalid("请填写工作站名称", field="name")
            out[k] = n[:100]
        elif k == "master_name":
            out[k] = check_name(v, "master_name", "站长姓名") if (v or "").strip() else None
        else:
            out[k] = clean_text(v, {"town": 50, "village": 50, "terminal": 100}[k])
    return out


def create(s: Session, user: User, data: dict[str, Any], *, code: str | None = None) -> Station:
    """A new station (the centre). Its source: the centre's own record (who entered it, when)."""
    actor = actor_of(s, user)
    vals = _values({**data, "district": data.get("district") or actor.district})
    access.require(access.create_station(actor, vals["district"]))
    if "name" not in vals:
        raise Invalid("请填写工作站名称", field="name")
    code = (code or "").strip() or None
    if code is not None:
        import re

        if not re.fullmatch(r"[A-Za-z0-9_-]{2,40}", code):
            raise Invalid("工作站编号只能用字母、数字、-、_（2–40位）", field="code")
        if s.scalar(select(Station.id).where(Station.code == code)) is not None:
            raise Conflict(f"工作站编号「{code}」已存在", field="code")
    now = clock.now()
    st = Station(code=code or f"TMP-{now.timestamp():.6f}", demo=False, active=True, created_at=now, updated_at=now,
                 version=1, sources=[{"document": "工作台", "section": f"{user.display_name}录入",
                                      "quote": f"{clock.show(now)}（北京时间）由{vals['district']}的经办人员在工作台登记"}],
                 **vals)
    s.add(st)
    s.flush()
    if code is None:
        st.code = f"ST-{st.id:05d}"
    record_event(s, user, "station_created", station_id=st.id, data={k: v for k, v in vals.items() if k != "phone"})
    commit(s)
    return st


def update(s: Session, user: User, station_id: int, data: dict[str, Any], *, active: bool | None = None,
           expected_version: int | None = None) -> Station:
    st = load(s, user, station_id, "edit")
    if expected_version is not None and st.version != expected_version:
        raise Conflict("工作站信息已被他人修改，请刷新后重试")
    vals = _values(data)
    if "district" in vals and vals["district"] != st.district:
        access.require(access.create_station(actor_of(s, user), vals["district"]))
    changed = {k: v for k, v in vals.items() if getattr(st, k) != v}
    for k, v in changed.items():
        setattr(st, k, v)
    if active is not None and active != st.active:
        st.active = active
        changed["active"] = active
    if not changed:
        return st
    st.updated_at = clock.now()
    record_event(s, user, "station_edited", station_id=st.id,
                 data={"fields": sorted(changed), **({"active": st.active} if "active" in changed else {})})
    commit(s)
    return st


def open_master_account(s: Session, user: User, station_id: int, *, username: str, password: str,
                        display_name: str | None = None, phone: str | None = None) -> User:
    """The station master's account (role station_master, the station's district). One per station."""
    st = load(s, user, station_id, "edit")
    if st.master_user_id is not None:
        raise Conflict("这个工作站已有站长账号；如需更换，请先停用原账号", field="username")
    import re

    if not re.fullmatch(r"[A-Za-z0-9_.-]{3,30}", username or ""):
        raise Invalid("用户名只能用字母、数字和 _ . -（3–30位）", field="username")
    if len(password or "") < 8:
        raise Invalid("密码至少8位", field="password")
    name = check_name(display_name or st.master_name or "", "display_name", "站长姓名") \
        if (display_name or st.master_name) else f"{st.name}站长"
    master = cases.create_user(s, username, password, access.STATION_MASTER, display_name=name,
                               district=st.district, phone=check_phone(phone, required=False), commit=False)
    st.master_user_id = master.id
    st.updated_at = clock.now()
    record_event(s, user, "station_master_opened", station_id=st.id, data={"username": username})
    commit(s)
    return master


def station_of_master(s: Session, user: User) -> Station | None:
    if user is None or user.role != access.STATION_MASTER:
        return None
    return s.scalar(select(Station).where(Station.master_user_id == user.id))


def counts(s: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    return dict(s.execute(select(Signup.station_id, func.count()).where(Signup.station_id.in_(ids))
                          .group_by(Signup.station_id)).all())


def view(st: Station, *, full: bool = False) -> dict:
    """A station for a page or the API. The station master's name is masked unless `full` (the
    centre's edit page, the station master themself); the station's phone is a service line."""
    return {"id": st.id, "code": st.code, "name": st.name, "district": st.district, "town": st.town,
            "village": st.village, "master_name": (st.master_name or "") if full else mask_name(st.master_name),
            "phone": st.phone if full or published_phone(st) else mask_phone(st.phone),
            "terminal": st.terminal, "demo": st.demo, "active": st.active,
            "state_label": "启用" if st.active else "已停用", "has_master_account": st.master_user_id is not None,
            "sources": [cite_dict(x) for x in st.sources or []], "version": st.version}


def published_phone(st: Station) -> bool:
    """The station's phone is printed in the documents (a public service line, e.g. the 总站)."""
    return any(str(x.get("document")) in ("000", "003") for x in st.sources or [])


def cite_dict(x: dict) -> str:
    from jiuye.platforms.settings import Source

    try:
        return cite(Source.model_validate(x))
    except Exception:  # noqa: BLE001 - a console-entered source is shown as written
        return "；".join(str(v) for v in x.values())
