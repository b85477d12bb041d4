"""Where each screening sentence comes from (:class:`Cite`): the document's title and section and the
quoted sentence, or an official reference (title and address) for a parameter the documents do not give.

A sentence cites the quote of the document in force on the date (``quotes`` of data/screening/reasons.yaml
are alternatives, one per document), the references it lists under ``also``, and — for each figure it
shows that comes from a parameter and that none of these states — that parameter's own reference: the
quote shown for a figure is the sentence that carries it (:func:`carries`).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from jiuye.knowledge.text import normalise
from jiuye.screening.reasons import (
    _PLACEHOLDER, QuoteSpec, ReasonsFile, _names_in, _number, _plain, document_in_force, fmt, shown_names,
)



@dataclass(frozen=True)
class Cite:
    """Where a sentence comes from: a document's section and quote, or an official reference
    (title, address) for a parameter that the two documents do not give."""
    document: str | None = None
    section: str | None = None
    quote: str | None = None
    title: str | None = None
    href: str | None = None
    parameter: str | None = None

    def as_json(self) -> dict[str, Any]:
        from jiuye.knowledge.labels import labels

        out: dict[str, Any] = {"document": self.document, "section": self.section, "quote": self.quote}
        out["title"] = labels().document_title(self.document) if self.document else self.title
        if self.href:
            out["href"] = self.href
        if self.parameter:
            out["parameter"] = self.parameter
        return out

    def stated(self) -> str:
        """What the source says in words: the quote, or an official reference's title."""
        return self.quote or self.title or ""

    def text(self) -> str:
        """《百问百答》三、失业保险政策 › (一)失业保险金政策 › 1：“…” — as a person reads it."""
        from jiuye.knowledge.labels import labels

        if self.document:
            where = labels().source_name(self.document, self.section)
            return f"{where}：“{self.quote}”" if self.quote else f"见{where}"
        where = f"{self.title}（{self.href}）" if self.href else f"{self.title}"
        return f"{where}：“{self.quote}”" if self.quote else where


def _official(r: dict, path: str) -> Cite:
    """An official reference (no document of the two): its title, address, and the words it is cited
    for (its ``note``, where that is a transcription in Chinese rather than a developer's remark)."""
    note = str(r.get("note") or "").strip()
    quote = note if _CJK.search(note) and not note.startswith(("deduced", "derived")) else None
    return Cite(title=str(r["title"]).strip(), href=r.get("href"), quote=quote, parameter=path)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def parameter_cite(tbs, path: str, day: dt.date, spec: ReasonsFile, value: Any = None) -> Cite | None:
    """The reference of a parameter as of ``day``: that of the value in force, else the parameter's
    own (or its nearest parent's); of the document in force where several documents are cited, and
    an official reference (title and address) where no document is. Given the ``value`` shown, a
    reference that states it comes first (000 names 上年度全国城镇调查失业率控制目标, the 2020 政府工作报告
    gives its 6%)."""
    node = tbs.parameters
    chain = []
    try:
        for part in path.split("."):
            node = node.children[part]
            chain.append(node)
    except (AttributeError, KeyError):
        return None
    candidates: list[list[dict]] = []
    values = getattr(node, "values_list", None)
    if values:
        for at in values:  # newest first
            if at.instant_str <= day.isoformat():
                candidates.append([r for r in (at.metadata.get("reference") or []) if isinstance(r, dict)])
                break
    candidates += [[r for r in (a.metadata.get("reference") or []) if isinstance(r, dict)] for a in reversed(chain)]
    for refs in candidates:
        if value is not None:
            stating = [r for r in refs if carries(str(r.get("quote") or r.get("note") or r.get("title") or ""), value)]
            quoted_stating = [r for r in stating if r.get("document") and r.get("quote")]
            if quoted_stating:
                doc = document_in_force(spec, day, [str(r["document"]) for r in quoted_stating])
                r = next(r for r in quoted_stating if str(r["document"]) == doc)
                return Cite(document=doc, section=r.get("section"), quote=str(r["quote"]).strip(), parameter=path)
            if stating and stating[0].get("title"):
                return _official(stating[0], path)
        quoted = [r for r in refs if r.get("document") and r.get("quote")]
        if quoted:
            doc = document_in_force(spec, day, [str(r["document"]) for r in quoted])
            r = next(r for r in quoted if str(r["document"]) == doc)
            return Cite(document=doc, section=r.get("section"), quote=str(r["quote"]).strip(), parameter=path)
        official = [r for r in refs if r.get("title")]
        if official:
            return _official(official[0], path)
    return None


