"""What entering a state means for a case, shared by every way a case moves (created, moved, imported): its
deadline in working days (the procedure's time limit, from the day it entered or from a date field), the office that
acts on it next (along the filing office's chain, else the district's office of that level), and the audit row.
jiuye.cases.service uses these; nothing here commits."""
from __future__ import annotations

import datetime as dt
import time
import weakref
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases import roles
from jiuye.cases.models import Case, CaseEvent, Office, User, utcnow
from jiuye.cases.procedures import Procedure
from jiuye.cases.security import scrub
from jiuye.cases.workdays import Deadline, default_calendar


def state_deadline(proc: Procedure, state: str, fields: dict, entered_on: dt.date) -> Deadline | None:
    tl = proc.states[state].time_limit
    if tl is None:
        return None
    start = entered_on
    if tl.from_field:
        start = dt.date.fromisoformat(str(fields[tl.from_field]))
    return default_calendar().deadline(start, tl.days, tl.day_type)


_OFFICE_CACHE: "weakref.WeakKeyDictionary[Any, dict[tuple, tuple[float, int]]]" = weakref.WeakKeyDictionary()
_OFFICE_TTL = 60.0  # seconds: offices change rarely; a new one is picked up within a minute


def _office_for(s: Session, case: Case, role_code: str | None) -> int | None:
    """The office that acts on `case` in a step of `role_code`: along the filing office's chain
    (社区 → 街道 → 中心) if it has one of that level, else the district's office of that level."""
    if role_code in (None, "applicant"):
        return None
    levels = (role_code,)
    if role_code == "county_center" and case.district == roles.LEAGUE_DISTRICT:
        levels = ("league_center", "county_center")
    office = s.get(Office, case.office_id) if case.office_id else None
    while office is not None:
        if office.level in levels:
            return office.id
        office = s.get(Office, office.parent_id) if office.parent_id else None
    cache = _OFFICE_CACHE.setdefault(s.get_bind(), {})  # per engine (database, schema)
    key = (case.district, levels)
    hit = cache.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    found = s.scalar(select(Office.id).where(Office.district == case.district, Office.level.in_(levels))
                     .order_by(Office.id).limit(1))
    if found is not None:
        cache[key] = (time.monotonic() + _OFFICE_TTL, found)
    return found


def _enter_state(s: Session, case: Case, proc: Procedure, state: str, day: dt.date, *, stay: bool = False) -> None:
    """Set the state and what follows from it (deadline, acting office). Everything is computed
    before the first attribute changes, so the case is written with one UPDATE (one version)."""
    st = proc.states[state]
    if stay:
        # a recurring step (按月发放, 按季贴息): the case stays where it is, its term and deadline unchanged
        with s.no_autoflush:
            case.updated_at = utcnow()
        return
    d = state_deadline(proc, state, case.fields or {}, day)
    office_id = _office_for(s, case, st.role_code)
    with s.no_autoflush:
        case.state = state
        case.final = st.final
        case.state_entered_on = day
        case.due_on = d.due if d else None
        case.due_approximate = bool(d and d.approximate)
        case.due_note = d.note if d else None
        case.assigned_office_id = office_id
        case.updated_at = utcnow()


def _record_event(s: Session, case: Case, actor: User | None, kind: str, from_state: str | None,
                  to_state: str | None, comment: str | None, data: dict | None = None,
                  transition_no: int | None = None) -> CaseEvent:
    ev = CaseEvent(case_id=case.id, transition_no=transition_no, at=utcnow(), actor_id=actor.id if actor else None,
                   actor_role=actor.role if actor else "system", actor_name=actor.display_name if actor else "系统",
                   kind=kind, from_state=from_state, to_state=to_state, comment=scrub(comment) or None, data=data)
    s.add(ev)
    s.flush()
    return ev
