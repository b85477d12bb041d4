"""Who may do what with 公益性岗位: one rule for the pages, the CLI and the services.

Actors: anonymous, a citizen (an applicant account with a 身份证号), staff (by role and district), the
admin, and others (a 用人单位 account, a 培训机构, a 站长, a 经办银行: no part here).

- publish / close: the 旗县市中心 or 人社局 of the post's district (盟本级 posts: 盟中心 / 盟人社局) —
  推定 (data/welfare_posts/settings.yaml publishing). A closed post cannot be closed again.
- view: an open post, anyone; a filled or closed post, staff of its district (the 盟中心 and 盟人社局
  league-wide) and the admin.
- applicants: the same staff (社区、街道、中心、人社局 of the district; 盟中心 / 盟人社局 league-wide) and
  the admin (reads only). Names and phones are masked in the list, 身份证号 always masked.
- signup: a citizen with a 身份证号, on an open post only.
- place: the 旗县市中心 of the district (盟本级: 盟中心) — the procedure's placement step role — on an
  open post (a filled or closed post has no place to take).
- subsidy: the same centre records the monthly subsidy, whatever the post's state (people placed
  on a post that has since closed are still paid).

Every function answers (allowed, why not in Chinese); `require` raises the cases service's Forbidden.
"""
from __future__ import annotations

from dataclasses import dataclass

from jiuye.cases import roles
from jiuye.cases.errors import Forbidden

POST_STATES = ("open", "filled", "closed")
ACTIONS = ("view", "publish", "close", "applicants", "signup", "place", "subsidy")
VIEW_ROLES = ("community", "street", "county_center", "league_center", "hrss")
LEAGUE_WIDE = ("league_center", "hrss")
STATE_LABELS = {"open": "招收中", "filled": "名额已满", "closed": "已结束"}


@dataclass(frozen=True)
class Actor:
    kind: str  # anonymous | citizen | staff | admin | other
    user_id: int | None = None
    role: str | None = None
    district: str | None = None
    person_id: int | None = None


ANONYMOUS = Actor("anonymous")
OK: tuple[bool, str | None] = (True, None)


def actor_for(user) -> Actor:
    if user is None:
        return ANONYMOUS
    if user.role == "admin":
        return Actor("admin", user.id, "admin", user.district)
    if user.role in roles.STAFF_ROLES:
        return Actor("staff", user.id, user.role, user.district)
    if user.role == "applicant" and user.person_id is not None:
        return Actor("citizen", user.id, "applicant", user.district, user.person_id)
    return Actor("other", user.id, user.role, user.district)


def reads(actor: Actor, district: str) -> bool:
    """Staff who read the posts' applicants of `district` (or the admin)."""
    if actor.kind == "admin":
        return True
    if actor.kind != "staff" or actor.role not in VIEW_ROLES:
        return False
    return actor.district == district or (actor.district == roles.LEAGUE_DISTRICT and actor.role in LEAGUE_WIDE)


def publishes(actor: Actor, district: str) -> bool:
    from jiuye.welfare_posts.settings import settings

    return actor.kind == "staff" and actor.role in settings().publishing.roles and actor.district == district and (
        actor.role != "league_center" or district == roles.LEAGUE_DISTRICT)


def centre_of(actor: Actor, district: str) -> bool:
    """The centre that takes the case's steps: 旗县市中心 of the district, 盟中心 for 盟本级."""
    if actor.kind != "staff" or actor.district != district:
        return False
    return actor.role == ("league_center" if district == roles.LEAGUE_DISTRICT else "county_center")


def post(actor: Actor, action: str, state: str, *, district: str) -> tuple[bool, str | None]:
    if state not in POST_STATES:
        return False, "岗位状态有误"
    label = STATE_LABELS[state]
    if action == "view":
        if state == "open" or reads(actor, district):
            return OK
        return False, "这个岗位已不再招收"
    if action == "publish":
        if not publishes(actor, district):
            return False, f"只有{district}的就业服务中心或人社局可以发布{district}的公益性岗位"
        return OK
    if action == "close":
        if not publishes(actor, district):
            return False, f"只有{district}的就业服务中心或人社局可以结束{district}的公益性岗位"
        if state == "closed":
            return False, "这个岗位已经结束"
        return OK
    if action == "applicants":
        if reads(actor, district):
            return OK
        return False, "只有岗位所在地的就业服务部门可以查看报名人员"
    if action == "signup":
        if actor.kind != "citizen":
            return False, "请用已实名（有身份证号）的个人账号登录后报名"
        if state != "open":
            return False, f"这个岗位{label}，不能报名"
        return OK
    if action == "place":
        if not centre_of(actor, district):
            return False, "只有岗位所在旗县市的就业服务中心（盟本级岗位为盟中心）可以安排上岗"
        if state != "open":
            return False, f"这个岗位{label}，不能再安排上岗"
        return OK
    if action == "subsidy":
        if not centre_of(actor, district):
            return False, "只有岗位所在旗县市的就业服务中心（盟本级岗位为盟中心）可以记录每月补贴"
        return OK
    return False, "未知的操作"


def require(answer: tuple[bool, str | None]) -> None:
    ok, why = answer
    if not ok:
        raise Forbidden(why or "无权进行这一操作")
