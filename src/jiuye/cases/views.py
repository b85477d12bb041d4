"""What lists, exports, the console and the API show of a case, a procedure, an office or a user (身份证号 and
统一社会信用代码 always masked; roles and states by their Chinese labels)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases import roles
from jiuye.cases.access import may_take
from jiuye.cases.common import _aware
from jiuye.cases.models import Case, CaseEvent, Enterprise, Office, Person, User
from jiuye.cases.procedures import Procedure, get_procedures, materials_of
from jiuye.cases.security import mask_credit_code, mask_id_number
from jiuye.config import today


def deadline_view(case: Case, proc: Procedure, on: dt.date | None = None) -> dict | None:
    if case.due_on is None:
        return None
    tl = proc.states[case.state].time_limit
    day = on or today()
    return {"due": case.due_on.isoformat(), "text": tl.text if tl else None, "days": tl.days if tl else None,
            "day_type": tl.day_type if tl else None, "overdue": (not case.final) and case.due_on < day,
            "days_left": (case.due_on - day).days, "approximate": case.due_approximate, "note": case.due_note,
            "hold": bool(tl and tl.hold)}


def applicant_view(s: Session, case: Case) -> dict:
    if case.person_id:
        p = s.get(Person, case.person_id)
        return {"kind": "person", "name": p.name, "id_number": mask_id_number(p.id_number)}
    e = s.get(Enterprise, case.enterprise_id)
    return {"kind": "enterprise", "name": e.name, "credit_code": mask_credit_code(e.credit_code)}


def case_summary(s: Session, case: Case, actor: User | None = None, on: dt.date | None = None) -> dict:
    proc = get_procedures()[case.procedure]
    st = proc.states.get(case.state)
    office = s.get(Office, case.assigned_office_id) if case.assigned_office_id else None
    res = case.screening.get("result", {})
    return {
        "id": case.id, "procedure": case.procedure, "procedure_name": proc.name, "policy": case.policy,
        "state": case.state, "state_label": proc.state_label(case.state), "final": case.final,
        "outcome": st.outcome if st else None, "version": case.version, "district": case.district,
        "applicant": applicant_view(s, case), "channel": case.channel,
        "acting_role": roles.label(st.role_code) if st and st.role_code else None,
        "assigned_office": {"id": office.id, "name": office.name} if office else None,
        "deadline": deadline_view(case, proc, on),
        "screening": {"as_of": case.screening_as_of.isoformat(), "status": case.screening_status,
                      "amount": res.get("amount"), "amount_fen": case.amount_fen, "unit": res.get("unit")},
        "created_at": _aware(case.created_at).isoformat(), "updated_at": _aware(case.updated_at).isoformat(),
    }


def case_detail(s: Session, actor: User, case: Case) -> dict:
    from jiuye.cases.models import Attachment

    proc = get_procedures()[case.procedure]
    out = case_summary(s, case, actor)
    moves = []
    for m in proc.moves_from(case.state):
        ok, why = may_take(actor, case, m.role)
        moves.append({"to": m.to, "to_label": proc.state_label(m.to), "action": m.action, "role": roles.label(m.role),
                      "comment_required": m.comment_required, "allowed": ok, "why_not": why, "recurring": m.recurring})
    events = s.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))
    atts = list(s.scalars(select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.id)))
    materials = materials_of(proc)
    out.update({
        "fields": case.fields, "screening_snapshot": case.screening, "moves": moves,
        "materials": [{"name": m, "attachments": sum(a.material == m for a in atts)} for m in materials],
        "attachments": [attachment_view(a) for a in atts],
        "events": [event_view(e, proc) for e in events],
        "procedure_notes": proc.notes,
        "step": step_view(proc, case.state),
    })
    return out


def steps_view(proc: Procedure) -> dict:
    """The procedure as a reader follows it: the usual course in order (`main`), then the other
    states a case can pass through (`other`: 续发, 停发报告, 退回补正 ...), each with the sentence of
    the documents it rests on, or the assumption where they say nothing."""
    main = proc.main_path()
    ordered = main + [k for k in proc.states if k not in main and not proc.states[k].final]
    rows = []
    for name in ordered:
        row = step_view(proc, name)
        row["state"] = name
        row["final"] = proc.states[name].final
        row["repeats"] = [t.action for t in proc.transitions if t.recurring and name in t.from_]
        rows.append(row)
    return {"main": [r for r in rows if r["state"] in main], "other": [r for r in rows if r["state"] not in main]}


def step_view(proc: Procedure, state: str) -> dict | None:
    """What the documents say about a state (its sentence), or that they say nothing (the assumption)."""
    st = proc.states.get(state)
    if st is None:
        return None
    return {"label": st.label, "role": st.role, "step": st.step, "assumption": st.assumption,
            "source": st.source.model_dump() if st.source else None,
            "time_limit": st.time_limit.text if st.time_limit else None}


def event_view(e: CaseEvent, proc: Procedure) -> dict:
    return {"id": e.id, "at": _aware(e.at).isoformat(), "kind": e.kind, "who": e.actor_name,
            "role": roles.label(e.actor_role) if e.actor_role != "system" else "系统",
            "from_state": e.from_state, "from_label": proc.state_label(e.from_state) if e.from_state else None,
            "to_state": e.to_state, "to_label": proc.state_label(e.to_state) if e.to_state else None,
            "comment": e.comment, "transition_no": e.transition_no, "data": e.data}


def attachment_view(a) -> dict:
    return {"id": a.id, "material": a.material, "filename": a.filename, "content_type": a.content_type,
            "size": a.size, "sha256": a.sha256, "uploaded_at": _aware(a.uploaded_at).isoformat()}


def offices_view(s: Session) -> list[dict]:
    return [{"id": o.id, "name": o.name, "level": roles.label(o.level), "district": o.district,
             "parent_id": o.parent_id, "phone": o.phone} for o in s.scalars(select(Office).order_by(Office.id))]


def user_view(u: User) -> dict:
    return {"id": u.id, "username": u.username, "name": u.display_name, "role": u.role, "role_label": roles.label(u.role),
            "district": u.district, "office_id": u.office_id,
            "identity_verified": u.identity_verified_at is not None}


def procedure_view(proc: Procedure) -> dict:
    return {
        "id": proc.id, "policy": proc.policy, "name": proc.name, "variant": proc.variant, "applicant": proc.applicant,
        "no_application": proc.no_application, "start": proc.start, "window_start": proc.window_start,
        "fields": proc.fields, "materials": materials_of(proc),
        "states": {k: {"label": v.label, "role": v.role, "final": v.final, "outcome": v.outcome, "step": v.step,
                       "time_limit": v.time_limit.model_dump(exclude_none=True) if v.time_limit else None,
                       "source": v.source.model_dump() if v.source else None, "assumption": v.assumption}
                   for k, v in proc.states.items()},
        "main_path": proc.main_path(),
        "transitions": [{"from": t.from_, "to": t.to, "action": t.action, "by": t.by or None, "comment": t.comment,
                         "early": t.early, "recurring": t.recurring,
                         "source": t.source.model_dump() if t.source else None} for t in proc.transitions],
        "materials_sources": [x.model_dump() for x in proc.materials_sources],
        "sources": [x.model_dump() for x in proc.sources], "notes": proc.notes,
    }
