"""Ask: a citizen's question → the passage that answers it, cited, with whom to call — or an
honest "资料中没有找到" with the hotlines.

Retrieval is BM25 (bm25s) over six fields of every knowledge entry, each field its own index,
their scores summed with weights; plus BM25 over each paraphrase on its own (an entry scores its
best paraphrase), and a classifier learnt from the paraphrases and from the questions of the evaluation sets
listed in data/ask/learning.yaml (classifier.py, learning.py). The three are
fused as z-scores, with a bonus when the question and the entry are about the same aspect
(材料, 期限, 标准 …). Refusal uses measures calibrated on data/eval/ask.yaml and stored in
data/ask/calibration.yaml: the top BM25 score, how much of the question's content the top passage
covers, the classifier's confidence, and a scope classifier's probability that the question is outside the
documents (learnt from the learning sets' out-of-scope questions). Out-of-scope topics (data/ask/out_of_scope.yaml) are
weighed against the documents' own terms in the question and refused with where to ask instead, and
input that is not Chinese gets a message saying so (scope.py). A detail the question asks about the found policy
that none of the policy's passages states (how long a payment takes, which bank lends, which firms come to a fair,
the sum for a thing the documents only name: data/ask/unstated.yaml, unstated.py) is said to be missing, with the
policy's phones and passages, instead of answered with a passage that does not give it. The e5 re-ranker (dense.py)
is optional: JIUYE_ASK_DENSE=1. This module ranks; the reply built from the ranking (AskEngine.ask) is reply.py's.
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from jiuye.ask import bm25, dense
from jiuye.ask.calibration import Calibration
from jiuye.ask.classifier import EntryClassifier, IntentClassifier, ScopeClassifier
from jiuye.ask.index import FIELDS, IndexBuilder
from jiuye.ask.prepared import _read_prepared, _write_prepared  # noqa: F401  (tests import them from here)
from jiuye.ask.intents import IntentFinder
from jiuye.ask.learning import LearningSets
from jiuye.ask.sisters import Sisters
from jiuye.ask.story import NeedFinder
from jiuye.ask.ranked import Ranking, Scored
from jiuye.ask.reply import _ABBREVIATIONS, Replies, _local_numbers
from jiuye.ask.scope import ScopeGuard
from jiuye.ask.text import TextPipeline
from jiuye.ask.unstated import UnstatedDetails
from jiuye.knowledge.loader import KnowledgeBase, parse_yaml

INDEX_VERSION = 3  # bump when _build (or the classifiers' texts) change what it computes; their settings are signed


class AskEngine(IndexBuilder, Replies):
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        ask_dir = kb.root / "ask"
        syn = parse_yaml((ask_dir / "synonyms.yaml").read_text(encoding="utf-8"))["synonyms"]
        terms_doc = parse_yaml((ask_dir / "terms.yaml").read_text(encoding="utf-8"))
        terms = list(terms_doc["terms"]) + [p.name.split(" ")[0].split("(")[0] for p in kb.policies.values()]
        terms += [g for p in kb.policies.values() for g in p.target_groups]
        self.tp = TextPipeline({str(k): str(v) for k, v in syn.items()}, terms, set(terms_doc["stopwords"]))
        self.scope = ScopeGuard(ask_dir, kb)  # out-of-scope topics and where to ask instead
        self.unstated = UnstatedDetails(ask_dir / "unstated.yaml", kb.entries, self.tp)  # details no passage of a policy states
        self.topics_on = True  # off: only the thresholds refuse (`jiuye eval-ask --no-topics`)
        # the e5 re-ranker is off by default: +2 points top-1 for 10–30 ms a question (README, "Ask")
        use_dense = dense.available() and os.environ.get("JIUYE_ASK_DENSE", "0") == "1"
        self.calibration = Calibration.load(ask_dir / "calibration.yaml", dense=use_dense)
        self.entries = list(kb.entries)
        # reverse phone lookup: the entries that print a number (its local 7–8 digits)
        self.phone_entries: dict[str, list[int]] = {}
        for i, e in enumerate(self.entries):
            for num in _local_numbers(f"{e.question} {e.answer}"):
                self.phone_entries.setdefault(num, []).append(i)
        aspects_doc = parse_yaml((ask_dir / "aspects.yaml").read_text(encoding="utf-8"))
        self.aspects = aspects_doc["aspects"]
        names = list(self.aspects)
        self._aspect_cues = sorted(((str(k), names.index(a)) for a in names for k in self.aspects[a]["query"]),
                                   key=lambda c: -len(c[0]))
        self.bare_topic_aspects = set(aspects_doc.get("bare_topic", []))
        self.intents = IntentFinder(ask_dir / "intents.yaml", self.aspects)  # what service a question asks for (web: front_door)
        self.intents.tagger = self.tp.tagged  # its search text is cut into words, not characters
        self.needs = NeedFinder(aspects_doc.get("question_cues", []), int(aspects_doc.get("need_min_chars", 6)),
                                aspects_doc.get("question_final_cues", []))
        self._para_path = ask_dir / "paraphrases.yaml"
        self._ask_dir = ask_dir
        # evaluation sets the classifier learns from (data/ask/learning.yaml; `eval-ask --held-out` scores one without it)
        self.learning = LearningSets(ask_dir / "learning.yaml", kb.root / "eval", {e.id for e in self.entries})
        self._paraphrases: dict[str, list[str]] | None = None
        self._aspect_matrix()
        pids = list(kb.policies)
        self._policy_members = np.array([[p in e.policies for p in pids] for e in self.entries], dtype=bool)
        # the prepared index (data/ask/index.npz): BM25 arrays, vocabularies, the classifier's digest, valid
        # while the entries, paraphrases and text pipeline are the ones it was built from (cold start ≤ 2 s)
        sig = bm25.signature(INDEX_VERSION, self.tp.signature, FIELDS, [p.name for p in kb.policies.values()],
                             [[e.id, e.kind, e.section, e.question, e.answer, e.tags, e.policies] for e in self.entries],
                             self._para_path.read_bytes() if self._para_path.exists() else b"",
                             self.learning.signature(), [c.settings for c in (EntryClassifier, ScopeClassifier, IntentClassifier)])
        z = bm25.load(ask_dir / "index.npz", sig)
        try:
            if z is None:
                raise FileNotFoundError
            self._load_index(z)
            self.classifier = EntryClassifier(None, None, len(self.entries), ask_dir / "classifier.npz",
                                              digest=str(z["classifier_digest"]))
            self.scope_model = ScopeClassifier(None, None, 2, ask_dir / "scope_classifier.npz", digest=str(z["scope_digest"]))
            digest = str(z["intent_digest"])
            self.intents.model = (IntentClassifier(None, None, len(self.intents.classes), ask_dir / "intent_classifier.npz",
                                                   digest=digest) if digest else None)  # no service sets: cues only
        except (FileNotFoundError, KeyError):
            self._prepared_texts = _read_prepared(ask_dir / "prepared.json.gz", self.tp.signature)
            self._used: set[str] = set()
            self._computed = 0
            self._build()
            self.classifier = self._build_classifier(ask_dir / "classifier.npz")
            self.scope_model = self._build_scope_classifier(ask_dir / "scope_classifier.npz")
            self.intents.model = self._build_intent_classifier(ask_dir / "intent_classifier.npz")
            if self._computed or self._used != set(self._prepared_texts):  # something new, or left from older data
                self._prepared_texts = {k: self._prepared_texts[k] for k in self._used}
                _write_prepared(ask_dir / "prepared.json.gz", self.tp.signature, self._prepared_texts)
            bm25.save(ask_dir / "index.npz", sig, self._index_arrays())
        finally:
            if z is not None:
                z.close()
        self.sisters = Sisters(self.entries, self.entry_aspects, self.aspect_names, aspects_doc.get("sister_aspects", {}),
                               aspects_doc.get("sister_priority"))
        self._office_rows: list[tuple[str, list[str], dict[str, Any]]] | None = None  # _named_offices
        self.dense = None
        if use_dense:
            texts = [dense.passage_text(e.section, e.question, e.answer) for e in self.entries]
            extra = [(i, p) for i, e in enumerate(self.entries) for p in self.paraphrases.get(e.id, [])]
            self.dense = dense.DenseIndex(texts, ask_dir / "passages.e5.npz", extra, ask_dir / "paraphrases.e5.npz")

    def paraphrase_scores(self, expanded: str) -> np.ndarray:
        best = np.zeros(len(self.entries), dtype=np.float64)
        tokens = self.tp.char_bigrams(expanded)
        if tokens:
            np.maximum.at(best, self.paraphrase_owner, self.paraphrase_index.get_scores(tokens))
        return best

    # --- scoring ----------------------------------------------------------------------------
    def _query_tokens(self, expanded: str) -> dict[str, list[str]]:
        return {
            "q": self.tp.content_words(expanded), "a": self.tp.content_words(expanded),
            "s": self.tp.content_words(expanded), "c": self.tp.char_bigrams(expanded),
            "p": self.tp.pinyin_bigrams(expanded), "x": self.tp.content_words(expanded),
        }

    def scores(self, expanded: str) -> np.ndarray:
        qt = self._query_tokens(expanded)
        total = np.zeros(len(self.entries), dtype=np.float64)
        for f, w in self.calibration.weights.items():
            if w and qt[f]:
                total += w * self.indices[f].get_scores(qt[f])
        return total

    def coverage(self, text: str, doc_index: int) -> float:
        """Share of the question's content words the passage (or the domain vocabulary, for
        synonyms and homophones) accounts for. An unrelated question scores low here even when a
        common word gives it some BM25 score."""
        words = [w for w in self.tp.content_words(text) if len(w) >= 2 or w.isdigit() is False]
        words = [w for w in words if not w.isdigit()]
        if not words:
            return 0.0
        doc = self.doc_words[doc_index]
        synonyms = {k for k, _ in self.tp.synonyms}
        hit = 0.0
        for w in words:
            if w in doc or any(w in d for d in doc if len(d) > len(w)):
                hit += 1
            elif w in synonyms or w in self.vocab:
                hit += 0.7
            elif len(w) >= 2 and self.tp.pinyin_of(w) in self.vocab_pinyin:
                hit += 0.7
            elif len(w) >= 2 and all(ch in "".join(doc) for ch in w):
                hit += 0.3
        return hit / len(words)

    def decided(self, prep, topics: bool = True) -> bool:
        """Refused whatever the thresholds: nothing to search, not Chinese, or (with `topics`) an
        out-of-scope topic."""
        return (not prep.text or (not prep.has_cjk and not _ABBREVIATIONS.search(prep.text))
                or (topics and self.refuses_topic(self.scope.detect(prep.text))))

    def refuses_topic(self, hit) -> bool:
        cal = self.calibration
        return self.topics_on and hit.refuse(cal.trigger_evidence, cal.evidence_weight)

    def learnt_in_scope(self, r: "Ranking") -> bool:
        """Whether the classifiers overrule the topic list: the scope classifier all but sure the question is the
        documents' (「营业执照还没注销，能登记失业吗」 names 营业执照, a topic of the list) and the entry classifier finding
        its passage (thresholds in calibration.yaml, chosen leaving one learning set out)."""
        cal = self.calibration
        return bool(r.ranked) and r.out_prob < cal.topic_override_out and r.prob >= cal.topic_override_prob

    def scope_text(self, text: str) -> str:
        """What the scope classifier reads: the question without the words of what it asks (aspects.yaml's `query`
        cues: 多少钱, 一个月多少, 怎么办, 能不能 …). Whether a question is the documents' is a matter of what it is about:
        the out-of-scope questions it learnt ask 养老金一个月多少钱 as often as the in-scope ones ask 失业保险金一个月多少钱."""
        for cue, _ in self._aspect_cues:
            text = text.replace(cue, " ")
        return text

    def query_aspects(self, text: str) -> np.ndarray:
        """The aspects a text asks, by aspects.yaml's `query` cues, longest cue first: a cue inside a longer one
        that matched does not count (「交多久」 asks a condition, the 「多久」 in it is not a 期限)."""
        q = np.zeros(len(self.aspect_names))
        for cue, j in self._aspect_cues:
            if cue in text:
                q[j] = 1.0
                text = text.replace(cue, "|")
        return q

    def aspect_bonus(self, text: str) -> np.ndarray:
        q = self.query_aspects(text)
        if not q.any() and self.bare_topic_aspects and len(self.tp.content_words(text)) <= 2:
            # a bare topic ("稳岗返还", "公益岗"): the asker wants the overview (what it is, who gets it)
            q = np.array([1.0 if a in self.bare_topic_aspects else 0.0 for a in self.aspect_names])
        if not q.any():
            return np.zeros(len(self.entries))
        return (self.entry_aspects @ q > 0).astype(np.float64)

    def need(self, prep):
        """A story's asking clause, prepared like a question (None when the question is not a story). Only
        the clause: the situation's words say which policy (policy_prior), never which aspect."""
        clause = self.needs.need_clause(prep.text)
        return self.tp.prepare(clause) if clause else None

    def policy_prior(self, score: np.ndarray) -> np.ndarray:
        """Each entry scored as its policy's best entry (the best of its policies'): a bias toward the policy
        the whole question is about (厂子黄了 → 失业保险金) that is the same for all of the policy's aspects."""
        m = self._policy_members
        best = np.where(m, score[:, None], -np.inf).max(axis=0)  # per policy
        prior = np.where(m, best[None, :], -np.inf).max(axis=1)
        return np.where(np.isfinite(prior), prior, score)  # an entry of no policy: its own score

    def components(self, prep, aspect_text: str | None = None):
        """The signals for one text: BM25 over the fields, the lexical z-score (fields + best paraphrase),
        the aspect bonus, the classifier's decision and its z-score."""
        cal = self.calibration
        s = self.scores(prep.expanded)
        lexical = s + cal.paraphrase_weight * self.paraphrase_scores(prep.expanded) if cal.paraphrase_weight else s
        m = self.classifier.decision(prep.expanded)
        return s, lexical, self.aspect_bonus(aspect_text if aspect_text is not None else prep.text), m

    def fused(self, prep) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
        """BM25 (fields + best paraphrase), classifier and (optional) dense scores as z-scores over
        the entries, summed with their weights, plus the aspect bonus. A story (story_weight > 0) is
        ranked by its asking clause, plus story_weight times the whole question's policy prior; the aspect is
        always the one that clause asks."""
        cal = self.calibration
        need = self.need(prep)
        s, lexical, bonus, m = self.components(prep, need.text if need is not None else None)
        total = _z(lexical) + cal.classifier_weight * _z(m)
        m_need = None
        if need is not None and cal.story_weight:
            _, lex_n, _, m_need = self.components(need)
            total = (_z(lex_n) + cal.classifier_weight * _z(m_need)) + cal.story_weight * _z(self.policy_prior(total))
        # a story's asking clause names its aspect on purpose (「…辞了 每个月能领多少钱」): weighed apart from a one-clause question's
        total = total + (cal.aspect_weight + (cal.story_aspect_weight if need is not None else 0.0)) * bonus
        d = None
        if self.dense is not None and self.calibration.dense_weight:
            d = self.dense.similarities(prep.text)
            total = total + self.calibration.dense_weight * _z(d)
        return total, s, m, d, m_need

    def rank(self, question: str, top: int = 3) -> "Ranking":
        """Entries best first (fused order), with the measures refusal looks at."""
        prep = self.tp.prepare(question)
        if not prep.text:
            return Ranking(prep, [])
        total, s, m, d, m_need = self.fused(prep)
        order = np.argsort(-total)
        hits = {i for num in _local_numbers(prep.text) for i in self.phone_entries.get(num, ())}
        if hits:  # a number that the documents print: the entries printing it come first
            order = np.array([i for i in order if i in hits] + [i for i in order if i not in hits])
        order = order[:max(top, 3)]  # refusal looks at the best BM25 score of the first three
        first = int(order[0])
        return Ranking(
            prep, [Scored(self.entries[i], float(s[i])) for i in order[:top]],
            best_score=float(s[order].max()), coverage=self.coverage(prep.expanded, first),
            prob=max(float(self.classifier.probabilities(x)[first]) for x in (m, m_need) if x is not None),
            dense=float(d[first]) if d is not None else None, phone_hit=bool(hits),
            out_prob=self.scope_model.out_probability(self.scope_text(prep.expanded)) if self.scope_model is not None else 0.0)

    def confident(self, r: "Ranking", scope_model: bool = True) -> bool:
        """Whether the best passage is likely to answer (thresholds from data/ask/calibration.yaml);
        a phone number the documents print always is. `scope_model` False: leaving the scope classifier aside."""
        cal = self.calibration
        if r.phone_hit:
            return True
        return bool(r.ranked) and (r.best_score >= cal.min_score and r.coverage >= cal.min_coverage
                                   and r.prob >= cal.min_prob and (r.dense is None or r.dense >= cal.min_dense)
                                   and (not scope_model or r.out_prob < cal.max_out_prob))

def _z(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / (x.std() + 1e-9)


_ENGINES: dict[str, AskEngine] = {}


def get_engine(kb: KnowledgeBase) -> AskEngine:
    key = str(kb.root)
    if key not in _ENGINES:
        _ENGINES[key] = AskEngine(kb)
    return _ENGINES[key]
