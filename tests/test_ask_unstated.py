"""Ask: a detail the documents leave out (data/ask/unstated.yaml) — how long a review or a payment takes — is
said to be missing for the policy asked about, with that policy's phones and a link to what the documents say;
a policy whose passages state a time (就业登记 30 日内) is answered as before.

The questions here were written for these tests (not taken from data/eval)."""
from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from jiuye.ask.engine import get_engine
from jiuye.ask.unstated import UnstatedDetails
from jiuye.knowledge.loader import DataError

DAY = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def engine(kb):
    return get_engine(kb)


@pytest.mark.parametrize("q, policy", [
    ("失业金申请完多久能到账", "unemployment_insurance_benefit"),
    ("一次性创业补贴交上材料几天能批下来", "startup_subsidy"),
    ("稳岗返还申请完了多长时间打到公司账上", "job_retention_refund"),
    ("公益岗工资每月几号发", "public_welfare_post"),
])
def test_a_processing_time_the_documents_do_not_state_is_said_to_be_missing(engine, kb, q, policy):
    res = engine.ask(q, as_of=DAY)
    assert res["found"] is False and res["answers"] == [] and res["reason"] == "detail_not_stated"
    assert res["detail"] == "办理、审批或到账要多长时间" and "资料中没有写明" in res["message"]
    assert kb.policies[policy].name.split(" (")[0] in res["message"]
    related = kb.entries_by_id[res["related"][0]["id"]]
    assert policy in related.policies  # what the documents do say about it, one tap away
    assert res["contacts"] and all(c["phone"] for c in res["contacts"])  # the policy's own phones
    # and no passage of the policy states a time the rule would have read as one
    texts = "\n".join(e.answer for e in kb.entries if policy in e.policies)
    assert not any(p.search(texts) for p in engine.unstated.details[0].stated)


@pytest.mark.parametrize("q, entry", [
    ("公司新招的人 就业登记得多少天内办", "000-1-2-1"),  # the documents give 30 日内: answered
    ("失业金能领多久", "000-3-1-3"),  # how long the benefit lasts, not how long a payment takes
    ("创业担保贷款期限几年", None),
])
def test_a_time_the_documents_state_or_a_duration_asked_is_answered(engine, q, entry):
    res = engine.ask(q, as_of=DAY)
    assert res["found"], res.get("message")
    if entry:
        assert res["answers"][0]["id"] == entry


def test_the_api_and_the_page_show_the_missing_detail_with_phones_and_the_link(kb):
    from jiuye.web.app import create_app

    with TestClient(create_app()) as c:
        r = c.get("/api/ask", params={"q": "失业金申请完多久能到账"})
        assert r.status_code == 200
        body = r.json()
        assert body["reason"] == "detail_not_stated" and body["related"] and body["contacts"]
        page = c.get("/ask", params={"q": "失业金申请完多久能到账"})
        assert page.status_code == 200
        assert "资料中没有写明" in page.text and f"/ask?entry={body['related'][0]['id']}" in page.text
        assert body["contacts"][0]["phone"] in page.text


def test_bad_unstated_data_is_refused_naming_the_file(tmp_path, kb):
    bad = tmp_path / "unstated.yaml"
    bad.write_text("details:\n  - id: x\n    label: y\n    asks: ['((']\n    stated: ['a']\n", encoding="utf-8")
    with pytest.raises(DataError, match="unstated.yaml"):
        UnstatedDetails(bad, kb.entries)
    bad.write_text("details:\n  - id: x\n    label: y\n", encoding="utf-8")
    with pytest.raises(DataError, match="asks"):
        UnstatedDetails(bad, kb.entries)


def test_the_command_line_prints_the_missing_detail_with_phones_and_where_the_passages_are():
    from typer.testing import CliRunner

    from jiuye.cli import app

    r = CliRunner().invoke(app, ["ask", "失业金申请完多久能到账", "--as-of", "2026-12-06"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "资料中没有写明" in r.output and "咨询电话" in r.output and "0482-" in r.output
    assert "资料中关于这项政策的原文" in r.output and "《百问百答》" in r.output
    assert "000-3-1" not in r.output  # passages by their heading and section, not their ids


@pytest.mark.parametrize("q", ["打工直通车总站电话多少", "兴安打工直通车盟本级总站怎么联系"])
def test_a_phone_asked_for_a_named_office_lists_that_offices_number(engine, q):
    """000 prints the 打工直通车 总站's mobile number in a phone table (data/contacts.yaml), not in any passage: asked for
    by name, it comes first among the phones, once."""
    res = engine.ask(q, as_of=DAY)
    assert res["found"] and res["contacts"][0]["phone"] == "13071023377"
    pairs = [(c["office"], c["phone"]) for c in res["contacts"]]
    assert len(pairs) == len(set(pairs))


def test_no_office_phone_is_added_when_no_phone_is_asked(engine):
    assert engine._named_offices(engine.tp.prepare("打工直通车总站在哪").text) == []  # no phone asked
    assert engine._named_offices(engine.tp.prepare("失业金打哪个电话").text) == []  # a phone, but no office named
    assert "13071023377" not in [c["phone"] for c in engine.ask("失业金能领几个月", as_of=DAY)["contacts"]]
