"""Screening cases written by hand from the two source documents (data/eval/screening/*.yaml).

Each case is a profile, a date (``as_of``) and, for the policies the case is about, the expected
result: ``status`` and, where given, ``amount`` (元, exact to 0.01; ``null`` = no amount may be
given yet), ``months``, ``missing_includes`` (profile fields that must be named in ``missing``),
``figures`` (label -> value, e.g. the borrower's interest rate) and ``has_unknown_parameters``
(the documents give no value of a parameter for the date). The derivation of every expectation
is a comment next to the case in the YAML file.

A case marked ``known_bug: "<explanation>"`` is one where the system disagrees with the
documents; the expectation is kept as the documents give it and the test is a strict xfail.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from jiuye.config import REPO_ROOT
from jiuye.screening import screen

CASES_DIR = REPO_ROOT / "data" / "eval" / "screening"
STATUSES = {"eligible", "not_eligible", "needs_information", "window_closed"}
EXPECT_KEYS = {"status", "amount", "months", "missing_includes", "figures", "has_unknown_parameters"}
CASE_KEYS = {"name", "as_of", "profile", "expect", "known_bug"}


def _load() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            out.append((path.name, case))
    return out


CASES = _load()


def _case_id(file: str, index: int, case: dict) -> str:
    """A readable ASCII id (pytest escapes non-ASCII ids): file, number, policy=status pairs.
    The case's Chinese name is in the failure message."""
    checks = "+".join(f"{pid}={exp['status']}" for pid, exp in case["expect"].items())
    return f"{Path(file).stem}-{index:02d}-{checks}"


def _params():
    counters: dict[str, int] = {}
    for file, case in CASES:
        counters[file] = counters.get(file, 0) + 1
        marks = []
        if case.get("known_bug"):
            marks.append(pytest.mark.xfail(strict=True, reason=f"known bug: {case['known_bug']}"))
        yield pytest.param(file, case, id=_case_id(file, counters[file], case), marks=marks)


def test_at_least_60_cases():
    assert len(CASES) >= 60, f"only {len(CASES)} screening cases"


def test_cases_are_well_formed(kb):
    names = [c["name"] for _, c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    for file, case in CASES:
        where = f"{file}: {case.get('name')}"
        assert set(case) <= CASE_KEYS, f"{where}: unknown keys {set(case) - CASE_KEYS}"
        assert isinstance(case["as_of"], dt.date), where
        assert isinstance(case["profile"], dict), where
        assert case["expect"], where
        for pid, exp in case["expect"].items():
            assert pid in kb.policies, f"{where}: unknown policy {pid}"
            assert set(exp) <= EXPECT_KEYS, f"{where}: {pid}: unknown keys {set(exp) - EXPECT_KEYS}"
            assert exp["status"] in STATUSES, f"{where}: {pid}: status {exp['status']}"


def test_every_case_has_a_derivation_comment():
    """The expectations are derived by hand from the documents: each case carries its derivation."""
    for path in sorted(CASES_DIR.glob("*.yaml")):
        blocks = path.read_text(encoding="utf-8").split("\n- name: ")[1:]
        assert len(blocks) == len(yaml.safe_load(path.read_text(encoding="utf-8"))), path.name
        for block in blocks:
            assert "# derivation:" in block, f"{path.name}: {block.splitlines()[0]} has no derivation comment"


@pytest.mark.parametrize("file, case", list(_params()))
def test_screening_case(file, case):
    result = screen(case["profile"], case["as_of"])
    by_policy = {r.policy: r for r in result.results}
    problems: list[str] = []
    for pid, exp in case["expect"].items():
        r = by_policy[pid]
        got = f"(got status={r.status}, amount={r.amount}, months={r.months}, " \
              f"missing={[m.field for m in r.missing]}, unknown_parameters={[p.parameter for p in r.unknown_parameters]})"
        if r.status != exp["status"]:
            problems.append(f"{pid}: status {r.status!r}, expected {exp['status']!r} {got}")
            continue
        if "amount" in exp:
            if exp["amount"] is None:
                if r.amount is not None:
                    problems.append(f"{pid}: amount {r.amount}, expected none (not yet known) {got}")
            elif r.amount is None or abs(r.amount - float(exp["amount"])) >= 0.005:
                problems.append(f"{pid}: amount {r.amount}, expected {float(exp['amount']):.2f} {got}")
        if "months" in exp and r.months != exp["months"]:
            problems.append(f"{pid}: months {r.months}, expected {exp['months']} {got}")
        if "missing_includes" in exp:
            fields = {m.field for m in r.missing}
            lacking = [f for f in exp["missing_includes"] if f not in fields]
            if lacking:
                problems.append(f"{pid}: missing does not name {lacking} {got}")
        if "has_unknown_parameters" in exp and bool(r.unknown_parameters) != exp["has_unknown_parameters"]:
            problems.append(f"{pid}: unknown_parameters {[p.parameter for p in r.unknown_parameters]}, "
                            f"expected {'some' if exp['has_unknown_parameters'] else 'none'}")
        for label, value in (exp.get("figures") or {}).items():
            figures = {f.label: f.value for f in r.figures}
            if label not in figures:
                problems.append(f"{pid}: no figure {label!r} (figures: {figures})")
            elif abs(float(figures[label]) - float(value)) >= 0.005:
                problems.append(f"{pid}: figure {label!r} = {figures[label]}, expected {value}")
    assert not problems, f"{file}: {case['name']} (as_of {case['as_of']}):\n  " + "\n  ".join(problems)
