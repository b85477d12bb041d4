"""The Chinese sentences of screening: data/screening/reasons.yaml, validated on load; rendering in reason_text.py.

For each policy the file gives, per condition of the rules (``<policy>_cond_<c>``), a ``met``,
``not_met`` and ``unknown`` template and the values to fill in; what the amount, unit, months and
other figures of the policy are (variables of the rules); notes on amount uplifts; and the source
quotes. A value is

- a variable of the rules: ``contribution_years`` (an input is "unknown" while ``<x>_known`` is false);
- a parameter as of the evaluation date: ``param:unemployment_insurance.min_contribution_years``;
  the path may name other values in braces, filled with their key (an enum item's name, a
  number): ``param:general.minimum_wage.district_tier.{district}``, ``param:general.minimum_wage.tier_{tier}``;
- an expression over the other values: ``=ceil((min - years) * 12)``.

``cite`` lists values (``param:`` ones) whose parameter's own source is always shown with the
sentence; for a value that is not one of the two documents that is a published notice (title; "转载"
when the official text was not found), a value entered by staff in the console (who, when, on what
basis), or — when the sources give no value for the date — that it is missing and staff can enter it
(:func:`jiuye.screening.cites.parameter_citation`); the reply lists those as the reason's ``references``.

Templates write ``{name}`` or ``{name|filter}``; filters: ``pct`` (0.9 → 90%), ``yuan`` (fen → 元:
1,404 or 1,123.20), ``money`` (a value already in 元, same form), ``date`` (2021年6月1日), ``int``,
``bp``, ``cn`` (2 → 二, cn2an). A part written ``[[ … ]]`` is left out when a value in it is unknown
(``None``), so one template covers "with / without uplift"; a line whose whole text is left out is not shown.

Every sentence names its source (:class:`jiuye.screening.cites.Cite`: the document's title and section,
and the quote, or a parameter's reference outside the documents: an official notice or its reprint, or
a staff member's entry). ``quotes`` are alternatives, one per document: the one of
the document in force on the date is shown — verbatim text of a document (checked against the source
on load, and located in its section), or ``parameter: <path>``: the reference of that parameter as of
the date, so a 2021 date cites 000 and a 2022-09 date cites 003. ``also`` lists parameters whose
reference is shown as well. And a figure of the sentence taken from a parameter (``param:``) that the
chosen quote does not carry brings that parameter's own reference: the quote shown for a figure is
the sentence that carries it.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from jiuye.knowledge.text import normalise
from jiuye.rules import find_parameter
from jiuye.screening.reason_text import (  # noqa: F401  (rendering, offered here too: rz.fill, rz.fmt …)
    FILTERS, FUNCTIONS, _OPTIONAL, _PLACEHOLDER, _UNKNOWN, _compiled, _expression_names, _names_in, _number, _plain,
    _sub, _Unknown, evaluate, fill, fmt, money, shown_names,
)

DocCode = Literal["000", "003"]
State = Literal["met", "not_met", "unknown"]
_PATH_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class ReasonsError(Exception):
    """data/screening/reasons.yaml is invalid (the message names policy, entry and field)."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuoteSpec(Strict):
    document: DocCode | None = None
    text: str | None = None
    parameter: str | None = None
    section: str | None = Field(default=None, description="the section of a quoted text (found on load; give it where the text is in several)")

    @model_validator(mode="after")
    def _one_kind(self):
        if bool(self.parameter) == bool(self.text):
            raise ValueError("give either text (with document) or parameter")
        if self.text and not self.document:
            raise ValueError("a quoted text needs its document")
        return self


class ConditionText(Strict):
    values: dict[str, str] = {}
    cite: list[str] = Field(default=[], description="values (param:) whose own source is shown")
    met: str
    not_met: str
    unknown: str
    applies_if: str | None = Field(default=None, description="param:<path>; the condition is not mentioned where it is false")
    quotes: list[QuoteSpec] = []
    also: list[str] = Field(default=[], description="parameters whose reference is shown too")


class FigureSpec(Strict):
    label: str
    variable: str
    unit: str  # for *_fen variables the value is shown in 元; for *_bp in % (basis points / 100)


class AmountText(Strict):
    """A sentence on how the amount was computed (rendered when the policy is eligible)."""
    values: dict[str, str] = {}
    cite: list[str] = Field(default=[], description="values (param:) whose own source is shown")
    text: str
    quotes: list[QuoteSpec] = []
    also: list[str] = Field(default=[], description="parameters whose reference is shown too")


class NoteSpec(Strict):
    """An amount-related fact (an uplift): a bool variable with a ``_known`` companion."""
    variable: str
    values: dict[str, str] = {}
    cite: list[str] = Field(default=[], description="values (param:) whose own source is shown")
    met: str
    not_met: str | None = None
    unknown: str | None = None
    quotes: list[QuoteSpec] = []
    also: list[str] = []


