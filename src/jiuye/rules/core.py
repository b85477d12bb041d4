"""Helpers shared by the variables: three-valued facts, money in fen, dates, dated parameters.

Unknown information
-------------------
OpenFisca has no null, so every *input* variable ``x`` has a companion boolean input ``x_known``
(default False; generated automatically by ``jiuye.rules.build_system`` unless the variable file
defines it). ``x`` is only read where ``x_known`` is True; elsewhere its value is ignored.

Rules combine facts with :class:`Tri`, a vector of three-valued facts (definitely true,
definitely false, unknown) that follows Kleene logic: ``A and B`` is false as soon as one side is
known to be false, ``A or B`` is true as soon as one side is known to be true, and is unknown
otherwise. Each Tri also remembers which unknown inputs still matter for each entity, so a
policy's ``<policy>_missing_information`` variable can say what to ask for.

A parameter that the sources do not give for a date (a ``null`` value, or no value yet) is an
unknown too: it reads as ``None`` here and shows up as ``parameters.<path>`` in the missing list.

Money (fen) and dates: :mod:`jiuye.rules.money`, :mod:`jiuye.rules.dates` (their names are also importable from here).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
from openfisca_core.errors import ParameterNotFoundError

from jiuye.rules.dates import (  # noqa: F401  (the variables import them from here)
    day_of_month, full_months_between, full_years_between, month_index, parse_date, period_first_day, period_last_day,
)
from jiuye.rules.money import floor_fen, round_fen, widen_money, yuan_to_fen  # noqa: F401

# ----------------------------------------------------------------------------------------------
# Three-valued facts


class Tri:
    """For each entity: is the fact definitely true, definitely false, or unknown?

    ``value``  -- True where the fact is definitely true (never True where unknown).
    ``known``  -- True where the fact is determined (true or false).
    ``missing``-- {name: mask}: for each entity, the unknown inputs (or parameters) on which the
                  still-unknown result depends. Cleared wherever the result is known.
    """

    __slots__ = ("known", "missing", "value")

    def __init__(self, value, known, missing: dict[str, np.ndarray] | None = None) -> None:
        known = np.asarray(known, dtype=bool)
        value = np.asarray(value, dtype=bool)
        if known.shape != value.shape:
            known, value = np.broadcast_arrays(known, value)
            known, value = known.copy(), value.copy()
        self.known = known
        self.value = value & known
        if not missing or known.all():  # nothing is missing where everything is known
            self.missing = {}
        elif not known.any():  # masks (boolean arrays) stay as they are; the dict is never mutated
            self.missing = missing
        else:
            unknown = ~known
            self.missing = {k: np.asarray(m, dtype=bool) & unknown for k, m in missing.items()}

    # constructors ------------------------------------------------------------------------------
    @classmethod
    def const(cls, value: bool, size: int) -> Tri:
        return cls(np.full(size, bool(value)), np.ones(size, dtype=bool))

    @classmethod
    def unknown(cls, name: str, size: int) -> Tri:
        return cls(np.zeros(size, dtype=bool), np.zeros(size, dtype=bool), {name: np.ones(size, dtype=bool)})

    @classmethod
    def where(cls, condition, if_true: Tri, if_false: Tri) -> Tri:
        """Per entity, ``if_true`` where the (known, plain boolean) condition holds, else ``if_false``."""
        condition = np.asarray(condition, dtype=bool)
        names = set(if_true.missing) | set(if_false.missing)
        size = condition.shape
        missing = {
            n: np.where(condition, if_true.missing.get(n, np.zeros(size, bool)), if_false.missing.get(n, np.zeros(size, bool)))
            for n in names
        }
        return cls(
            np.where(condition, if_true.value, if_false.value),
            np.where(condition, if_true.known, if_false.known),
            missing,
        )

    # views ---------------------------------------------------------------------------------------
    @property
    def false(self) -> np.ndarray:
        return self.known & ~self.value

    @property
    def size(self) -> int:
        return self.value.size

    def missing_text(self) -> np.ndarray:
        """Comma-separated names of the unknown inputs that matter, per entity ('' if none).

        Names are sorted. Built by encoding each entity's set of missing names as a bit mask and
        joining the names once per distinct mask: concatenating object strings per name and entity
        cost ~8 s for a million persons and 16 policies; this costs ~0.3 s, with the same text.
        """
        names = [n for n in sorted(self.missing) if self.missing[n].any()]
        out = np.full(self.size, "", dtype=object)
        if not names:
            return out
        if len(names) > 62:  # more names than bits: the plain way (never seen; kept for correctness)
            for name in names:
                mask = self.missing[name]
                out[mask] = np.where(out[mask] == "", name, out[mask] + "," + name)
            return out
        code = np.zeros(self.size, dtype=np.int64)
        for bit, name in enumerate(names):
            code |= self.missing[name].astype(np.int64) << bit
        distinct, inverse = np.unique(code, return_inverse=True)
        texts = np.array([",".join(n for b, n in enumerate(names) if (int(c) >> b) & 1) for c in distinct], dtype=object)
        return texts[inverse.reshape(-1)]

    # logic ---------------------------------------------------------------------------------------
    def __and__(self, other: Tri) -> Tri:
        return all_of(self, other)

    def __or__(self, other: Tri) -> Tri:
        return any_of(self, other)

    def __invert__(self) -> Tri:
        return Tri(~self.value, self.known, self.missing)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        states = np.where(self.known, np.where(self.value, "T", "F"), "?")
        return f"Tri({''.join(states)}, missing={ {k: v.tolist() for k, v in self.missing.items()} })"


def _merge_missing(tris: Iterable[Tri]) -> dict[str, np.ndarray]:
    merged: dict[str, np.ndarray] = {}
    for t in tris:
        for name, mask in t.missing.items():
            merged[name] = merged[name] | mask if name in merged else mask.copy()
    return merged


def all_of(*tris: Tri) -> Tri:
    """Kleene AND: false if any is known false, true if all are known true, else unknown."""
    value = np.logical_and.reduce([t.value for t in tris])
    any_false = np.logical_or.reduce([t.false for t in tris])
    all_known = np.logical_and.reduce([t.known for t in tris])
    return Tri(value, all_known | any_false, _merge_missing(tris))


def any_of(*tris: Tri) -> Tri:
    """Kleene OR: true if any is known true, false if all are known false, else unknown."""
    value = np.logical_or.reduce([t.value for t in tris])
    all_known = np.logical_and.reduce([t.known for t in tris])
    return Tri(value, value | all_known, _merge_missing(tris))


def read(entity, name: str, period):
    """``entity(name, period)``, reading an already stored value straight from its holder.

    OpenFisca's ``calculate`` costs tens of microseconds even for a cached value; screening reads
    hundreds of them. The shortcut is skipped while tracing (``simulation.trace``), so traces keep
    every dependency."""
    simulation = getattr(entity, "simulation", None)
    holders = getattr(entity, "_holders", None)
    if holders is not None and simulation is not None and not simulation.trace:
        holder = holders.get(name)
        if holder is None:
            variable = simulation.tax_benefit_system.variables.get(name)
            if variable is not None and not variable.formulas and variable.entity.key == entity.entity.key:
                return variable.default_array(entity.count)  # an input nobody set: its default, as calculate gives
        else:
            value = holder.get_array(period)
            if value is not None:
                return value
            if not holder.variable.formulas:
                return holder.default_array()
    return entity(name, period)


def fact(entity, name: str, period, *, missing_name: str | None = None) -> Tri:
    """A boolean input (or derived variable with a ``<name>_known`` companion) as a Tri."""
    known = read(entity, f"{name}_known", period)
    if not known.any():  # unknown everywhere: the value would be ignored, do not compute it
        return Tri(np.zeros(known.shape, dtype=bool), known, {missing_name or name: ~known})
    value = read(entity, name, period)
    return Tri(value, known, {missing_name or name: ~known})


def check(entity, name: str, period, predicate: Callable[[np.ndarray], np.ndarray], *, missing_name: str | None = None) -> Tri:
    """A predicate on a (numeric, date or enum) input, unknown where the input is unknown."""
    known = read(entity, f"{name}_known", period)
    if not known.any():
        return Tri(np.zeros(known.shape, dtype=bool), known, {missing_name or name: ~known})
    value = read(entity, name, period)
    return Tri(predicate(value), known, {missing_name or name: ~known})


def knowns(entity, period, *names: str) -> Tri:
    """True where all the named inputs (or derived variables with ``_known``) are known."""
    masks = {name: read(entity, f"{name}_known", period) for name in names}
    known = np.logical_and.reduce(list(masks.values()))
    return Tri(known, known, {name: ~mask for name, mask in masks.items()})


def based_on(basis: Tri, values) -> Tri:
    """A Tri with the given boolean values, known (and missing) exactly where ``basis`` is."""
    return Tri(values, basis.known, basis.missing)


def known_value(entity, name: str, period) -> tuple[np.ndarray, np.ndarray]:
    """(values, known mask) of an input."""
    return entity(name, period), entity(f"{name}_known", period)


# ----------------------------------------------------------------------------------------------
# Parameters


def param(parameters, period, path: str):
    """The value of a parameter at the period's start, or None if the sources give none then."""
    node = parameters(period)
    try:
        for part in path.split("."):
            node = node[part]
    except (ParameterNotFoundError, KeyError, AttributeError):
        return None
    if hasattr(node, "thresholds") and len(node.thresholds) == 0:  # scale with no bracket in force
        return None
    if _is_empty(node):  # a node none of whose values is in force
        return None
    return node


