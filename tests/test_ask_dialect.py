"""Ask (issue 19, item 2): dialect and colloquial verbs reach the documents' terms through
data/ask/synonyms.yaml — 被撵了/厂子开了 = 非因本人意愿中断就业, 咋整 = 怎么办, 干零活/打短工 = 零工/灵活就业."""
from __future__ import annotations

import datetime as dt

import pytest

from jiuye.ask.engine import get_engine

DAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def engine(kb):
    return get_engine(kb)


@pytest.mark.parametrize("q, terms", [
    ("俺让厂子给开了", ["失业", "非因本人意愿"]),
    ("上个月被老板撵走了", ["失业", "中断就业", "非因本人意愿"]),
    ("被炒鱿鱼了", ["失业", "非因本人意愿"]),
    ("这事咋整", ["怎么办理"]),
    ("平时干零活", ["零工", "灵活就业"]),
    ("冬天打短工", ["零工", "灵活就业"]),
    ("老板欠薪不给咋办", ["拖欠工资"]),  # a bare 欠薪 was refused for a low score
    ("失地农民算不算困难人员", ["失地农牧民"]),
    ("培训卷在哪用", ["职业培训券"]),
])
def test_dialect_words_are_expanded_to_document_terms(engine, q, terms):
    expanded = engine.tp.prepare(q).expanded
    assert all(t in expanded for t in terms), expanded


def test_opening_ones_own_shop_is_not_read_as_being_laid_off(engine):
    # 「开了」 alone is not a synonym: only 被/给/让…开了
    assert "非因本人意愿" not in engine.tp.prepare("我的店开了半年了").expanded


@pytest.mark.parametrize("q, policies", [
    ("俺让厂子给开了咋整", {"unemployment_insurance_benefit", "unemployment_registration"}),
    ("被单位撵走了失业金咋领", {"unemployment_insurance_benefit"}),
    ("干零活的能办就业登记不", {"employment_registration_flexible"}),
    ("打短工的有社保补贴吗", {"flexible_employment_si_subsidy"}),
])
def test_dialect_questions_reach_the_right_policy(engine, kb, q, policies):
    res = engine.ask(q, as_of=DAY)
    assert res["found"], res["message"]
    top = kb.entries_by_id[res["answers"][0]["id"]]
    assert set(top.policies) & policies, (top.id, top.policies)


def test_a_dialect_verb_beats_the_employer_registration_it_used_to_reach(engine, kb):
    # issue 19: 「俺被厂子开了咋整」 was answered with 用人单位新招用人员就业登记
    res = engine.ask("俺被厂子开了咋整", as_of=DAY)
    top = kb.entries_by_id[res["answers"][0]["id"]]
    assert "employment_registration_employer" not in top.policies


def test_an_english_word_in_a_chinese_question_asks_for_the_amount(engine, kb):
    # issue 19: 「失业金 how much」 was answered with 停发情形
    res = engine.ask("失业金 how much", as_of=DAY)
    assert res["found"] and "标准" in kb.entries_by_id[res["answers"][0]["id"]].question + res["answers"][0]["section"]


@pytest.mark.parametrize("q", ["干了半年了", "没签合同怎么证明我干过", "咋证明在这干过",
                               "买拖拉机有农机购置补贴吗",  # 机购 sounds like 机构, but 农机 and 购置 are words as written
                               "证办下来得几天能拿到"])  # 来得几 sounds like 来得及: the word that asks is never a slip
def test_a_particle_in_common_does_not_make_a_homophone(engine, q):
    # 撵/咋整 are synonym keys now; 半年了 must not become 半撵了, 咋证明 not 咋整明
    assert engine.tp.prepare(q).corrections == ()


@pytest.mark.parametrize("q, slip, term", [
    ("实业保险金能领多长时间", "实业保险金", "失业保险金"),  # 实业 is a real word, but no phrase sounds like a long term
    ("创业担宝贷款能贷多少", "创业担宝贷款", "创业担保贷款"),
])
def test_a_long_term_with_one_slipped_character_is_corrected(engine, q, slip, term):
    assert (slip, term) in engine.tp.prepare(q).corrections
    res = engine.ask(q)
    assert res["found"] and res["corrections"][0] == {"as_typed": slip, "term": term}


@pytest.mark.parametrize("q", ["乌兰浩特失业金怎么领", "突泉县失业保险金咋领"])
def test_a_slip_is_not_read_into_the_word_that_follows(engine, q):
    """乌兰浩特失 sounds like 乌兰浩特市, but its 失 is the first character of 失业金: a district name is not made
    of the next word (乌兰浩特市业金)."""
    prep = engine.tp.prepare(q)
    assert prep.corrections == () and prep.text == q
    assert engine.ask(q)["found"]


@pytest.mark.parametrize("q", ["事业单位人员失业了能领失业金吗", "实业公司招人有补贴吗"])
def test_a_real_word_beside_a_short_term_is_kept(engine, q):
    assert not any(a in ("事业", "实业") for a, _ in engine.tp.prepare(q).corrections)


@pytest.mark.parametrize("q, entry", [("IYB", "003-cypx-03"), ("SYB", "003-cypx-02"), ("iyb是啥", "003-cypx-03"),
                                      ("ＳＹＢ培训在哪报名", "003-cypx-05")])  # 创业培训 › 报名方式
def test_latin_letters_in_the_documents_meet_the_same_letters_asked(engine, q, entry):
    """The passages are folded like the questions (lower case, half width) before indexing: a heading's 「IYB」 is
    found when 「iyb」 or 「ＩＹＢ」 is asked, and a bare acronym is not refused for a low word score."""
    res = engine.ask(q)
    assert res["found"], res.get("message")
    assert entry in [a["id"] for a in res["answers"]]
