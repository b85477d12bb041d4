"""Details the documents leave out (data/ask/unstated.yaml): a question that asks one of them — how long a
review or a payment takes — about a policy whose passages never state it is told so, with that policy's
phone numbers and a link to what the documents do say, rather than shown a passage that does not answer."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jiuye.knowledge.loader import DataError, parse_yaml


@dataclass(frozen=True)
class Detail:
    id: str
    label: str
    asks: tuple[re.Pattern, ...]
    stated: tuple[re.Pattern, ...]


class UnstatedDetails:
    def __init__(self, path: Path, entries) -> None:
        doc = parse_yaml(path.read_text(encoding="utf-8")) if path.exists() else {}
        self.details: list[Detail] = []
        for n, raw in enumerate((doc or {}).get("details") or [], 1):
            where = f"{path}：第 {n} 项（{raw.get('id') or '没有 id'}）"
            if not raw.get("id") or not raw.get("label") or not raw.get("asks") or not raw.get("stated"):
                raise DataError(f"{where} 须有 id、label、asks 和 stated")
            try:
                asks = tuple(re.compile(str(p)) for p in raw["asks"])
                stated = tuple(re.compile(str(p)) for p in raw["stated"])
            except re.error as exc:
                raise DataError(f"{where} 的正则表达式无效：{exc}") from None
            self.details.append(Detail(str(raw["id"]), str(raw["label"]), asks, stated))
        # policy → the text of all its passages (a detail stated anywhere in the policy counts)
        self._texts: dict[str, str] = {}
        for e in entries:
            for p in e.policies:
                self._texts[p] = self._texts.get(p, "") + "\n" + e.question + "\n" + e.answer

    def missing(self, text: str, policies) -> Detail | None:
        """The detail `text` asks that no passage of `policies` states (None: nothing such is asked, the
        passage belongs to no policy, or the documents state it)."""
        policies = [p for p in policies if p in self._texts]
        if not policies:
            return None
        for d in self.details:
            if any(p.search(text) for p in d.asks):
                body = "\n".join(self._texts[p] for p in policies)
                if not any(s.search(body) for s in d.stated):
                    return d
        return None
