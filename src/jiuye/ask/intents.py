"""What service a question asks for (issue 19, item 6): a job, 打工直通车, odd jobs, a fair, a course, a
start-up project — from data/ask/intents.yaml. Ask only names the intent and the words to search with;
the web layer asks the service (jiuye.web.front_door): ask/ imports no service package."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiuye.knowledge.loader import parse_yaml

_SPACE = re.compile(r"\s+")


class IntentError(ValueError):
    pass


@dataclass(frozen=True)
class Intent:
    id: str
    label: str
    service: str
    fallback_url: str
    fallback_label: str
    cues: tuple[str, ...]
    strip: tuple[str, ...]


class IntentFinder:
    def __init__(self, path: Path):
        doc = parse_yaml(path.read_text(encoding="utf-8")) if path.exists() else {}
        self.not_with = tuple(str(w) for w in doc.get("not_with", []))
        self.strip = tuple(str(w) for w in doc.get("strip", []))
        self.intents: list[Intent] = []
        for key, raw in (doc.get("intents") or {}).items():
            fb = raw.get("fallback") or {}
            if not raw.get("cues") or not fb.get("url", "").startswith("/") or not raw.get("service"):
                raise IntentError(f"{path.name}：意图「{key}」须有 cues、service 和以 / 开头的 fallback.url")
            self.intents.append(Intent(str(key), str(raw["label"]), str(raw["service"]), str(fb["url"]),
                                       str(fb.get("label") or raw["label"]), tuple(str(c) for c in raw["cues"]),
                                       tuple(str(w) for w in raw.get("strip", []))))

    def detect(self, text: str, districts: dict[str, str] | None = None) -> list[dict[str, Any]]:
        """The intents a (normalised) question asks for, the strongest first (its longest cue), each with
        the text to search with: the question without the cue words, filler and district names."""
        if not text or any(w in text for w in self.not_with):
            return []
        found = []
        for it in self.intents:
            hits = [c for c in it.cues if c in text]
            if hits:
                found.append((max(len(c) for c in hits), it))
        found.sort(key=lambda x: -x[0])
        out = []
        for _, it in found:
            query = text
            for name in sorted(districts or {}, key=len, reverse=True):
                if len(name) >= 2:
                    query = query.replace(name, " ")
            for w in sorted(set(it.strip) | set(self.strip), key=len, reverse=True):
                query = query.replace(w, " ")
            out.append({"id": it.id, "label": it.label, "service": it.service, "query": _SPACE.sub(" ", query).strip(),
                        "fallback_url": it.fallback_url, "fallback_label": it.fallback_label})
        return out
