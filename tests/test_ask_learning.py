"""Ask's classifier learns from the blind evaluation sets listed in data/ask/learning.yaml; a listed set is
scored fairly only with a classifier trained without it (`eval-ask --held-out`), and the sets kept out are
never learnt from."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from jiuye.ask.engine import get_engine
from jiuye.ask.learning import LearningError, LearningSets
from jiuye.cli import app


@pytest.fixture(scope="module")
def engine(kb):
    return get_engine(kb)


def _sets(tmp_path: Path, listing: str, files: dict[str, str]) -> LearningSets:
    (tmp_path / "eval").mkdir(exist_ok=True)
    for name, text in files.items():
        (tmp_path / "eval" / name).write_text(text, encoding="utf-8")
    (tmp_path / "learning.yaml").write_text(listing, encoding="utf-8")
    return LearningSets(tmp_path / "learning.yaml", tmp_path / "eval", {"000-3-1-3", "000-3-1-4"})


def test_a_learning_set_gives_its_questions_with_their_entries(tmp_path):
    sets = _sets(tmp_path, "sets: [a.yaml]\nkept_out: [b.yaml]\n", {
        "a.yaml": "- q: 失业金能领几个月\n  expected: [000-3-1-3]\n- q: 公积金咋提\n  expected: []\n"
                  "- q: 失业金一个月多少\n  expected: [000-3-1-4, 000-3-1-3]\n"
                  "- q: ᠮᠣᠩᠭᠣᠯ\n  expected: []\n  kind: non_chinese\n",
        "b.yaml": "- q: 失业金发几个月\n  expected: [000-3-1-3]\n"})
    got = [(i.source, i.question, i.entry_ids, i.in_scope) for i in sets.items()]
    assert got == [("a.yaml", "失业金能领几个月", ("000-3-1-3",), True), ("a.yaml", "公积金咋提", (), False),
                   ("a.yaml", "失业金一个月多少", ("000-3-1-4", "000-3-1-3"), True)]  # another script: not learnt
    assert "a.yaml" in sets and "b.yaml" not in sets


@pytest.mark.parametrize("listing, files, message", [
    ("sets: [a.yaml]\n", {"a.yaml": "- q: 失业金\n  expected: [000-9-9-9]\n"}, "a.yaml 第 1 题：没有这个条目 000-9-9-9"),
    ("sets: [gone.yaml]\n", {}, "找不到评测集 gone.yaml"),
    ("sets: [a.yaml]\nkept_out: [a.yaml]\n", {"a.yaml": ""}, "a.yaml 既在 sets 中又在 kept_out 中"),
    ("sets: a.yaml\n", {"a.yaml": ""}, "sets 应是评测集文件名的列表"),
])
def test_a_wrong_learning_list_is_named(tmp_path, listing, files, message):
    with pytest.raises(LearningError, match=message):
        _sets(tmp_path, listing, files).items()


def test_the_signature_changes_with_a_listed_set(tmp_path):
    sets = _sets(tmp_path, "sets: [a.yaml]\n", {"a.yaml": "- q: 失业金能领几个月\n  expected: [000-3-1-3]\n"})
    before = sets.signature()
    (tmp_path / "eval" / "a.yaml").write_text("- q: 失业金能领几年\n  expected: [000-3-1-3]\n", encoding="utf-8")
    assert sets.signature() != before  # the prepared index (and the classifier) are rebuilt


def test_the_shipped_list_keeps_the_unseen_sets_out(engine):
    doc = yaml.safe_load((engine.kb.root / "ask" / "learning.yaml").read_text(encoding="utf-8"))
    assert {"ask_blind12.yaml", "ask_blind14.yaml", "ask_blind16.yaml"} <= set(doc["kept_out"])
    assert not set(doc["kept_out"]) & set(doc["sets"])
    assert all((engine.kb.root / "eval" / n).is_file() for n in doc["sets"] + doc["kept_out"])


def test_the_classifier_trains_on_the_learning_sets_but_the_one_held_out(engine, monkeypatch, tmp_path):
    import jiuye.ask.index as index

    seen = {}

    class Capture:
        def __init__(self, texts, labels, n, cache):
            seen["texts"], seen["labels"] = texts, labels

    monkeypatch.setattr(index, "EntryClassifier", Capture)
    monkeypatch.setattr(index, "ScopeClassifier", Capture)
    items = engine.learning.items()
    held = next(i for i in items if i.source == "ask_blind3.yaml")
    kept = next(i for i in items if i.source == "ask_blind4.yaml" and i.in_scope)
    out = next(i for i in items if i.source == "ask_blind4.yaml" and not i.in_scope)
    engine._build_classifier(tmp_path / "c.npz", without=frozenset({"ask_blind3.yaml"}))
    pairs = set(zip(seen["texts"], seen["labels"]))
    at = {e.id: i for i, e in enumerate(engine.entries)}
    assert {(engine.tp.prepare(kept.question).expanded, at[e]) for e in kept.entry_ids} <= pairs
    assert engine.tp.prepare(held.question).expanded not in seen["texts"]
    assert engine.tp.prepare(out.question).expanded not in seen["texts"]  # no entry answers it: not an entry's text
    assert sum(i.source == "ask_blind3.yaml" for i in items) > 250  # a whole set, not a sample
    engine.classifiers_without("ask_blind3.yaml", tmp_path)  # the scope classifier (built last): in 0, out 1
    pairs = set(zip(seen["texts"], seen["labels"]))

    def about(q):  # what the scope classifier reads: the question without the words of what it asks
        return engine.scope_text(engine.tp.prepare(q).expanded)
    assert (about(out.question), 1) in pairs and (about(kept.question), 0) in pairs
    assert about(held.question) not in seen["texts"]


@pytest.mark.parametrize("q", ["失业保险金一个月多少钱", "失业保险金每个月给多少钱", "公益性岗位一个月多少钱"])
def test_the_scope_classifier_judges_what_a_question_is_about_not_how_it_asks(engine, q):
    """The learning sets' out-of-scope questions ask 养老金一个月多少钱 as often as the documents' ask about 失业保险金:
    read whole, 「失业保险金一个月多少钱」 was refused (0.75). Read without the words of what it asks, it is answered,
    and the same form about a topic outside the documents is still all but surely outside."""
    assert "多少钱" not in engine.scope_text(engine.tp.prepare(q).expanded)
    r = engine.rank(q)
    assert r.out_prob < engine.calibration.max_out_prob and engine.ask(q)["found"], r.out_prob
    outside = q.replace("失业保险金", "养老金").replace("公益性岗位", "低保")
    assert engine.rank(outside).out_prob >= engine.calibration.max_out_prob and not engine.ask(outside)["found"]


def test_eval_ask_says_when_a_set_was_learnt_from_and_holds_it_out_on_request(engine, monkeypatch):
    swapped = []
    real = engine.classifier, engine.scope_model

    def without(name, folder):
        swapped.append(name)
        return real  # the training itself is not under test here (minutes); the swap and the label are

    monkeypatch.setattr(engine, "classifiers_without", without)
    path = str(engine.kb.root / "eval" / "ask_blind3.yaml")
    res = CliRunner().invoke(app, ["eval-ask", "--cases", path])
    assert res.exit_code == 0 and "是分类器的学习集" in res.stdout and not swapped
    res = CliRunner().invoke(app, ["eval-ask", "--cases", path, "--held-out", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["learning"] == "held_out" and swapped == ["ask_blind3.yaml"]
    assert (engine.classifier, engine.scope_model) == real  # restored
    res = CliRunner().invoke(app, ["eval-ask", "--cases", str(engine.kb.root / "eval" / "ask_blind14.yaml"), "--json"])
    assert json.loads(res.stdout)["learning"] == "unseen"


def test_the_scope_classifier_refuses_a_neighbour_the_topic_list_lets_through(engine, monkeypatch):
    import datetime as dt

    day = dt.date(2026, 12, 6)
    q = "招聘会上认识的老板不给交医保咋办"  # 医保 named, with the documents' own 招聘会: the list alone answers it
    res = engine.ask(q, as_of=day)
    assert res["found"] is False and res["reason"] == "out_of_scope_learnt" and res["topic"] == "医疗保险（医保）"
    assert res["referrals"] and "资料" in res["message"]  # where to ask for 医保, not an unrelated passage
    assert engine.rank(q).out_prob >= engine.calibration.max_out_prob
    monkeypatch.setattr(engine.calibration, "max_out_prob", 1.01)  # the scope classifier off: the list lets it through
    assert engine.ask(q, as_of=day)["found"] is True


@pytest.mark.parametrize("q", ["失业金申请完多久能到账", "一次性创业补贴交上材料几天能批下来"])
def test_a_detail_the_documents_leave_out_is_named_not_refused_by_the_scope_classifier(engine, q):
    import datetime as dt

    # the learning sets hold such questions as out of scope, so the classifier reads them as outside the documents;
    # the asker still learns which policy's detail is missing, with its phones
    assert engine.rank(q).out_prob >= engine.calibration.max_out_prob
    res = engine.ask(q, as_of=dt.date(2026, 12, 6))
    assert res["reason"] == "detail_not_stated" and res["contacts"] and res["related"]


def test_the_classifiers_overrule_the_topic_list_only_when_all_but_sure(engine, monkeypatch):
    import datetime as dt

    day = dt.date(2026, 12, 6)
    q = "店关了但营业执照还没注销，能做失业登记吗"  # 营业执照 is a topic of the list; the documents answer it (000-1-4-4)
    assert engine.refuses_topic(engine.scope.detect(engine.tp.prepare(q).text))
    assert engine.learnt_in_scope(engine.rank(q))
    res = engine.ask(q, as_of=day)
    assert res["found"] and res["answers"][0]["id"] == "000-1-4-4"
    for out_of_scope in ("营业执照怎么注销", "个体户营业执照年报在哪弄"):  # the list's own questions stay refused
        assert engine.ask(out_of_scope, as_of=day)["reason"] == "out_of_scope_topic"
    monkeypatch.setattr(engine.calibration, "topic_override_out", 0.0)  # no overruling: the list refuses it
    assert engine.ask(q, as_of=day)["reason"] == "out_of_scope_topic"


def test_an_evaluation_question_naming_two_districts_is_asked_from_the_first(tmp_path):
    from jiuye.ask.evaluate import load_cases

    p = tmp_path / "s.yaml"
    p.write_text("- q: 在乌兰浩特打工 户口在科右前旗 能认定就业困难人员吗\n  expected: [000-1-5-2]\n"
                 "  district: [乌兰浩特市, 科右前旗]\n- q: 失业金\n  expected: [000-3-1-3]\n  district: []\n", encoding="utf-8")
    assert [c.district for c in load_cases(p)] == ["乌兰浩特市", None]


def test_out_of_scope_refusals_are_counted_by_kind():
    """拼音 questions a writer labelled 非中文 (no answer) are answered by design: the refusal rate is shown by kind."""
    from jiuye.ask.evaluate import Case, score

    refused, answered = {"found": False, "answers": []}, {"found": True, "answers": [{"id": "000-3-1-4"}]}
    r = score([(Case("养老金一个月多少钱", [], "out_of_scope"), refused), (Case("低保咋办", [], "out_of_scope"), answered),
               (Case("shiyejin zenme ling", [], "non_chinese"), answered)])
    assert r["oos_by_kind"] == {"non_chinese": {"questions": 1, "refused": 0.0}, "out_of_scope": {"questions": 2, "refused": 0.5}}
    assert r["oos_recall"] == 1 / 3
