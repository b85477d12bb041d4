"""Who may do what in training: one rule for the pages, the API and the CLI.

Actors: anonymous (anyone: finds courses), a citizen (an applicant account with a 身份证号: wishes,
enrolment, sign-in, own vouchers), a provider (role `training_provider`, one provider: its courses and
only its own learners), staff (by role and district), the admin.

- A provider is approved, returned with a reason (退回补正, while pending) or suspended by the 旗县市中心
  of its district or the 盟中心; only an
  approved provider publishes courses, opens classes, records sign-in and completion — on its own
  courses only. It sees its own learners only (names and phones masked in lists, 身份证号 masked).
- Staff of the course's district (社区、街道、旗县市中心; the 盟中心 and 人社局 league-wide) read courses'
  learners and the anomaly flags; the centres issue vouchers. 财政局 has no part here (it acts in
  the subsidy cases). The admin reads everything and acts on nothing.
- A citizen enrols on a published or opened course with seats left, before its end; signs in on
  an opened course they are enrolled on.
- The staff console's training pages (/console/training: providers waiting, courses, voucher counts):
  staff who read training (社区、街道、旗县市中心、人社局、盟中心), each in their area, and the admin.
- Wishes: a citizen makes and sees their own; an approved provider of the wish's district (or the
  league's 训练中心, league-wide) reads the open ones and answers; staff of the district read.

Every function answers (allowed, why not in Chinese); `require` raises the cases service's errors.
"""
from __future__ import annotations

from dataclasses import dataclass

from jiuye.cases import roles
from jiuye.cases.errors import Forbidden

PROVIDER = "training_provider"
PROVIDER_STATES = ("pending", "returned", "approved", "suspended")
COURSE_STATES = ("published", "opened", "finished", "cancelled")
WISH_STATES = ("open", "answered", "closed")
VIEW_ROLES = ("community", "street", "county_center", "league_center", "hrss")
CENTRES = ("county_center", "league_center")
LEAGUE_WIDE = ("league_center", "hrss")


@dataclass(frozen=True)
class Actor:
    kind: str  # anonymous | citizen | provider | staff | admin
    user_id: int | None = None
    role: str | None = None
    district: str | None = None
    provider_id: int | None = None
    provider_approved: bool = False
    person_id: int | None = None


ANONYMOUS = Actor("anonymous")
OK: tuple[bool, str | None] = (True, None)


def actor_for(user, provider=None) -> Actor:
    if user is None:
        return ANONYMOUS
    if user.role == "admin":
        return Actor("admin", user.id, "admin", user.district)
    if user.role in roles.STAFF_ROLES:
        return Actor("staff", user.id, user.role, user.district)
    if user.role == PROVIDER:
        return Actor("provider", user.id, PROVIDER, provider.district if provider else user.district,
                     provider.id if provider else None, bool(provider and provider.state == "approved"))
    if user.role == "applicant":
        return Actor("citizen", user.id, "applicant", user.district, person_id=user.person_id)
    return ANONYMOUS


def covers(actor: Actor, district: str | None, allowed: tuple[str, ...] = VIEW_ROLES) -> bool:
    if actor.kind != "staff" or actor.role not in allowed:
        return False
    if actor.district == roles.LEAGUE_DISTRICT and actor.role in LEAGUE_WIDE:
        return True
    return district is not None and actor.district == district


def _own(actor: Actor, provider_id: int | None) -> bool:
    return actor.kind == "provider" and provider_id is not None and actor.provider_id == provider_id


def provider(actor: Actor, action: str, state: str, *, provider_id: int, district: str) -> tuple[bool, str | None]:
    """view | approve | return | suspend on a provider."""
    if action == "view":
        if actor.kind == "admin" or covers(actor, district) or _own(actor, provider_id):
            return OK
        return False, "只有本机构和所在地就业服务部门可以查看机构资料"
    if action in ("approve", "return", "suspend"):
        if not covers(actor, district, CENTRES):
            return False, "只有机构所在旗县市就业服务中心（或盟中心）可以审批培训机构"
        if action == "approve" and state not in ("pending", "returned", "suspended"):
            return False, "该机构已经审批通过"
        if action == "return" and state != "pending":
            return False, "只能退回待审批的机构"
        if action == "suspend" and state != "approved":
            return False, "只能暂停已审批的机构"
        return OK
    return False, "未知的操作"