def _is_empty(node) -> bool:
    children = getattr(node, "_children", None)
    if children is None:
        return False
    return all(_is_empty(child) for child in children.values())


def param_tri(parameters, period, path: str, size: int, predicate: Callable | None = None) -> Tri:
    """A boolean parameter (or a predicate on one) as a Tri for every entity; unknown if absent."""
    value = param(parameters, period, path)
    if value is None:
        return Tri.unknown(f"parameters/{path.replace('.', '/')}", size)
    return Tri.const(bool(predicate(value) if predicate else value), size)


def window_open(parameters, period, policy: str, size: int) -> Tri:
    """Is the policy's acceptance window (``<policy>.open``) open at this period?

    The parameter is True inside a window the documents state, False after a stated end (so
    eligibility is false once a window has closed), and has no value where the documents say
    nothing (so the answer is "needs information").
    """
    return param_tri(parameters, period, f"{policy}.open", size)


# ----------------------------------------------------------------------------------------------
# Policy verdicts


def determined(*tris: Tri) -> Tri:
    """True where every one of the facts is known (whatever its value): 'can this be computed?'."""
    known = np.logical_and.reduce([t.known for t in tris])
    return Tri(known, known, _merge_missing(tris))


def amount_known(known_mask, missing_name: str) -> Tri:
    """A 'can this be computed?' fact from a plain mask, naming what is missing."""
    known_mask = np.asarray(known_mask, dtype=bool)
    return Tri(known_mask, known_mask, {missing_name: ~known_mask})