class PolicyText(Strict):
    amount: FigureSpec | None = None
    months: str | None = None
    figures: list[FigureSpec] = []
    routes: list[list[str]] = Field(default=[], description="alternative groups of conditions (one route suffices)")
    routes_intro: str = "以下情形满足其一即可："
    conditions: dict[str, ConditionText]
    amount_reason: list[AmountText] = Field(default=[], description="the lines showing how the amount is computed")
    notes: list[NoteSpec] = []

    @field_validator("amount_reason", mode="before")
    @classmethod
    def _one_or_more(cls, v):
        return [v] if isinstance(v, dict) else v


class ReasonsFile(Strict):
    documents: dict[DocCode, dt.date]
    policies: dict[str, PolicyText]


# ----------------------------------------------------------------------------------------------
# Loading


def _parameter_exists(tbs, path: str) -> bool:
    if "{" in path:  # a templated path: some parameter matches it
        parts = _PATH_PLACEHOLDER.split(path)  # literal, name, literal, …
        pattern = re.compile("".join(re.escape(x) if i % 2 == 0 else "[A-Za-z0-9_]+" for i, x in enumerate(parts)))
        return any(pattern.fullmatch(p) for p in _leaf_paths(tbs))
    return find_parameter(tbs.parameters, path) is not None


def _leaf_paths(tbs) -> list[str]:
    out: list[str] = []

    def visit(node, prefix: str) -> None:
        children = getattr(node, "children", None)
        if children is None:
            out.append(prefix)
            return
        for name, child in children.items():
            visit(child, f"{prefix}.{name}" if prefix else name)

    visit(tbs.parameters, "")
    return out


def resolution_order(specs: dict[str, str]) -> tuple[str, ...]:
    """The variables and param: values of ``specs`` in an order where each templated parameter
    path comes after the values it names (ValueError on a cycle)."""
    return _resolution_order(tuple(specs.items()))


