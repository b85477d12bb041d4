"""Text helpers shared by the extractor, the loader and the quote checks.

PDF exports break lines mid-sentence, insert spaces between CJK characters and digits
("满 1 年", "内 蒙 古") and print page numbers on their own line. `clean_paragraphs` undoes that
while keeping the source's wording and punctuation; `normalise` is the looser form used to check
that a quote appears in its document.
"""
from __future__ import annotations

import re
import unicodedata

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u2460-\u24ff\u201c\u201d\u2018\u2019\u2014\u2026\u00b7"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0]+|[ \t\u00a0]+(?=[{_CJK}])")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$", re.M)
_TERMINATORS = tuple("。；！？!?;：:")
_LIST_START = re.compile(r"^(?:[①-⑩]|[（(]\d{1,2}[)）]|[（(][一二三四五六七八九十][)）]|\d{1,2}\s*[、.．](?!\d)|[一二三四五六七八九十]、|NO\.)")


def squeeze_spaces(line: str) -> str:
    """Drop spaces next to Chinese characters or punctuation; keep those between Latin words."""
    return _SPACE_NEAR_CJK.sub("", line).strip()


def clean_paragraphs(lines: list[str] | str) -> str:
    """Join PDF lines into paragraphs: a line continues the previous one unless the previous ended
    a sentence or the line starts a list item."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    paras: list[str] = []
    for raw in lines:
        line = squeeze_spaces(raw)
        if not line or _PAGE_NUMBER.fullmatch(line):
            continue
        if paras and not paras[-1].endswith(_TERMINATORS) and not _LIST_START.match(line):
            prev = paras[-1]
            sep = " " if (prev[-1:].isascii() and prev[-1:].isalnum() and line[:1].isascii() and line[:1].isalnum()) else ""
            paras[-1] = prev + sep + line
        else:
            paras.append(line)
    return "\n".join(paras)


def normalise(text: str) -> str:
    """The comparison form of a text: NFKC, no page-number lines, no whitespace at all."""
    text = unicodedata.normalize("NFKC", text)
    text = _PAGE_NUMBER.sub("", text)
    return re.sub(r"\s+", "", text)
