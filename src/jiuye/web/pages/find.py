"""政策找人 on the citizen site: the answers that travel in the page address, the choice of the next
prompts (a question, or a checklist of several yes/no questions), and the result grouped for people.
The questionnaire itself (data/web/questionnaire.yaml) is loaded by `questionnaire`; the answers are parsed
by `find_answers`.

Nothing here is stored on the server. The answers are the query string of a GET form, so the
result page can be bookmarked, printed and shared; the query string therefore holds only answers
to eligibility questions: never a name or a 身份证号. A 身份证号 the person chooses to give is posted
(never put in an address), turned into the three facts it carries (birth year-month, sex, 旗县市)
and dropped; the address then says only that one was given (`id_card=1`). The birth date is kept
as year-month (see `screen_answers`).

Pure functions over the screening service (no FastAPI): the routes in `citizen` are thin.
"""
from __future__ import annotations

import calendar
import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from jiuye.web.labels import labels
from jiuye.web.pages.find_answers import Answers, apply_preset, parse_answers  # noqa: F401  (the routes' names)
from jiuye.web.pages.questionnaire import (  # noqa: F401  (re-exported: the questionnaire's names)
    Checklist, GroupSpec, Question, Questionnaire, QuestionnaireError, _encode, get_questionnaire,
    load_questionnaire,
)

# --- answers -> profiles -> screening ---------------------------------------------------------------
def to_profile(answers: Answers, birth_day: int | None = 1, as_of: dt.date | None = None) -> dict[str, Any]:
    """A profile for the screening service. The birth year-month becomes a date on `birth_day`
    (None: the last day of the month, or `as_of` if that is earlier)."""
    profile: dict[str, Any] = {"subject": answers.subject} if answers.subject == "enterprise" else {}
    gates = {k for k, q in get_questionnaire().questions.items() if q.gate or q.kind == "idcard"}
    for key, value in answers.known().items():
        if key in gates:  # which questions concern the person, not a fact the rules know
            continue
        if key == "birth_date":
            year, month = (int(x) for x in value.split("-"))
            last = calendar.monthrange(year, month)[1]
            day = dt.date(year, month, birth_day if birth_day else last)
            if as_of is not None and day > as_of:
                day = as_of
            value = day.isoformat()
        if key.startswith("household."):
            profile.setdefault("household", {})[key.split(".", 1)[1]] = value
        else:
            profile[key] = value
    return profile


@dataclass
class Screened:
    result: Any  # ScreenResult
    birth_dependent: set[str]
    errors: list[dict[str, str]]


def screen_answers(answers: Answers, as_of: dt.date) -> Screened:
    """Screen the answers. With a birth year-month, the rules run with the first and the last day
    of that month; policies whose answer differs depend on the exact birth date (reported so)."""
    from jiuye.cases import parameter_sync
    from jiuye.screening import ProfileError, default_screener

    parameter_sync.ensure_current()  # another worker may have changed a rules parameter
    screener = default_screener()
    try:
        first = screener.screen(to_profile(answers, 1, as_of), as_of)
    except ProfileError as exc:
        return Screened(None, set(), [{"field": e.get("field", ""), "message": e["message"]} for e in exc.errors])
    dependent: set[str] = set()
    if answers.values.get("birth_date"):
        try:
            last = screener.screen(to_profile(answers, None, as_of), as_of)
        except ProfileError:
            last = None
        if last is not None:
            for a, b in zip(first.results, last.results):
                if (a.status, a.amount_fen, a.months) != (b.status, b.amount_fen, b.months):
                    dependent.add(a.policy)
    return Screened(first, dependent, [])


# --- choosing the next questions ----------------------------------------------------------------------
def relevant_policies(kb, group: GroupSpec | None) -> set[str]:
    """Policies meant for the group (by the catalogue's target groups, or all enterprise ones)."""
    if group is None:
        return set()
    if group.subject == "enterprise":
        return {pid for pid, p in kb.policies.items() if "enterprise" in p.for_}
    return {pid for pid, p in kb.policies.items()
            if pid in group.policies or any(k in g for g in p.target_groups for k in group.catalogue_groups)}


