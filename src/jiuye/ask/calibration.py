"""The numbers Ask's fusion and refusal use, read from data/ask/calibration.yaml (chosen on evaluation
questions by `jiuye eval-ask --calibrate`, see evaluate.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jiuye.knowledge.loader import parse_yaml

DEFAULT_WEIGHTS = {"q": 3.0, "a": 1.0, "s": 1.0, "c": 0.6, "p": 0.4, "x": 2.0}


@dataclass
class Calibration:
    min_score: float = 6.0
    min_coverage: float = 0.5
    min_prob: float = 0.0  # the classifier's probability for the top entry
    min_dense: float = 0.0
    max_out_prob: float = 1.01  # refused at or above this probability of being outside the documents (1.01: never)
    topic_override_out: float = 0.0  # the topic list is overruled below this probability of being outside (0: never)
    topic_override_prob: float = 1.0  # … when the entry classifier gives the first passage at least this
    dense_weight: float = 1.5  # weight of the dense z-score against the BM25 z-score
    aspect_weight: float = 0.0  # bonus (in z units) when question and entry ask/answer the same aspect
    paraphrase_weight: float = 0.0  # BM25 (character bigrams) of the entry's best-matching paraphrase
    classifier_weight: float = 0.0  # z-score of the classifier's decision
    story_weight: float = 0.0  # a story's asking clause ranked on its own, added with this weight (story.py)
    story_aspect_weight: float = 0.0  # added to aspect_weight when the aspect is read from a story's asking clause
    trigger_evidence: float = 2.0  # an out-of-scope trigger is outweighed by this many in-scope phrases
    evidence_weight: float = 2.0  # one in-scope phrase outweighs this many out-of-scope topic words
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    @classmethod
    def load(cls, path: Path, dense: bool = False) -> "Calibration":
        """The file's top level is for the default engine; its `dense:` block overrides it when
        the e5 re-ranker is on (the scores differ, so do the thresholds)."""
        if not path.exists():
            return cls()
        raw = parse_yaml(path.read_text(encoding="utf-8")) or {}
        if dense:
            raw = {**raw, **(raw.get("dense") or {})}
        return cls(min_score=float(raw.get("min_score", 6.0)), min_coverage=float(raw.get("min_coverage", 0.5)),
                   min_prob=float(raw.get("min_prob", 0.0)),
                   min_dense=float(raw.get("min_dense", 0.0)), max_out_prob=float(raw.get("max_out_prob", 1.01)),
                   topic_override_out=float(raw.get("topic_override_out", 0.0)),
                   topic_override_prob=float(raw.get("topic_override_prob", 1.0)),
                   dense_weight=float(raw.get("dense_weight", 1.5)),
                   aspect_weight=float(raw.get("aspect_weight", 0.0)),
                   paraphrase_weight=float(raw.get("paraphrase_weight", 0.0)),
                   classifier_weight=float(raw.get("classifier_weight", 0.0)),
                   story_weight=float(raw.get("story_weight", 0.0)),
                   story_aspect_weight=float(raw.get("story_aspect_weight", 0.0)),
                   trigger_evidence=float(raw.get("trigger_evidence", 2.0)),
                   evidence_weight=float(raw.get("evidence_weight", 2.0)),
                   weights={**DEFAULT_WEIGHTS, **(raw.get("weights") or {})})
