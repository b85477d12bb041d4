"""How long is 政策找人 for real people: a persona set (data/eval/find_personas.yaml) walked through the
/find questionnaire exactly as the route in `jiuye.web.pages.citizen.find_page` walks it.

A persona answers each question it is asked from its facts ("不知道" when the fact is absent). The walk
is the route's loop without HTTP: the answers so far are parsed (`find.parse_answers`, as from the
page address), the group's preset applied, the answers screened, answers that the screening refuses
asked again, and `find.next_questions` picks the next page (`per_step` questions).

Counting (the definitions the table and `make bench` use):
  - a *page* is one page the person submits: the start page (the choice of 人群, or 「开始」 without
    one) and each questionnaire page;
  - a *question* is one prompt the person answers: the choice of 人群 on the start page counts as
    one, and each question on a questionnaire page counts as one, including one asked again after
    an answer the page refused (the persona then answers 不知道);
  - *complete* is what the route does when it shows the result page by itself: `next_questions`
    returns no question, i.e. no policy for this subject is left at needs_information (or eligible
    with an amount still missing a fact) whose missing facts a question of the questionnaire could
    still settle (a fact already answered — even 不知道 —, a fact in `never_ask`, or a question
    ruled out by its `ask_if` is not one). The 「看结果」 button is never pressed.
A walk that has not completed after MAX_PAGES pages is reported as not complete.
"""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jiuye.config import data_dir
from jiuye.knowledge.loader import validation_problems
from jiuye.web.pages import find

MAX_PAGES = 40
VERDICTS = {"eligible": "可以享受", "maybe": "可能", "not_eligible": "不符合", "closed": "已截止", "services": "服务事项"}
TARGET_MEAN, TARGET_MAX = 12, 18


class PersonaError(ValueError):
    """The persona file is invalid: names the file and the persona."""


