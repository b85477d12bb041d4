"""The OpenFisca simulation of one profile (jiuye.screening.service screens it): the profile's facts as the
month's inputs, with, for each, whether it is known — an answer not given is unknown, not false."""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from openfisca_core.simulations import SimulationBuilder

from jiuye.idcard import parse_id_number
from jiuye.screening.profile import (
    EMPLOYEE_FIELDS, ENTERPRISE_FIELDS, HOUSEHOLD_FIELDS, INTERN_FIELDS, MEMBER_FIELDS, PERSON_FIELDS, inputs_for_period,
)


def build_simulation(tbs, profile, month: str):
    """One OpenFisca simulation of the profile for the month: the person (and the household members listed) or the
    enterprise (with its interns and employees), each fact given and, beside it, whether it is known."""
    subject = profile.subject
    persons: list[dict[str, Any]] = []
    household_roles: list[str] = []
    household_of: list[str] = []
    enterprise_roles: list[str] = []
    household_facts: dict[str, Any] = {}
    enterprise_facts: dict[str, Any] = {}
    if subject == "person":
        facts = _facts(profile, PERSON_FIELDS)
        _add_id_facts(profile, facts)
        household = profile.household
        members = (household.members if household else None)
        if profile.has_spouse is False and "spouse_unemployed" not in facts:
            facts["spouse_unemployed"] = False
        if facts.get("ui_insured") is False and "contribution_years" not in facts:
            facts["contribution_years"] = 0  # never insured: no year of contributions (not "unknown")
        # members not listed: 零就业家庭 is unknown, not false — unless the household facts given
        # already rule it out (not 城镇户籍, or 有经营性、投资性收入), whatever the members
        ruled_out = household is not None and (
            household.urban_registration is False or household.business_or_investment_income is True)
        if members is None and not ruled_out:
            facts["zero_employment_household_member"] = None
        persons.append(facts)
        has_spouse = any(m.relation == "spouse" for m in (members or []))
        household_roles.append("spouse" if has_spouse else "member")
        household_of.append("h")
        enterprise_roles.append("employee")
        for m in members or []:
            mf = _facts(m, MEMBER_FIELDS)
            _add_id_facts(m, mf)
            persons.append(mf)
            household_roles.append("spouse" if m.relation == "spouse" else "member")
            household_of.append("h")
            enterprise_roles.append("employee")
        if household:
            household_facts = _facts(household, HOUSEHOLD_FIELDS)
    else:
        enterprise_facts = _facts(profile, ENTERPRISE_FIELDS)
        persons.append({})
        household_roles.append("member")
        household_of.append("h0")
        enterprise_roles.append("representative")
        others = [(x, INTERN_FIELDS, "intern") for x in profile.interns or []]
        others += [(x, EMPLOYEE_FIELDS, "employee") for x in getattr(profile, "employees", None) or []]
        for i, (person, fields, role) in enumerate(others):
            f = _facts(person, fields)
            _add_id_facts(person, f)
            persons.append(f)
            household_roles.append("member")
            household_of.append(f"h{i + 1}")
            enterprise_roles.append(role)

    builder = SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("person", [f"p{i}" for i in range(len(persons))])
    households = builder.declare_entity("household", sorted(set(household_of)))
    builder.join_with_persons(households, household_of, household_roles)
    enterprises = builder.declare_entity("enterprise", ["e"])
    builder.join_with_persons(enterprises, ["e"] * len(persons), enterprise_roles)
    sim = builder.build(tbs)
    set_inputs(tbs, sim, "person", persons, month)
    if household_facts:
        set_inputs(tbs, sim, "household", [household_facts] * len(set(household_of)), month)
    if enterprise_facts:
        set_inputs(tbs, sim, "enterprise", [enterprise_facts], month)
    return sim

def set_inputs(tbs, sim, entity: str, rows: list[dict[str, Any]], month: str) -> None:
    """The rows' facts as the month's inputs of `entity`; a fact not given takes the variable's default, and its
    `<name>_known` input says it is unknown."""
    names = sorted({k for r in rows for k in r})
    n = len(rows)
    for name in names:
        variable = tbs.variables[name]
        known = np.array([r.get(name) is not None for r in rows])
        default = variable.default_value
        if hasattr(default, "name") and variable.value_type.__name__ == "Enum":
            default = default.name
        values = [r.get(name) if r.get(name) is not None else default for r in rows]
        if variable.value_type is dt.date:
            array = np.array(values, dtype="datetime64[D]")
        elif variable.value_type.__name__ == "Enum":
            array = np.array([str(v) for v in values])
        else:
            array = np.array(values, dtype=variable.dtype)
        period = inputs_for_period(name, month)
        sim.set_input(name, period, array)
        sim.set_input(f"{name}_known", period, known if n == len(known) else np.ones(n, bool))


def _facts(model, fields) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, fm in fields.items():
        value = getattr(model, name, None)
        if value is None:
            continue
        converted = fm.convert(value)
        if converted is None:
            continue
        out[fm.variable] = float(converted) if hasattr(converted, "as_tuple") else converted
    return out


def _add_id_facts(model, facts: dict) -> None:
    """Birth date and sex from the 身份证号 where they are not given."""
    number = getattr(model, "id_number", None)
    if not number:
        return
    info = parse_id_number(number)
    facts.setdefault("birth_date", info.birth_date)
    facts.setdefault("sex", info.sex)
