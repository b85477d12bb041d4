"""The 政策找人 questionnaire as data (data/web/questionnaire.yaml): the questions, the checklists that
ask several yes/no facts as one prompt (「以下哪些情况符合您」), the 身份证号 question that gives three facts
in one answer, and the goals and groups of the start page. Loaded and checked here; `find` uses it.
"""
from __future__ import annotations

import datetime as dt
import decimal
import functools
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jiuye.config import data_dir
from jiuye.knowledge.loader import parse_yaml, validation_problems

Kind = Literal["yesno", "date", "year_month", "number", "integer", "choice", "district", "idcard"]
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


class ChecklistSpec(_Strict):
    """Several yes/no questions asked as one prompt (「以下哪些情况符合您」): a row per item, answered
    是 / 否 / 不知道 with 否 already chosen, so the person only touches the rows that apply."""
    label: str = Field(min_length=2)
    help: str | None = None
    items: dict[str, str] = Field(min_length=2)  # question key -> the words beside its box


class ImplySpec(_Strict):
    """An answer that settles other facts (交过失业保险 = 否 → 缴费 0 年); applied only to facts not
    answered. `because` says why, in the person's words."""
    when: dict[str, Any] = Field(min_length=1)
    then: dict[str, Any] = Field(min_length=1)
    because: str = Field(min_length=2)


class GroupSpec(_Strict):
    key: str = Field(pattern=r"^[a-z_]+$")
    label: str
    kind: Literal["goal", "group"] = "group"  # 「我想……」 (what the person wants) or 「我是……」 (who they are)
    subject: Subject
    description: str = ""
    preset: dict[str, Any] = {}
    first: list[str] = []
    catalogue_groups: list[str] = []
    policies: list[str] = []  # policies meant for this goal or group, besides those of catalogue_groups


class QuestionnaireSpec(_Strict):
    per_step: int = Field(default=4, ge=1, le=12)
    never_ask: list[str] = []
    unaskable_labels: dict[str, str] = {}
    rights_tools: list[str] = []
    rights_tools_note: str = ""
    groups: list[GroupSpec] = Field(min_length=1)
    checklists: dict[str, ChecklistSpec] = {}
    implies: list[ImplySpec] = []
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
    checklist: str | None = None  # asked as an item of this checklist
    check_text: str | None = None  # the words beside its box there

    @property
    def html_id(self) -> str:
        return "q_" + self.key.replace(".", "__")


@dataclass
class Checklist:
    """One prompt of several yes/no questions (the `items` still to ask, in the file's order)."""
    key: str
    label: str
    help: str | None
    items: list[Question]
    kind: str = "checklist"

    @property
    def html_id(self) -> str:
        return "cl_" + self.key


@dataclass
class Questionnaire:
    per_step: int
    never_ask: set[str]
    unaskable_labels: dict[str, str]
    groups: dict[str, GroupSpec]
    questions: dict[str, Question]
    rights_tools: set[str] = field(default_factory=set)  # policies that are rights calculators, not benefits
    rights_tools_note: str = ""
    checklists: dict[str, ChecklistSpec] = field(default_factory=dict)
    implies: list[ImplySpec] = field(default_factory=list)

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
        if q.kind == "idcard":
            if key != "id_card" or q.gate or q.ask_if:
                raise QuestionnaireError(f"{path}: questions.{key}: idcard 题只能叫 id_card，且不能有 gate、ask_if")
            questions[key] = Question(key=key, label=q.label, kind="idcard", subjects=("person",), order=order,
                                      help=q.help)
            continue
        if key == "id_card":
            raise QuestionnaireError(f"{path}: questions.id_card: 须是 kind: idcard")
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
    for ck, cl in spec.checklists.items():
        for key, text in cl.items.items():
            q = questions.get(key)
            if q is None or q.kind != "yesno":
                raise QuestionnaireError(f"{path}: checklists.{ck}.items: 「{key}」不是本问卷中的「是/否」题")
            if q.checklist is not None:
                raise QuestionnaireError(f"{path}: checklists.{ck}.items: 「{key}」已在清单「{q.checklist}」中")
            q.checklist, q.check_text = ck, text
    for n, rule in enumerate(spec.implies):
        for part in ("when", "then"):
            for key, value in getattr(rule, part).items():
                if key not in questions or not _valid(questions[key], value):
                    raise QuestionnaireError(f"{path}: implies[{n}].{part}: 「{key}: {value}」不是问卷中的问题和答案")
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
                         rights_tools_note=spec.rights_tools_note, checklists=spec.checklists,
                         implies=spec.implies)


@functools.lru_cache(maxsize=2)
def _cached(path: str) -> Questionnaire:
    return load_questionnaire(Path(path))


def get_questionnaire() -> Questionnaire:
    return _cached(str(data_dir() / "web" / "questionnaire.yaml"))


def _encode(q: Question, value: Any) -> str | None:
    """A value as it is written in the address (None: not a valid answer)."""
    if value is None:
        return ""
    if q.kind in ("yesno", "idcard"):  # idcard: "1" = a 身份证号 was given (the number itself never is)
        return {True: "1", False: "0"}.get(value) if isinstance(value, bool) else None
    if q.kind == "choice":
        return str(value) if str(value) in q.options else None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _valid(q: Question, value: Any) -> bool:
    """A value a question's answer can take (a number for a number, 是/否 for yes/no …)."""
    if q.kind in ("number", "integer"):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if q.kind in ("date", "year_month", "district"):
        return isinstance(value, str)
    return _encode(q, value) is not None
