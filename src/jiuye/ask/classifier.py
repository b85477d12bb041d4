"""Which entry a question asks for, learnt from the ways people ask (scikit-learn).

A logistic regression over character 1–3-grams (TF-IDF) of every entry's paraphrases, its own
question and its heading, one class per entry. Where BM25 rewards any shared word, this learns
which few characters tell sibling passages apart ("带啥" → 材料, "多久" → 期限) and costs well
under a millisecond per question. It replaced the e5 re-ranker as the default second opinion:
nearly as accurate on held-out questions, about ten times faster (README, "Ask").

scikit-learn trains it (a few seconds); the vocabulary, IDF weights and coefficients are cached
beside the knowledge base (data/ask/classifier.npz, numbers and strings only, never a pickle) with
a hash of the texts and settings they came from, so any change to the paraphrases or entries
retrains once. Answering needs only that file: `features` below is sklearn's TfidfVectorizer
transform for these settings (a test checks they agree), which spares every process the ~1 s
import of scikit-learn and keeps Ask's cold start under two seconds.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np

SETTINGS = {"analyzer": "char", "ngram_range": [1, 3], "min_df": 2, "sublinear_tf": True, "C": 20.0}
# Whether a question is outside the documents (ScopeClassifier): two classes, the out-of-scope ones weighed up to
# as many as the in-scope texts (they are a few hundred against thousands), a stronger penalty (fewer, broader cues).
# C 30 was tried (2026-12-07): four folds a little better (out-of-scope refused 95.8 → 96.2 %, in-scope refused
# 0.98 → 0.89 %), the kept-out sets no better, and its sharper probabilities let 「被电信诈骗了咋办」 past the topic
# list (README, 问政策 › 服务入口的意图分类器): kept at 4
SCOPE_SETTINGS = {**SETTINGS, "C": 4.0, "class_weight": "balanced"}
_WHITE_SPACES = re.compile(r"\s\s+")  # as sklearn's analyzers normalise them


class EntryClassifier:
    settings = SETTINGS

    def __init__(self, texts: list[str] | None, labels: list[int] | None, n_classes: int, cache: Path,
                 digest: str | None = None):
        """Trained on `texts` (or loaded from `cache` when it was trained on the same texts); with texts
        None, `digest` names the cached weights to load (the engine's prepared index vouches for them)."""
        if digest is None:
            digest = hashlib.sha256(json.dumps([self.settings, n_classes, texts, labels],
                                               ensure_ascii=False).encode()).hexdigest()
        self.digest = digest
        loaded = None
        if cache.exists():
            with np.load(cache) as z:
                if str(z["digest"]) == digest and "coef_t" in z.files:
                    loaded = (z["vocabulary"].tolist(), z["idf"], z["coef_t"], z["intercept"])
        if loaded is None and texts is None:
            raise FileNotFoundError(f"{cache.name}: no weights with digest {digest[:12]}")
        if loaded is None:
            loaded = self._train(texts, np.asarray(labels), n_classes, self.settings)
            try:
                # uncompressed: float16 weights barely compress, and inflating them cost 0.1 s a start
                np.savez(cache, vocabulary=np.array(loaded[0]), idf=loaded[1], coef_t=loaded[2],
                         intercept=loaded[3], digest=np.array(digest))
            except OSError:
                pass  # read-only data directory: train again next time
        vocabulary, idf, coef_t, intercept = loaded
        self.vocabulary = {g: i for i, g in enumerate(vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.coef_t = coef_t  # features × entries, float16: a question touches only its own rows
        self.intercept = np.asarray(intercept, dtype=np.float32)

    @staticmethod
    def _train(texts: list[str], labels: np.ndarray, n_classes: int, settings: dict = SETTINGS):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vectorizer = TfidfVectorizer(analyzer=settings["analyzer"], ngram_range=tuple(settings["ngram_range"]),
                                     min_df=settings["min_df"], sublinear_tf=settings["sublinear_tf"])
        features = vectorizer.fit_transform(texts)
        model = LogisticRegression(C=settings["C"], max_iter=3000,
                                   class_weight=settings.get("class_weight")).fit(features, labels)
        coef = np.zeros((n_classes, features.shape[1]), dtype=np.float32)
        intercept = np.full(n_classes, -1e3, dtype=np.float32)  # an entry without training text never wins
        if len(model.classes_) == 2:  # two classes: sklearn keeps one row (the second class's log-odds)
            coef[model.classes_] = np.vstack([np.zeros_like(model.coef_[0]), model.coef_[0]])
            intercept[model.classes_] = [0.0, model.intercept_[0]]
        else:
            coef[model.classes_] = model.coef_
            intercept[model.classes_] = model.intercept_
        # float16 halves the file; stored and used alike, so a cached start answers as a fresh one
        coef_t = np.ascontiguousarray(coef.T.astype(np.float16))
        return (list(vectorizer.get_feature_names_out()), vectorizer.idf_, coef_t, intercept)

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The question's TF-IDF vector as (feature indices, weights): sklearn's char analyzer
        (lowercase, runs of white space as one, 1–3-grams), sublinear tf, idf, L2 norm."""
        text = _WHITE_SPACES.sub(" ", text.lower())
        counts: dict[int, int] = {}
        lo, hi = self.settings["ngram_range"]
        for n in range(lo, hi + 1):
            for i in range(len(text) - n + 1):
                j = self.vocabulary.get(text[i:i + n])
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        w = (1.0 + np.log(tf)) * self.idf[idx]
        return idx, w / np.linalg.norm(w)

    def decision(self, text: str) -> np.ndarray:
        """One score per entry (log-odds up to a constant); higher is likelier."""
        idx, w = self.features(text)
        return w.astype(np.float32) @ self.coef_t[idx].astype(np.float32) + self.intercept

    @staticmethod
    def probabilities(decision: np.ndarray) -> np.ndarray:
        e = np.exp(decision - decision.max())
        return e / e.sum()


class ScopeClassifier(EntryClassifier):
    """Whether a question is outside the two documents, learnt from the learning sets' out-of-scope questions
    (养老金, 医保, 公积金 … asked as people ask them) against the paraphrases and in-scope questions: class 1 is
    "资料外". A second opinion beside the topic list (scope.py) for the neighbours the list does not name."""

    settings = SCOPE_SETTINGS

    def out_probability(self, text: str) -> float:
        return float(self.probabilities(self.decision(text))[1])


# Which service a question asks for (IntentClassifier): under a thousand questions in ten classes, so every n-gram
# counts (min_df 1), characters and pairs of them (1–2-grams beat 1–3 and 1–4), little regularisation (C 300 beat
# 3 … 100), each class weighed alike; chosen leaving one service set out (README, 问政策 › 服务入口的意图分类器)
INTENT_SETTINGS = {**SETTINGS, "ngram_range": [1, 2], "min_df": 1, "C": 300.0, "class_weight": "balanced"}


class IntentClassifier(EntryClassifier):
    """Which service a question asks for — class 0 none (a question about a policy, a story, thanks), then the
    intents of data/ask/intents.yaml in their order — learnt from the service sets of data/ask/learning.yaml:
    blind-written questions that ask for a job, a fair, odd jobs … and as many that only name them."""

    settings = INTENT_SETTINGS

    def trained(self, k: int) -> bool:
        """Whether class k had questions to learn from (a class without any keeps the -1e3 intercept)."""
        return bool(self.intercept[k] > -1e2)
