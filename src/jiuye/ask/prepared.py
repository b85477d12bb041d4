"""The prepared-text cache (data/ask/prepared.json.gz): paraphrases normalised like a question and the
pinyin of passages, kept on disk because computing thousands of them costs seconds; keyed by the text
pipeline's signature. Read only when the index is rebuilt (engine.py)."""
from __future__ import annotations

import gzip
import json
from pathlib import Path


def _read_prepared(path: Path, signature: str) -> dict[str, str]:
    """Prepared paraphrases from an earlier start, if the text pipeline is still the same."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return {}
    return dict(doc.get("texts", {})) if doc.get("signature") == signature else {}


def _write_prepared(path: Path, signature: str, texts: dict[str, str]) -> None:
    try:
        data = json.dumps({"signature": signature, "texts": dict(sorted(texts.items()))}, ensure_ascii=False, indent=0)
        path.write_bytes(gzip.compress(data.encode("utf-8"), mtime=0))  # same texts, same bytes
    except OSError:
        pass  # read-only data directory: prepare again next time