def console(actor: Actor) -> tuple[bool, str | None]:
    """The staff console's training pages; what each shows is then limited to the reader's area."""
    if actor.kind == "admin" or (actor.kind == "staff" and actor.role in VIEW_ROLES):
        return OK
    return False, "只有就业服务部门（社区、街道、旗县市中心、人社局、盟中心）可以使用培训工作台"


def course(actor: Actor, action: str, state: str, *, provider_id: int, district: str) -> tuple[bool, str | None]:
    """publish | edit | open_class | sign_code | attendance | complete | cancel | learners | enrol | sign_in."""
    if action in ("publish", "edit", "open_class", "sign_code", "attendance", "complete", "cancel"):
        if not _own(actor, provider_id):
            return False, "只有开课机构本身可以管理这门课程"
        if not actor.provider_approved:
            return False, "机构尚未通过审批（或已暂停），不能开课"
        wanted = {"publish": ("published",), "edit": ("published",), "open_class": ("published",),
                  "sign_code": ("opened",), "attendance": ("opened",), "complete": ("opened", "finished"),
                  "cancel": ("published",)}[action]
        if state not in wanted:
            return False, f"课程当前为「{COURSE_LABELS.get(state, state)}」，不能进行这一操作"
        return OK
    if action == "learners":
        if _own(actor, provider_id) or covers(actor, district) or actor.kind == "admin":
            return OK
        return False, "只有开课机构和所在地就业服务部门可以查看学员"
    if action == "enrol":
        if actor.kind != "citizen" or actor.person_id is None:
            return False, "请用已实名（有身份证号）的个人账号登录后报名"
        if state not in ("published", "opened"):
            return False, "这门课程已结束或已取消，不能报名"
        return OK
    if action == "sign_in":
        if actor.kind != "citizen" or actor.person_id is None:
            return False, "请用本人账号登录后签到"
        if state != "opened":
            return False, "这门课程尚未开班（或已结业），不能签到"
        return OK
    return False, "未知的操作"


def wish(actor: Actor, action: str, state: str, *, owner_id: int, district: str) -> tuple[bool, str | None]:
    """view | answer | close on a training wish."""
    mine = actor.kind == "citizen" and actor.user_id == owner_id
    provider_reads = actor.kind == "provider" and actor.provider_approved and (
        actor.district == district or actor.district == roles.LEAGUE_DISTRICT)
    if action == "view":
        if mine or provider_reads or covers(actor, district) or actor.kind == "admin":
            return OK
        return False, "只有本人、当地培训机构和就业服务部门可以查看培训意愿"
    if action == "answer":
        if not provider_reads:
            return False, "只有当地已审批的培训机构可以答复培训意愿"
        if state != "open":
            return False, "这条培训意愿已答复或已关闭"
        return OK
    if action == "close":
        if not mine:
            return False, "只有本人可以关闭自己的培训意愿"
        if state == "closed":
            return False, "这条培训意愿已关闭"
        return OK
    return False, "未知的操作"


def voucher(actor: Actor, action: str, *, owner_person_id: int, district: str) -> tuple[bool, str | None]:
    """issue | view on a voucher."""
    if action == "issue":
        return OK if covers(actor, district, CENTRES) else (False, "只有旗县市就业服务中心（或盟中心）可以发放培训券")
    if action == "view":
        if (actor.kind == "citizen" and actor.person_id == owner_person_id) or covers(actor, district) or actor.kind == "admin":
            return OK
        return False, "只有本人和就业服务部门可以查看培训券"
    return False, "未知的操作"


def require(answer: tuple[bool, str | None]) -> None:
    ok, why = answer
    if not ok:
        raise Forbidden(why or "无权进行这一操作")


COURSE_LABELS = {"published": "招生中", "opened": "已开班", "finished": "已结业", "cancelled": "已取消"}
PROVIDER_LABELS = {"pending": "待审批", "returned": "已退回补正", "approved": "已审批", "suspended": "已暂停"}
WISH_LABELS = {"open": "待机构答复", "answered": "机构已答复", "closed": "已关闭"}
