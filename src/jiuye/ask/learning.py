"""Questions Ask's classifiers learn from besides the paraphrases: evaluation sets written by blind helpers
(data/eval/*.yaml), each in-scope question with the entries that answer it (the entry classifier), and every
question as in or out of the documents' scope (the scope classifier). data/ask/learning.yaml lists the
sets; a set listed there no longer measures Ask fairly on its own, so `jiuye eval-ask --held-out` scores such a
set with a classifier trained without it (evaluate.held_out_classifier). Sets never looked at stay out of the list.

The service sets (`service_sets`: data/eval/ask_services_*.yaml, each question with the service it asks for or
none) teach the intent classifier which service a question asks for (intents.py); `service_kept_out` are never
learnt from.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from jiuye.knowledge.loader import parse_yaml


class LearningError(ValueError):
    pass


@dataclass(frozen=True)
class ServiceQuestion:
    source: str  # the set's file name (ask_services_blind2.yaml)
    question: str
    intent: str | None  # the id in data/ask/intents.yaml (jobs, fairs …); None: not a service request


@dataclass(frozen=True)
class Learned:
    source: str  # the set's file name (ask_blind3.yaml)
    question: str
    entry_ids: tuple[str, ...]  # empty: a question outside the documents

    @property
    def in_scope(self) -> bool:
        return bool(self.entry_ids)


class LearningSets:
    def __init__(self, path: Path, eval_dir: Path, entry_ids: set[str]):
        self.path, self.eval_dir = path, eval_dir
        doc = parse_yaml(path.read_text(encoding="utf-8")) if path.exists() else {}
        names = doc.get("sets") or []
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise LearningError(f"{path.name}：sets 应是评测集文件名的列表")
        self.names: list[str] = names
        self.kept_out: list[str] = [str(n) for n in doc.get("kept_out") or []]
        self.service_names: list[str] = [str(n) for n in doc.get("service_sets") or []]
        self.service_kept_out: list[str] = [str(n) for n in doc.get("service_kept_out") or []]
        for key, listed, out in (("", names, self.kept_out), ("service_", self.service_names, self.service_kept_out)):
            for n in listed:
                if n in out:
                    raise LearningError(f"{path.name}：{n} 既在 {key}sets 中又在 {key}kept_out 中")
                if not (eval_dir / n).is_file():
                    raise LearningError(f"{path.name}：找不到评测集 {n}")
        self._entry_ids = entry_ids
        self._items: list[Learned] | None = None

    def signature(self) -> str:
        """A digest of the list and of every listed set's bytes (the prepared index is rebuilt when one changes)."""
        h = hashlib.sha256(self.path.read_bytes() if self.path.exists() else b"")
        for n in self.names + self.service_names:
            h.update((self.eval_dir / n).read_bytes())
        return h.hexdigest()

    def service_items(self) -> list[ServiceQuestion]:
        """Every question of the service sets with the intent it asks for (its label mapped by intents_eval.LABELS)."""
        from jiuye.ask.intents_eval import LABELS, load_cases

        out = []
        for n in self.service_names:
            try:
                cases = load_cases(self.eval_dir / n)
            except ValueError as exc:
                raise LearningError(str(exc)) from exc
            out.extend(ServiceQuestion(n, str(c["q"]), LABELS[c["intent"]]) for c in cases)
        return out

    def items(self) -> list[Learned]:
        """Every question of the listed sets with its expected entries (none: out of scope), but those in another
        script or of emoji only (kind non_chinese: Ask tells them apart before any model); read when first needed."""
        if self._items is None:
            items = []
            for n in self.names:
                raw = parse_yaml((self.eval_dir / n).read_text(encoding="utf-8")) or []
                for row, c in enumerate(raw, 1):
                    ids = tuple(str(i) for i in c.get("expected") or [])
                    unknown = [i for i in ids if i not in self._entry_ids]
                    if unknown:
                        raise LearningError(f"{n} 第 {row} 题：没有这个条目 {unknown[0]}")
                    if str(c.get("q", "")).strip() and c.get("kind") != "non_chinese":
                        items.append(Learned(n, str(c["q"]), ids))
            self._items = items
        return self._items

    def __contains__(self, name: str) -> bool:
        return name in self.names
