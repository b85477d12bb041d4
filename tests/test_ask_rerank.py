"""Ask's learnt re-ranker (src/jiuye/ask/rerank.py, data/ask/rerank.yaml): validated on load, only
reorders the fused ranking's first k, never changes whether Ask answers, needs no scikit-learn to answer.

The questions here were written for these tests (not taken from data/eval)."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from jiuye.ask.engine import get_engine
from jiuye.ask.evaluate import Case
from jiuye.ask.rerank import FEATURES, Reranker, candidate_features, fit_reranker, training_rows
from jiuye.knowledge.loader import DataError

QUESTIONS = [
    "失业金一个月给多少钱",
    "我在饭店干了五年 饭店黄了把我辞了 失业金得带啥去领",
    "创业担保贷款能贷多少",
    "公积金怎么提取",  # out of scope
    "俺想学个电焊 政府给补贴不",
    "养老金每月能领多少",  # out of scope
]


@pytest.fixture()
def engine(kb):
    e = get_engine(kb)
    saved = e.reranker, e.rerank_on
    yield e
    e.reranker, e.rerank_on = saved


def _model(k: int = 10, coef=None) -> Reranker:
    n = len(FEATURES)
    return Reranker(k=k, mean=np.zeros(n), scale=np.ones(n), coef=np.array(coef if coef is not None else np.linspace(1, -1, n)),
                    intercept=0.0, trained_on={"questions": 3})


def test_the_live_model_loads_and_names_every_feature(kb):
    e = get_engine(kb)
    assert e.reranker is not None, "data/ask/rerank.yaml is missing: `jiuye eval-ask --fit-rerank --cases …`"
    assert len(e.reranker.coef) == len(FEATURES) and e.reranker.k >= 3
    assert e.reranker.trained_on["questions"] > 0 and e.reranker.trained_on["sets"]


def test_dump_and_load_round_trip(tmp_path):
    m = _model(k=7)
    m.dump(tmp_path / "rerank.yaml")
    back = Reranker.load(tmp_path / "rerank.yaml")
    assert back.k == 7 and np.allclose(back.coef, m.coef) and np.allclose(back.scale, m.scale)


def test_no_file_means_no_reranker(tmp_path):
    assert Reranker.load(tmp_path / "rerank.yaml") is None


@pytest.mark.parametrize("edit, says", [
    (lambda t: t.replace("  gap:", "  gapp:"), "features"),  # a feature renamed: the code would read it wrong
    (lambda t: t.replace("coef: 1.0", "coef: abc", 1), "数字"),
    (lambda t: t.replace("scale: 1.0", "scale: 0.0", 1), "scale 为正数"),
    (lambda t: t.replace("k: 10", "k: 1"), "k 至少为 2"),
])
def test_a_broken_model_file_is_refused_in_chinese(tmp_path, edit, says):
    p = tmp_path / "rerank.yaml"
    _model(coef=np.ones(len(FEATURES))).dump(p)
    p.write_text(edit(p.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        Reranker.load(p)
    assert "rerank.yaml" in str(exc.value) and says in str(exc.value)


def test_order_follows_the_scores_and_keeps_ties_in_fused_order():
    n = len(FEATURES)
    coef = np.zeros(n)
    coef[FEATURES.index("aspect_asked")] = 1.0
    m = _model(coef=coef)
    X = np.zeros((4, n))
    X[2, FEATURES.index("aspect_asked")] = 1.0  # only the third candidate answers the aspect asked
    assert m.order(np.array([10, 11, 12, 13]), X).tolist() == [12, 10, 11, 13]


@pytest.mark.parametrize("q", QUESTIONS)
def test_it_only_reorders_the_first_k_and_never_changes_whether_ask_answers(engine, q):
    engine.rerank_on = False
    before = engine.ask(q, top=10)
    engine.rerank_on = True
    engine.reranker = _model(coef=-np.linspace(1, -1, len(FEATURES)))  # a model that turns the order round
    after = engine.ask(q, top=10)
    assert before["found"] == after["found"]
    assert {a["id"] for a in before["answers"]} == {a["id"] for a in after["answers"]}


def test_features_are_finite_and_a_story_has_its_clause_and_situation(engine):
    prep = engine.tp.prepare(QUESTIONS[1])
    detail: dict = {}
    total = engine.fused(prep, detail)[0]
    order, X = candidate_features(engine, prep, total, detail, 10)
    assert X.shape == (10, len(FEATURES)) and np.isfinite(X).all()
    assert order.tolist() == np.argsort(-total)[:10].tolist()
    col = {f: X[:, i] for i, f in enumerate(FEATURES)}
    assert (col["story"] == 1).all() and col["situation_lexical"].std() > 0 and col["clause_lexical"].std() > 0
    assert col["gap"][0] == 0 and col["is_first"].tolist() == [1] + [0] * 9
    plain = engine.tp.prepare(QUESTIONS[0])
    d2: dict = {}
    _, X2 = candidate_features(engine, plain, engine.fused(plain, d2)[0], d2, 10)
    assert (X2[:, FEATURES.index("story")] == 0).all()


def test_training_rows_label_the_answering_entries(engine):
    ids = [a["id"] for a in engine.ask(QUESTIONS[2], top=3)["answers"]]
    X, y = training_rows(engine, [Case(q=QUESTIONS[2], expected=[ids[1]], kind="")])
    assert X.shape == (10, len(FEATURES)) and y.tolist().count(1.0) == 1 and y[1] == 1.0


def test_nothing_to_learn_gives_no_model(engine):
    assert fit_reranker(engine, [Case(q="公积金怎么提取", expected=[], kind="out_of_scope")]) is None


def test_a_model_learns_to_lift_the_labelled_second_candidate(engine):
    """Learnt on questions whose answer is (by label) the fused ranking's second entry, it puts the second first."""
    qs = QUESTIONS[:3] + [QUESTIONS[4], "就业见习补贴标准", "公益岗能干几年", "灵活就业社保补贴咋申请", "稳岗返还是啥"]
    cases = []
    for q in qs:
        engine.rerank_on = False
        second = engine.ask(q, top=3)["answers"][1]["id"]
        cases.append(Case(q=q, expected=[second], kind=""))
    model = fit_reranker(engine, cases)
    assert model is not None
    assert model.coef[FEATURES.index("is_first")] < 0
    engine.reranker, engine.rerank_on = model, True
    lifted = sum(engine.ask(c.q, top=3)["answers"][0]["id"] == c.expected[0] for c in cases)
    assert lifted >= len(cases) // 2


