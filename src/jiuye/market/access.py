"""Who may do what in the labour market: one rule for the pages, the API and the CLI.

Actors: anonymous, a job seeker (an applicant account of a person), an employer (an applicant
account of an enterprise; a licensed 人力资源服务机构 is an employer of kind agency), staff, the admin.

- A seeker sees and acts on their own 求职登记 and applications only: the registrations their
  account made, and — once staff have verified the account's identity at a window — those staff
  made for the same person.
- An employer sees its own posts (every state) and, of the seekers, only those who applied to
  (or were recommended for) its posts, or who consented to be seen by employers.
- Staff act in their district (旗县市): seekers registered there, posts whose place (or, for a post
  outside the league, whose employer) is there, and the applications to those posts or of those
  seekers. The 盟中心 and the 人社局 of 盟本级 see the whole league. Window work (求职登记 at the window,
  职业介绍, closing a registration) is for 社区、街道、旗县市中心、盟中心; reviewing posts for 旗县市中心
  (盟中心 for the whole league); 财政局 staff have no market work.
- The admin reads everything and acts on nothing (separation of duties, as for cases).

Every function answers (allowed, why not in Chinese); `require` raises the service's Forbidden.
"""
from __future__ import annotations

from dataclasses import dataclass

from jiuye.cases import roles

POSTING_STATES = ("draft", "pending", "returned", "published", "expired", "filled", "withdrawn")
APPLICATION_STATES = ("applied", "interview", "hired", "rejected", "no_show", "withdrawn", "closed")
SEEKER_STATES = ("active", "expired", "closed")
OPEN_APPLICATION = ("applied", "interview")

VIEW_ROLES = ("community", "street", "county_center", "league_center", "hrss")
WINDOW_ROLES = ("community", "street", "county_center", "league_center")
REVIEW_ROLES = ("county_center", "league_center")
LEAGUE_WIDE = ("league_center", "hrss")


@dataclass(frozen=True)
class Actor:
    kind: str  # anonymous | seeker | employer | staff | admin
    user_id: int | None = None
    role: str | None = None
    district: str | None = None
    person_id: int | None = None
    employer_id: int | None = None  # market_employers.id of the enterprise (employer accounts)
    verified: bool = False


ANONYMOUS = Actor("anonymous")


def actor_for(user, employer_id: int | None = None) -> Actor:
    """The market actor of a cases User (None: anonymous)."""
    if user is None:
        return ANONYMOUS
    if user.role == "admin":
        return Actor("admin", user.id, "admin", user.district)
    if user.role in roles.STAFF_ROLES:
        return Actor("staff", user.id, user.role, user.district)
    if user.role == "applicant" and user.enterprise_id:
        return Actor("employer", user.id, "applicant", None, None, employer_id, user.identity_verified_at is not None)
    if user.role == "applicant" and user.person_id:
        return Actor("seeker", user.id, "applicant", user.district, user.person_id, None,
                     user.identity_verified_at is not None)
    return ANONYMOUS


def covers(actor: Actor, district: str | None) -> bool:
    """Does this staff member's district include `district`?"""
    if actor.kind != "staff" or actor.role not in VIEW_ROLES:
        return False
    if actor.district == roles.LEAGUE_DISTRICT and actor.role in LEAGUE_WIDE:
        return True
    return district is not None and actor.district == district


def _staff_in(actor: Actor, district: str | None, allowed_roles: tuple[str, ...], what: str) -> tuple[bool, str | None]:
    if actor.kind != "staff" or actor.role not in allowed_roles:
        return False, f"{what}由{'、'.join(roles.label(r) for r in allowed_roles)}办理"
    if not covers(actor, district):
        return False, f"这属于{district or '其他地区'}，您只能办理{actor.district}的事项"
    return True, None


OK: tuple[bool, str | None] = (True, None)


# --- posts -------------------------------------------------------------------------------------
POSTING_ACTIONS = ("view", "edit", "submit", "withdraw", "approve", "return", "apply", "recommend", "applicants")


def posting(actor: Actor, action: str, state: str, *, owner_employer_id: int, scope_district: str) -> tuple[bool, str | None]:
    """May `actor` take `action` on a post in `state` published by `owner_employer_id`?"""
    owner = actor.kind == "employer" and actor.employer_id is not None and actor.employer_id == owner_employer_id
    if action == "view":
        if state == "published" or owner or covers(actor, scope_district) or actor.kind == "admin":
            return OK
        return False, "没有这个岗位（或尚未公开）"
    if action == "applicants":
        if owner or covers(actor, scope_district) or actor.kind == "admin":
            return OK
        return False, "只有发布单位和当地经办人员可以查看求职申请"
    if action in ("edit", "submit"):
        if not owner:
            return False, "只有发布单位可以修改或提交岗位"
        if state not in ("draft", "returned"):
            return False, "岗位已提交审核或已公开，不能再修改；如需更改请撤下后重新发布"
        return OK
    if action == "withdraw":
        if not owner:
            return False, "只有发布单位可以撤下岗位"
        if state not in ("draft", "pending", "returned", "published"):
            return False, "岗位已结束，不需要撤下"
        return OK
    if action in ("approve", "return"):
        ok, why = _staff_in(actor, scope_district, REVIEW_ROLES, "岗位审核")
        if not ok:
            return ok, why
        if state != "pending":
            return False, "只有待审核的岗位可以审核"
        return OK
    if action == "apply":
        if actor.kind != "seeker":
            return False, "请用个人账号登录后投递（单位和工作人员账号不能投递）"
        if state != "published":
            return False, "这个岗位现在不接受投递"
        return OK
    if action == "recommend":
        # staff recommend the seekers of their own district (checked on the seeker) to any public post
        if actor.kind != "staff" or actor.role not in WINDOW_ROLES:
            return False, f"职业介绍由{'、'.join(roles.label(r) for r in WINDOW_ROLES)}办理"
        if state != "published":
            return False, "只能推荐到已公开的岗位"
        return OK
    raise ValueError(f"unknown posting action {action}")


