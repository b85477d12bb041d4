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

from jiuye.cases import roles
from jiuye.cases.models import Case, User
from jiuye.cases.procedures import get_procedures


def may_act_now(actor: User, case: Case) -> tuple[bool, str | None]:
    """May `actor` take some step out of the case's current state? (yes/no, why not)."""
    from jiuye.cases.service import may_take

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
    from jiuye.cases.service import Forbidden, Invalid

    ok, why = may_attach(actor, case)
    if not ok:
        if case.final:
            raise Invalid(why)
        raise Forbidden(f"不能为该案件上传材料：{why}")


__all__ = ["may_act_now", "may_attach", "require_attach"]
