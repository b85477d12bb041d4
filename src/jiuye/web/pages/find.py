"""政策找人 on the citizen site: the answers that travel in the page address, the choice of the next
prompts (a question, or a checklist of several yes/no questions), and the result grouped for people.
The questionnaire itself (data/web/questionnaire.yaml) is loaded by `questionnaire`.

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
from typing import Any, Mapping
from urllib.parse import urlencode

from jiuye.web.labels import labels
from jiuye.web.pages.questionnaire import (  # noqa: F401  (re-exported: the questionnaire's names)
    Checklist, GroupSpec, Question, Questionnaire, QuestionnaireError, _encode, get_questionnaire,
    load_questionnaire,
)

# --- answers: the query string <-> values ---------------------------------------------------------


class Answers:
    """What the person answered: key -> value, None meaning «asked, does not know»."""

    def __init__(self, subject: str, values: dict[str, Any], order: list[str]):
        self.subject, self.values, self.order = subject, values, order
        self.echo: dict[str, str] = {}  # key -> how a typed answer was read (「十二年」已按 12 年理解)
        self.inferred: dict[str, str] = {}  # key -> why another answer settles it (never asked)

    def known(self) -> dict[str, Any]:
        return {k: v for k, v in self.values.items() if v is not None}

    def query_items(self, qn: Questionnaire) -> list[tuple[str, str]]:
        """(name, value) pairs, in question order: the whole state of the questionnaire."""
        items = []
        for key in sorted(self.values, key=lambda k: (qn.question(k, self.subject).order
                                                       if qn.question(k, self.subject) else 10 ** 6, k)):
            if key in self.inferred:  # settled by another answer: inferred again from it on every page
                continue
            q = qn.question(key, self.subject)
            if q is None:
                continue
            items.append((key, _encode(q, self.values[key]) or ""))
        return items


def parse_answers(qn: Questionnaire, params: Mapping[str, str] | Any, subject: str,
                  as_of: dt.date) -> tuple[Answers, list[dict[str, str]]]:
    """The answers in a query string or form (unknown names are ignored — a name or 身份证号
    put in an address is never read), and a Chinese message naming each bad answer.

    A checklist's rows arrive like yes/no answers ("1", "0", "" for 不知道). A 身份证号 (`id_card`) gives the birth year-month, sex and
    旗县市 unless they are answered otherwise; only the fact that one was given is kept."""
    from jiuye.screening.profile import district_names

    values: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    order: list[str] = []
    echoes: dict[str, str] = {}
    derived: dict[str, Any] = {}
    keys = list(dict.fromkeys(params.keys()))
    for key in keys:
        q = qn.question(key, subject)
        if q is None:
            continue
        raw = params.get(key)
        raw = "" if raw is None else str(raw).strip()
        order.append(key)
        if raw == "":
            values[key] = None
            continue
        if q.kind == "idcard":
            try:
                values[key], derived, said = _parse_id_card(raw, as_of)
            except ValueError as exc:
                errors.append({"field": key, "message": f"「{q.label}」：{exc}"})
                values[key] = None
                continue
            if said:
                echoes[key] = said
            continue
        try:
            values[key], said = _parse_value(q, raw, as_of, district_names())
            if said:
                echoes[key] = f"「{q.label}」：{said}"
        except ValueError as exc:
            errors.append({"field": key, "message": f"「{q.label}」：{exc}"})
            values[key] = None
    for key, value in derived.items():  # what the person answered themselves wins
        if values.get(key) is None and qn.question(key, subject) is not None:
            values[key] = value
            order.append(key)
    for key in list(values):  # a checklist item its own list's answer rules out (配偶也失业 without 已婚)
        q = qn.question(key, subject)
        if q is None or q.checklist is None or values[key] is None:
            continue
        for cond, allowed in q.ask_if.items():
            c = qn.questions.get(cond)
            if c is not None and c.checklist == q.checklist and cond in values and values[cond] not in allowed:
                del values[key]
                break
    answers = Answers(subject, values, order)
    answers.echo = echoes
    return answers, errors


def _parse_id_card(raw: str, as_of: dt.date) -> tuple[bool, dict[str, Any], str | None]:
    """A 身份证号 -> (True, the facts it carries, how they were read). "1" means it was given on an
    earlier page (the facts are in the address already)."""
    from jiuye.idcard import InvalidIdNumber, parse_id_number
    from jiuye.screening import typed

    if raw == "1":
        return True, {}, None
    try:
        info = parse_id_number(raw)
    except InvalidIdNumber as exc:
        raise ValueError(f"{exc}；也可以不填，改为回答出生年月、性别和旗县市") from None
    if info.birth_date > as_of:
        raise ValueError("号码中的出生日期晚于今天")
    facts: dict[str, Any] = {"birth_date": f"{info.birth_date.year:04d}-{info.birth_date.month:02d}",
                             "sex": info.sex}
    district = typed.district_of_id(info.number)
    if district:
        facts["district"] = district
    sex = {"male": "男", "female": "女"}[info.sex]
    place = f"、旗县市 {district}" if district else "；户籍地不在兴安盟的旗县市，所在旗县市请另答"
    said = (f"已按身份证号推算：出生年月 {info.birth_date.year}年{info.birth_date.month}月、性别 {sex}{place}"
            "（号码本身不保存，也不出现在链接里）")
    return True, facts, said


def _years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _parse_value(q: Question, raw: str, as_of: dt.date, districts: dict[str, str]) -> tuple[Any, str | None]:
    """The value of one answer and, when it was typed otherwise than shown back, how it was read
    (「十二年」已按 12 年理解) — numbers, dates and districts go through jiuye.screening.typed."""
    from jiuye.screening import typed

    if q.kind == "yesno":
        if raw in ("1", "true", "是", "yes"):
            return True, None
        if raw in ("0", "false", "否", "no"):
            return False, None
        raise ValueError("请选择「是」「否」或「不知道」")
    if q.kind == "choice":
        if raw not in q.options:
            raise ValueError(f"请从选项中选择（{'、'.join(q.options.values())}）")
        return raw, None
    if q.kind == "district":
        key = typed.district(raw, districts)
        return key, typed.echo(raw, key)
    if q.kind == "date":
        day = typed.date(raw)
        latest = _years_after(as_of, q.future_years)
        if day > latest:
            if q.future_years:
                raise ValueError(f"{day.isoformat()} 晚于 {latest.isoformat()}：预计日期最多填到 {q.future_years} 年以后")
            raise ValueError(f"{day.isoformat()} 晚于今天（{as_of.isoformat()}）")
        return day.isoformat(), typed.echo(raw, day.isoformat())
    if q.kind == "year_month":
        year, month = typed.year_month(raw)
        if year < 1900 or (year, month) > (as_of.year, as_of.month):
            raise ValueError(f"{year}年{month}月 不是可能的出生年月")
        value = f"{year:04d}-{month:02d}"
        return value, typed.echo(raw, value)
    if q.kind in ("number", "integer"):
        number = typed.number(raw, q.unit)
        if q.kind == "integer" and number != number.to_integral_value():
            raise ValueError(f"「{raw}」应为整数")
        if q.minimum is not None and number < decimal.Decimal(str(q.minimum)):
            raise ValueError(f"不能小于 {q.minimum:g}")
        if q.maximum is not None and number > decimal.Decimal(str(q.maximum)):
            raise ValueError(f"不能大于 {q.maximum:g}")
        if q.kind != "integer" and number != round(number, 6):  # 18个月 → 1.5 年; 7个月 → 0.583333 年
            number = round(number, 6)
        text = typed.plain(number)
        said = typed.echo(raw, text, f"{text}{' ' + q.unit if q.unit else ''}")
        if q.kind == "integer":
            return int(number), said
        return (text if q.decimal else float(number)), said
    raise ValueError("无法识别")


def apply_preset(qn: Questionnaire, group: GroupSpec | None, answers: Answers) -> None:
    """The facts the chosen group implies (高校毕业生 → college_graduate), then what the answers imply
    (`implies` of the questionnaire, repeated until nothing changes), each only where not answered or
    answered 不知道."""
    if group is not None:
        for key, value in group.preset.items():
            if key not in answers.values:
                answers.values[key] = value
                answers.order.append(key)
    changed = True
    while changed:
        changed = False
        for rule in qn.implies:
            if all(k in answers.values and answers.values[k] == v for k, v in rule.when.items()):
                for key, value in rule.then.items():
                    if answers.values.get(key) is None and qn.question(key, answers.subject) is not None:
                        answers.values[key] = value
                        answers.order.append(key)
                        answers.inferred[key] = rule.because
                        changed = True


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