def parameter_known(value, path: str, size: int) -> Tri:
    """'Is this parameter given for the period?' as a fact for every entity."""
    ok = value is not None
    return Tri(np.full(size, ok), np.full(size, ok), {f"parameters/{path.replace('.', '/')}": np.full(size, not ok)})


class Verdict:
    """A policy's answer for each entity.

    ``eligible``  -- Tri: is the entity eligible?
    ``computable``-- Tri whose value is True where the amounts/durations can be fully computed
                     (only consulted where the entity is eligible).
    """

    def __init__(self, eligible: Tri, computable: Tri | None = None) -> None:
        self.eligible = eligible
        size = eligible.size
        self.computable = computable if computable is not None else Tri.const(True, size)

    @property
    def needs_information(self) -> np.ndarray:
        return ~self.eligible.known | (self.eligible.value & ~self.computable.value)

    def missing_text(self) -> np.ndarray:
        missing = dict(self.eligible.missing)
        for name, mask in self.computable.missing.items():
            relevant = mask & self.eligible.value
            missing[name] = missing[name] | relevant if name in missing else relevant
        return Tri(np.zeros(self.eligible.size, bool), np.zeros(self.eligible.size, bool), missing).missing_text()


def group_any(group, member_tri: Tri, role=None) -> Tri:
    """Kleene OR over a group's members (optionally those with ``role``)."""
    value = group.any(member_tri.value, role=role)
    all_known = group.all(member_tri.known, role=role)
    missing = {name: group.any(mask, role=role) for name, mask in member_tri.missing.items()}
    return Tri(value, value | all_known, missing)