@functools.lru_cache(maxsize=1024)
def _resolution_order(items: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    specs = dict(items)
    todo = [n for n, s in specs.items() if not s.startswith("=")]
    done: list[str] = []
    while todo:
        ready = [n for n in todo if all(p in done for p in _PATH_PLACEHOLDER.findall(specs[n]) if specs[n].startswith("param:"))]
        if not ready:
            raise ValueError(f"the parameter paths of {sorted(todo)} name each other")
        done += ready
        todo = [n for n in todo if n not in ready]
    return tuple(done)


def fill_path(path: str, keys: dict[str, Any]) -> str | None:
    """A templated parameter path with its placeholders filled from ``keys`` (None when one is unknown)."""
    missing = False

    def one(m: re.Match) -> str:
        nonlocal missing
        key = keys.get(m.group(1))
        if key is None or key == "":
            missing = True
            return ""
        return str(int(key)) if isinstance(key, (int, float, np.integer, np.floating)) and not isinstance(key, bool) else str(key)

    filled = _PATH_PLACEHOLDER.sub(one, path)
    return None if missing else filled


def load_reasons(path: Path, tbs, source_texts: dict[str, str] | None = None, locate=None) -> ReasonsFile:
    """Read and check the file against the rules (and, given the normalised source texts, the quotes).

    ``locate(document, text, policy)`` gives the sections of a document that hold a quoted text
    (best first, see ``KnowledgeBase.sections_of``): each quoted text gets its section, and a text
    found in no section — or not in the section the file names — is an error."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReasonsError(f"{path}: cannot read: {exc}") from None
    try:
        spec = ReasonsFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"field '{'.'.join(str(p) for p in e['loc'])}': {e['msg']}" for e in exc.errors())
        raise ReasonsError(f"{path}: {problems}") from None
    rules = getattr(tbs, "policy_rules", {})
    for policy, text in spec.policies.items():
        where = f"{path}: policy {policy}"
        if f"{policy}_eligible" not in tbs.variables:
            raise ReasonsError(f"{where}: no variable {policy}_eligible in the rules")
        declared = set(rules[policy].conditions) if policy in rules else set()
        if set(text.conditions) != declared:
            raise ReasonsError(f"{where}: field 'conditions': the rules declare {sorted(declared)}, "
                               f"the file has {sorted(text.conditions)}")
        for route in text.routes:
            for c in route:
                if c not in declared:
                    raise ReasonsError(f"{where}: field 'routes': unknown condition '{c}'")
        for figure in ([text.amount] if text.amount else []) + text.figures:
            if figure.variable not in tbs.variables:
                raise ReasonsError(f"{where}: figure '{figure.label}': unknown variable '{figure.variable}'")
        if text.months and text.months not in tbs.variables:
            raise ReasonsError(f"{where}: field 'months': unknown variable '{text.months}'")
        items = [(f"condition {c}", t, [t.met, t.not_met, t.unknown]) for c, t in text.conditions.items()]
        items += [(f"note {n.variable}", n, [n.met, n.not_met or "", n.unknown or ""]) for n in text.notes]
        items += [(f"amount_reason {i + 1}", a, [a.text]) for i, a in enumerate(text.amount_reason)]
        for label, item, templates in items:
            _check_item(f"{where}: {label}", item, templates, tbs, spec, source_texts)
            if locate is not None:
                _locate_quotes(f"{where}: {label}", item, policy, locate)
        for n in text.notes:
            if n.variable not in tbs.variables or f"{n.variable}_known" not in tbs.variables:
                raise ReasonsError(f"{where}: note: '{n.variable}' needs a bool variable and its _known companion")
    return spec


def _check_item(where: str, item, templates: list[str], tbs, spec: ReasonsFile, source_texts) -> None:
    defined = set(item.values)
    for name, value in item.values.items():
        if name in FUNCTIONS:
            raise ReasonsError(f"{where}: field 'values.{name}': '{name}' is the name of a function; choose another name")
        if value.startswith("param:"):
            if not _parameter_exists(tbs, value[6:]):
                raise ReasonsError(f"{where}: field 'values.{name}': unknown parameter '{value[6:]}'")
            for placeholder in _PATH_PLACEHOLDER.findall(value):
                if placeholder not in defined or placeholder == name or item.values[placeholder].startswith("="):
                    raise ReasonsError(f"{where}: field 'values.{name}': '{{{placeholder}}}' must name another "
                                       "value (a variable or a param:)")
        elif value.startswith("="):
            try:
                used = _expression_names(value[1:])
            except (SyntaxError, ValueError) as exc:
                raise ReasonsError(f"{where}: field 'values.{name}': bad expression: {exc}") from None
            if not used <= defined:
                raise ReasonsError(f"{where}: field 'values.{name}': undefined names {sorted(used - defined)}")
        elif value not in tbs.variables:
            raise ReasonsError(f"{where}: field 'values.{name}': unknown variable '{value}'")
    try:
        resolution_order(item.values)
    except ValueError as exc:
        raise ReasonsError(f"{where}: field 'values': {exc}") from None
    for name in getattr(item, "cite", []):
        if not item.values.get(name, "").startswith("param:"):
            raise ReasonsError(f"{where}: field 'cite': '{name}' is not a param: value of this entry")
    applies_if = getattr(item, "applies_if", None)
    if applies_if and (not applies_if.startswith("param:") or not _parameter_exists(tbs, applies_if[6:])):
        raise ReasonsError(f"{where}: field 'applies_if': expected param:<existing parameter>, got '{applies_if}'")
    for template in templates:
        for name, filt in _names_in(template):
            if name not in defined:
                raise ReasonsError(f"{where}: template uses undefined value '{{{name}}}': {template}")
            if filt and filt not in FILTERS:
                raise ReasonsError(f"{where}: unknown filter '|{filt}' (known: {sorted(FILTERS)})")
    for q in item.quotes:
        if q.parameter and not _parameter_exists(tbs, q.parameter):
            raise ReasonsError(f"{where}: field 'quotes': unknown parameter '{q.parameter}'")
        if q.text and source_texts is not None and normalise(q.text) not in source_texts[q.document]:
            raise ReasonsError(f"{where}: field 'quotes': not verbatim in document {q.document}: {q.text[:40]}")
    for path in getattr(item, "also", []):
        named = [name for name, _f in _names_in(path)]
        if named and not set(named) <= defined:
            raise ReasonsError(f"{where}: field 'also': undefined values {sorted(set(named) - defined)} in '{path}'")
        if not named and not _parameter_exists(tbs, path):
            raise ReasonsError(f"{where}: field 'also': unknown parameter '{path}'")
    for template in templates:
        if template.count("[[") != template.count("]]"):
            raise ReasonsError(f"{where}: unbalanced [[ ]] in template: {template}")


def _locate_quotes(where: str, item, policy: str, locate) -> None:
    for q in item.quotes:
        if not q.text:
            continue
        sections = locate(q.document, q.text, policy)
        if not sections:
            raise ReasonsError(f"{where}: field 'quotes': found in no section of document {q.document}: {q.text[:40]}")
        if q.section and q.section not in sections:
            raise ReasonsError(f"{where}: field 'quotes.section': '{q.section}' does not hold: {q.text[:40]}")
        q.section = q.section or sections[0]


def document_in_force(spec: ReasonsFile, day: dt.date, documents: list[str]) -> str | None:
    """Of ``documents``, the latest whose rules apply on ``day`` (else the earliest)."""
    if not documents:
        return None
    dated = sorted(documents, key=lambda d: spec.documents.get(d, dt.date.min))
    in_force = [d for d in dated if spec.documents.get(d, dt.date.min) <= day]
    return in_force[-1] if in_force else dated[0]
