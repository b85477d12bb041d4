"""Cases opened by the system itself (免申即享): another domain's event — a course completed with a
certificate (jiuye.training) — opens a person's subsidy case with its evidence attached, without an
application. The case starts at its procedure's first step, like a batch-imported case, for staff to
check and confirm; nothing is paid by opening it. Nothing is committed here: the caller's
transaction writes the case together with the change that opened it.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.attachments import store_bytes
from jiuye.cases.models import Attachment, Case, Person, utcnow
from jiuye.cases.procedures import get_procedures
from jiuye.cases.service import _enter_state, _record_event, _scrub_json, district_key
from jiuye.config import today


class ProcedureMissing(LookupError):
    """No procedure file for the policy (data/procedures/<id>.yaml): the case cannot be opened yet."""


def procedure_exists(procedure: str) -> bool:
    return procedure in get_procedures()


def open_for_person(s: Session, procedure: str, *, person_id: int, district: str, snapshot: dict, dedupe_key: str,
                    note: str, evidence: list[tuple[str, str, str, bytes]] = ()) -> Case:
    """Open (or find, by `dedupe_key`) the case of `procedure` for a person. `snapshot`: the screening
    result that justifies it ({"as_of", "result": {...}}, any extra keys kept); `evidence`: (material,
    filename, content type, bytes) attached as the system's. Raises ProcedureMissing."""
    procs = get_procedures()
    if procedure not in procs:
        raise ProcedureMissing(procedure)
    proc = procs[procedure]
    found = s.scalar(select(Case).where(Case.dedupe_key == dedupe_key))
    if found is not None:
        return found
    if s.get(Person, person_id) is None:
        raise LookupError(f"person {person_id}")
    district = district_key(district)
    day = today()
    snap = _scrub_json({"kind": "automatic", **snapshot})
    status = snap.get("result", {}).get("status", "eligible")
    case = Case(procedure=proc.id, policy=proc.policy, state=proc.start, district=district, person_id=person_id,
                enterprise_id=None, applicant_user_id=None, created_by_id=None, channel="batch", fields={},
                screening=snap, screening_as_of=dt.date.fromisoformat(snap["as_of"]), screening_status=status,
                amount_fen=snap.get("result", {}).get("amount_fen"), dedupe_key=dedupe_key, created_at=utcnow(),
                state_entered_on=day, due_approximate=False, final=False)
    _enter_state(s, case, proc, proc.start, day)
    s.add(case)
    s.flush()
    _record_event(s, case, None, "created", None, proc.start, note,
                  {"screening_status": status, "amount_fen": case.amount_fen, "automatic": True},
                  transition_no=case.version)
    for material, filename, ctype, data in evidence:
        digest, rel = store_bytes(data)
        s.add(Attachment(case_id=case.id, material=material, filename=filename[:200], content_type=ctype,
                         size=len(data), sha256=digest, storage_path=rel, uploaded_by_id=None))
    s.flush()
    return case
