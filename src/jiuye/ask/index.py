"""Building Ask's index, or loading it prepared (data/ask/index.npz): the six BM25 fields of every entry,
the per-paraphrase BM25, the classifier's training texts (paraphrases and the learning sets' questions), the
vocabularies the refusal measures use. A mixin of AskEngine (engine.py), which holds the text pipeline, the entries and the caches."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from jiuye.ask.bm25 import SparseBM25
from jiuye.ask.classifier import EntryClassifier, IntentClassifier, ScopeClassifier
from jiuye.ask.prepared import _read_prepared
from jiuye.knowledge.loader import parse_yaml
from jiuye.knowledge.models import Entry

FIELDS = ("q", "a", "s", "c", "p", "x")  # heading, body, section, char bigrams, pinyin bigrams, paraphrases


class IndexBuilder:
    # --- index ------------------------------------------------------------------------------
    def _fields(self, e: Entry) -> dict[str, list[str]]:
        # the heading with its parent: "一次性创业补贴 (三) 补贴标准", not a bare "(三) 补贴标准"
        fold = self.tp.fold  # as questions are folded (lower case, half width): 「IYB 创业培训」 meets 「iyb是啥」
        parts = e.section.split(" › ")
        head = fold(" ".join(dict.fromkeys([*parts[-2:], e.question])))
        names = " ".join(self.kb.policies[p].name for p in e.policies)
        body = fold(e.answer)
        return {
            "q": self.tp.words(head),
            "a": self.tp.words(body),
            "s": self.tp.words(fold(e.section + " " + " ".join(e.tags) + " " + names)),
            "c": self.tp.char_bigrams(head + body),
            "p": self._cached("pinyin", head + body, lambda t: " ".join(self.tp.pinyin_bigrams(t))).split(),
            "x": self.tp.words(fold(" ".join(self.paraphrases.get(e.id, [])))),
        }

    @property
    def paraphrases(self) -> dict[str, list[str]]:
        """Each entry's colloquial paraphrases (data/ask/paraphrases.yaml), read when first needed: a
        start from the prepared index does not need them."""
        if self._paraphrases is None:
            p = self._para_path
            self._paraphrases = parse_yaml(p.read_text(encoding="utf-8")).get("paraphrases", {}) if p.exists() else {}
        return self._paraphrases

    def _aspect_matrix(self) -> None:
        """entries × aspects, from each entry's own question / heading."""
        names = list(self.aspects)
        self.aspect_names = names
        self.entry_aspects = np.zeros((len(self.entries), len(names)), dtype=np.float64)
        for i, e in enumerate(self.entries):
            head = e.question if e.kind == "qa" else e.section.split(" › ")[-1] + e.question
            for j, a in enumerate(names):
                if any(k in head for k in self.aspects[a]["entry"]):
                    self.entry_aspects[i, j] = 1.0

    def _build(self) -> None:
        per_field: dict[str, list[list[str]]] = {f: [] for f in FIELDS}
        self.doc_words: list[set[str]] = []
        vocab: set[str] = set()
        for e in self.entries:
            fl = self._fields(e)
            for f in FIELDS:
                per_field[f].append(fl[f] or ["_"])
            words = set(fl["q"]) | set(fl["a"]) | set(fl["s"])
            self.doc_words.append(words)
            vocab |= words
        self.vocab = vocab
        self.vocab_pinyin = {self.tp.pinyin_of(w) for w in vocab if len(w) >= 2}
        self.indices = {f: SparseBM25.build(per_field[f]) for f in FIELDS}
        # each paraphrase (and the entry's own question) on its own: an entry scores its best one,
        # so one close paraphrase counts, however many others the entry has
        owners, texts = [], []
        for i, e in enumerate(self.entries):
            for t in [*self.paraphrases.get(e.id, []), e.question]:
                owners.append(i)
                texts.append(self.tp.char_bigrams(self._prepared(t)) or ["_"])
        self.paraphrase_owner = np.array(owners, dtype=np.int64)
        self.paraphrase_index = SparseBM25.build(texts)

    def _index_arrays(self) -> dict[str, np.ndarray]:
        arrays = {"classifier_digest": np.array(getattr(self.classifier, "digest", "")),
                  "scope_digest": np.array(getattr(self.scope_model, "digest", "")),
                  "intent_digest": np.array(getattr(self.intents.model, "digest", "")), "paraphrase_owner": self.paraphrase_owner,
                  "words": np.array(json.dumps({"doc_words": [sorted(w) for w in self.doc_words],
                                                "vocab_pinyin": sorted(self.vocab_pinyin)}, ensure_ascii=False))}
        for f, r in self.indices.items():
            arrays |= r.arrays(f"f_{f}")
        return arrays | self.paraphrase_index.arrays("para")

    def _load_index(self, z) -> None:
        words = json.loads(str(z["words"]))
        self.doc_words = [set(w) for w in words["doc_words"]]
        self.vocab = set().union(*self.doc_words)
        self.vocab_pinyin = set(words["vocab_pinyin"])
        self.indices = {f: SparseBM25.from_arrays(z, f"f_{f}") for f in FIELDS}
        self.paraphrase_owner = z["paraphrase_owner"]
        self.paraphrase_index = SparseBM25.from_arrays(z, "para")

    def _build_classifier(self, cache: Path, without: frozenset[str] = frozenset()) -> EntryClassifier:
        """Trained on every entry's paraphrases, its question and heading, and the questions of the learning sets
        (data/ask/learning.yaml) but those named in `without`, once for each entry a question's writer found to
        answer it."""
        texts, labels = [], []
        for i, e in enumerate(self.entries):
            head = " ".join(e.section.split(" › ")[-2:]) + " " + e.question
            for t in [*self.paraphrases.get(e.id, []), e.question, head]:
                texts.append(self._prepared(t))
                labels.append(i)
        at = {e.id: i for i, e in enumerate(self.entries)}
        for item in self.learning.items():
            if item.in_scope and item.source not in without:
                t = self._prepared(item.question)
                for eid in item.entry_ids:
                    texts.append(t)
                    labels.append(at[eid])
        return EntryClassifier(texts, labels, len(self.entries), cache)

    def _build_scope_classifier(self, cache: Path, without: frozenset[str] = frozenset()) -> ScopeClassifier:
        """In (0) or out (1) of the documents: the paraphrases and the learning sets' in-scope questions against
        their out-of-scope ones (but the sets named in `without`), each as `scope_text` gives it (what it is about)."""
        texts = [self.scope_text(self._prepared(t)) for e in self.entries for t in self.paraphrases.get(e.id, [])]
        labels = [0] * len(texts)
        for item in self.learning.items():
            if item.source not in without:
                texts.append(self.scope_text(self._prepared(item.question)))
                labels.append(0 if item.in_scope else 1)
        return ScopeClassifier(texts, labels, 2, cache)

    def _build_intent_classifier(self, cache: Path, without: frozenset[str] = frozenset()) -> IntentClassifier | None:
        """Which service a question asks for, from the service sets of data/ask/learning.yaml but those in `without`,
        each question as the intents see it (prepared, without the synonyms' additions). None without service sets."""
        items = [it for it in self.learning.service_items() if it.source not in without]
        if not items:
            return None
        classes = self.intents.classes
        unknown = sorted({it.intent for it in items} - set(classes))
        if unknown:
            raise ValueError(f"learning.yaml 的服务题集用了 intents.yaml 中没有的服务：{'、'.join(map(str, unknown))}")
        texts = [self.intents.model_text(self.tp.prepare(it.question).text, self.kb.district_names) for it in items]
        return IntentClassifier(texts, [classes.index(it.intent) for it in items], len(classes), cache)

    def intent_classifier_without(self, source: str, folder: Path) -> IntentClassifier | None:
        """The intent classifier trained without one service set (`eval-intents --held-out`), kept in `folder`."""
        return self._build_intent_classifier(folder / "intent_classifier.npz", without=frozenset({source}))

    def classifiers_without(self, source: str, folder: Path) -> tuple[EntryClassifier, ScopeClassifier]:
        """Both classifiers trained without one learning set's questions (`eval-ask --held-out`); their weights are
        kept in `folder` (a temporary one: the engine's own files are not touched)."""
        without = frozenset({source})
        return (self._build_classifier(folder / "classifier.npz", without=without),
                self._build_scope_classifier(folder / "scope_classifier.npz", without=without))

    def _prepared(self, text: str) -> str:
        # the same normalisation as a question (homophones, synonyms)
        return self._cached("prepared", text, lambda t: self.tp.prepare(t).expanded)

    def _cached(self, kind: str, text: str, compute) -> str:
        """A text-pipeline result for the index (prepared paraphrases, pinyin of passages). They
        cost ~0.2 ms each, thousands of them, so they are kept on disk (prepared.json.gz) for a
        fast cold start; the cache is keyed by the pipeline's signature."""
        if not hasattr(self, "_prepared_texts"):  # started from the prepared index: the texts' cache is on disk
            self._prepared_texts = _read_prepared(self._ask_dir / "prepared.json.gz", self.tp.signature)
            self._used, self._computed = set(), 0
        key = f"{kind}\x1f{text}"
        self._used.add(key)
        cache = self._prepared_texts
        if key not in cache:
            cache[key] = compute(text)
            self._computed += 1
        return cache[key]