def pick_cite(quotes: list[QuoteSpec], tbs, day: dt.date, spec: ReasonsFile) -> Cite | None:
    """Of alternative quotes, the one of the document in force on ``day``."""
    found: list[Cite] = []
    for q in quotes:
        if q.parameter:
            c = parameter_cite(tbs, q.parameter, day, spec)
            if c:
                found.append(c)
        elif q.document and q.text:
            found.append(Cite(document=q.document, section=q.section, quote=q.text))
    doc = document_in_force(spec, day, [c.document for c in found if c.document])
    return next((c for c in found if c.document == doc), found[0] if found else None)


_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def figure_forms(value: Any) -> set[str]:
    """How a figure may be written in a document: 1 → 1; 0.9 → 90%; 12 (months) → 1年; 1404.0 → 1404.00."""
    value = _plain(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return set()
    x = float(value)
    out = {_number(x)}
    if x.is_integer():
        out |= {str(int(x)), f"{int(x)}.00"}
        if x > 0 and int(x) % 12 == 0:
            out.add(f"{int(x) // 12}年")
        if x > 0 and int(x) % 10000 == 0:
            out.add(f"{int(x) // 10000}万")
    if 0 < x <= 10:  # a share or a multiplier: 0.9 → 90%, 1.5 → 150%
        out.add(_number(round(x * 100, 4)) + "%")
    return out


@functools.lru_cache(maxsize=4096)
def _numbers_in(quote: str) -> tuple[str, str]:
    import warnings

    import cn2an

    text = normalise(quote).replace(",", "").replace("，", "")
    try:
        with warnings.catch_warnings():  # cn2an warns on a numeral it cannot read ("20万")
            warnings.simplefilter("ignore")
            arabic = cn2an.transform(text, "cn2an")
    except Exception:  # noqa: BLE001 - a text cn2an cannot read: compare as it is
        arabic = text
    return text, arabic


def carries(quote: str | None, value: Any) -> bool:
    """Does the quoted sentence state this figure (in one of its written forms)?"""
    if not quote:
        return False
    forms = figure_forms(value)
    if not forms:
        return True  # not a figure
    texts = _numbers_in(quote)
    for form in forms:
        for text in texts:
            if form.endswith(("%", "年", "万")):
                if form in text:
                    return True
            elif form in _DIGITS.findall(text):
                return True
    return False


def with_cites(text: str, cites: list[Cite]) -> str:
    if not cites:
        return text
    return f"{text}（{'；'.join(c.text() for c in cites)}）"


def sentence_cites(item, template: str, values: dict[str, Any], tbs, day: dt.date, spec: ReasonsFile) -> list[Cite]:
    """The sources of one rendered sentence of ``item`` (a condition, note or amount line): the quote of
    the document in force, the references it adds (``also``), and for each figure of the sentence taken
    from a parameter that none of these carries, that parameter's own reference."""
    out: list[Cite] = []

    def add(c: Cite | None) -> None:
        if c is not None and all((c.document, c.quote, c.title) != (x.document, x.quote, x.title) for x in out):
            out.append(c)

    add(pick_cite(item.quotes, tbs, day, spec))
    for path in getattr(item, "also", []):
        if "{" in path:  # a parameter chosen by a value: general.minimum_wage.tier_{tier}
            if any(values.get(n) is None for n, _f in _names_in(path)):
                continue
            path = _PLACEHOLDER.sub(lambda m: fmt(values[m.group(1)], "int"), path)
        add(parameter_cite(tbs, path, day, spec))
    for name, path, value in parameter_figures(item, template, values):
        if not any(carries(c.stated(), value) for c in out):
            add(parameter_cite(tbs, path, day, spec, value))
    return out


def parameter_figures(item, template: str, values: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(name, parameter path, value) of each figure the sentence shows that is a parameter's value."""
    out = []
    for name in dict.fromkeys(shown_names(template, values)):
        spec = item.values.get(name, "")
        value = values.get(name)
        if spec.startswith("param:") and value is not None and figure_forms(value):
            out.append((name, spec[6:], value))
    return out
