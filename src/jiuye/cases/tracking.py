"""Tracking for the applicant (issue 17, item 5): for each of their cases, the current step, the
office that acts and its phone, the deadline counted in working days (jiuye.cases.workdays), what
is still missing, the messages about it (the notification outbox, jiuye.market.notify), and for a
decided case the decision with its reasons and how to object (data/cases/appeals.yaml: the
documents name no channel, so the general legal channels are shown as 公开信息 with their limits).

Messages: every step of a case (service._transition calls `on_transition`) and a window filing
write an inbox message (and a text message where the account has a phone) to the applicant's
account(s), in the same transaction as the change.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from jiuye.cases import roles
from jiuye.cases.models import Attachment, Case, CaseEvent, Office, User
from jiuye.cases.procedures import Procedure, get_procedures, materials_of
from jiuye.cases.workdays import default_calendar
from jiuye.config import data_dir, today

KIND = "case_update"
OUTCOME_LABEL = {"approved": "已批准", "rejected": "不予批准", "withdrawn": "已撤回", "paid": "已发放", "done": "已办结"}


# --- appeal channels (data) ---------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Source(_Strict):
    title: str = Field(min_length=2)
    quote: str = Field(min_length=2)


class Channel(_Strict):
    kind: str
    text: str
    limit: str
    source: _Source


class Appeals(_Strict):
    documents_silent: bool
    label: str
    intro: str
    channels: list[Channel] = Field(min_length=1)


@functools.lru_cache(maxsize=2)
def _appeals(path: str) -> Appeals:
    try:
        return Appeals.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ValueError(f"{path}: 复议诉讼渠道资料有误：{exc}") from None


def appeals() -> Appeals:
    return _appeals(str(data_dir() / "cases" / "appeals.yaml"))


# --- messages ------------------------------------------------------------------------------------
_QUIET: contextvars.ContextVar[bool] = contextvars.ContextVar("jiuye_cases_quiet", default=False)


@contextlib.contextmanager
def quiet():
    """No messages for the changes made inside (the demo data's seeded cases: nobody is told)."""
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)


def _recipients(s: Session, case: Case) -> list[User]:
    """The applicant accounts that see this case (service.visibility's rule, applied from the case)."""
    conds = []
    if case.applicant_user_id:
        conds.append(User.id == case.applicant_user_id)
    verified = User.identity_verified_at.is_not(None)
    if case.person_id:
        conds.append((User.person_id == case.person_id) & verified)
    if case.enterprise_id:
        conds.append((User.enterprise_id == case.enterprise_id) & verified)
    if not conds:
        return []
    return list(s.scalars(select(User).where(User.role == "applicant", User.active.is_(True), or_(*conds))
                          .order_by(User.id)))


def notify_case(s: Session, case: Case, title: str, body: str) -> int:
    """An inbox message (and a text message to the account's phone) about `case`. Not committed."""
    from jiuye.market import notify

    if _QUIET.get():
        return 0
    users = _recipients(s, case)
    for u in users:
        notify.notify_user(s, u, KIND, title=title, body=body, link=f"/my/cases/{case.id}")
    return len(users)


def on_transition(s: Session, case: Case, proc: Procedure, from_state: str, to_state: str,
                  comment: str | None) -> None:
    """The hook service._transition calls after a step: tell the applicant where the case is now."""
    st = proc.states[to_state]
    if st.final:
        title = f"「{proc.name}」{OUTCOME_LABEL.get(st.outcome or 'done', '已办结')}"
    else:
        title = f"「{proc.name}」进入「{st.label}」"
    body = f"办理意见：{comment}" if comment else f"由「{proc.state_label(from_state)}」转为「{st.label}」"
    notify_case(s, case, title, body[:400])


def messages(s: Session, actor: User, case: Case, limit: int = 50) -> list[dict]:
    from jiuye.market import notify
    from jiuye.market.models import OutboxMessage

    rows = s.scalars(select(OutboxMessage).where(OutboxMessage.channel == "inbox", OutboxMessage.user_id == actor.id,
                                                 OutboxMessage.link == f"/my/cases/{case.id}")
                     .order_by(OutboxMessage.id.desc()).limit(limit))
    return [notify.message_view(m) for m in rows]


