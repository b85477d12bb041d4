"""Check that every `quote:` in the given YAML files appears verbatim in its source document.

Usage: python tools/check_quotes.py data/policies/*.yaml
Normalisation (same as the loader's): NFKC, drop whitespace, drop page-number lines.
"""
import re
import sys
import unicodedata
from pathlib import Path

import yaml

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
DOCS = {"000": "000_f9cc2ab8b6bd2920.txt", "003": "003_d37aea6342dd24c9.txt"}


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"^\s*\d{1,3}\s*$", "", text, flags=re.M)  # page numbers on their own line
    return re.sub(r"\s+", "", text)


def walk(node, doc=None):
    if isinstance(node, dict):
        doc = str(node.get("document", doc)) if node.get("document") else doc
        for k, v in node.items():
            if k == "quote" and isinstance(v, str):
                yield doc, v
            else:
                yield from walk(v, doc)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v, doc)


def main(paths):
    texts = {k: norm((SEEDS / v).read_text(encoding="utf-8")) for k, v in DOCS.items()}
    bad = 0
    for p in paths:
        data = yaml.safe_load(Path(p).read_text(encoding="utf-8"))
        for doc, quote in walk(data):
            if doc not in texts:
                print(f"{p}: quote without document code: {quote[:40]}")
                bad += 1
            elif norm(quote) not in texts[doc]:
                print(f"{p}: not verbatim in {doc}: {quote[:60]}")
                bad += 1
    print("bad quotes:", bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
