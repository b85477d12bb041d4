"""One screening's context (:class:`Context`): the simulation, the date, and the helpers that read values and
parameters from it and render reasons (`line`) with their sources; and the names of the rules' missing information
that are not a plain input, with the profile fields they stand for (PERSON_DERIVED, ENTERPRISE_DERIVED).
Used by the screener (service.py) and by the roster runner (jiuye.batch.plan)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from jiuye.rules import core
from jiuye.screening import cites as cz
from jiuye.screening import reasons as rz

# Missing-information names of the rules that are not a plain input -> profile fields.
PERSON_DERIVED = {
    "age": ("birth_date",),
    "months_to_legal_retirement": ("birth_date", "sex"),
    "spouse_unemployed": ("spouse_unemployed",),
    "urban_household_registration": ("household.urban_registration",),
    "household_business_or_investment_income": ("household.business_or_investment_income",),
    "zero_employment_household_member": ("household.members",),
    "members/registered_unemployed,able_and_willing_to_work,birth_date": ("household.members",),
    "startup_loan_lpr_bp": ("loan_lpr_percent",),
}
ENTERPRISE_DERIVED = {
    "employees": ("employees",),  # no employee listed (jiuye.rules.variables.enterprise.employee_helpers)
    "layoff_rate": ("layoff_count", "insured_headcount"),
    "interns/internship_months_or_eligibility": ("interns",),
    "interns": ("interns",),  # no intern listed (jiuye.rules.variables.enterprise.youth_internship_subsidy)
}



def chinese_name(label: str) -> str:
    """A label without its English gloss: "失业保险金 (UI benefit)" -> "失业保险金"."""
    return re.sub(r"\s*\((?=[A-Za-z])[^()（）]*\)", "", label).strip() or label



def line(state: str, text: str, cites: list, condition: str | None = None, lead: str = "",
          references: list[dict] | None = None) -> dict:
    """A reason: the sentence, followed by its sources (document title, section, quote; or a parameter's
    reference outside the documents), and those parameters as structured ``references``."""
    cites = [c for c in cites if c is not None]
    if lead:
        shown = f"{text}（{lead}{'；'.join(c.text() for c in cites)}）。" if cites else f"{text}。"
    else:
        shown = cz.with_cites(text, cites)
    out: dict[str, Any] = {"condition": condition, "state": state, "text": shown}
    if cites:
        out["source"] = cites[0].as_json()
        out["sources"] = [c.as_json() for c in cites]
    if references:
        out["references"] = references
    return out


class Context:
    """One screening: the simulation, the date, and the helpers that read and render from it. ``screener`` is the
    service's Screener (its rules, labels and caches); this module does not import service.py, which imports it."""

    def __init__(self, screener, sim, period, instant: dt.date, day: dt.date, profile) -> None:
        self.s = screener
        self.sim = sim
        self.period = period
        self.instant = instant
        self.day = day
        self.profile = profile
        self.index = 0
        self._params = screener.tbs.get_parameters_at_instant(instant.isoformat())

    def population(self, entity: str | None):
        return self.sim.persons if entity in (None, "person") else self.sim.populations[entity]

    def calc(self, name: str):
        value = self.sim.calculate(name, self.period)
        if hasattr(value, "decode"):
            return value.decode()[self.index].value
        return value[self.index]

    # values ---------------------------------------------------------------------------------
    def param(self, path: str):
        node = self._params
        try:
            for part in path.split("."):
                node = node[part]
        except Exception:  # noqa: BLE001 - absent for the date
            return None
        return node

    def variable(self, name: str):
        return self._variable(name)[0]

    def _variable(self, name: str) -> tuple[Any, Any]:
        """(value shown, key): an enum item is shown by its label and keyed by its name."""
        variables = self.s.tbs.variables
        entity = variables[name].entity.key
        population = self.population(entity)
        known_name = f"{name}_known"
        if known_name in variables and not core.read(population, known_name, self.period)[self.index]:
            return None, None
        value = population(name, self.period)
        if hasattr(value, "decode"):
            item = value.decode()[self.index]
            return item.value, item.name
        return value[self.index], value[self.index]

    def values(self, specs: dict[str, str], paths: dict[str, str | None] | None = None) -> dict[str, Any]:
        """The values of a sentence; ``paths`` (when given) receives the parameter path each
        ``param:`` value was read from (templated paths filled from the earlier values' keys)."""
        out: dict[str, Any] = {}
        keys: dict[str, Any] = {}
        for name in rz.resolution_order(specs):
            spec = specs[name]
            if spec.startswith("param:"):
                path = rz.fill_path(spec[6:], keys)
                out[name] = keys[name] = self.param(path) if path else None
                if paths is not None:
                    paths[name] = path
            else:
                out[name], keys[name] = self._variable(spec)
        for name, spec in specs.items():
            if spec.startswith("="):
                out[name] = rz.evaluate(spec[1:], out)
        return out

    def cite(self, quotes) -> cz.Cite | None:
        return cz.pick_cite(quotes, self.s.tbs, self.day, self.s.spec)

    def sentence(self, state: str, template: str, item, condition: str | None = None) -> dict | None:
        paths: dict[str, str | None] = {}
        values = self.values(item.values, paths)
        text = rz.fill(template, values)
        if not text:
            return None
        cites = cz.sentence_cites(item, template, values, self.s.tbs, self.day, self.s.spec, paths)
        return line(state, text, cites, condition, references=self.s.references(cites, self.day))

    # reasons --------------------------------------------------------------------------------
    def state(self, tri) -> str:
        i = self.index
        return "met" if tri.value[i] else ("not_met" if tri.known[i] else "unknown")

    def condition_reason(self, spec: rz.PolicyText, name: str, tri, state: str | None = None) -> dict:
        text = spec.conditions[name]
        state = state or self.state(tri)
        template = {"met": text.met, "not_met": text.not_met, "unknown": text.unknown}[state]
        return self.sentence(state, template, text, name)

    def conditions_reasons(self, spec: rz.PolicyText, rules, tris: dict, status: str) -> list[dict]:
        states = {c: self.state(t) for c, t in tris.items()}
        applies = {c: self._applies(spec.conditions[c]) for c in tris}
        route_of = {c: i for i, route in enumerate(spec.routes) for c in route}
        met_routes = [i for i, route in enumerate(spec.routes) if all(states[c] == "met" or not applies[c] for c in route)]
        failed_routes = {i for i, route in enumerate(spec.routes) if any(states[c] == "not_met" and applies[c] for c in route)}
        out: list[dict] = []
        intro_done = False
        for c in rules.conditions:
            if not applies[c]:
                continue
            if c in route_of:
                if met_routes and route_of[c] != met_routes[0]:
                    continue
                if not met_routes and not intro_done:
                    out.append({"state": "info", "text": spec.routes_intro})
                    intro_done = True
                if states[c] == "unknown" and route_of[c] in failed_routes:
                    continue  # this route already fails: what is unknown in it no longer matters
            if states[c] == "unknown" and status == "not_eligible":
                continue  # already decided: what is unknown no longer matters
            line = self.condition_reason(spec, c, tris[c], states[c])
            if line:
                out.append(line)
        return out

    def generic_reasons(self, rules, tris: dict, status: str) -> list[dict]:
        words = {"met": "已满足", "not_met": "不满足", "unknown": "还不知道是否满足"}
        out = []
        for c, (label, _fn) in rules.conditions.items():
            state = self.state(tris[c])
            if state == "unknown" and status == "not_eligible":
                continue
            out.append({"condition": c, "state": state, "text": f"{label}：{words[state]}"})
        return out

    def _applies(self, text: rz.ConditionText) -> bool:
        if not text.applies_if:
            return True
        return bool(self.param(text.applies_if[6:]))

    def notes(self, spec: rz.PolicyText) -> list[dict]:
        out = []
        for n in spec.notes:
            value = bool(core.read(self.population("person"), n.variable, self.period)[self.index])
            known = bool(core.read(self.population("person"), f"{n.variable}_known", self.period)[self.index])
            state = "met" if value else ("not_met" if known else "unknown")
            template = {"met": n.met, "not_met": n.not_met, "unknown": n.unknown}[state]
            line = self.sentence(state if state != "not_met" else "info", template, n) if template else None
            if line:
                out.append(line)
        return out

    def amount_reason(self, text: rz.AmountText) -> dict | None:
        return self.sentence("info", text.text, text)

    def missing(self, names: list[str], pid: str) -> tuple[list[dict], list[dict]]:
        facts: list[dict] = []
        params: list[dict] = []
        seen: set[str] = set()
        names = self._expand(names, set())
        for name in names:
            if name.startswith("parameters/"):
                path = name[len("parameters/"):].replace("/", ".")
                if path not in seen:
                    seen.add(path)
                    params.append({"parameter": path, "label": self._parameter_label(path)})
                continue
            for f in self._fields_for(name, pid):
                if f["field"] not in seen:
                    seen.add(f["field"])
                    facts.append(f)
        return facts, params

    def _expand(self, names: list[str], expanded: set[str]) -> list[str]:
        """Replace another policy's verdict (``<q>_eligible``, used as a fact) by what it is missing."""
        out: list[str] = []
        variables = self.s.tbs.variables
        for name in names:
            other = name[: -len("_eligible")] if name.endswith("_eligible") else None
            if other and f"{other}_missing_information" in variables and name not in expanded:
                expanded.add(name)
                inner = [m for m in str(self.calc(f"{other}_missing_information")).split(",") if m]
                out += self._expand(inner, expanded)
            else:
                out.append(name)
        return out

    def _fields_for(self, name: str, pid: str) -> list[dict]:
        return self.s.field_labels(name, self.profile.subject, pid)

    def _parameter_label(self, path: str) -> str:
        return self.s.parameter_label(path, self.day)