# --- deadline in working days ---------------------------------------------------------------------
def working_days_between(start: dt.date, end: dt.date) -> tuple[int, bool]:
    """Working days after `start` up to and including `end` (negative when end < start); known?"""
    cal, sign = default_calendar(), 1
    if end < start:
        start, end, sign = end, start, -1
    n, known, d = 0, True, start
    while d < end:
        d += dt.timedelta(days=1)
        ok, k = cal.is_workday(d)
        known = known and k
        n += ok
    return sign * n, known


def deadline_text(case: Case, proc: Procedure, on: dt.date | None = None) -> dict | None:
    """The current step's deadline: its date, the limit as the procedure states it, and what is
    left in working days (a calendar-day limit is also counted in working days, and said so)."""
    if case.due_on is None or case.final:
        return None
    day = on or today()
    tl = proc.states[case.state].time_limit
    left, known = working_days_between(day, case.due_on)
    if left >= 0:
        text = f"还有 {left} 个工作日（至 {case.due_on.isoformat()}）"
    else:
        text = f"已超期 {-left} 个工作日（期限 {case.due_on.isoformat()}）"
    return {"due": case.due_on.isoformat(), "working_days_left": left, "overdue": case.due_on < day, "text": text,
            "limit": tl.text if tl else None,
            "limit_days": (f"{tl.days} 个{'工作日' if tl.day_type == 'working' else '自然日'}") if tl else None,
            "approximate": case.due_approximate or not known, "note": case.due_note,
            "hold": bool(tl and tl.hold)}


# --- what is missing ------------------------------------------------------------------------------
def missing_materials(s: Session, case: Case, proc: Procedure) -> dict:
    """At the window: the materials ticked missing, less those scanned since. Online: the
    checklist's materials with no file uploaded yet."""
    from jiuye.cases.window_models import WindowFiling

    uploaded = set(s.scalars(select(Attachment.material).where(Attachment.case_id == case.id)))
    filing = s.scalar(select(WindowFiling).where(WindowFiling.case_id == case.id))
    if filing is not None:
        return {"kind": "window", "materials": [m for m in filing.missing if m not in uploaded],
                "receipt_no": filing.receipt_no}
    return {"kind": "online", "materials": [m for m in materials_of(proc) if m not in uploaded], "receipt_no": None}


# --- the decision ----------------------------------------------------------------------------------
def decision(s: Session, case: Case, proc: Procedure) -> dict | None:
    if not case.final:
        return None
    st = proc.states[case.state]
    last = s.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.to_state == case.state,
                                            CaseEvent.kind.in_(("transition", "created")))
                    .order_by(CaseEvent.id.desc()).limit(1))
    res = (case.screening or {}).get("result", {})
    screening = [r.get("text") for r in res.get("reasons") or [] if r.get("text")]
    ap = appeals()
    objectable = st.outcome != "withdrawn"
    return {"outcome": st.outcome or "done", "label": OUTCOME_LABEL.get(st.outcome or "done", "已办结"),
            "state_label": st.label, "at": last.at.isoformat() if last else None,
            "by": (roles.label(last.actor_role) if last and last.actor_role != "system" else "系统"),
            "comment": last.comment if last else None, "screening_reasons": screening,
            "appeals": ap.model_dump() if objectable else None}


# --- the view ---------------------------------------------------------------------------------------
def tracking_view(s: Session, actor: User, case: Case) -> dict:
    proc = get_procedures()[case.procedure]
    st = proc.states.get(case.state)
    office = s.get(Office, case.assigned_office_id) if case.assigned_office_id else None
    return {
        "step": proc.state_label(case.state), "step_text": st.step if st else None, "final": case.final,
        "acting": roles.label(st.role_code) if st and st.role_code else None,
        "waiting_for_me": bool(st and st.role_code == "applicant" and not case.final),
        "office": {"name": office.name, "phone": office.phone} if office else None,
        "deadline": deadline_text(case, proc), "missing": missing_materials(s, case, proc),
        "messages": messages(s, actor, case) if actor.role == "applicant" else [],
        "decision": decision(s, case, proc),
    }


__all__ = ["appeals", "deadline_text", "decision", "missing_materials", "notify_case", "on_transition",
           "tracking_view", "working_days_between"]
