"""Who may do what at a fair: one rule for the pages, the API and the CLI.

Actors: anonymous and citizens (pre-register, see their own registrations and intentions), an
employer (an applicant account of an enterprise with a market profile: applies for a booth, sees its
own booths and the intentions recorded at them, records intentions at its approved booth and their
outcome), staff by role and district, the admin (reads everything, acts on nothing).

- Fairs are made and edited by the 旗县市中心 of their district and the 盟中心 (the weekly fair is the
  盟中心's: district 兴安盟).
- Booth applications are decided (approve, return with a reason, waiting list, booth number) by
  `DECIDE_ROLES` of the fair's district; `VIEW_ROLES` of the district read them.
- At the door, `WORK_ROLES` of the fair's district check visitors in; at a booth, the same staff or the
  booth's employer record an intention; the follow-up outcome is recorded by them too.
- The report is for `VIEW_ROLES` of the district and the admin.

Every function answers (allowed, why not in Chinese); `require` raises the cases service's errors.
"""
from __future__ import annotations

from dataclasses import dataclass

from jiuye.cases import roles

FAIR_STATES = ("open", "cancelled")
BOOTH_STATES = ("pending", "approved", "waiting", "returned", "withdrawn")
INTENTION_STATES = ("open", "followed_up")

VIEW_ROLES = ("community", "street", "county_center", "league_center", "hrss")
WORK_ROLES = ("community", "street", "county_center", "league_center")
DECIDE_ROLES = ("county_center", "league_center")
LEAGUE_WIDE = ("league_center", "hrss")


@dataclass(frozen=True)
class Actor:
    kind: str  # anonymous | citizen | employer | staff | admin
    user_id: int | None = None
    role: str | None = None
    district: str | None = None
    employer_id: int | None = None  # the market profile of an employer's account


ANONYMOUS = Actor("anonymous")
OK: tuple[bool, str | None] = (True, None)


def actor_for(user, employer_id: int | None = None) -> Actor:
    if user is None:
        return ANONYMOUS
    if user.role == "admin":
        return Actor("admin", user.id, "admin", user.district)
    if user.role in roles.STAFF_ROLES:
        return Actor("staff", user.id, user.role, user.district)
    if user.role == "applicant" and employer_id is not None:
        return Actor("employer", user.id, "applicant", user.district, employer_id)
    if user.role == "applicant":
        return Actor("citizen", user.id, "applicant", user.district)
    return ANONYMOUS


def covers(actor: Actor, district: str | None, allowed: tuple[str, ...] = VIEW_ROLES) -> bool:
    if actor.kind != "staff" or actor.role not in allowed:
        return False
    if actor.district == roles.LEAGUE_DISTRICT and actor.role in LEAGUE_WIDE:
        return True
    return district is not None and actor.district == district


def _names(codes: tuple[str, ...]) -> str:
    return "、".join(roles.label(r) for r in codes)


# --- fairs -----------------------------------------------------------------------------------------
FAIR_ACTIONS = ("edit", "apply", "register", "check_in", "report")


def fair(actor: Actor, action: str, state: str, *, district: str, kind: str = "onsite",
         past: bool = False) -> tuple[bool, str | None]:
    """May `actor` take `action` on a fair in `state` organised by `district` (`past`: its day is over)?"""
    if action == "edit":
        return OK if covers(actor, district, DECIDE_ROLES) else (False, f"招聘会由所在旗县市中心或盟中心（{_names(DECIDE_ROLES)}）安排")
    if action == "report":
        return OK if covers(actor, district) or actor.kind == "admin" else (False, "招聘会报告只对经办人员开放")
    if state != "open":
        return False, "这场招聘会已取消"
    if action == "apply":
        if kind == "stream":
            return False, "直播带岗不设展位：请联系就业服务中心推荐岗位上直播"
        if actor.kind != "employer":
            return False, "只有已登记招聘信息的用人单位账号可以申请展位"
        return (False, "这场招聘会已经结束") if past else OK
    if action == "register":
        if actor.kind in ("anonymous", "citizen", "employer") or covers(actor, district, WORK_ROLES):
            return (False, "这场招聘会已经结束") if past else OK
        return False, "管理员不办理报名" if actor.kind == "admin" else "报名由本人或经办人员办理"
    if action == "check_in":
        if kind != "onsite":
            return False, "网络招聘会和直播带岗没有入场签到"
        return OK if covers(actor, district, WORK_ROLES) else (False, f"入场签到由{_names(WORK_ROLES)}办理")
    raise ValueError(f"unknown fair action {action}")


# --- booths ----------------------------------------------------------------------------------------
BOOTH_ACTIONS = ("view", "decide", "withdraw", "record_intention")
_DECIDABLE = ("pending", "waiting")


def booth(actor: Actor, action: str, state: str, *, district: str, employer_id: int) -> tuple[bool, str | None]:
    own = actor.kind == "employer" and actor.employer_id == employer_id
    if action == "view":
        return OK if own or covers(actor, district) or actor.kind == "admin" else (False, "没有这个展位申请（或您无权查看）")
    if action == "decide":
        if not covers(actor, district, DECIDE_ROLES):
            return False, f"展位申请由{_names(DECIDE_ROLES)}审核"
        return OK if state in _DECIDABLE else (False, "这份申请已经处理过")
    if action == "withdraw":
        if not own:
            return False, "只有申请单位本身可以撤回"
        return OK if state in ("pending", "waiting", "approved", "returned") else (False, "申请已撤回")
    if action == "record_intention":
        if not (own or covers(actor, district, WORK_ROLES)):
            return False, "意向由本展位的用人单位或现场经办人员记录"
        return OK if state == "approved" else (False, "展位审核通过后才能记录意向")
    raise ValueError(f"unknown booth action {action}")


# --- intentions ------------------------------------------------------------------------------------
INTENTION_ACTIONS = ("view", "follow_up", "check_30")


def intention(actor: Actor, action: str, state: str, *, district: str, employer_id: int | None,
              visitor_user_id: int | None) -> tuple[bool, str | None]:
    own = actor.kind == "employer" and employer_id is not None and actor.employer_id == employer_id
    staff = covers(actor, district, WORK_ROLES)
    if action == "view":
        mine = actor.kind in ("citizen", "employer") and visitor_user_id is not None and actor.user_id == visitor_user_id
        return OK if own or mine or covers(actor, district) or actor.kind == "admin" else (False, "没有这条意向（或您无权查看）")
    if action == "follow_up":
        if not (own or staff):
            return False, "意向回访由本展位的用人单位或经办人员记录"
        return OK if state == "open" else (False, "这条意向已经回访过")
    if action == "check_30":
        if not staff:
            return False, f"30 天在岗回访由{_names(WORK_ROLES)}记录"
        return OK if state == "followed_up" else (False, "先记录回访结果，才能做 30 天在岗回访")
    raise ValueError(f"unknown intention action {action}")


def scope(actor: Actor) -> str | None:
    """The district a staff list is limited to; None: the whole league."""
    if actor.kind == "admin" or (actor.district == roles.LEAGUE_DISTRICT and actor.role in LEAGUE_WIDE):
        return None
    return actor.district or ""


def require(result: tuple[bool, str | None], *, hide: bool = False) -> None:
    from jiuye.cases.errors import Forbidden, NotFound

    ok, why = result
    if not ok:
        raise (NotFound if hide else Forbidden)(why or "无权办理")