class Persona(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    description: str = Field(min_length=4)
    group: str | None = None
    employer: bool = False  # an employer who starts without choosing (blind set): the 「单位」 choice
    id_number_given: bool = True  # types the 身份证号 when offered (made up from birth date, sex, district)
    facts: dict[str, Any] = {}


class PersonaFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    as_of: dt.date
    # A gate question (在校生? 低保等家庭? 参加培训? …) a persona does not answer in its facts: 
    # `derive` — answered from the facts behind it (是 if one of them is true, else 否: the set was
    # written with every fact the person knows, so no such fact means «not me»); `facts` — 是 if one
    # is true, 否 if some are given and none is true, else 不知道.
    missing_gates: Literal["facts", "derive"] = "facts"
    personas: list[Persona] = Field(min_length=1)


def default_path() -> Path:
    return data_dir() / "eval" / "find_personas.yaml"


def load_personas(path: Path | None = None) -> PersonaFile:
    """Read and check the personas: unique ids, a group of the questionnaire, facts a valid profile
    of the group's subject (every key a profile field, every value one the profile accepts)."""
    from jiuye.screening.profile import EnterpriseProfile, PersonProfile

    path = path or default_path()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = PersonaFile.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise PersonaError(f"{path}: 读不了：{exc}") from None
    except ValidationError as exc:
        raise PersonaError(f"{path}: {validation_problems(exc)}") from None
    qn = find.get_questionnaire()
    seen: set[str] = set()
    for p in spec.personas:
        if p.id in seen:
            raise PersonaError(f"{path}: 人物「{p.id}」重复")
        seen.add(p.id)
        empty = [k for k, v in _flat(p.facts).items() if v is None]
        if empty:
            raise PersonaError(f"{path}: 人物「{p.id}」: {'、'.join(empty)} 是空值（不知道的事实不写）")
        if p.group is not None and p.group not in qn.groups:
            raise PersonaError(f"{path}: 人物「{p.id}」: 人群「{p.group}」不在问卷中（可选：{'、'.join(qn.groups)}）")
        model = EnterpriseProfile if _subject(qn, p) == "enterprise" else PersonProfile
        gates = {k: v for k, v in p.facts.items() if k in qn.questions and qn.questions[k].gate}
        bad = [k for k, v in gates.items() if not isinstance(v, bool)]
        if bad:
            raise PersonaError(f"{path}: 人物「{p.id}」: {'、'.join(bad)} 是问卷的「是/否」题，只能填 true 或 false")
        profile = {k: v for k, v in p.facts.items() if k not in gates}
        try:
            model.model_validate({**profile, **({"subject": "enterprise"} if model is EnterpriseProfile else {})})
        except ValidationError as exc:
            raise PersonaError(f"{path}: 人物「{p.id}」的 facts: {validation_problems(exc)}") from None
    return spec


def _subject(qn: find.Questionnaire, p: Persona) -> str:
    if p.group:
        return qn.groups[p.group].subject
    return "enterprise" if p.employer else "person"


def _group_of(qn: find.Questionnaire, p: Persona) -> find.GroupSpec | None:
    if p.group:
        return qn.groups[p.group]
    if p.employer:  # the start page's choice for an employer
        return next(g for g in qn.groups.values() if g.subject == "enterprise")
    return None


OUTSIDE_LEAGUE_CODE = "150102"  # 呼和浩特市新城区: a 身份证号 for a persona who did not say the district


def _id_number(facts: dict[str, Any]) -> str | None:
    """A valid 身份证号 carrying the persona's birth date, sex and district (None without the first two)."""
    from jiuye.idcard import check_char
    from jiuye.screening import typed

    birth, sex = facts.get("birth_date"), facts.get("sex")
    if birth is None or sex is None:
        return None
    birth = birth if isinstance(birth, dt.date) else dt.date.fromisoformat(str(birth))
    codes = {v: k for k, v in sorted(typed.district_codes().items(), reverse=True)}
    region = codes.get(facts.get("district"), OUTSIDE_LEAGUE_CODE)
    first17 = f"{region}{birth:%Y%m%d}01{1 if sex == 'male' else 2}"
    return first17 + check_char(first17)


def _gate_fact(qn: find.Questionnaire, key: str, facts: dict[str, Any], derive: bool = False) -> Any:
    """A gate the persona did not write: yes if a fact behind it is true, no if some are given and none
    is true (or, with `derive`, if none is true), else 不知道."""
    behind = [k for k, q in qn.questions.items() if key in q.ask_if]
    given = [facts[k] for k in behind if k in facts]
    if any(v is True or (v not in (False, None, 0, "none")) for v in given):
        return True
    return False if given or derive else None


def _flat(facts: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in facts.items() if k != "household"}
    out.update({f"household.{k}": v for k, v in (facts.get("household") or {}).items()})
    return out


def _typed(q: find.Question, value: Any) -> str:
    """A fact as the person would type or pick it on the page."""
    if value is None:
        return ""
    if q.kind == "yesno":
        return "1" if value else "0"
    if q.kind == "year_month":
        return value.strftime("%Y-%m") if isinstance(value, dt.date) else str(value)[:7]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass
class Walk:
    persona: Persona
    questions: int = 0
    pages: int = 0
    complete: bool = False
    asked: list[str] = field(default_factory=list)  # question keys in the order asked
    unknown: int = 0  # questions answered 不知道
    refused: list[str] = field(default_factory=list)  # answers the page refused (asked again)
    verdicts: dict[str, int] = field(default_factory=dict)
    policies: dict[str, list[str]] = field(default_factory=dict)  # verdict -> policy ids (to compare two runs)
    params: dict[str, str] = field(default_factory=dict)  # the page address at the end (what the route is given)
    last_page: list[str] = field(default_factory=list)  # the form fields of the last questionnaire page

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.persona.id, "description": self.persona.description, "group": self.persona.group,
                "questions": self.questions, "pages": self.pages, "complete": self.complete,
                "unknown_answers": self.unknown, "refused": self.refused, "asked": self.asked,
                "verdicts": {VERDICTS[k]: v for k, v in self.verdicts.items()},
                "policies": {VERDICTS[k]: v for k, v in self.policies.items()}}


def _fact(qn: find.Questionnaire, key: str, facts: dict[str, Any]) -> Any:
    if key in facts:
        return facts[key]
    q = qn.questions.get(key)
    return _gate_fact(qn, key, facts, facts.get(DERIVE_GATES, False)) if q is not None and q.gate else None


DERIVE_GATES = "__derive_gates"  # a marker in a walk's facts: the file's missing_gates is `derive`


def _ruled_out(qn: find.Questionnaire, key: str, facts: dict[str, Any]) -> bool:
    """An item beside the one it depends on, which the persona's answer there rules out (重度残疾 for
    someone without a 残疾人证): not a doubt, the person just leaves it."""
    q = qn.questions[key]
    return any(cond in qn.checklists.get(q.checklist or "", ChecklistStub).items
               and _fact(qn, cond, facts) is not None and _fact(qn, cond, facts) not in allowed
               for cond, allowed in q.ask_if.items())


