"""What ranking a question gives: the entries best first, with the measures refusal looks at."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jiuye.knowledge.models import Entry


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
