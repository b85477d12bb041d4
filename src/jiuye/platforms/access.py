"""Who may do what in 打工直通车: one rule for the pages, the API and the CLI.

Actors: anonymous (a worker at a station's terminal or on a phone: no account), a citizen (an
applicant account: treated like anonymous here), a station master (role `station_master`, one
station), staff (by role and district), the admin.

- A sign-up is followed up by staff of its district (社区、街道、旗县市中心; the 盟中心 league-wide, being
  the 大数据中心's centre): contact attempts, the 身份证号, 推荐, 上岗, the 30-day visit, closing. The
  人社局 reads; 财政局 staff have no part. The station master sees the sign-ups of their own station
  only, may withdraw one nobody has contacted yet, and records the departure of their people.
- Anyone may sign up at an active station (its terminal); a station master signs up on behalf of
  people at their own station only (站长代报名); staff may sign up a caller (电话报名) in their district.
- Stations are edited by the 旗县市中心 of their district and the 盟中心 (the centre edits the registry).
- A group (a bus of workers) is made and sent by its station's master or by staff of the district.
- The admin reads everything and acts on nothing (separation of duties, as for cases).

Every function answers (allowed, why not in Chinese); `require` raises the cases service's errors.
"""
from __future__ import annotations

from dataclasses import dataclass

from jiuye.cases import roles

SIGNUP_STATES = ("signed_up", "contacted", "recommended", "departed", "working", "followed_up", "closed")
OPEN_STATES = ("signed_up", "contacted", "recommended", "departed", "working")
STATION_STATES = ("active", "inactive")
GROUP_STATES = ("planned", "departed", "cancelled")

VIEW_ROLES = ("community", "street", "county_center", "league_center", "hrss")
WORK_ROLES = ("community", "street", "county_center", "league_center")
STATION_EDIT_ROLES = ("county_center", "league_center")
LEAGUE_WIDE = ("league_center", "hrss")
STATION_MASTER = "station_master"


@dataclass(frozen=True)
class Actor:
    kind: str  # anonymous | citizen | station_master | staff | admin
    user_id: int | None = None
    role: str | None = None
    district: str | None = None
    station_id: int | None = None  # the station a station master runs


ANONYMOUS = Actor("anonymous")
OK: tuple[bool, str | None] = (True, None)


def actor_for(user, station_id: int | None = None) -> Actor:
    if user is None:
        return ANONYMOUS
    if user.role == "admin":
        return Actor("admin", user.id, "admin", user.district)
    if user.role in roles.STAFF_ROLES:
        return Actor("staff", user.id, user.role, user.district)
    if user.role == STATION_MASTER:
        return Actor("station_master", user.id, user.role, user.district, station_id)
    if user.role == "applicant":
        return Actor("citizen", user.id, "applicant", user.district)
    return ANONYMOUS


def covers(actor: Actor, district: str | None, allowed: tuple[str, ...] = VIEW_ROLES) -> bool:
    """Is `district` within this staff member's area, for a role in `allowed`?"""
    if actor.kind != "staff" or actor.role not in allowed:
        return False
    if actor.district == roles.LEAGUE_DISTRICT and actor.role in LEAGUE_WIDE:
        return True
    return district is not None and actor.district == district


def _master_of(actor: Actor, station_id: int | None) -> bool:
    return actor.kind == "station_master" and station_id is not None and actor.station_id == station_id


def _names(codes: tuple[str, ...]) -> str:
    return "、".join(roles.label(r) for r in codes)


# --- sign-ups ------------------------------------------------------------------------------------
SIGNUP_ACTIONS = ("view", "contact", "identify", "recommend", "depart", "start", "followup", "close", "withdraw")
_NEEDS = {  # action -> the states it may be taken in
    "contact": OPEN_STATES, "identify": OPEN_STATES, "recommend": ("contacted",), "depart": ("recommended",),
    "start": ("recommended", "departed"), "followup": ("working",), "close": OPEN_STATES, "withdraw": ("signed_up",),
}
_WHY_STATE = {
    "contact": "报名已结束，不能再记录联系", "identify": "报名已结束", "recommend": "先联系上本人（已联系）才能推荐",
    "depart": "推荐之后才能记录出发", "start": "推荐之后才能记录上岗", "followup": "上岗之后才能做在岗回访",
    "close": "报名已结束", "withdraw": "客服已经联系过，请联系旗县市就业服务中心撤销",
}


