"""Ask: the right passage for colloquial questions, honest refusals, stale windows, contacts."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
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
    assert not any("8222732" in n for n in res["notes"])
    # a number the documents do not print is not taken for one they do: the answer says so
    other = engine.ask("0482-1234567是哪的电话", as_of=DAY)
    assert any("1234567" in n and "没有" in n for n in other["notes"])
    assert not other["found"] or all("1234567" not in a["text"] for a in other["answers"])


def test_no_evaluation_question_is_among_the_paraphrases():
    """The paraphrases feed retrieval; the evaluation set measures it. A question in both (or a
    near copy: ≥ 85 % alike) would make the figures in the README a memory test."""
    import re
    from difflib import SequenceMatcher
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[1] / "data"
    norm = lambda s: re.sub(r"[\s，。？！?!,.、~…]+", "", str(s))  # noqa: E731
    asked = [norm(c["q"]) for c in yaml.safe_load((root / "eval" / "ask.yaml").read_text(encoding="utf-8"))]
    para = yaml.safe_load((root / "ask" / "paraphrases.yaml").read_text(encoding="utf-8"))["paraphrases"]
    copies = [(entry, p) for entry, ps in para.items() for p in ps
              if any(norm(p) == q or (abs(len(q) - len(norm(p))) <= 4
                                      and SequenceMatcher(None, q, norm(p)).ratio() >= 0.85) for q in asked)]
    assert copies == []
    assert sum(len(ps) for ps in para.values()) > 1000


def test_classifier_weights_are_cached_and_retrained_when_the_texts_change(tmp_path, monkeypatch):
    from jiuye.ask.classifier import EntryClassifier

    texts = ["失业金领几个月", "失业保险金多久", "创业贷款能贷多少", "创业担保贷款额度", "培训补贴多少钱", "技能培训补贴标准"]
    labels = [0, 0, 1, 1, 2, 2]
    cache = tmp_path / "classifier.npz"
    first = EntryClassifier(texts, labels, 3, cache)
    assert cache.exists()
    assert int(first.decision("失业金能领多久").argmax()) == 0
    assert int(first.decision("创业贷款额度多少").argmax()) == 1

    def no_training(*args, **kwargs):
        raise AssertionError("trained again although nothing changed")

    monkeypatch.setattr(EntryClassifier, "_train", staticmethod(no_training))
    again = EntryClassifier(texts, labels, 3, cache)  # same texts: read from the cache
    assert (again.decision("培训补贴") == first.decision("培训补贴")).all()
    with pytest.raises(AssertionError, match="trained again"):
        EntryClassifier([*texts, "培训补贴咋领"], [*labels, 2], 3, cache)  # changed: trains


def test_the_e5_re_ranker_is_off_unless_asked_for(engine):
    # README, "Ask": the classifier is the default second opinion; e5 costs 10–30 ms a question
    assert engine.dense is None
    assert engine.calibration.classifier_weight > 0


def test_classifier_features_match_scikit_learns_vectorizer(engine):
    """Answering uses our transform (no scikit-learn import at run time); it must be sklearn's."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from jiuye.ask.classifier import SETTINGS

    clf = engine.classifier
    vocabulary = sorted(clf.vocabulary, key=clf.vocabulary.get)
    sk = TfidfVectorizer(analyzer="char", ngram_range=tuple(SETTINGS["ngram_range"]), sublinear_tf=True,
                         vocabulary=vocabulary)
    sk.fit(["占位"])  # fixes the vocabulary; the idf is set below
    sk.idf_ = clf.idf
    for q in ["失业金能领几个月", "大学生自己开店  政府给钱吗", "SYB培训 多少课时", "我女的48 交了11年失业保险",
              "就业创业证丢了咋补办？？？", "ＡＰＰ上能办吗", "", "😀"]:
        expected = sk.transform([q]).toarray().ravel()
        idx, w = clf.features(q)
        got = np.zeros(len(vocabulary))
        got[idx] = w
        assert np.allclose(got, expected), q