def _resolve(qn: Questionnaire, key: str, answers: Answers, seen: set[str] | None = None) -> str | None:
    """The question to ask for `key`: itself, or (while its ask_if answer is unknown) that
    question; None when it should not be asked (answered, or ruled out by an earlier answer)."""
    seen = seen or set()
    if key in seen:
        return None
    seen.add(key)
    q = qn.question(key, answers.subject)
    if q is None or key in answers.values:
        return None
    for cond, allowed in q.ask_if.items():
        if cond not in answers.values:
            return _resolve(qn, cond, answers, seen)
        value = answers.values[cond]  # None: 不知道 — asked only where ask_if lists null
        if value not in allowed:
            return None
    return key


IDENTITY_FACTS = ("birth_date", "sex", "district")  # what a 身份证号 gives


def _open_item(qn: Questionnaire, key: str, answers: Answers) -> bool:
    """A checklist item not answered yet whose ask_if allows it, or waits only on items of its own
    list (shown beside them; an answer they rule out is dropped by `parse_answers`)."""
    q = qn.question(key, answers.subject)
    if q is None or key in answers.values:
        return False
    for cond, allowed in q.ask_if.items():
        if cond in answers.values:
            if answers.values[cond] not in allowed:
                return False
        elif qn.questions.get(cond) is None or qn.questions[cond].checklist != q.checklist:
            return False
    return True


def next_questions(qn: Questionnaire, kb, group: GroupSpec | None, answers: Answers, screened: Screened,
                   limit: int | None = None) -> tuple[list[Question | Checklist], int]:
    """The next page's prompts (at most `per_step`) and how many prompts could still matter after
    them (an estimate: later answers open or close questions). Candidates: the 身份证号 while no fact
    it gives is known, the group's first questions, then the facts that undecided policies miss, most
    needed first. A question that is an item of a checklist is asked through the checklist, with the
    checklist's other items that are candidates too (one prompt)."""
    limit = limit or qn.per_step
    relevant = relevant_policies(kb, group)
    scores: dict[str, float] = {}
    ordered: list[str] = []
    if answers.subject == "person" and "id_card" in qn.questions and not any(
            answers.values.get(k) is not None for k in IDENTITY_FACTS):
        ordered.append("id_card")
    if "district" not in answers.values:
        ordered.append("district")
    if group is not None:
        ordered += group.first
    if screened.result is not None:
        for r in screened.result.results:
            if answers.subject not in kb.policies[r.policy].for_:
                continue
            if r.status not in ("needs_information", "eligible") or not r.missing:
                continue
            weight = 1.0 + (2.0 if r.policy in relevant else 0.0) + (0.5 if r.status == "eligible" else 0.0)
            for m in r.missing:
                scores[m.field] = scores.get(m.field, 0.0) + weight
        ordered += sorted(scores, key=lambda k: (-scores[k], qn.questions[k].order if k in qn.questions else 10 ** 6, k))
    picked: list[str] = []
    for key in ordered:
        target = _resolve(qn, key, answers)
        if target is not None and target not in picked:
            picked.append(target)
    if "id_card" in picked:  # the 身份证号 stands for the three facts: not asked beside them
        picked = [k for k in picked if k not in IDENTITY_FACTS]
    prompts: list[Question | Checklist] = []
    seen_lists: set[str] = set()
    for key in picked:
        q = qn.question(key, answers.subject)
        if q.checklist is None:
            prompts.append(q)
        elif q.checklist not in seen_lists:
            seen_lists.add(q.checklist)
            spec = qn.checklists[q.checklist]
            # the list's other items that are still open come along: one prompt either way, and they
            # are often what the next screening would miss (it stops at the first unknown condition)
            items = [qn.question(k, answers.subject) for k in spec.items
                     if k in picked or _open_item(qn, k, answers)]
            prompts.append(Checklist(key=q.checklist, label=spec.label, help=spec.help,
                                     items=[i for i in items if i is not None]))
    page = _checklists_after_their_conditions(qn, answers, prompts, limit)
    return page, len(prompts) - len(page)


