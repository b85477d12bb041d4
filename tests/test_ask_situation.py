"""Ask, stories (branch h-askstory): a story's asking clause names the aspect on purpose.

「我在宾馆当了七年服务员 宾馆黄了我被辞了 每个月能给多少钱」: the aspect (标准) is read from the asking clause only
(story.py); its bonus is `aspect_weight` + `story_aspect_weight`, the second chosen by calibration on the folds
(0 = as before), so a story's named aspect can weigh more than a one-clause question's.

The questions here were written for these tests (not taken from data/eval)."""
from __future__ import annotations

import copy

import numpy as np
import pytest

from jiuye.ask.engine import get_engine

STORY = "我在宾馆当了七年服务员 宾馆黄了我被辞了 每个月能给多少钱"


@pytest.fixture()
def engine(kb):
    e = get_engine(kb)
    saved = copy.deepcopy(e.calibration)
    yield e
    e.calibration = saved


def _total(engine, q, sa):
    engine.calibration.story_aspect_weight = sa
    return engine.fused(engine.tp.prepare(q))[0]


def test_a_storys_named_aspect_weighs_story_aspect_weight_more(engine):
    need = engine.need(engine.tp.prepare(STORY))
    assert need is not None and "多少" in need.text
    bonus = engine.aspect_bonus(need.text)
    standard = engine.aspect_names.index("标准")
    assert bonus.any() and all(engine.entry_aspects[i, standard] for i in np.nonzero(bonus)[0])
    diff = _total(engine, STORY, 2.0) - _total(engine, STORY, 0.0)
    assert np.allclose(diff, 2.0 * bonus)  # the 标准 entries rise by the weight, no other entry moves


def test_a_one_clause_question_is_not_a_story_and_does_not_move(engine):
    q = "失业保险金每个月发多少钱"
    assert engine.need(engine.tp.prepare(q)) is None
    assert np.array_equal(_total(engine, q, 2.0), _total(engine, q, 0.0))


def test_the_story_aspect_weight_is_chosen_by_calibration(engine):
    from jiuye.ask.evaluate import STORY_ASPECT_WEIGHTS, write_calibration  # noqa: F401

    assert 0.0 in STORY_ASPECT_WEIGHTS and engine.calibration.story_aspect_weight in STORY_ASPECT_WEIGHTS