def signup(actor: Actor, action: str, state: str, *, district: str, station_id: int | None) -> tuple[bool, str | None]:
    """May `actor` take `action` on a sign-up in `state`, followed up in `district`, from `station_id`?"""
    master = _master_of(actor, station_id)
    if action == "view":
        if master or covers(actor, district) or actor.kind == "admin":
            return OK
        return False, "没有这条报名（或您无权查看）"
    if action not in _NEEDS:
        raise ValueError(f"unknown sign-up action {action}")
    if action == "withdraw":
        if not master:
            return False, "只有代报名的工作站站长可以撤回报名"
    elif action == "depart":
        if not (master or covers(actor, district, WORK_ROLES)):
            return False, f"出发由工作站站长或{_names(WORK_ROLES)}记录"
    elif not covers(actor, district, WORK_ROLES):
        if actor.kind == "staff" and actor.role in WORK_ROLES:
            return False, f"这条报名属于{district}，您只能办理{actor.district}的报名"
        return False, f"报名的跟进由{_names(WORK_ROLES)}办理"
    if state not in _NEEDS[action]:
        return False, _WHY_STATE[action]
    return OK


# --- stations --------------------------------------------------------------------------------------
STATION_ACTIONS = ("view", "edit", "sign_up", "group")


def station(actor: Actor, action: str, state: str, *, district: str, station_id: int) -> tuple[bool, str | None]:
    master = _master_of(actor, station_id)
    if action == "view":
        if master or covers(actor, district) or actor.kind == "admin":
            return OK
        return False, "没有这个工作站（或您无权查看）"
    if action == "edit":
        if covers(actor, district, STATION_EDIT_ROLES):
            return OK
        return False, f"工作站名录由所在旗县市中心或盟中心维护（{_names(STATION_EDIT_ROLES)}）"
    if action in ("sign_up", "group"):
        if state != "active":
            return False, "这个工作站已停用，不能报名"
        if action == "sign_up" and actor.kind in ("anonymous", "citizen"):
            return OK  # the station's terminal: anyone signs up themself
        if master or covers(actor, district, WORK_ROLES):
            return OK
        if actor.kind == "station_master":
            return False, "站长只能为本工作站的群众报名"
        return False, "只有本工作站站长或当地经办人员可以代报名" if action == "sign_up" else \
            "集体报名由本工作站站长或当地经办人员办理"
    raise ValueError(f"unknown station action {action}")


def create_station(actor: Actor, district: str) -> tuple[bool, str | None]:
    return station(actor, "edit", "active", district=district, station_id=0)


def self_sign_up(actor: Actor) -> tuple[bool, str | None]:
    """Signing up without a station (the phone page, 公众号-style): anyone but the admin; a station
    master signs up at their station, staff at a station or as 电话报名 (see `station`)."""
    if actor.kind in ("anonymous", "citizen"):
        return OK
    if actor.kind == "staff" and actor.role in WORK_ROLES:
        return OK
    if actor.kind == "station_master":
        return False, "站长代报名请选择本工作站"
    return False, "管理员不办理报名" if actor.kind == "admin" else f"报名由本人、站长或{_names(WORK_ROLES)}办理"


# --- groups ----------------------------------------------------------------------------------------
GROUP_ACTIONS = ("view", "edit", "depart", "cancel")


def group(actor: Actor, action: str, state: str, *, district: str, station_id: int) -> tuple[bool, str | None]:
    master = _master_of(actor, station_id)
    if action == "view":
        if master or covers(actor, district) or actor.kind == "admin":
            return OK
        return False, "没有这个集体报名（或您无权查看）"
    if action not in ("edit", "depart", "cancel"):
        raise ValueError(f"unknown group action {action}")
    if not (master or covers(actor, district, WORK_ROLES)):
        return False, f"集体报名由本工作站站长或{_names(WORK_ROLES)}办理"
    if state != "planned":
        return False, "这批人员已出发或已取消"
    return OK


# --- tables ----------------------------------------------------------------------------------------
def tables(actor: Actor) -> tuple[bool, str | None]:
    if actor.kind == "admin" or actor.kind == "station_master" or (actor.kind == "staff" and actor.role in VIEW_ROLES):
        return OK
    return False, "报名统计只对工作站站长和经办人员开放"


def scope(actor: Actor) -> tuple[str | None, int | None]:
    """(district, station) a list or table is limited to; (None, None): the whole league."""
    if actor.kind == "station_master":
        return None, actor.station_id or -1
    if actor.kind == "admin" or (actor.district == roles.LEAGUE_DISTRICT and actor.role in LEAGUE_WIDE):
        return None, None
    return actor.district or "", None


def require(result: tuple[bool, str | None], *, hide: bool = False) -> None:
    from jiuye.cases.errors import Forbidden, NotFound

    ok, why = result
    if not ok:
        raise (NotFound if hide else Forbidden)(why or "无权办理")
