"""Who may do what in 零工市场: one rule for the pages, the API and the CLI.

Actors: anonymous (browses the open jobs, names and phones hidden; posts nothing), a citizen (an
applicant account, person or enterprise: posts availability and jobs, applies, invites), staff (by
role and district: read everything of their district, the 盟中心 and 人社局 league-wide; the arrears
cases are worked in the cases console), the admin (reads, acts on nothing).

- A worker's availability: its owner edits and closes it; a poster sees it (name masked, no phone)
  only in the match list of their own job; staff of its district see it.
- A job: anyone sees an open job (poster's name masked, no phone); its poster sees its applicants
  (only their own jobs'), invites, accepts, closes; staff of its district see it.
- A match (one worker on one job): the two sides and the district's staff see it. Phones are shown
  to a side only when both sides accepted (and not after a decline). Each side accepts once, confirms
  "worked" once both accepted, confirms "paid" once both said "worked"; only the worker may say
  "not paid", which opens a wage-arrears report.

Every function answers (allowed, why not in Chinese); `require` raises the cases service's errors.
"""
from __future__ import annotations

from dataclasses import dataclass

from jiuye.cases import roles

MATCH_STATES = ("proposed", "accepted", "worked", "paid", "unpaid", "declined")
JOB_STATES = ("open", "filled", "closed")
WORKER_STATES = ("open", "closed")
VIEW_ROLES = ("community", "street", "county_center", "league_center", "hrss")
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


def covers(actor: Actor, district: str | None) -> bool:
    if actor.kind != "staff" or actor.role not in VIEW_ROLES:
        return False
    if actor.district == roles.LEAGUE_DISTRICT and actor.role in LEAGUE_WIDE:
        return True
    return district is not None and actor.district == district


def scope(actor: Actor) -> str | None:
    """The district a staff list is limited to; None: the whole league."""
    if actor.kind == "admin" or (actor.district == roles.LEAGUE_DISTRICT and actor.role in LEAGUE_WIDE):
        return None
    return actor.district or ""


def post(actor: Actor) -> tuple[bool, str | None]:
    """Posting availability or a job: an account of one's own (person or employer)."""
    if actor.kind == "citizen":
        return OK
    if actor.kind == "anonymous":
        return False, "请先登录（或用手机号注册）后再发布"
    return False, "零工信息由工人和雇主本人发布，经办人员只能查看"


# --- jobs --------------------------------------------------------------------------------------------
JOB_ACTIONS = ("view", "applicants", "close", "apply", "invite")


def job(actor: Actor, action: str, state: str, *, district: str, poster_id: int) -> tuple[bool, str | None]:
    own = actor.kind == "citizen" and actor.user_id == poster_id
    staff = covers(actor, district)
    if action == "view":
        if state == "open" or own or staff or actor.kind == "admin":
            return OK
        return False, "没有这条零工信息（或它已招满、已关闭）"
    if action == "applicants":
        if own or staff or actor.kind == "admin":
            return OK
        return False, "只有发布人能看这条活的报名人"
    if action in ("close", "invite"):
        if not own:
            return False, "只有发布人能办理这条活"
        if state != "open":
            return False, "这条活已招满或已关闭"
        return OK
    if action == "apply":
        if actor.kind != "citizen":
            return (False, "请先登录后再报名") if actor.kind == "anonymous" else (False, "经办人员不能报名零工")
        if own:
            return False, "不能报名自己发布的活"
        if state != "open":
            return False, "这条活已招满或已关闭"
        return OK
    raise ValueError(f"unknown job action {action}")


# --- matches -----------------------------------------------------------------------------------------
MATCH_ACTIONS = ("view", "see_phone", "accept", "decline", "worked", "paid", "unpaid")
_NEEDS = {"accept": ("proposed",), "decline": ("proposed", "accepted"), "worked": ("accepted",),
          "paid": ("worked",), "unpaid": ("worked",), "see_phone": ("accepted", "worked", "paid", "unpaid")}
_WHY = {"accept": "已经双方确认过了，或已谢绝", "decline": "已经上过工，不能再谢绝",
        "worked": "双方都接受后才能确认上工", "paid": "双方都确认上工后才能确认工钱",
        "unpaid": "双方都确认上工后才能报告没拿到工钱", "see_phone": "双方都接受后才显示对方电话"}


def match(actor: Actor, action: str, state: str, *, side: str | None, district: str,
          done_by_side: bool = False) -> tuple[bool, str | None]:
    """`side`: "worker" or "poster" when the actor is a party, else None. `done_by_side`: this
    side already did `action` (accepted, confirmed worked or paid)."""
    if action == "view":
        if side or covers(actor, district) or actor.kind == "admin":
            return OK
        return False, "没有这条撮合记录（或您无权查看）"
    if action not in _NEEDS:
        raise ValueError(f"unknown match action {action}")
    if side is None:
        if actor.kind == "staff":
            return False, "只有工人和雇主本人能办理；欠薪报告请在案件工作台办理"
        return False, "只有这单活的工人和雇主能办理"
    if action == "unpaid" and side != "worker":
        return False, "只有工人本人能报告没拿到工钱"
    if state not in _NEEDS[action]:
        return False, _WHY[action]
    if done_by_side and action in ("accept", "worked", "paid"):
        return False, {"accept": "您已接受，等对方确认", "worked": "您已确认上工，等对方确认",
                       "paid": "您已确认"}[action]
    return OK


def stats(actor: Actor) -> tuple[bool, str | None]:
    if actor.kind == "admin" or (actor.kind == "staff" and actor.role in VIEW_ROLES):
        return OK
    return False, "零工市场统计只对经办人员开放"


def require(result: tuple[bool, str | None], *, hide: bool = False) -> None:
    from jiuye.cases.errors import Forbidden, NotFound

    ok, why = result
    if not ok:
        raise (NotFound if hide else Forbidden)(why or "无权办理")
