"""Who may touch a case, beyond seeing it: one rule for the API, the console and the citizen pages.

- view / download: whoever may see the case (`service.load_case`: the applicant, staff of the
  case's district, the admin); others get 404, so a case's existence is not revealed.
- move: the role of that transition (`by:` or its from-state's role), in the case's district
  (`service.may_take`).
- attach: only whoever may act at the case's current step, i.e. may take at least one of the moves
  out of the current state, while the case is open. The applicant therefore attaches while the case
  waits for them (退回补正, a registration not yet filed) or while they may still withdraw an
  application nobody has taken up yet; a 街道 clerk cannot add files to a case waiting at the 中心.
"""
from __future__ import annotations

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session, defer

from jiuye.cases import roles
from jiuye.cases.errors import Forbidden, Invalid, NotFound
from jiuye.cases.models import Case, User
from jiuye.cases.procedures import get_procedures


def may_act_now(actor: User, case: Case) -> tuple[bool, str | None]:
    """May `actor` take some step out of the case's current state? (yes/no, why not)."""
    if case.final:
        return False, "案件已办结"
    if actor.role == "admin":
        return False, "管理员不办理审核步骤"
    proc = get_procedures()[case.procedure]
    if any(may_take(actor, case, m.role)[0] for m in proc.moves_from(case.state)):
        return True, None
    st = proc.states[case.state]
    return False, f"案件当前为「{st.label}」，这一步由{roles.label(st.role_code)}办理"


def may_attach(actor: User, case: Case) -> tuple[bool, str | None]:
    """May `actor` add a file to the case now? Only at a step they may act on (see the module doc)."""
    if case.final:
        return False, "案件已办结，不能再上传材料"
    if actor.role == "admin":
        return False, "管理员不上传案件材料"
    ok, why = may_act_now(actor, case)
    return (True, None) if ok else (False, f"只有当前这一步的办理人可以上传材料：{why}")


def require_attach(actor: User, case: Case) -> None:
    ok, why = may_attach(actor, case)
    if not ok:
        if case.final:
            raise Invalid(why)
        raise Forbidden(f"不能为该案件上传材料：{why}")


def visibility(actor: User):
    """The WHERE clause of the cases `actor` may see."""
    if actor.role == "admin":
        return Case.id.is_not(None)
    if actor.role == "applicant":
        mine = [Case.applicant_user_id == actor.id]
        if actor.identity_verified_at is None:  # unverified: only the cases this account filed itself
            return or_(*mine)
        if actor.person_id:
            mine.append(Case.person_id == actor.person_id)
        if actor.enterprise_id:
            mine.append(Case.enterprise_id == actor.enterprise_id)
        return or_(*mine)
    if actor.role in roles.STAFF_ROLES and actor.district:
        return Case.district == actor.district
    if actor.role in roles.PARTNER_ROLES and actor.district:
        # a 经办银行 sees the loans of its district once referred to it (and their later course), nothing else
        from jiuye.cases.procedures import states_from_role

        visible = [(Case.procedure == pid) & Case.state.in_(states) for pid, states in states_from_role(actor.role).items()]
        return (Case.district == actor.district) & (or_(*visible) if visible else false())
    return false()


def is_owner(actor: User, case: Case) -> bool:
    return actor.role == "applicant" and (
        case.applicant_user_id == actor.id
        or actor.identity_verified_at is not None and (
            (actor.person_id is not None and case.person_id == actor.person_id)
            or (actor.enterprise_id is not None and case.enterprise_id == actor.enterprise_id)))


# Row ids are 32-bit integers in the database: SQLite's driver raises OverflowError past 64 bits and
# PostgreSQL refuses past 32, so an id from a page's address is checked before any query.
MAX_ROW_ID = 2**31 - 1


def valid_row_id(value) -> bool:
    return isinstance(value, int) and 1 <= value <= MAX_ROW_ID


def load_case(s: Session, actor: User, case_id: int, *, light: bool = False) -> Case:
    """The case, if `actor` may see it (NotFound otherwise). `light`: without the screening
    snapshot (a few KB of JSON that a transition does not need)."""
    if not valid_row_id(case_id):  # a number no row can have (the driver would refuse it: not a 500)
        raise NotFound(f"没有编号为 {case_id} 的案件（或您无权查看）")
    q = select(Case).where(Case.id == case_id, visibility(actor))
    if light:
        q = q.options(defer(Case.screening))
    case = s.scalar(q)
    if case is None:
        raise NotFound(f"没有编号为 {case_id} 的案件（或您无权查看）")
    return case


def may_take(actor: User, case: Case, role_code: str) -> tuple[bool, str | None]:
    """May `actor` take a step assigned to `role_code` on `case`? (yes/no, why not)."""
    if role_code == "applicant":
        return (True, None) if is_owner(actor, case) else (False, "这一步由申请人本人办理")
    if actor.role == "admin":
        return False, "管理员不办理审核步骤"
    if actor.role not in roles.ACTING_ROLES:
        return False, f"这一步由{roles.label(role_code)}办理"
    if actor.district != case.district:
        return False, f"该案件属于{case.district}，您只能办理{actor.district}的案件"
    if not roles.acts_as(actor.role, actor.district, role_code, case.district):
        return False, f"这一步由{roles.label(role_code)}办理，您是{roles.label(actor.role)}"
    return True, None


__all__ = ["MAX_ROW_ID", "is_owner", "load_case", "may_act_now", "may_attach", "may_take", "require_attach", "valid_row_id",
           "visibility"]
