"""政策找人 on the citizen site: the questionnaire (data/web/questionnaire.yaml), the answers that
travel in the page address, the choice of the next questions, and the result grouped for people.

Nothing here is stored on the server. The answers are the query string of a GET form, so the
result page can be bookmarked, printed and shared; the query string therefore holds only answers
to eligibility questions: never a name or a 身份证号 (they are not questions, and any such
parameter in an address is dropped), and the birth date only as year-month (see
`screen_answers`).

Pure functions over the screening service (no FastAPI): the routes in `citizen` are thin.
"""
from __future__ import annotations

import calendar
import datetime as dt
import decimal
import functools
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Mapping
from urllib.parse import urlencode

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jiuye.config import data_dir
from jiuye.knowledge.loader import parse_yaml, validation_problems
from jiuye.web.labels import labels

Kind = Literal["yesno", "date", "year_month", "number", "integer", "choice", "district"]
Subject = Literal["person", "enterprise"]
SUBJECT_BOTH = ("person", "enterprise")


class QuestionnaireError(ValueError):
    """The questionnaire file is invalid: names the file and the entry."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuestionSpec(_Strict):
    label: str = Field(min_length=2)
    kind: Kind | None = None
    help: str | None = None
    options: dict[str, str] | None = None
    ask_if: dict[str, list[Any]] = {}
    yes_text: str = "是"
    no_text: str = "否"
    unit: str | None = None
    future_years: int = Field(default=0, ge=0, le=10)  # a date question: how many years after today it may lie
    gate: bool = False  # a yes/no question of the questionnaire only (not a profile fact): other questions' ask_if


class GroupSpec(_Strict):
    key: str = Field(pattern=r"^[a-z_]+$")
    label: str
    subject: Subject
    description: str = ""
    preset: dict[str, Any] = {}
    first: list[str] = []
    catalogue_groups: list[str] = []


class QuestionnaireSpec(_Strict):
    per_step: int = Field(default=4, ge=1, le=12)
    never_ask: list[str] = []
    unaskable_labels: dict[str, str] = {}
    rights_tools: list[str] = []
    rights_tools_note: str = ""
    groups: list[GroupSpec] = Field(min_length=1)
    questions: dict[str, QuestionSpec]


@dataclass
class Question:
    key: str  # profile path: "district", "household.urban_registration"
    label: str
    kind: Kind
    subjects: tuple[str, ...]
    order: int
    help: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    ask_if: dict[str, list[Any]] = field(default_factory=dict)
    yes_text: str = "是"
    no_text: str = "否"
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    decimal: bool = False  # the profile field is a Decimal (money): passed on as text
    future_years: int = 0  # a date that may lie after today (an expected graduation date), up to this many years
    gate: bool = False  # asked only to decide which questions concern the person; never screened

    @property
    def html_id(self) -> str:
        return "q_" + self.key.replace(".", "__")


@dataclass
class Questionnaire:
    per_step: int
    never_ask: set[str]
    unaskable_labels: dict[str, str]
    groups: dict[str, GroupSpec]
    questions: dict[str, Question]
    rights_tools: set[str] = field(default_factory=set)  # policies that are rights calculators, not benefits
    rights_tools_note: str = ""

    def question(self, key: str, subject: str) -> Question | None:
        """The question for a profile field: from the file, else derived from the profile schema
        (a field the rules gained later still gets asked, with its schema title)."""
        if key in self.never_ask:
            return None
        q = self.questions.get(key)
        if q is None:
            q = _derived_question(key, len(self.questions) + 1000)
        if q is None or subject not in q.subjects:
            return None
        return q


# --- the profile schema ------------------------------------------------------------------------
def _models() -> dict[str, Any]:
    from jiuye.screening.profile import EnterpriseProfile, Household, PersonProfile

    return {"person": PersonProfile, "enterprise": EnterpriseProfile, "household": Household}


def _schema_field(key: str) -> tuple[tuple[str, ...], Any] | None:
    """(subjects, pydantic FieldInfo) of a profile path, or None."""
    models = _models()
    if key.startswith("household."):
        info = models["household"].model_fields.get(key.split(".", 1)[1])
        return (("person",), info) if info is not None else None
    subjects = tuple(s for s in SUBJECT_BOTH if key in models[s].model_fields)
    if not subjects:
        return None
    return subjects, models[subjects[0]].model_fields[key]


def _unwrap(annotation: Any) -> tuple[Any, list]:
    """The inner type of Optional[Annotated[T, ...]] and the constraints found on the way."""
    meta: list = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            args = typing.get_args(annotation)
            annotation, meta = args[0], meta + list(args[1:])
            for m in args[1:]:
                meta += list(getattr(m, "metadata", []) or [])
            continue
        if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation, meta


def _infer(key: str, info: Any) -> dict[str, Any]:
    inner, meta = _unwrap(info.annotation)
    for m in list(info.metadata or []):
        meta.append(m)
    out: dict[str, Any] = {}
    for m in meta:
        if getattr(m, "ge", None) is not None:
            out["minimum"] = float(m.ge)
        if getattr(m, "le", None) is not None:
            out["maximum"] = float(m.le)
    if key == "district":
        out["kind"] = "district"
    elif inner is bool:
        out["kind"] = "yesno"
    elif inner is dt.date:
        out["kind"] = "date"
    elif inner is int:
        out["kind"] = "integer"
    elif inner is float:
        out["kind"] = "number"
    elif inner is decimal.Decimal:
        out["kind"], out["decimal"] = "number", True
    elif typing.get_origin(inner) is Literal:
        out["kind"], out["values"] = "choice", [str(v) for v in typing.get_args(inner)]
    else:
        out["kind"] = None  # lists, nested models, free text: not asked
    return out


@functools.lru_cache(maxsize=256)
def _derived_question(key: str, order: int) -> Question | None:
    found = _schema_field(key)
    if found is None:
        return None
    subjects, info = found
    inferred = _infer(key, info)
    if inferred.get("kind") is None:
        return None
    options = {v: v for v in inferred.pop("values", [])}
    return Question(key=key, label=(info.title or key), kind=inferred.pop("kind"), subjects=subjects, order=order,
                    help=info.description if info.description and "自动加入" not in info.description else None,
                    options=options, **inferred)


def load_questionnaire(path: Path | None = None) -> Questionnaire:
    """Read and check the questionnaire: every key a profile field, every option a value the
    profile accepts, every reference (ask_if, first, preset) a question."""
    path = path or data_dir() / "web" / "questionnaire.yaml"
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise QuestionnaireError(f"{path}: 读不了：{exc}") from None
    try:
        spec = QuestionnaireSpec.model_validate(raw)
    except ValidationError as exc:
        raise QuestionnaireError(f"{path}: {validation_problems(exc)}") from None
    questions: dict[str, Question] = {}
    for order, (key, q) in enumerate(spec.questions.items()):
        if q.gate:
            if _schema_field(key) is not None or "." in key:
                raise QuestionnaireError(f"{path}: questions.{key}: gate 题不能是情况表（profile）中的字段")
            if q.kind not in (None, "yesno") or q.options:
                raise QuestionnaireError(f"{path}: questions.{key}: gate 题只能是「是/否」题")
            questions[key] = Question(key=key, label=q.label, kind="yesno", subjects=("person",), order=order,
                                      help=q.help, ask_if=q.ask_if, yes_text=q.yes_text, no_text=q.no_text, gate=True)
            continue
        found = _schema_field(key)
        if found is None:
            raise QuestionnaireError(f"{path}: questions.{key}: 情况表（profile）中没有这个字段")
        subjects, info = found
        inferred = _infer(key, info)
        values = inferred.pop("values", None)
        kind = q.kind or inferred.pop("kind", None)
        inferred.pop("kind", None)
        if kind is None:
            raise QuestionnaireError(f"{path}: questions.{key}: 这个字段不能做成一道题（列表或对象）")
        if kind == "year_month" and key != "birth_date":
            raise QuestionnaireError(f"{path}: questions.{key}: year_month 只用于出生日期")
        options = dict(q.options or {})
        if kind == "choice":
            if values is None or not options:
                raise QuestionnaireError(f"{path}: questions.{key}: 选择题须有 options，且字段须是可选值")
            bad = set(options) - set(values)
            if bad or set(values) - set(options):
                raise QuestionnaireError(f"{path}: questions.{key}: options {sorted(options)} 与字段可选值 {values} 不一致")
        questions[key] = Question(key=key, label=q.label, kind=kind, subjects=subjects, order=order, help=q.help,
                                  options=options, ask_if=q.ask_if, yes_text=q.yes_text, no_text=q.no_text,
                                  unit=q.unit, future_years=q.future_years, **inferred)
    for key, q in questions.items():
        for cond, allowed in q.ask_if.items():
            if cond not in questions:
                raise QuestionnaireError(f"{path}: questions.{key}.ask_if: 「{cond}」不是本问卷中的问题")
            for v in allowed:  # null: also ask when that answer was 不知道
                if v is not None and _encode(questions[cond], v) is None:
                    raise QuestionnaireError(f"{path}: questions.{key}.ask_if.{cond}: 「{v}」不是这道题的答案")
    groups: dict[str, GroupSpec] = {}
    for g in spec.groups:
        for key in g.first:
            if key not in questions:
                raise QuestionnaireError(f"{path}: groups.{g.key}.first: 「{key}」不是本问卷中的问题")
        for key, value in g.preset.items():
            if key not in questions or _encode(questions[key], value) is None:
                raise QuestionnaireError(f"{path}: groups.{g.key}.preset: 「{key}: {value}」不是问卷中的问题和答案")
        if g.key in groups:
            raise QuestionnaireError(f"{path}: groups: 「{g.key}」重复")
        groups[g.key] = g
    return Questionnaire(per_step=spec.per_step, never_ask=set(spec.never_ask), unaskable_labels=spec.unaskable_labels,
                         groups=groups, questions=questions, rights_tools=set(spec.rights_tools),
                         rights_tools_note=spec.rights_tools_note)


@functools.lru_cache(maxsize=2)
def _cached(path: str) -> Questionnaire:
    return load_questionnaire(Path(path))


def get_questionnaire() -> Questionnaire:
    return _cached(str(data_dir() / "web" / "questionnaire.yaml"))


# --- answers: the query string <-> values ---------------------------------------------------------


def _encode(q: Question, value: Any) -> str | None:
    """A value as it is written in the address (None: not a valid answer)."""
    if value is None:
        return ""
    if q.kind == "yesno":
        return {True: "1", False: "0"}.get(value) if isinstance(value, bool) else None
    if q.kind == "choice":
        return str(value) if str(value) in q.options else None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Answers:
    """What the person answered: key -> value, None meaning «asked, does not know»."""

    def __init__(self, subject: str, values: dict[str, Any], order: list[str]):
        self.subject, self.values, self.order = subject, values, order
        self.echo: dict[str, str] = {}  # key -> how a typed answer was read (「十二年」已按 12 年理解)

    def known(self) -> dict[str, Any]:
        return {k: v for k, v in self.values.items() if v is not None}

    def query_items(self, qn: Questionnaire) -> list[tuple[str, str]]:
        """(name, value) pairs, in question order: the whole state of the questionnaire."""
        items = []
        for key in sorted(self.values, key=lambda k: (qn.question(k, self.subject).order
                                                       if qn.question(k, self.subject) else 10 ** 6, k)):
            q = qn.question(key, self.subject)
            if q is None:
                continue
            items.append((key, _encode(q, self.values[key]) or ""))
        return items


def parse_answers(qn: Questionnaire, params: Mapping[str, str] | Any, subject: str,
                  as_of: dt.date) -> tuple[Answers, list[dict[str, str]]]:
    """The answers in a query string or form (unknown names are ignored — a name or 身份证号
    put in an address is never read), and a Chinese message naming each bad answer."""
    from jiuye.screening.profile import district_names

    values: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    order: list[str] = []
    echoes: dict[str, str] = {}
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
        try:
            values[key], said = _parse_value(q, raw, as_of, district_names())
            if said:
                echoes[key] = f"「{q.label}」：{said}"
        except ValueError as exc:
            errors.append({"field": key, "message": f"「{q.label}」：{exc}"})
            values[key] = None
    answers = Answers(subject, values, order)
    answers.echo = echoes
    return answers, errors


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
    """The facts the chosen group implies (高校毕业生 → college_graduate), unless answered."""
    if group is None:
        return
    for key, value in group.preset.items():
        if key not in answers.values:
            answers.values[key] = value
            answers.order.append(key)


# --- answers -> profiles -> screening ---------------------------------------------------------------
def to_profile(answers: Answers, birth_day: int | None = 1, as_of: dt.date | None = None) -> dict[str, Any]:
    """A profile for the screening service. The birth year-month becomes a date on `birth_day`
    (None: the last day of the month, or `as_of` if that is earlier)."""
    profile: dict[str, Any] = {"subject": answers.subject} if answers.subject == "enterprise" else {}
    gates = {k for k, q in get_questionnaire().questions.items() if q.gate}
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
            if any(k in g for g in p.target_groups for k in group.catalogue_groups)}


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


def next_questions(qn: Questionnaire, kb, group: GroupSpec | None, answers: Answers, screened: Screened,
                   limit: int | None = None) -> tuple[list[Question], int]:
    """The next few questions (and how many could still matter): the group's first questions, then
    the facts that undecided policies miss, most needed first."""
    limit = limit or qn.per_step
    relevant = relevant_policies(kb, group)
    scores: dict[str, float] = {}
    ordered: list[str] = []
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
    return [qn.question(k, answers.subject) for k in picked[:limit]], len(picked)


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
    apply_for = {p.policy: p for p in procedures.values() if p.applicant == subject}
    for r in screened.result.results:
        policy = kb.policies[r.policy]
        if subject not in policy.for_:
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
