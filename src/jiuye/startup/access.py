"""Who may do what in 创业服务: one rule for the pages, the API and the CLI.

Actors: anonymous; a citizen (applicant account: a project owner, a founder); staff by role and
district; the admin (reads, acts on nothing). Reviewers are staff accounts assigned to one
application: as reviewers they see that application only (the 创业计划书 summary, masked founder).

- Projects: the owner (or 社区/街道/中心 staff of the district, for them) writes and submits a draft or a
  returned project; the district's 就业服务中心 (旗县市中心; 盟中心 league-wide) publishes or returns
  it with a reason; everyone sees a published project, only its owner and staff of its district see
  it before. A citizen other than the owner may express interest in a published project.
- Interests: the founder and staff of the project's district see them; 社区/街道/中心 staff follow up.
- Applications to a base: the founder applies and may withdraw before review starts; the centre
  (旗县市中心 of the base's district, 盟中心 league-wide) assigns reviewers, decides and records the
  tenancy; an assigned reviewer declares a conflict of interest first and scores only without one.

Every function answers (allowed, why not in Chinese).
"""
from __future__ import annotations

from dataclasses import dataclass

from jiuye.cases import roles

PROJECT_STATES = ("draft", "submitted", "published", "returned", "withdrawn")
PROJECT_ACTIONS = ("view", "edit", "submit", "review", "withdraw", "interest")
INTEREST_STATES = ("open", "contacted", "closed")
INTEREST_ACTIONS = ("view", "follow_up")
APPLICATION_STATES = ("submitted", "reviewing", "admitted", "refused", "withdrawn")
APPLICATION_ACTIONS = ("view", "assign", "declare", "score", "decide", "withdraw", "tenancy")

VIEW_ROLES = ("community", "street", "county_center", "league_center", "hrss")
WORK_ROLES = ("community", "street", "county_center", "league_center")
CENTRE_ROLES = ("county_center", "league_center")
LEAGUE_WIDE = ("league_center", "hrss")
OK: tuple[bool, str | None] = (True, None)


@dataclass(frozen=True)
class Actor:
    kind: str  # anonymous | citizen | staff | admin
    user_id: int | None = None
    role: str | None = None
    district: str | None = None


ANONYMOUS = Actor("anonymous")


def actor_for(user) -> Actor:
    if user is None:
        return ANONYMOUS
    if user.role == "admin":
        return Actor("admin", user.id, "admin", user.district)
    if user.role in roles.STAFF_ROLES:
        return Actor("staff", user.id, user.role, user.district)
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


# --- projects ----------------------------------------------------------------------------------------
_PROJECT_NEEDS = {"edit": ("draft", "returned"), "submit": ("draft", "returned"), "review": ("submitted",),
                  "withdraw": ("draft", "submitted", "returned", "published"), "interest": ("published",)}
_PROJECT_WHY = {"edit": "只有草稿或退回修改的项目可以修改", "submit": "只有草稿或退回修改的项目可以提交审核",
                "review": "只有待审核的项目可以审核", "withdraw": "项目已撤下", "interest": "项目还没有发布"}


def project(actor: Actor, action: str, state: str, *, district: str, owner_id: int) -> tuple[bool, str | None]:
    owner = actor.kind == "citizen" and actor.user_id == owner_id
    if action == "view":
        if state == "published" or owner or covers(actor, district) or actor.kind == "admin":
            return OK
        return False, "没有这个项目（或您无权查看）"
    if action not in _PROJECT_NEEDS:
        raise ValueError(f"unknown project action {action}")
    if action in ("edit", "submit"):
        if not (owner or covers(actor, district, WORK_ROLES)):
            return False, f"项目由项目方本人或{_names(WORK_ROLES)}代为填报"
    elif action == "review":
        if not covers(actor, district, CENTRE_ROLES):
            return False, f"项目由{district}的{_names(CENTRE_ROLES)}审核发布"
    elif action == "withdraw":
        if not (owner or covers(actor, district, CENTRE_ROLES)):
            return False, "只有项目方本人或就业服务中心可以撤下项目"
    elif action == "interest":
        if actor.kind != "citizen":
            return False, "请用个人账号登录后表达意向"
        if owner:
            return False, "这是您自己的项目"
    if state not in _PROJECT_NEEDS[action]:
        return False, _PROJECT_WHY[action]
    return OK


# --- interests -------------------------------------------------------------------------------------
def interest(actor: Actor, action: str, state: str, *, district: str, founder_id: int) -> tuple[bool, str | None]:
    if action == "view":
        if (actor.kind == "citizen" and actor.user_id == founder_id) or covers(actor, district) or actor.kind == "admin":
            return OK
        return False, "没有这条意向（或您无权查看）"
    if action != "follow_up":
        raise ValueError(f"unknown interest action {action}")
    if not covers(actor, district, WORK_ROLES):
        return False, f"意向由{district}的{_names(WORK_ROLES)}跟进"
    if state == "closed":
        return False, "这条意向已办结"
    return OK


# --- applications to a base ------------------------------------------------------------------------
_APP_NEEDS = {"assign": ("submitted", "reviewing"), "declare": ("reviewing",), "score": ("reviewing",),
              "decide": ("reviewing",), "withdraw": ("submitted",), "tenancy": ("admitted",)}
_APP_WHY = {"assign": "已作出决定，不能再指派评审", "declare": "评审已结束", "score": "评审已结束",
            "decide": "指派评审并评分后才能作出决定", "withdraw": "评审已经开始，不能撤回",
            "tenancy": "只有准予入驻的申请可以登记入驻和退出"}


def application(actor: Actor, action: str, state: str, *, district: str, founder_id: int,
                reviewer_ids: tuple[int, ...] = (), conflicted_ids: tuple[int, ...] = ()) -> tuple[bool, str | None]:
    founder = actor.kind == "citizen" and actor.user_id == founder_id
    reviewer = actor.kind == "staff" and actor.user_id in reviewer_ids
    centre = covers(actor, district, CENTRE_ROLES)
    if action == "view":
        if founder or reviewer or centre or actor.kind == "admin":
            return OK
        return False, "没有这份入驻申请（或您无权查看）"
    if action not in _APP_NEEDS:
        raise ValueError(f"unknown application action {action}")
    if action in ("assign", "decide", "tenancy"):
        if not centre:
            return False, f"入驻申请由基地所在地（{district}）的{_names(CENTRE_ROLES)}办理"
        if action == "decide" and reviewer:
            return False, "您是这份申请的评审，不能同时作出决定"
    elif action in ("declare", "score"):
        if not reviewer:
            return False, "只有被指派的评审可以评分"
        if action == "score" and actor.user_id in conflicted_ids:
            return False, "您已声明存在利益冲突，不能评分"
    elif action == "withdraw":
        if not founder:
            return False, "只有申请人本人可以撤回"
    if state not in _APP_NEEDS[action]:
        return False, _APP_WHY[action]
    return OK
