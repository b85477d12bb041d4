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
is optional: JIUYE_ASK_DENSE=1.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from jiuye.ask import bm25, dense
from jiuye.ask.calibration import Calibration
from jiuye.ask.answers import answer_of
from jiuye.ask.classifier import EntryClassifier, ScopeClassifier
from jiuye.ask.index import FIELDS, IndexBuilder
from jiuye.ask.prepared import _read_prepared, _write_prepared  # noqa: F401  (tests import them from here)
from jiuye.ask.intents import IntentFinder
from jiuye.ask.learning import LearningSets
from jiuye.ask.sisters import Sisters
from jiuye.ask.story import NeedFinder
from jiuye.ask.scope import ScopeGuard, foreign_letters, input_problem, not_chinese_message
from jiuye.ask.text import TextPipeline
from jiuye.ask.unstated import UnstatedDetails
from jiuye.config import today as config_today
from jiuye.knowledge.catalogue import GENERAL_HOTLINE, find_contacts
from jiuye.knowledge.loader import KnowledgeBase, parse_yaml
from jiuye.knowledge.models import Entry

INDEX_VERSION = 2  # bump when _build changes what it computes
LEAGUE_CENTRE = {"name": "兴安盟人力资源和就业服务中心", "phone": "0482-8231990"}


@dataclass
class Scored:
    entry: Entry
    score: float  # BM25 over the entry's fields: the figure shown, and one refusal measure


@dataclass
class Ranking:
    prep: Any
    ranked: list[Scored]
    best_score: float = 0.0  # best BM25 score among the first three
    coverage: float = 0.0  # share of the question the first passage accounts for
    prob: float = 0.0  # the classifier's probability for the first passage
    dense: float | None = None  # e5 similarity of the first passage (re-ranker on)
    phone_hit: bool = False
    out_prob: float = 0.0  # the scope classifier's probability that the question is outside the documents


