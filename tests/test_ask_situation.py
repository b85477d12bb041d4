"""Ask, stories (branch h-askstory): the situation decides the policy, the asking clause the aspect.

「我在宾馆当了七年服务员 宾馆黄了我被辞了 每个月能给多少钱」: the asking clause names the aspect (标准) but not the
policy; the situation (黄了, 辞了 → 失业) names the policy. `situation_pick` ranks the situation's clauses alone among
the entries of the asked aspect and the engine raises that entry by `situation_weight`; a story's own aspect bonus
is `story_aspect_weight` on top of `aspect_weight`. Both weights are chosen by calibration (0 = off).

The questions here were written for these tests (not taken from data/eval)."""
from __future__ import annotations

import copy

import numpy as np
import pytest

from jiuye.ask.engine import get_engine
from jiuye.ask.story import NeedFinder

LAID_OFF_HOW_MUCH = "我在宾馆当了七年服务员 宾馆黄了我被辞了 每个月能给多少钱"
STANDARD = "000-3-1-4"  # 失业保险金发放标准


@pytest.fixture()
def engine(kb):
    e = get_engine(kb)
    saved = copy.deepcopy(e.calibration)
    yield e
    e.calibration = saved


def _pick(engine, q):
    prep = engine.tp.prepare(q)
    need, sit = engine.need(prep), engine.situation(prep)
    _, lex, _, m = engine.components(sit)
    i = engine.situation_pick(lex, m, need.text, engine.calibration.classifier_weight)
    return None if i is None else engine.entries[i].id


def test_a_story_splits_into_situation_and_need():
    finder = NeedFinder(["多少", "啥"], min_chars=4)
    assert finder.split("在厂里干了十年 厂子倒闭了 每个月能领多少钱") == ("在厂里干了十年 厂子倒闭了", "每个月能领多少钱")
    assert finder.split("失业金能领多少") is None  # one clause: no story
    assert finder.need_clause("在厂里干了十年 厂子倒闭了 每个月能领多少钱") == "每个月能领多少钱"


def test_the_situation_points_to_the_policy_among_the_asked_aspects_entries(engine):
    # the situation alone, among the 标准 entries: 失业保险金's standard, not a subsidy's or a loan's amount
    assert _pick(engine, LAID_OFF_HOW_MUCH) == STANDARD


def test_no_pick_when_the_asking_clause_names_no_aspect(engine):
    assert _pick(engine, "我在宾馆当了七年服务员 宾馆黄了我被辞了 以后咋过日子啊") is None


def test_no_pick_when_the_situation_does_not_decide(engine):
    # two entries about as close to the situation: the margin is not met and nothing is raised
    x = np.zeros(len(engine.entries))
    assert engine.situation_pick(x, x, "每个月能给多少钱", 1.0) is None


def test_the_situation_weight_raises_the_situations_entry(engine):
    engine.calibration.situation_weight = 0.0
    off = [s.entry.id for s in engine.rank(LAID_OFF_HOW_MUCH).ranked]
    engine.calibration.situation_weight = 3.0
    on = [s.entry.id for s in engine.rank(LAID_OFF_HOW_MUCH).ranked]
    assert STANDARD not in off[:1] and STANDARD in on[:2], (off, on)
    # a question of one clause is not a story: the weight changes nothing
    q = "失业保险金每个月发多少钱"
    engine.calibration.situation_weight = 0.0
    one = [s.entry.id for s in engine.rank(q).ranked]
    engine.calibration.situation_weight = 3.0
    assert [s.entry.id for s in engine.rank(q).ranked] == one


def test_the_story_weights_are_chosen_by_calibration(engine):
    from jiuye.ask.evaluate import SITUATION_WEIGHTS, STORY_ASPECT_WEIGHTS

    assert 0.0 in SITUATION_WEIGHTS and engine.calibration.situation_weight in SITUATION_WEIGHTS
    assert 0.0 in STORY_ASPECT_WEIGHTS and engine.calibration.story_aspect_weight in STORY_ASPECT_WEIGHTS