# --- 求职登记 -------------------------------------------------------------------------------------
SEEKER_ACTIONS = ("view", "edit", "confirm", "close", "recommend")


def seeker_owner(actor: Actor, *, user_id: int | None, person_id: int) -> bool:
    if actor.kind != "seeker":
        return False
    return (user_id is not None and actor.user_id == user_id) or (actor.verified and actor.person_id == person_id)


def seeker(actor: Actor, action: str, state: str, *, user_id: int | None, person_id: int, district: str,
           employer_may_see: bool = False) -> tuple[bool, str | None]:
    """May `actor` take `action` on a 求职登记 in `state`? `employer_may_see`: the seeker applied to one
    of this employer's posts, or consented to be seen (and the registration is open)."""
    owner = seeker_owner(actor, user_id=user_id, person_id=person_id)
    if action == "view":
        if owner or covers(actor, district) or actor.kind == "admin":
            return OK
        if actor.kind == "employer" and employer_may_see:
            return OK
        return False, "没有这条求职登记（或您无权查看）"
    if action == "recommend":
        ok, why = _staff_in(actor, district, WINDOW_ROLES, "职业介绍")
        if ok and state != "active":
            return False, "求职登记已关闭或已过期，请先确认登记"
        return ok, why
    if action in ("edit", "confirm", "close"):
        if not owner:
            ok, why = _staff_in(actor, district, WINDOW_ROLES, "求职登记")
            if not ok:
                return False, why if actor.kind == "staff" else "只有本人或当地经办人员可以办理"
        if action == "confirm" and state not in ("active", "expired"):
            return False, "求职登记已关闭；如仍在找工作，请重新登记"
        if action in ("edit", "close") and state != "active":
            return False, "求职登记已关闭或已过期"
        return OK
    raise ValueError(f"unknown seeker action {action}")


# --- applications --------------------------------------------------------------------------------
APPLICATION_ACTIONS = ("view", "invite", "hire", "reject", "no_show", "withdraw")


def application(actor: Actor, action: str, state: str, *, seeker_user_id: int | None, seeker_person_id: int,
                seeker_district: str, owner_employer_id: int, posting_scope: str) -> tuple[bool, str | None]:
    is_seeker = seeker_owner(actor, user_id=seeker_user_id, person_id=seeker_person_id)
    employer = actor.kind == "employer" and actor.employer_id is not None and actor.employer_id == owner_employer_id
    if action == "view":
        if is_seeker or employer or covers(actor, posting_scope) or covers(actor, seeker_district) or actor.kind == "admin":
            return OK
        return False, "没有这条求职申请（或您无权查看）"
    if action in ("invite", "hire", "reject", "no_show"):
        if not employer:
            return False, "面试邀请和录用结果由发布岗位的单位办理"
        allowed = ("interview",) if action == "no_show" else OPEN_APPLICATION
        if state not in allowed:
            return False, "只有已邀请面试的申请可以记为未到" if action == "no_show" else "这条申请已有结果"
        return OK
    if action == "withdraw":
        if not is_seeker:
            return False, "只有求职者本人可以撤回申请"
        if state not in OPEN_APPLICATION:
            return False, "这条申请已有结果，不能撤回"
        return OK
    raise ValueError(f"unknown application action {action}")


def stats(actor: Actor) -> tuple[bool, str | None]:
    if actor.kind == "admin" or (actor.kind == "staff" and actor.role in VIEW_ROLES):
        return OK
    return False, "统计只对经办人员开放"


def stats_scope(actor: Actor) -> str | None:
    """The district a staff member's statistics cover (None: the whole league)."""
    if actor.kind == "admin" or (actor.district == roles.LEAGUE_DISTRICT and actor.role in LEAGUE_WIDE):
        return None
    return actor.district


def require(result: tuple[bool, str | None], *, hide: bool = False, what: str = "") -> None:
    """Raise Forbidden (or NotFound when `hide`: the object's existence is not revealed)."""
    from jiuye.cases.errors import Forbidden, NotFound

    ok, why = result
    if not ok:
        raise (NotFound if hide else Forbidden)(what or why or "无权办理")