class AskEngine(IndexBuilder):
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
                             self.learning.signature())
        z = bm25.load(ask_dir / "index.npz", sig)
        try:
            if z is None:
                raise FileNotFoundError
            self._load_index(z)
            self.classifier = EntryClassifier(None, None, len(self.entries), ask_dir / "classifier.npz",
                                              digest=str(z["classifier_digest"]))
            self.scope_model = ScopeClassifier(None, None, 2, ask_dir / "scope_classifier.npz", digest=str(z["scope_digest"]))
        except (FileNotFoundError, KeyError):
            self._prepared_texts = _read_prepared(ask_dir / "prepared.json.gz", self.tp.signature)
            self._used: set[str] = set()
            self._computed = 0
            self._build()
            self.classifier = self._build_classifier(ask_dir / "classifier.npz")
            self.scope_model = self._build_scope_classifier(ask_dir / "scope_classifier.npz")
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
            out_prob=self.scope_model.out_probability(prep.expanded) if self.scope_model is not None else 0.0)

    def confident(self, r: "Ranking", scope_model: bool = True) -> bool:
        """Whether the best passage is likely to answer (thresholds from data/ask/calibration.yaml);
        a phone number the documents print always is. `scope_model` False: leaving the scope classifier aside."""
        cal = self.calibration
        if r.phone_hit:
            return True
        return bool(r.ranked) and (r.best_score >= cal.min_score and r.coverage >= cal.min_coverage
                                   and r.prob >= cal.min_prob and (r.dense is None or r.dense >= cal.min_dense)
                                   and (not scope_model or r.out_prob < cal.max_out_prob))

    def _services_beside_refusal(self, text: str, hit) -> list[dict[str, Any]]:
        """The services beside a refusal for a topic outside the documents, searched without the topic's words: none
        for a trouble with the topic (招聘会上认识的老板不给交医保咋办), jobs for 想找个工作 能交医保的那种."""
        return self.intents.detect(text, self.kb.district_names, drop=tuple(hit.triggers + hit.words), beside_refusal=True)

    # --- the answer -------------------------------------------------------------------------
    def ask(self, question: str, top: int = 3, district: str | None = None,
            as_of: dt.date | None = None) -> dict[str, Any]:
        as_of = as_of or config_today()
        ranking = self.rank(question, top=max(top, 3))  # a detail not stated is looked for in the first three
        prep, ranked = ranking.prep, ranking.ranked
        base = {"query": question, "as_of": as_of.isoformat(), "found": False, "answers": [], "contacts": [],
                "hotlines": [GENERAL_HOTLINE, LEAGUE_CENTRE], "notes": [], "referrals": [], "sisters": [],
                "intents": [], "district": None, "related": [],
                "corrections": [{"as_typed": a, "term": b} for a, b in prep.corrections]}
        if prep.truncated:
            base["notes"].append(f"问题较长，只按前 {len(prep.text)} 个字检索。")
        for num in sorted(_local_numbers(prep.text) - set(self.phone_entries)):
            base["notes"].append(f"资料中没有印 {num} 这个号码；下面是资料中的相关内容，号码请以资料所印为准。")
        if not prep.text:
            base["reason"], base["script"], base["message"] = input_problem(question or "")
            return base
        foreign = foreign_letters(question or "")
        if foreign and prep.has_cjk:
            base["notes"].append(f"问题中的{foreign}目前还不能识别，只按其中的汉字查找。")
        hit = self.scope.detect(prep.text)
        district_key = self._district(district, prep.text, base)
        base["district"] = district_key
        base["intents"] = self.intents.detect(prep.text, self.kb.district_names)
        if self.refuses_topic(hit) and not self.learnt_in_scope(ranking):
            base["message"] = self.scope.refusal_message(hit.topic)
            base["reason"] = "out_of_scope_topic"
            base["topic"] = hit.topic.label
            base["referrals"] = self._referrals(hit.topic.refer, district_key)
            base["intents"] = self._services_beside_refusal(prep.text, hit)
            return base
        if not prep.has_cjk and not _ABBREVIATIONS.search(prep.text):
            base["reason"], base["script"], base["message"] = "not_chinese", "latin", not_chinese_message("latin")
            return base
        plain = self.confident(ranking, scope_model=False)  # by the thresholds alone
        confident = plain and (ranking.out_prob < self.calibration.max_out_prob or ranking.phone_hit
                               # an office's phone asked for by its name (打工直通车总站电话): the documents print it
                               or bool(self._named_offices(prep.text)))
        miss = None
        if plain:
            # a detail of a policy the documents leave out (多久能到账) reads as outside them to the scope classifier,
            # which learnt such questions as out of scope: say which policy's detail is missing rather than refuse
            miss = self.unstated.missing(prep.text, [r.entry for r in ranked[:3]])
        if not confident and miss is None:
            if hit.topic is not None and ranking.out_prob >= self.calibration.max_out_prob:
                # outside the documents by the scope classifier, and about a topic the list names: where to ask for it
                base["message"] = self.scope.refusal_message(hit.topic)
                base["reason"], base["topic"] = "out_of_scope_learnt", hit.topic.label
                base["referrals"] = self._referrals(hit.topic.refer, district_key)
                base["intents"] = self._services_beside_refusal(prep.text, hit)
                return base
            base["message"] = ("资料中没有找到能回答这个问题的内容。可拨打全国人社服务热线 12333，"
                               "或兴安盟人力资源和就业服务中心 0482-8231990 咨询。")
            base["reason"] = "low_confidence"
            base["referrals"] = self._referrals(("hrss",), district_key)
            return base
        if miss is not None and not ranking.phone_hit:
            # the right policy, but a detail none of its passages states (how long a payment takes, which bank): say
            # so, with the policy's phones and a link to what the documents do say, not a passage that does not answer
            detail, about, word = miss
            names = "」「".join(self.kb.policies[p].name.split(" (")[0] for p in about.policies[:2])
            if not detail.stated:  # stated for no policy (which firm is hiring): not a gap of this one policy
                base["message"] = f"资料中没有{detail.label}。请打下面的咨询电话问。"
            else:
                what = f"「{names}」中「{word}」的" if word and word not in names else f"「{names}」"
                base["message"] = (f"资料中没有写明{what}{detail.label}。请打下面的咨询电话问；"
                                   "资料中关于这项政策的原文见下面的链接。")
            base["reason"], base["detail"] = "detail_not_stated", detail.label
            base["referrals"] = self._referrals(("hrss",), district_key)
            if detail.stated:  # the policy's phones and what the documents do say about it, one tap away
                base["contacts"] = self._contacts(about, district_key)
                base["related"] = [{"id": about.id, "question": about.question, "section": about.section,
                                    "document": about.document}]
                base["sisters"] = self.sisters.of(about.id)
            return base
        base["found"] = True
        answers = [self._answer(r, as_of) for r in ranked[:top]]
        base["answers"] = answers
        base["sisters"] = self.sisters.of(answers[0]["id"])  # the policy's other aspects, one tap away
        seen: set[tuple[str, str]] = set()  # an office's number once, first where the question named the office
        for c in self._named_offices(prep.text) + self._contacts(ranked[0].entry, district_key):
            if (c["office"], c["phone"]) not in seen:
                seen.add((c["office"], c["phone"]))
                base["contacts"].append(c)
        return base

    def show(self, entry_id: str, query: str = "", district: str | None = None,
             as_of: dt.date | None = None) -> dict[str, Any] | None:
        """One entry as an answer (a sister followed from another answer), with its own sisters;
        None for an unknown id."""
        e = self.kb.entries_by_id.get(entry_id)
        if e is None:
            return None
        as_of = as_of or config_today()
        base = {"query": query, "as_of": as_of.isoformat(), "found": True, "answers": [self._answer(Scored(e, 0.0), as_of)],
                "contacts": [], "hotlines": [GENERAL_HOTLINE, LEAGUE_CENTRE], "notes": [], "referrals": [],
                "corrections": [], "sisters": self.sisters.of(e.id), "intents": [], "district": None}
        base["contacts"] = self._contacts(e, self._district(district, "", base))
        return base

    def _named_offices(self, text: str) -> list[dict[str, Any]]:
        """The phone rows of an office the question names when it asks for a phone (「打工直通车总站电话」): offices other
        than the districts' centres, named by two of the words of their name (兴安 aside), or by the whole of it. The
        000 phone tables are contacts, not passages: without this the 总站's 13071023377 was never shown."""
        if not _PHONE_CUE.search(text):
            return []
        if self._office_rows is None:  # built on first use: (name without 兴安盟, its words, the row)
            self._office_rows = []
            for row in find_contacts(self.kb):
                if "人力资源和就业服务中心" not in row["office"]:
                    rest = re.sub(r"^兴安盟?", "", row["office"])
                    self._office_rows.append((rest, [w for w in self.tp.words(rest) if len(w) >= 2], row))
        return [row for rest, words, row in self._office_rows if rest in text or sum(w in text for w in words) >= 2]

    def _contacts(self, entry: Entry, district_key: str | None) -> list[dict[str, Any]]:
        topics = []
        for pid in entry.policies:
            t = self.kb.policies[pid].contact_topic
            if t not in topics:
                topics.append(t)
        contacts = []
        for t in topics[:2]:
            contacts += find_contacts(self.kb, district=district_key or "兴安盟", topic=t)
        return contacts

    def _referrals(self, ids, district_key: str | None) -> list[dict[str, Any]]:
        """Where to ask instead, with the documents' numbers for the asker's district where a
        referral names a contacts topic (档案: the district's archive service)."""
        out = []
        for r in self.scope.referral_list(ids):
            item = dict(r)
            if r.get("contact_topic"):
                item["contacts"] = find_contacts(self.kb, district=district_key or "兴安盟", topic=r["contact_topic"])
            out.append(item)
        return out

    def _district(self, district: str | None, text: str, base: dict) -> str | None:
        from jiuye.knowledge.catalogue import UnknownName, resolve_district

        if district:
            try:
                return resolve_district(self.kb, district)
            except UnknownName as exc:
                base["notes"].append(str(exc) + "。以下给出盟中心电话。")
                return None
        for alias in sorted(self.kb.district_names, key=len, reverse=True):
            if len(alias) >= 2 and alias in text and alias not in ("兴安", "兴安盟"):
                return self.kb.district_names[alias]
        return None

    def _answer(self, r: Scored, as_of: dt.date) -> dict[str, Any]:
        return answer_of(self.kb, r.entry, r.score, as_of)


def _z(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / (x.std() + 1e-9)


# Latin-only questions that are still about the documents (SYB 培训, the 12333 app …), as whole words
_ABBREVIATIONS = re.compile(r"(?<![a-z])(?:syb|iyb|lpr|app)(?![a-z])")
_PHONE_CUE = re.compile(r"电话|号码|热线|联系方式|怎么联系|咋联系|手机号")
_PHONE = re.compile(r"(?<!\d)(?:0\d{2,3}[-－— ]?)?(\d{7,8})(?!\d)|(?<!\d)(1[3-9]\d{9})(?!\d)")


def _local_numbers(text: str) -> set[str]:
    """Phone numbers in a text, by their local part (7–8 digits, or an 11-digit mobile)."""
    return {a or b for a, b in _PHONE.findall(text)}


_ENGINES: dict[str, AskEngine] = {}


def get_engine(kb: KnowledgeBase) -> AskEngine:
    key = str(kb.root)
    if key not in _ENGINES:
        _ENGINES[key] = AskEngine(kb)
    return _ENGINES[key]
