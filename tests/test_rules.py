"""The OpenFisca rules (src/jiuye/rules): YAML tests through openfisca_core's runner, build time,
parameter references, the "unknown" convention, and property tests (hypothesis)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from openfisca_core.parameters import Parameter, ParameterNode, ParameterScale
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.tools.test_runner import run_tests

from jiuye.config import REPO_ROOT
from jiuye.knowledge.text import normalise
from jiuye.rules import PARAMETERS_DIR, TESTS_DIR, build_system

YAML_TESTS = sorted(Path(TESTS_DIR).glob("*.yaml"))

# Every computed policy the brief asks for, with its YAML test file.
COMPUTED_POLICIES = [
    "unemployment_insurance_benefit",
    "unemployment_assistance",
    "skill_upgrade_subsidy_employee",
    "skill_upgrade_subsidy_unemployed",
    "startup_subsidy",
    "startup_loan_individual",
    "job_retention_refund",
    "public_welfare_post",
    "flexible_employment_si_subsidy",
    "youth_internship_subsidy",
    "vocational_training_subsidy",
    "overtime_pay",
    "severance_compensation",
    "job_search_startup_subsidy",
    "graduate_hiring_subsidy",
    "job_expansion_subsidy",
    "retention_training_subsidy",
    "apprenticeship_subsidy",
    "work_based_training_subsidy",
    "temporary_living_allowance",
    "rural_worker_lump_sum_allowance",
    "enterprise_hard_to_employ_si_subsidy",
    "graduate_small_business_si_subsidy",
    "labour_preparation_training",
    "entrepreneurship_training",  # an eligibility item (issue 18 item 3)
    "hard_to_employ_recognition",  # an eligibility item: a verdict with reasons, no amount
]
POLICY_SUFFIXES = ["_eligible", "_eligible_known", "_needs_information", "_missing_information"]


@pytest.fixture(scope="module")
def tbs():
    return build_system()


# ------------------------------------------------------------------------------------------------
# The YAML tests, through openfisca_core's own test runner


@pytest.mark.parametrize("path", YAML_TESTS, ids=lambda p: p.name)
def test_openfisca_yaml_file(tbs, path):
    """Each YAML file passes under openfisca_core.tools.test_runner.run_tests (exit code 0)."""
    exit_code = run_tests(tbs, str(path), {"verbose": False})
    assert exit_code == 0, f"openfisca YAML tests failed in {path.name} (see output above)"


def test_every_computed_policy_has_yaml_tests_and_standard_variables(tbs):
    names = {p.stem for p in YAML_TESTS}
    for policy in COMPUTED_POLICIES:
        assert policy in names, f"no YAML test file for {policy}"
        for suffix in POLICY_SUFFIXES:
            assert f"{policy}{suffix}" in tbs.variables, f"{policy}{suffix} missing"
        tests = yaml.safe_load((Path(TESTS_DIR) / f"{policy}.yaml").read_text(encoding="utf-8"))
        years = {str(t["period"])[:4] for t in tests}
        assert {"2021", "2022"} <= years, f"{policy}: tests must cover both document dates, got {sorted(years)}"


# ------------------------------------------------------------------------------------------------
# The system


def test_build_is_cached(tbs):
    assert build_system() is tbs


def test_every_input_has_a_known_companion(tbs):
    for name, variable in tbs.variables.items():
        if name.endswith("_known"):
            continue
        if variable.is_input_variable():
            companion = tbs.variables.get(f"{name}_known")
            assert companion is not None, f"input {name} has no {name}_known"
            assert companion.value_type is bool and companion.default_value is False
            assert companion.entity.key == variable.entity.key
            assert companion.definition_period == variable.definition_period


def test_money_variables_are_integer_fen(tbs):
    for name, variable in tbs.variables.items():
        if name.endswith("_fen"):
            assert variable.value_type is int, f"{name} must be an int number of fen"


# ------------------------------------------------------------------------------------------------
# Parameters: references and verbatim quotes

SOURCES = {
    "000": normalise((REPO_ROOT / "data" / "sources" / "000_f9cc2ab8b6bd2920.txt").read_text(encoding="utf-8")),
    "003": normalise((REPO_ROOT / "data" / "sources" / "003_d37aea6342dd24c9.txt").read_text(encoding="utf-8")),
}


def _walk_references(node):
    if isinstance(node, dict):
        if "quote" in node and "document" in node:
            yield node
        for value in node.values():
            yield from _walk_references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_references(value)


def test_parameter_quotes_are_verbatim():
    files = sorted(Path(PARAMETERS_DIR).rglob("*.yaml"))
    count = 0
    for path in files:
        for ref in _walk_references(yaml.safe_load(path.read_text(encoding="utf-8"))):
            count += 1
            assert str(ref["document"]) in SOURCES, f"{path}: unknown document {ref['document']}"
            assert normalise(ref["quote"]) in SOURCES[str(ref["document"])], f"{path}: not verbatim: {ref['quote'][:40]}"
    assert count >= 80


def _has_reference(item) -> bool:
    if item.metadata.get("reference"):
        return True
    values = getattr(item, "values_list", [])
    if any(v.metadata.get("reference") for v in values):
        return True
    for bracket in getattr(item, "brackets", []):
        for child in bracket.children.values():
            if _has_reference(child):
                return True
    return False


def test_every_parameter_has_a_reference(tbs):
    missing = []

    def visit(node, inherited):
        here = inherited or bool(node.metadata.get("reference")) if hasattr(node, "metadata") else inherited
        if isinstance(node, ParameterNode):
            for child in node.children.values():
                visit(child, here)
        elif isinstance(node, (Parameter, ParameterScale)):
            if not (here or _has_reference(node)):
                missing.append(node.name)

    visit(tbs.parameters, False)
    allowed: set[str] = set()
    assert set(missing) <= allowed, f"parameters without reference: {sorted(set(missing) - allowed)}"


def test_parameter_values_by_date(tbs):
    p = tbs.parameters
    assert p.unemployment_insurance.pooling_minimum_wage("2021-06-01") == 1560
    assert p.unemployment_insurance.pooling_minimum_wage("2021-12-01") is None  # not in the sources
    assert p.job_retention_refund.refund_rate.sme("2021-06-01") == 0.6
    assert p.job_retention_refund.refund_rate.sme("2022-06-01") == 0.9
    assert p.job_retention_refund.layoff_rate_cap("2022-06-01") == 0.055
    assert p.general.lpr_one_year_bp("2021-06-01") == 385
    assert p.general.lpr_one_year_bp("2022-09-01") == 365
    assert p.general.lpr_one_year_bp("2026-01-01") is None
    scale = p.unemployment_insurance.benefit_months("2021-06-01")
    assert list(scale.calc(np.array([0.99, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))) == [0, 2, 4, 8, 12, 14, 15, 16, 17, 18, 24]


# ------------------------------------------------------------------------------------------------
# Property tests

UI_BOOLS = {
    "involuntary_separation": True,
    "registered_unemployed": True,
    "job_seeking": True,
    "is_unemployed": True,
    "receiving_pension": False,
    "ui_stop_event": False,
}


def _simulation(tbs, count: int, period: str, inputs: dict[str, np.ndarray], known: dict[str, np.ndarray] | None = None):
    sim = SimulationBuilder().build_default_simulation(tbs, count=count)
    for name, values in inputs.items():
        sim.set_input(name, period, values)
        mask = np.ones(count, dtype=bool) if known is None or name not in known else known[name]
        sim.set_input(f"{name}_known", period, mask)
    return sim


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=45, allow_nan=False), min_size=2, max_size=30), st.booleans())
def test_ui_months_and_amounts_never_decrease_with_contribution_years(years, spouse):
    tbs = build_system()
    years = np.sort(np.array(years, dtype=np.float32))
    n = len(years)
    inputs = {name: np.full(n, value) for name, value in UI_BOOLS.items()}
    inputs.update(
        contribution_years=years,
        sex=np.array(["male"] * n),
        age=np.full(n, 40),
        spouse_unemployed=np.full(n, spouse),
    )
    sim = _simulation(tbs, n, "2021-06", inputs)
    months = sim.calculate("unemployment_benefit_months", "2021-06")
    total = sim.calculate("unemployment_benefit_total_fen", "2021-06")
    monthly = sim.calculate("unemployment_benefit_monthly_amount_fen", "2021-06")
    assert (np.diff(months) >= 0).all()
    assert (np.diff(total) >= 0).all()
    assert (months >= 0).all() and (months <= 24).all()
    assert (total >= 0).all() and (monthly >= 0).all()
    assert set(np.unique(monthly)) <= {0, 140400, 151632}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=40, allow_nan=False),
            st.booleans(),
            st.booleans(),
            st.booleans(),
            st.integers(min_value=16, max_value=70),
            st.sampled_from(["male", "female"]),
            st.lists(st.booleans(), min_size=9, max_size=9),
        ),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from(["2021-06", "2022-03"]),
)
def test_knowing_more_never_changes_a_known_ui_verdict(rows, period):
    """Three-valued logic is sound: a verdict given with some inputs unknown stays the same once
    those inputs are known, whatever their values; amounts then only grow (lower bounds)."""
    tbs = build_system()
    n = len(rows)
    values = {
        "contribution_years": np.array([r[0] for r in rows], dtype=np.float32),
        "involuntary_separation": np.array([r[1] for r in rows]),
        "job_seeking": np.array([r[2] for r in rows]),
        "is_unemployed": np.array([r[3] for r in rows]),
        "age": np.array([r[4] for r in rows]),
        "sex": np.array([r[5] for r in rows]),
        "registered_unemployed": np.ones(n, dtype=bool),
        "receiving_pension": np.array([not r[1] and r[2] for r in rows]),
        "ui_stop_event": np.zeros(n, dtype=bool),
        "spouse_unemployed": np.array([r[2] for r in rows]),
    }
    names = list(values)
    partial = {name: np.array([r[6][i % 9] for r in rows]) for i, name in enumerate(names)}
    sim_partial = _simulation(tbs, n, period, values, partial)
    sim_full = _simulation(tbs, n, period, values)
    known = sim_partial.calculate("unemployment_insurance_benefit_eligible_known", period)
    eligible_partial = sim_partial.calculate("unemployment_insurance_benefit_eligible", period)
    eligible_full = sim_full.calculate("unemployment_insurance_benefit_eligible", period)
    # With an age instead of a birth date, everything is known except where the exact birth date (or, for a
    # woman, the post) matters: the last year before a retirement age (it may be reached this very month).
    full_known = sim_full.calculate("unemployment_insurance_benefit_eligible_known", period)
    full_missing = sim_full.calculate("unemployment_insurance_benefit_missing_information", period)
    assert all(set(m.split(",")) <= {"birth_date", "female_cadre_post"} for m in full_missing[~full_known])
    assert (eligible_partial[known & full_known] == eligible_full[known & full_known]).all()
    assert not (known & ~full_known).any()  # a verdict given with less is never undone by knowing more
    assert not (eligible_partial & ~eligible_full).any()  # "definitely eligible" is never wrong
    amount_partial = sim_partial.calculate("unemployment_benefit_monthly_amount_fen", period)
    amount_full = sim_full.calculate("unemployment_benefit_monthly_amount_fen", period)
    assert (amount_partial <= amount_full).all()
    needs = sim_partial.calculate("unemployment_insurance_benefit_needs_information", period)
    missing = sim_partial.calculate("unemployment_insurance_benefit_missing_information", period)
    assert all((m != "") == bool(flag) for m, flag in zip(missing, needs))


@settings(max_examples=30, deadline=None)
@given(
    st.integers(min_value=1, max_value=15),
    st.sampled_from(["2021-06", "2022-03", "2022-10", "2025-06"]),
    st.data(),
)
def test_amounts_never_negative_and_caps_never_exceeded(n, period, data):
    tbs = build_system()
    draw = data.draw
    bools = lambda: np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))  # noqa: E731
    ints = lambda lo, hi: np.array(draw(st.lists(st.integers(lo, hi), min_size=n, max_size=n)))  # noqa: E731
    floats = lambda lo, hi: np.array(  # noqa: E731
        draw(st.lists(st.floats(lo, hi, allow_nan=False), min_size=n, max_size=n)), dtype=np.float32
    )
    birth = np.datetime64("1950-01-01") + ints(0, 365 * 55).astype("timedelta64[D]")
    recent = np.datetime64(f"{period[:4]}-01-01") - ints(0, 365 * 4).astype("timedelta64[D]")
    inputs = {
        "sex": np.array(draw(st.lists(st.sampled_from(["male", "female"]), min_size=n, max_size=n))),
        "birth_date": birth,
        "female_cadre_post": bools(),
        "district": np.array(draw(st.lists(st.sampled_from(["ulanhot", "jalaid", "outside"]), min_size=n, max_size=n))),
        "hard_to_employ_certified": bools(),
        "flexibly_employed": bools(),
        "pays_si_as_flexible_worker": bools(),
        "si_contributions_paid_fen": ints(0, 10_000_000),
        "college_graduate": bools(),
        "college_leaving_date": recent,
        "employed_since_leaving_college": bools(),
        "registered_unemployed": bools(),
        "has_other_loans": bools(),
        "startup_partnership": bools(),
        "self_employment_registered": bools(),
        "business_in_xing_an": bools(),
        "in_poverty_area": bools(),
        "training_certificate_obtained": bools(),
        "receiving_pension": bools(),
        "training_category": np.array(draw(st.lists(st.sampled_from(["none", "a", "b", "c"]), min_size=n, max_size=n))),
        "training_hours": floats(0, 400),
        "training_claims_this_year": ints(0, 5),
        "training_same_occupation_level_claimed": bools(),
        "training_shortage_occupation": bools(),
        "hourly_wage_fen": ints(0, 100_000),
        "overtime_hours_extended": floats(0, 80),
        "overtime_hours_rest_day": floats(0, 40),
        "overtime_hours_public_holiday": floats(0, 40),
        "de_facto_labour_relation": bools(),
        "employer_terminated": bools(),
        "months_of_service": ints(0, 480),
        "monthly_wage_fen": ints(0, 5_000_000),
        "wage_above_three_times_local_average": bools(),
    }
    known = {name: bools() for name in inputs}
    sim = _simulation(tbs, n, period, inputs, known)
    calc = lambda name: sim.calculate(name, period)  # noqa: E731
    for name, variable in tbs.variables.items():
        if variable.entity.key == "person" and name.endswith("_fen") and not variable.is_input_variable():
            assert (calc(name) >= 0).all(), name
    paid = np.where(known["si_contributions_paid_fen"], inputs["si_contributions_paid_fen"], 0)
    assert (calc("flexible_employment_si_subsidy_cap_fen") * 3 <= paid * 2).all()
    # 3 years, or until retirement when that is less than 5 years away (so at most 59 months)
    assert (calc("flexible_employment_si_subsidy_max_months") <= 59).all()
    assert (calc("public_welfare_post_max_months") <= 59).all()
    assert (calc("startup_loan_max_amount_fen") <= 22_000_000).all()
    assert (calc("vocational_training_subsidy_amount_fen") <= 180_000).all()
    assert (calc("severance_compensation_months") <= 40.5).all()
    for policy in COMPUTED_POLICIES:
        if tbs.variables[f"{policy}_eligible"].entity.key != "person":
            continue
        eligible, eligible_known = calc(f"{policy}_eligible"), calc(f"{policy}_eligible_known")
        assert not (eligible & ~eligible_known).any(), policy  # eligible implies known
        needs, missing = calc(f"{policy}_needs_information"), calc(f"{policy}_missing_information")
        assert all((m != "") == bool(flag) for m, flag in zip(missing, needs)), policy


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["large", "medium", "small", "micro", "social_organisation"]),
            st.integers(0, 50),
            st.integers(1, 500),
            st.integers(0, 100_000_000),
        ),
        min_size=1,
        max_size=10,
    ),
    st.sampled_from(["2021-06", "2022-06", "2023-06"]),
)
def test_job_retention_refund_never_exceeds_contributions(rows, period):
    tbs = build_system()
    situation = {"persons": {}, "enterprises": {}}
    for i, (category, layoffs, headcount, paid) in enumerate(rows):
        situation["persons"][f"p{i}"] = {}
        firm = {
            "representatives": [f"p{i}"],
            "enterprise_category": category,
            "enterprise_ui_paid_years": 2.0,
            "ui_arrears": False,
            "on_dishonesty_list": False,
            "zombie_enterprise": False,
            "environmental_compliant": True,
            "layoff_count": layoffs,
            "insured_headcount": headcount,
            "ui_contributions_last_year_fen": paid,
        }
        firm.update({f"{k}_known": True for k in list(firm) if k != "representatives"})
        situation["enterprises"][f"e{i}"] = {k: (v if k == "representatives" else {period: v}) for k, v in firm.items()}
    sim = SimulationBuilder().build_from_entities(tbs, situation)
    refund = sim.calculate("job_retention_refund_amount_fen", period)
    paid = np.array([r[3] for r in rows])
    assert (refund >= 0).all() and (refund <= paid).all()
    eligible = sim.calculate("job_retention_refund_eligible", period)
    rate = np.array([r[1] / r[2] for r in rows])
    cap = np.where(np.array([r[2] for r in rows]) <= 30, 0.2, 0.06 if period.startswith("2021") else 0.055)
    if period.startswith("2023"):
        assert not eligible.any()
    else:
        assert (eligible == (rate <= cap + 1e-9)).all()


# The bit-mask text of missing inputs must equal the plain per-name concatenation it replaced.
from hypothesis import given, settings, strategies as st  # noqa: E402


def _plain_missing_text(tri):
    out = np.full(tri.size, "", dtype=object)
    for name in sorted(tri.missing):
        mask = tri.missing[name]
        out[mask] = np.where(out[mask] == "", name, out[mask] + "," + name)
    return out


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30).flatmap(lambda n: st.tuples(
    st.just(n),
    st.dictionaries(st.sampled_from(["b_name", "a_name", "parameters/x/y", "c", "zz"]),
                    st.lists(st.booleans(), min_size=n, max_size=n), max_size=5),
    st.lists(st.booleans(), min_size=n, max_size=n))))
def test_missing_text_equals_the_plain_concatenation(case):
    from jiuye.rules.core import Tri

    n, missing, known = case
    tri = Tri(np.zeros(n, bool), np.array(known), {k: np.array(v) for k, v in missing.items()})
    assert list(tri.missing_text()) == list(_plain_missing_text(tri))
