"""The source audit finds the known problems of the documents, each with quotes from them."""
from __future__ import annotations

import datetime as dt

import pytest

from jiuye.knowledge.audit import audit

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def findings(kb):
    return audit(kb, TODAY)


def _text(f) -> str:
    return f.title + f.explanation + "".join(q.quote for q in f.quotes)


def test_every_finding_quotes_the_documents_verbatim(kb, findings):
    assert findings
    for f in findings:
        assert f.quotes, f.id
        for q in f.quotes:
            assert kb.quote_in_source(q.document, q.quote), f"{f.id}: «{q.quote}» not in {q.document}"


def test_training_voucher_describes_another_citys_system(findings):
    hits = [f for f in findings if "training_voucher" in f.policies and "上海" in _text(f)]
    assert hits, "the 职业培训券 section (上海人社 APP) must be reported"


def test_five_levels_listing_six(findings):
    hits = [f for f in findings if "incubation_base" in f.policies and "五个等级" in _text(f)]
    assert hits
    assert any(f.computed and f.id.endswith(":000") for f in findings if f.id.startswith("count-mismatch"))


def test_gig_market_table_names_a_banner_outside_the_league(findings):
    assert any(f.kind == "error" and "科右后旗" in f.title for f in findings)


def test_number_printed_under_two_districts(findings):
    shared = {f.id for f in findings if f.id.startswith("phone-shared:")}
    assert "phone-shared:0482-2773006" in shared  # 阿尔山市 elsewhere, 科右前旗 in the 零工市场 table
    assert "phone-shared:0482-8398586" in shared  # 科右前旗 elsewhere, 科右中旗 in the 零工市场 table


def test_phone_conflicts_between_documents(findings):
    conflicts = {f.id: f for f in findings if f.id.startswith("phone-conflict:")}
    # 000 prints 0482-8237779 for the league centre's 失业保险 line, 003 prints 0482-8237729
    f = conflicts["phone-conflict:兴安盟:失业保险"]
    assert "0482-8237779" in f.title and "0482-8237729" in f.title
    assert {q.document for q in f.quotes} == {"000", "003"}


def test_windows_closed_before_the_date_are_reported_and_open_ones_are_not(kb):
    closed_now = {f.policies[0] for f in audit(kb, TODAY) if f.kind == "window_closed"}
    assert {"unemployment_assistance", "temporary_living_allowance", "job_expansion_subsidy"} <= closed_now
    closed_2021 = {f.policies[0] for f in audit(kb, dt.date(2021, 6, 1)) if f.kind == "window_closed"}
    assert "unemployment_assistance" not in closed_2021
    assert not ({"unemployment_insurance_benefit", "employment_card"} & closed_now), "no window stated: not closed"


def test_findings_show_in_the_catalogue_as_warnings(kb):
    from jiuye.knowledge.catalogue import policy_detail

    d = policy_detail(kb, kb.policies["training_voucher"], TODAY)
    assert any("上海" in w["title"] + w["explanation"] for w in d["warnings"])
