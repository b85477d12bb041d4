"""Helpers (no variables) for enterprise policies paid per qualifying employee.

The persons concerned are the enterprise's members with the role ``employee``. A per-person
condition list is checked cumulatively: the k-th enterprise condition is "some employee meets
conditions 1..k", so every enterprise condition implies the previous ones and their conjunction is
the last one ("some employee meets them all"). An enterprise without any ``employee`` member is one
whose staff was not described: its employee conditions are unknown (missing ``employees``).
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from jiuye.rules import core
from jiuye.rules.entities import Enterprise

ROLE = Enterprise.EMPLOYEE
MISSING_EMPLOYEES = "employees"  # the missing-information name for "no employee listed"


def cumulative(person_conditions: dict[str, core.Tri]) -> dict[str, core.Tri]:
    """{name: conditions up to and including this one, all met} (per person)."""
    out: dict[str, core.Tri] = {}
    running: core.Tri | None = None
    for name, tri in person_conditions.items():
        running = tri if running is None else running & tri
        out[name] = running
    return out


def any_employee(enterprise, person_tri: core.Tri) -> core.Tri:
    """Some employee meets ``person_tri`` (Kleene OR over the employees).

    An enterprise with no ``employee`` member at all is taken as one whose staff was not described:
    the answer is unknown (missing ``employees``), not "no such employee". Once employees are listed,
    they are taken to be all the persons that matter for the policy."""
    found = core.group_any(enterprise, person_tri, role=ROLE)
    listed = enterprise.nb_persons(ROLE) > 0
    return core.Tri(found.value, found.known & listed, {**found.missing, MISSING_EMPLOYEES: ~listed})


def employee_conditions(enterprise, person_conditions: dict[str, core.Tri]) -> dict[str, core.Tri]:
    """Enterprise conditions from per-person conditions (checked cumulatively, see the module doc)."""
    return {name: any_employee(enterprise, tri) for name, tri in cumulative(person_conditions).items()}


def count_employees(enterprise, person_tri: core.Tri) -> np.ndarray:
    """Number of employees definitely meeting ``person_tri``."""
    return enterprise.sum(person_tri.value.astype(np.int32), role=ROLE).astype(np.int32)


def sum_employees(enterprise, values) -> np.ndarray:
    return enterprise.sum(values, role=ROLE)


def all_employees_known(enterprise, person_tri: core.Tri) -> core.Tri:
    """'Is ``person_tri`` known for every employee?' (so that a count or total is complete)."""
    known = enterprise.all(person_tri.known, role=ROLE)
    missing = {name: enterprise.any(mask, role=ROLE) for name, mask in person_tri.missing.items()}
    return core.Tri(known, known, missing)


def all_employees(enterprise, person_mask) -> np.ndarray:
    return enterprise.all(np.asarray(person_mask, dtype=bool), role=ROLE)


def memoised(policy: str, person_conditions: Callable) -> Callable:
    """``person_conditions(person, period, parameters)`` computed once per simulation and period."""

    def wrapped(person, period, parameters) -> dict[str, core.Tri]:
        return core.memo(person, period, ("employee_person_conditions", policy),
                         lambda: person_conditions(person, period, parameters))

    return wrapped


def rule_conditions(policy: str, labels: dict[str, str], person_conditions: Callable) -> dict[str, tuple[str, Callable]]:
    """``core.PolicyRules`` conditions {name: (label, function)} for per-employee conditions checked
    cumulatively; ``labels`` names them in the order of ``person_conditions``."""

    def enterprise_conditions(enterprise, period, parameters) -> dict[str, core.Tri]:
        return core.memo(enterprise, period, ("employee_conditions", policy),
                         lambda: employee_conditions(enterprise, person_conditions(enterprise.members, period, parameters)))

    def condition(name: str) -> Callable:
        return lambda enterprise, period, parameters: enterprise_conditions(enterprise, period, parameters)[name]

    return {name: (label, condition(name)) for name, label in labels.items()}