def test_answering_with_the_reranker_does_not_import_sklearn():
    code = ("import sys; from jiuye.knowledge.loader import load_knowledge; from jiuye.ask.engine import get_engine; "
            "e = get_engine(load_knowledge()); assert e.reranker is not None; e.ask('失业金能领几个月'); "
            "print('sklearn' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-500:]
    assert r.stdout.strip() == "False"


def test_a_stale_model_file_leaves_ask_answering_on_the_fused_ranking(kb, tmp_path, monkeypatch, caplog):
    """A model learnt for other features (the code changed, the file did not): Ask still answers, in the fused
    order, says why in the log and on `jiuye eval-ask`; the live file is checked by the first test above."""
    import shutil

    from jiuye.ask.engine import AskEngine

    root = tmp_path / "data"
    shutil.copytree(kb.root / "ask", root / "ask")
    for p in kb.root.iterdir():
        if p.name != "ask":
            (root / p.name).symlink_to(p)
    stale = root / "ask" / "rerank.yaml"
    stale.write_text(stale.read_text(encoding="utf-8").replace("  gap:", "  old_feature:"), encoding="utf-8")
    monkeypatch.setattr(kb, "root", root)
    with caplog.at_level("WARNING"):
        e = AskEngine(kb)
    assert e.reranker is None and "features" in e.rerank_problem and "重排模型未启用" in caplog.text
    live = get_engine_fused_ids(e, "失业金一个月给多少钱")
    assert [a["id"] for a in e.ask("失业金一个月给多少钱")["answers"]] == live


def get_engine_fused_ids(e, q):
    total = e.fused(e.tp.prepare(q))[0]
    return [e.entries[i].id for i in np.argsort(-total)[:3]]


def test_cross_validation_learns_the_reranker_without_the_fold_it_answers(engine, tmp_path, monkeypatch):
    """`jiuye eval-ask --cv`: per fold the re-ranker is learnt on the other folds and the other sets, never on
    the questions it then answers; the live model is put back."""
    import json

    from typer.testing import CliRunner

    import jiuye.ask.evaluate as ev
    from jiuye.cli import app

    seen = []
    real = ev.fit_reranker

    def spy(engine, cases, sources=None):
        seen.append({c.q for c in cases})
        return real(engine, cases, sources)

    monkeypatch.setattr(ev, "fit_reranker", spy)
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    qa = ["失业金能领几个月", "创业担保贷款能贷多少", "公益岗能干几年", "见习补贴多少钱", "稳岗返还怎么申请"]
    qb = ["就业创业证丢了咋补办", "失业登记带啥材料", "社保补贴能领几年", "一次性创业补贴多少钱", "培训补贴咋申请"]
    for path, qs in ((a, qa), (b, qb)):
        exp = {q: [engine.ask(q)["answers"][0]["id"]] for q in qs}
        path.write_text("\n".join(f"- q: {q}\n  expected: {exp[q]}\n  kind: test" for q in qs), encoding="utf-8")
    live = engine.reranker
    res = CliRunner().invoke(app, ["eval-ask", "--cases", str(a), "--cases", str(b), "--cv", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["a.yaml"]["cross_validated"]["questions"] == 5
    assert len(seen) == 10
    for k, s in enumerate(seen):  # fits 0–4 answer a.yaml's folds, 5–9 b.yaml's
        own, other = (qa, qb) if k < 5 else (qb, qa)
        held = own[k % 5]
        assert held not in s and set(other) <= s and len(s & set(own)) == 4
    assert engine.reranker is live


def test_fit_rerank_writes_the_model_beside_the_data(kb, tmp_path, monkeypatch):
    import shutil

    from typer.testing import CliRunner

    import jiuye.cli as cli

    root = tmp_path / "data"
    shutil.copytree(kb.root / "ask", root / "ask")
    for p in kb.root.iterdir():
        if p.name != "ask":
            (root / p.name).symlink_to(p)
    monkeypatch.setattr(kb, "root", root)
    monkeypatch.setattr(cli, "_kb", lambda: kb)
    cases = tmp_path / "c.yaml"
    cases.write_text("- q: 失业金一个月多少钱\n  expected: [000-3-1-4]\n  kind: test\n"
                     "- q: 创业贷款要啥条件\n  expected: [000-4-1-3]\n  kind: test\n"
                     "- q: 公积金怎么提\n  expected: []\n  kind: out_of_scope\n", encoding="utf-8")
    before = (kb.root / "ask" / "rerank.yaml").read_text(encoding="utf-8")
    res = CliRunner().invoke(cli.app, ["eval-ask", "--cases", str(cases), "--fit-rerank"])
    assert res.exit_code == 0, res.output
    assert "已写入" in res.output and "2 道资料内题" in res.output
    model = Reranker.load(root / "ask" / "rerank.yaml")
    assert model.trained_on["sets"] == ["c.yaml"] and model.trained_on["questions"] == 2
    assert (root / "ask" / "rerank.yaml").read_text(encoding="utf-8") != before
    bad = CliRunner().invoke(cli.app, ["eval-ask", "--cases", str(cases), "--fit-rerank", "--no-rerank"])
    assert bad.exit_code == 2 and "不能" in bad.output
