"""Sister entries (issue 19, item 3): the other aspects of the top answer's policy, one tap away.

The commonest near miss is the right policy's wrong aspect: 「申请条件」 answered where 「申请材料」 was
asked. Every entry's aspect is read from its own heading (data/ask/aspects.yaml, `entry` words); the
entries sharing a policy with the top answer are offered, one per aspect it does not show itself, in the
order and with the labels of `sister_aspects`.
"""
from __future__ import annotations

from typing import Any

import numpy as np


class Sisters:
    def __init__(self, entries, entry_aspects: np.ndarray, aspect_names: list[str], labels: dict[str, str],
                 priority: list[str] | None = None):
        self.entries = entries
        self.labels = {a: str(labels[a]) for a in labels if a in aspect_names}
        order = [a for a in (priority or []) if a in self.labels] + [a for a in self.labels if a not in (priority or [])]
        columns = [aspect_names.index(a) for a in order]
        self.aspect_of: list[str | None] = []  # each entry's first sister aspect, by its heading
        for i in range(len(entries)):
            hit = [order[k] for k, c in enumerate(columns) if entry_aspects[i, c] > 0]
            self.aspect_of.append(hit[0] if hit else None)
        self.by_policy: dict[str, list[int]] = {}
        for i, e in enumerate(entries):
            for pid in e.policies:
                self.by_policy.setdefault(pid, []).append(i)
        self.index = {e.id: i for i, e in enumerate(entries)}

    def of(self, entry_id: str) -> list[dict[str, Any]]:
        """The sisters of an entry: one entry per other aspect of its policies, the entry's own document
        first (its headings match), each with its aspect and label."""
        i = self.index.get(entry_id)
        if i is None:
            return []
        top = self.entries[i]
        own = self.aspect_of[i]
        candidates = []
        for pid in top.policies:
            candidates += [j for j in self.by_policy.get(pid, []) if j != i and j not in candidates]
        # the same document before the other; a single-policy entry before a summary of several
        candidates.sort(key=lambda j: (self.entries[j].document != top.document, len(self.entries[j].policies) > 1, j))
        chosen: dict[str, int] = {}
        for j in candidates:
            a = self.aspect_of[j]
            if a and a != own and a not in chosen:
                chosen[a] = j
        out = []
        for a in self.labels:
            if a in chosen:
                e = self.entries[chosen[a]]
                out.append({"aspect": a, "label": self.labels[a], "id": e.id, "question": e.question,
                            "section": e.section, "document": e.document})
        return out