def test_prepared_paraphrases_are_reused_only_by_the_same_text_pipeline(tmp_path):
    from jiuye.ask.engine import _read_prepared, _write_prepared

    path = tmp_path / "prepared.json.gz"
    _write_prepared(path, "sig-a", {"失叶金咋领": "失业金咋领 失业保险金"})
    assert _read_prepared(path, "sig-a") == {"失叶金咋领": "失业金咋领 失业保险金"}
    assert _read_prepared(path, "sig-b") == {}  # synonyms, terms or the code changed: prepare again
    path.write_bytes(b"not gzip")
    assert _read_prepared(path, "sig-a") == {}


def test_the_prepared_cache_matches_what_prepare_gives_now(engine):
    # the committed cache must be what the current pipeline computes (else the signature is wrong)
    from jiuye.ask.engine import _read_prepared

    cached = _read_prepared(engine.kb.root / "ask" / "prepared.json.gz", engine.tp.signature)
    some = [(k.split("\x1f", 1)[1], v) for k, v in list(cached.items())[::97] if k.startswith("prepared\x1f")]
    assert len(some) > 10
    assert all(engine.tp.prepare(raw).expanded == done for raw, done in some)
    pinyin = [(k.split("\x1f", 1)[1], v) for k, v in cached.items() if k.startswith("pinyin\x1f")]
    assert len(pinyin) == len(engine.entries)
    assert all(" ".join(engine.tp.pinyin_bigrams(raw)) == done for raw, done in pinyin[::31])


def test_new_paraphrases_are_added_to_the_prepared_cache(kb, tmp_path, monkeypatch):
    import shutil

    from jiuye.ask.engine import AskEngine, _read_prepared

    root = tmp_path / "data"
    shutil.copytree(kb.root, root)
    para = root / "ask" / "paraphrases.yaml"
    text = para.read_text(encoding="utf-8")
    assert "\n  000-1-1-1: [" in text
    para.write_text(text.replace("\n  000-1-1-1: [", "\n  000-1-1-1: [就业创业证新问法测试, ", 1), encoding="utf-8")
    monkeypatch.setattr(kb, "root", root)
    monkeypatch.setattr(AskEngine, "_build_classifier", lambda self, cache: None)  # not under test; slow to train
    engine = AskEngine(kb)
    cached = _read_prepared(root / "ask" / "prepared.json.gz", engine.tp.signature)
    assert cached["prepared\x1f就业创业证新问法测试"] == engine.tp.prepare("就业创业证新问法测试").expanded


def test_the_prepared_index_scores_as_bm25s_does(engine):
    """data/ask/index.npz (cold start without bm25s) gives bm25s's own scores for the same corpus."""
    import bm25s
    import numpy as np

    from jiuye.ask.bm25 import SparseBM25

    corpus = [engine.tp.words(e.question) or ["_"] for e in engine.entries]
    ref = bm25s.BM25(k1=1.2, b=0.75)
    ref.index(corpus, show_progress=False)
    mine = SparseBM25.build(corpus)
    for q in ["失业保险金 标准", "创业 担保 贷款 贷款", "没有的词"]:
        tokens = engine.tp.words(q)
        expected = ref.get_scores(tokens) if any(t in ref.vocab_dict for t in tokens) else np.zeros(len(corpus))
        assert np.allclose(mine.get_scores(tokens), expected)


def test_a_start_from_the_prepared_index_answers_as_a_fresh_build(kb, tmp_path, monkeypatch):
    import shutil

    from jiuye.ask.engine import AskEngine

    root = tmp_path / "data"
    shutil.copytree(kb.root, root)
    (root / "ask" / "index.npz").unlink(missing_ok=True)
    monkeypatch.setattr(kb, "root", root)
    built = AskEngine(kb)  # builds and saves the index
    assert (root / "ask" / "index.npz").exists()
    loaded = AskEngine(kb)
    assert not hasattr(loaded, "_prepared_texts") and loaded._paraphrases is None  # nothing re-prepared, yaml unread
    for q in ["失业金能领几个月", "我今年52了，在厂里干了十年，上个月厂子倒闭了，现在每个月能领点啥", "个税怎么交"]:
        a, b = built.ask(q), loaded.ask(q)
        assert [x["id"] for x in a["answers"]] == [x["id"] for x in b["answers"]] and a["found"] == b["found"]
