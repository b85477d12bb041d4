"""Ask after the third blind set (branch h-askfold): a policy's 政策内容 section is its overview, general
northeast dialect words reach the documents' terms, more out-of-scope categories are refused, and the
cross-validation's refusal thresholds survive a set whose non-Chinese questions are refused by design.
Every question here is written for the test, not taken from an evaluation set."""
from __future__ import annotations

import datetime as dt

import pytest

from jiuye.ask.engine import get_engine
from jiuye.ask.evaluate import Case, calibrate

DAY = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def engine(kb):
    return get_engine(kb)


def ids(res):
    return [a["id"] for a in res["answers"]]


# --- (b) a policy's 政策内容 section is what it is --------------------------------------------------
def test_policy_content_sections_answer_what_it_is(engine):
    aspect = {e.id: engine.sisters.aspect_of[i] for i, e in enumerate(engine.entries)}
    content = [e.id for e in engine.entries if e.section.split(" › ")[-1].endswith("政策内容")]
    assert content and all(aspect[i] == "定义" for i in content)


def test_a_bare_policy_name_reaches_its_policy_content(engine):
    res = engine.ask("一次性扩岗补助", as_of=DAY)
    assert res["found"] and ids(res)[0] == "003-sybx-11"  # 政策内容, not 申领条件


# --- (c) northeast dialect as general vocabulary ----------------------------------------------------
@pytest.mark.parametrize("q, terms", [
    ("这个证搁哪办", ["在哪", "办理"]),
    ("上哪儿报名", ["去哪", "办理"]),
    ("那个中心是嘎哈的", ["干什么"]),
    ("俺想瞅瞅有啥岗位", ["查询"]),
    ("下个月再去还赶趟不", ["来得及"]),
    ("补贴能整着不", ["领取"]),
    ("俺寻思出去干点活", ["想"]),
    ("一个月给几个钱", ["标准"]),
])
def test_northeast_dialect_is_expanded_to_plain_words(engine, q, terms):
    expanded = engine.tp.prepare(q).expanded
    assert all(t in expanded for t in terms), expanded


@pytest.mark.parametrize("q, aspect", [
    ("培训搁哪报名", "办理"),
    ("公益岗一个月能给几个钱", "标准"),
    ("岁数大的能多给点不", "标准"),
])
def test_dialect_asks_an_aspect(engine, q, aspect):
    asked = engine.query_aspects(engine.tp.prepare(q).text)
    assert asked[engine.aspect_names.index(aspect)] == 1.0


def test_a_dialect_question_word_marks_the_asking_clause(engine):
    assert engine.needs.need_clause("俺在厂里干了五年 去年厂子黄了 这个认定是嘎哈的") == "这个认定是嘎哈的"


@pytest.mark.parametrize("q, policy", [
    ("俺想领就业创业证 上哪整去", "employment_card"),
    ("失业了 失业金搁哪儿申请", "unemployment_insurance_benefit"),
])
def test_dialect_questions_reach_the_policy(engine, kb, q, policy):
    res = engine.ask(q, as_of=DAY)
    assert res["found"] and policy in kb.entries_by_id[ids(res)[0]].policies


# --- (d) out-of-scope categories ------------------------------------------------------------------
@pytest.mark.parametrize("q, topic", [
    ("单位没招残疾人 要交残保金吗", "disability_levy"),
    ("想开个职业中介 人力资源服务许可在哪申请", "hr_service_licence"),
    ("劳务派遣经营许可咋申请", "hr_service_licence"),
    ("三方协议签了能违约吗", "graduate_paperwork"),
    ("派遣证丢了咋办", "graduate_paperwork"),
    ("转业干部安置政策是啥", "veterans_military"),
    ("复员军人安置有啥规定", "veterans_military"),
    ("生源地助学贷款还款能展期吗", "education"),
])
def test_more_out_of_scope_categories_are_refused(engine, q, topic):
    res = engine.ask(q, as_of=DAY)
    assert not res["found"] and res["reason"] == "out_of_scope_topic", ids(res)
    assert res["topic"] == engine.scope.topics[topic].label


@pytest.mark.parametrize("q", [
    "家里是低保户 上学贷了助学贷款 毕业了找工作有补贴不",  # 求职创业补贴 names 助学贷款 as a condition
    "退役军人想自己开个店 能办创业担保贷款不",
    "户口在外地 在乌兰浩特打工 能去学个技术吗",  # 户口 (topic word) against 打工 (evidence)
    "几家一起办了个养羊合作社 返乡创业有啥扶持",
])
def test_in_scope_neighbours_are_still_answered(engine, q):
    res = engine.ask(q, as_of=DAY)
    assert res["found"], res.get("message")


# --- cross-validation on a set with non-Chinese in-scope questions ----------------------------------
def test_thresholds_are_chosen_when_in_scope_questions_are_refused_by_design(engine):
    # two of three in-scope questions are in English: refused whatever the thresholds (only Chinese is
    # understood), which alone is over the 0.5 % budget; the thresholds must still be chosen
    cases = [Case("How long can I get unemployment benefit", ["000-3-1-3"], "test"),
             Case("What is a public welfare post", ["000-2-0-1"], "test"),
             Case("失业金能领几个月", ["000-3-1-3"], "test"),
             Case("今天刮不刮风", [], "test")]
    got = calibrate(engine, cases)
    assert got["in_scope_refused"] == pytest.approx(2 / 3)  # the two by design, none by the thresholds
    assert engine.ask("失业金能领几个月", as_of=DAY)["found"]


# --- the longest aspect cue wins ----------------------------------------------------------------------
@pytest.mark.parametrize("q, asked, not_asked", [
    ("养老保险要交够几年才行", "条件", "期限"),  # how long one must have paid in: a condition
    ("社保补贴要交多久才给", "条件", "期限"),
    ("社保补贴能补多久", "期限", "条件"),  # how long a benefit lasts: still 期限
])
def test_a_cue_inside_a_longer_cue_does_not_count(engine, q, asked, not_asked):
    got = dict(zip(engine.aspect_names, engine.query_aspects(engine.tp.prepare(q).text)))
    assert got[asked] == 1.0 and got[not_asked] == 0.0


def test_contribution_years_reach_the_condition_not_the_duration(engine):
    res = engine.ask("失业保险金要交多久才能领", as_of=DAY)
    assert res["found"] and ids(res)[0] in ("000-3-1-1", "003-sybx-14")