# ----------------------------------------------------------------------------------------------
# Per-simulation memo


def memo(population, period, key, compute: Callable):
    """``compute()`` once per population (i.e. per simulation and entity), key and period.

    Formulas of one policy share their intermediate three-valued facts through this memo instead of
    recomputing them for each of ``p_eligible``, ``p_eligible_known``, ``p_needs_information``,
    ``p_missing_information`` and the amounts. Like OpenFisca's own cache, it assumes inputs are
    set before the first calculation of a period.
    """
    cache = population.__dict__.get("_jiuye_memo")
    if cache is None:
        cache = population._jiuye_memo = {}
    k = (key, period)
    try:
        return cache[k]
    except KeyError:
        value = cache[k] = compute()
        return value


# ----------------------------------------------------------------------------------------------
# Policies as named conditions

#: Every policy declared with :class:`PolicyRules`, by id (filled while the variable files load).
POLICY_RULES: dict[str, PolicyRules] = {}

CONDITION_INFIX = "_cond_"


class PolicyRules:
    """A policy's eligibility as named conditions.

    For each condition ``c`` of policy ``p`` the tax-benefit system gets two variables (generated by
    ``jiuye.rules.build_system``): ``p_cond_<c>`` (bool, the condition is definitely met) and
    ``p_cond_<c>_known`` (bool, it is decided). :meth:`eligibility` combines those variables —
    with ``combine`` (default: Kleene AND of all of them) — so the policy's verdict, OpenFisca traces
    and the screening reasons all come from the same per-condition values.

    ``conditions``  -- {name: (Chinese label, function(population, period, parameters) -> Tri)}
    ``combine``     -- function({name: Tri}) -> Tri, for policies with alternative routes
    """

    def __init__(self, policy: str, entity, conditions: dict[str, tuple[str, Callable]], combine: Callable | None = None,
                 label: str = "") -> None:
        self.policy = policy
        self.entity = entity
        self.label = label
        self.conditions = dict(conditions)
        self.combine = combine or (lambda c: all_of(*c.values()))
        POLICY_RULES[policy] = self

    def variable_name(self, condition: str) -> str:
        return f"{self.policy}{CONDITION_INFIX}{condition}"

    def condition_tris(self, population, period, parameters) -> dict[str, Tri]:
        """Each condition as a Tri (with the inputs still missing for it), computed once.

        Outside tracing, the values are also stored as the ``p_cond_<c>`` / ``p_cond_<c>_known``
        variables right away (what their formulas would return), which spares OpenFisca one
        formula call per condition; with ``simulation.trace`` on, each variable runs its formula so
        that traces show every dependency."""
        def compute() -> dict[str, Tri]:
            tris = {name: fn(population, period, parameters) for name, (_label, fn) in self.conditions.items()}
            simulation = getattr(population, "simulation", None)
            if simulation is not None and not simulation.trace and hasattr(population, "get_holder"):
                for name, tri in tris.items():
                    variable = self.variable_name(name)
                    population.get_holder(variable).put_in_cache(tri.value, period)
                    population.get_holder(f"{variable}_known").put_in_cache(tri.known, period)
            return tris

        return memo(population, period, ("conditions", self.policy), compute)

    def conditions_from_variables(self, population, period, parameters) -> dict[str, Tri]:
        """The conditions read back from the ``p_cond_<c>`` / ``p_cond_<c>_known`` variables."""
        tris = self.condition_tris(population, period, parameters)
        return {
            name: Tri(read(population, self.variable_name(name), period), read(population, f"{self.variable_name(name)}_known", period),
                      tri.missing)
            for name, tri in tris.items()
        }

    def eligibility(self, population, period, parameters) -> Tri:
        return memo(population, period, ("eligibility", self.policy),
                    lambda: self.combine(self.conditions_from_variables(population, period, parameters)))