class ChecklistStub:
    items: dict[str, str] = {}


def walk(kb, persona: Persona, as_of: dt.date, derive_gates: bool = False) -> Walk:
    """The persona through /find, page by page, as `citizen.find_page` serves it."""
    qn = find.get_questionnaire()
    group = _group_of(qn, persona)
    subject = group.subject if group else "person"
    facts = {**_flat(persona.facts), DERIVE_GATES: derive_gates}
    w = Walk(persona, questions=1, pages=1)  # the start page: the choice of 人群 (or 「开始」)
    params: dict[str, str] = {"group": group.key} if group else {"start": "1"}
    while True:
        answers, errors = find.parse_answers(qn, params, subject, as_of)
        _as_the_next_page_carries(qn, params, answers, errors)
        find.apply_preset(qn, group, answers)
        ask_first = [e["field"] for e in errors]
        for key in ask_first:
            answers.values.pop(key, None)
        screened = find.screen_answers(answers, as_of)
        if screened.errors:
            for e in screened.errors:
                if qn.question(e["field"], subject):
                    answers.values.pop(e["field"], None)
                    ask_first.append(e["field"])
            screened = find.screen_answers(answers, as_of)
        questions, _ = find.next_questions(qn, kb, group, answers, screened)
        again = [qn.question(k, subject) for k in dict.fromkeys(ask_first) if k not in answers.values]
        questions = list({q.key: q for q in again + questions}.values())[:max(qn.per_step, len(again))]
        if not questions:
            w.complete = screened.result is not None
            break
        if w.pages >= MAX_PAGES:
            break
        w.pages += 1
        w.last_page = [i.key for q in questions for i in (q.items if isinstance(q, find.Checklist) else [q])]
        for q in questions:
            w.questions += 1
            w.asked.append(q.key)
            if isinstance(q, find.Checklist):
                for i in q.items:  # a row per item: 是 / 否 (already chosen) / 不知道
                    value = _fact(qn, i.key, facts)
                    if value is None and _ruled_out(qn, i.key, facts):
                        value = False  # beside the item it depends on, and ruled out there: left at 否
                    params[i.key] = "" if value is None else ("1" if value is True else "0")
                    w.unknown += value is None
                continue
            retry = q.key in params  # asked again after a refused answer: the persona says 不知道
            if retry:
                w.refused.append(q.key)
            if q.kind == "idcard":
                raw = "" if retry or not persona.id_number_given else (_id_number(facts) or "")
            else:
                raw = "" if retry else _typed(q, _fact(qn, q.key, facts))
            params[q.key] = raw
            w.unknown += raw == ""
    w.params = dict(params)
    if screened.result is not None:
        rows = find.group_results(qn, kb, screened, subject, group, {})
        w.verdicts = {k: len(rows[k]) for k in VERDICTS}
        w.policies = {k: sorted(row["r"].policy for row in rows[k]) for k in VERDICTS}
    return w


def _as_the_next_page_carries(qn: find.Questionnaire, params: dict[str, str], answers: find.Answers,
                              errors: list[dict[str, str]]) -> None:
    """What the next page's address holds after this submission: a 身份证号 is replaced by the facts
    it gave (the route redirects so)."""
    bad = {e["field"] for e in errors}
    if params.get("id_card") not in (None, "", "1") and "id_card" not in bad:
        params["id_card"] = "1"
        for key in find.IDENTITY_FACTS:
            q = qn.question(key, answers.subject)
            if q is not None and answers.values.get(key) is not None and not params.get(key):
                params[key] = find._encode(q, answers.values[key]) or ""


def evaluate(kb, personas: PersonaFile, as_of: dt.date | None = None) -> dict[str, Any]:
    """Every persona walked; the mean and max of questions and pages."""
    day = as_of or personas.as_of
    walks = [walk(kb, p, day, personas.missing_gates == "derive") for p in personas.personas]
    qs = [w.questions for w in walks]
    ps = [w.pages for w in walks]
    return {"as_of": day.isoformat(), "personas": len(walks), "complete": sum(w.complete for w in walks),
            "questions_mean": round(statistics.mean(qs), 2), "questions_max": max(qs),
            "pages_mean": round(statistics.mean(ps), 2), "pages_max": max(ps),
            "target": {"questions_mean": TARGET_MEAN, "questions_max": TARGET_MAX},
            "walks": [w.as_dict() for w in walks]}