def _checklists_after_their_conditions(qn: Questionnaire, answers: Answers, prompts: list, limit: int) -> list:
    """A checklist one of whose items waits on a question still to ask (女职工的岗位 on 性别, 非本人意愿
    on 没有工作) goes to a later page, so that it is shown once with all its items: this page's prompts."""
    page = {p.key for p in prompts if not isinstance(p, Checklist)}  # every question still to ask
    page |= {i.key for p in prompts if isinstance(p, Checklist) for i in p.items}
    if "id_card" in page:
        page |= set(IDENTITY_FACTS)
    later: list = []
    now: list = []
    for p in prompts:
        waits = isinstance(p, Checklist) and any(
            k not in answers.values and any(cond not in answers.values and cond in page and
                                            qn.questions[cond].checklist != p.key
                                            for cond in qn.questions[k].ask_if)
            for k in qn.checklists[p.key].items)
        (later if waits else now).append(p)
    return now[:limit] or later[:limit]


# --- the result, grouped for people --------------------------------------------------------------------
def money(value: float | int | None) -> str | None:
    """1404.0 -> '1,404.00' (None stays None: an unknown amount is never 0)."""
    if value is None:
        return None
    return f"{decimal.Decimal(str(value)):,.2f}"


def missing_labels(qn: Questionnaire, r, subject: str) -> list[str]:
    out = []
    for m in r.missing:
        if m.field in qn.unaskable_labels:
            out.append(qn.unaskable_labels[m.field])
            continue
        q = qn.question(m.field, subject)
        out.append(q.label if q else m.label)
    return out


def group_results(qn: Questionnaire, kb, screened: Screened, subject: str, group: GroupSpec | None,
                  procedures: dict[str, Any]) -> dict[str, Any]:
    """可以享受 / 补充信息后可能可以享受 / 不符合 / 已截止 / 服务事项, each row ready to show."""
    relevant = relevant_policies(kb, group)
    docs = labels().name_documents  # 000号资料 -> 《百问百答》: a citizen reads the documents' names
    out: dict[str, list] = {"eligible": [], "maybe": [], "services": [], "not_eligible": [], "closed": []}
    other_subject = 0
    apply_for: dict[str, Any] = {}
    for p in sorted(procedures.values(), key=lambda p: (p.id != p.policy, p.id)):  # 申领 before 补发
        if p.applicant == subject:
            apply_for.setdefault(p.policy, p)
    for r in screened.result.results:
        policy = kb.policies[r.policy]
        takes_part = policy.participant is not None and policy.participant.subject == subject  # 见习人员
        if subject not in policy.for_ and not takes_part:
            other_subject += 1
            continue
        proc = apply_for.get(r.policy)
        row = {
            "r": r, "policy": policy, "relevant": r.policy in relevant,
            "amount": money(r.amount), "figures": [(f.label, money(f.value) if f.unit.startswith("元") else f"{f.value:g}",
                                                     f.unit) for f in r.figures],
            "met": [docs(x.text) for x in r.reasons if x.state == "met"],
            "info": [docs(x.text) for x in r.reasons if x.state in ("info", "unknown")],
            "not_met": [docs(x.text) for x in r.reasons if x.state == "not_met"],
            "missing": missing_labels(qn, r, subject),
            "unknown_parameters": [u.label for u in r.unknown_parameters],
            "birth_dependent": r.policy in screened.birth_dependent,
            "rights_tool": qn.rights_tools_note if r.policy in qn.rights_tools else None,
            "procedure": proc.id if proc is not None and not proc.no_application else None,
            "no_application": bool(proc is not None and proc.no_application),
        }
        if r.status == "window_closed":
            out["closed"].append(row)
        elif row["birth_dependent"]:
            out["maybe"].append(row)
        elif r.status == "eligible":
            out["eligible"].append(row)
        elif r.status == "not_eligible":
            out["not_eligible"].append(row)
        elif r.computed:
            out["maybe"].append(row)
        else:
            out["services"].append(row)
    for rows in out.values():
        rows.sort(key=lambda x: (not x["relevant"], len(x["missing"]), x["policy"].name))
    return {**out, "other_subject": other_subject}


def share_query(qn: Questionnaire, group: GroupSpec | None, answers: Answers, **extra: str) -> str:
    items: list[tuple[str, str]] = []
    if group is not None:
        items.append(("group", group.key))
    items += answers.query_items(qn)
    items += [(k, v) for k, v in extra.items() if v]
    return urlencode(items)
