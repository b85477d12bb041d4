"""Ask: the right passage for colloquial questions, honest refusals, stale windows, contacts."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jiuye.ask.engine import get_engine
from jiuye.cli import app
from jiuye.web.app import create_app

DAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def engine(kb):
    return get_engine(kb)


def ids(res):
    return [a["id"] for a in res["answers"]]


def test_colloquial_question_finds_the_months_table(engine):
    res = engine.ask("失业金能领几个月", as_of=DAY)
    assert res["found"] and ids(res)[0] == "000-3-1-3"
    a = res["answers"][0]
    assert a["document"] == "000_f9cc2ab8b6bd2920.txt" and a["date"] == "2021" and "›" in a["section"]
    assert "24个月" in a["figures"] and "领取2个月的失业保险金" in a["text"]


@pytest.mark.parametrize("q", ["个税怎么算", "北京落户需要什么条件", "今天天气怎么样", "公积金怎么提取"])
def test_out_of_scope_is_refused_with_hotlines(engine, q):
    res = engine.ask(q, as_of=DAY)
    assert res["found"] is False and res["answers"] == []
    assert "资料中没有找到" in res["message"]
    assert {h["phone"] for h in res["hotlines"]} >= {"12333", "0482-8231990"}


def test_stale_window_is_flagged_as_of_the_date(engine):
    q = "领完失业保险金还没找到工作能领失业补助金吗"
    now = engine.ask(q, as_of=DAY)
    hit = [a for a in now["answers"] if "unemployment_assistance" in a["policies"]]
    assert hit and all(a["stale"] for a in hit)
    assert "2022-12-31" in hit[0]["stale_reason"] or "2021-12-31" in hit[0]["stale_reason"]
    then = engine.ask(q, as_of=dt.date(2021, 6, 1))
    assert not any(a["stale"] for a in then["answers"] if "unemployment_assistance" in a["policies"])


def test_district_contact_for_the_askers_district(engine):
    res = engine.ask("失业保险金怎么申领", district="扎赉特旗", as_of=DAY)
    assert res["found"]
    assert res["contacts"] and all(c["district"] == "扎赉特旗" for c in res["contacts"])
    assert "0482-6718039" in {c["phone"] for c in res["contacts"]}
    # a district named in the question itself is picked up too
    res2 = engine.ask("我在突泉县，失业保险金怎么申领", as_of=DAY)
    assert {c["district"] for c in res2["contacts"]} == {"突泉县"}


@pytest.mark.parametrize("q", ["", "   ", "😀😀😀", "x" * 2000, "失业金" * 700, "How do I apply?",
                               "失業保險金怎麼領", "SYB培训在哪报名", "shiye金 能领多久", None])
def test_bad_input_never_raises(engine, q):
    res = engine.ask(q, as_of=DAY)
    assert isinstance(res["found"], bool)
    assert res["found"] or res.get("message")


def test_traditional_characters_are_converted(engine):
    trad = engine.ask("失業保險金能領幾個月", as_of=DAY)
    simp = engine.ask("失业保险金能领几个月", as_of=DAY)
    assert ids(trad) == ids(simp) and trad["found"]


def test_long_question_is_truncated_with_a_note(engine):
    res = engine.ask("我想问一下失业保险金能领几个月" + "啊" * 2000, as_of=DAY)
    assert any("只按前" in n for n in res["notes"])


def test_cli_and_api_agree():
    q = "大学生自己开店政府给钱吗"
    cli = CliRunner().invoke(app, ["ask", q, "--top", "3", "--district", "科右中旗", "--as-of", "2026-11-23", "--json"])
    assert cli.exit_code == 0, cli.output
    api = TestClient(create_app()).get("/api/ask", params={"q": q, "top": 3, "district": "科右中旗", "as_of": "2026-11-23"})
    assert api.status_code == 200
    a, b = json.loads(cli.stdout), api.json()
    assert a["found"] == b["found"] and ids(a) == ids(b)
    assert [c["phone"] for c in a["contacts"]] == [c["phone"] for c in b["contacts"]]


@pytest.mark.parametrize("typed, meant", [
    ("时业金领几个月", "失业金"),            # a wrong character that sounds the same
    ("shiye金能领几个月", "失业金"),          # part typed in pinyin letters
    ("创业担宝贷款怎么办", "创业担保贷款"),
    ("一次姓创业补贴", "一次性创业补贴"),
])
def test_homophones_of_domain_terms_are_corrected(engine, typed, meant):
    prep = engine.tp.prepare(typed)
    assert meant in prep.text and prep.corrections and prep.corrections[0][1] == meant
    assert engine.ask(typed, as_of=DAY)["corrections"][0]["term"] == meant


@pytest.mark.parametrize("q", ["事业单位招聘考试", "失业金能领几个月", "我想问问稳岗返还"])
def test_real_words_and_correct_terms_are_left_alone(engine, q):
    prep = engine.tp.prepare(q)
    assert prep.corrections == () and prep.text == q


def test_a_misspelt_question_reaches_the_same_passage(engine):
    right = ids(engine.ask("失业金能领几个月", as_of=DAY))
    typo = ids(engine.ask("时业金能领几个月", as_of=DAY))
    assert right and typo[0] == right[0]


def test_a_phone_number_finds_the_entries_that_print_it(engine, kb):
    number = "0482-8222732"
    res = engine.ask(f"{number}是哪的电话", as_of=DAY)
    assert res["found"]
    printing = {e.id for e in kb.entries if "8222732" in e.answer or "8222732" in e.question}
    assert printing and ids(res)[0] in printing
    # a number the documents do not print is not taken for one they do
    other = engine.ask("0482-1234567是哪的电话", as_of=DAY)
    assert not other["found"] or ids(other)[0] not in printing or "1234567" in other["answers"][0]["text"]
