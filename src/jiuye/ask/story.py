"""Stories: a question that tells the asker's situation before it asks (issue 19, item 2).

"我今年52了，在厂里干了十年，上个月厂子倒闭了，现在每个月能领点啥": the situation's words (厂, 十年, 倒闭)
name the topic but not the need; the last clause names what the person asks for. `need_clause` finds
that clause — the last clause holding a question word (data/ask/aspects.yaml, `question_cues`: 啥, 咋, 多少 …)
or ending in a question particle (`question_final_cues`: 不, 没, 呢 … — inside a clause they tell the story:
「现在没活干」「不知道哪有活」) — so the engine can rank it on its own and read the aspect asked from it alone;
the rest of the question (the situation) only tells which policy (engine.policy_prior).
"""
from __future__ import annotations

import re

_CLAUSE_SPLIT = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


class NeedFinder:
    def __init__(self, cues: list[str], min_chars: int = 6, final_cues: list[str] | tuple[str, ...] = ()):
        self.cues = sorted({str(c) for c in cues if str(c)}, key=len, reverse=True)
        self.final_cues = tuple(sorted({str(c) for c in final_cues if str(c)}, key=len, reverse=True))
        self.min_chars = min_chars

    def asks(self, clause: str) -> bool:
        return any(c in clause for c in self.cues) or (bool(self.final_cues) and clause.endswith(self.final_cues))

    def need_clause(self, text: str) -> str | None:
        """The clause(s) of a normalised question (punctuation already turned into spaces) that ask,
        when the question tells a story first; None for a question of one clause, or when no clause
        but the first asks (nothing to tell apart)."""
        clauses = [c for c in _CLAUSE_SPLIT.split(text) if _CJK.search(c)]
        if len(clauses) < 2:
            return None
        at = next((i for i in range(len(clauses) - 1, -1, -1) if self.asks(clauses[i])), None)
        if at is None:
            at = len(clauses) - 1  # no cue at all: the last clause is where people ask
        start = at
        while start > 0 and self.asks(clauses[start - 1]):
            start -= 1  # "想学个手艺，培训要钱不": every asking clause of the end
        while start > 0 and sum(len(c) for c in clauses[start:at + 1]) < self.min_chars:
            start -= 1  # "咋办" alone says nothing: take the clause before it along
        if start == 0:
            return None  # the whole question is the need
        return " ".join(clauses[start:at + 1])
