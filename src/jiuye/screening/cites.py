"""Where each screening sentence comes from (:class:`Cite`): the document's title and section and the
quoted sentence, or — for a parameter the documents do not give — its reference outside them: an
official notice (title, address, the sentence with the figure), a reprint (said so: the official text
was not found), a value a staff member entered in the console (who, when, on what basis), or that
the sources give no value for the date.

A sentence cites the quote of the document in force on the date (``quotes`` of data/screening/reasons.yaml
are alternatives, one per document), the references it lists under ``also``, the parameters of the
values it lists under ``cite``, and — for each figure it shows that comes from a parameter and that
none of these states — that parameter's own reference: the quote shown for a figure is the sentence
that carries it (:func:`carries`). Each parameter cited from outside the documents is also given as
structured data (:func:`reference_json`, the reply's ``references``).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, replace
from typing import Any

from jiuye.knowledge.text import normalise
from jiuye.rules import find_parameter
from jiuye.screening.reasons import (
    _PLACEHOLDER, QuoteSpec, ReasonsFile, _names_in, _number, _plain, document_in_force, fmt, money, shown_names,
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
    official: bool | None = None  # a reference outside the documents: an official site (True) or not
    note: str | None = None  # said after it: a reprint, a staff entry (who, when, since), a missing value
    entered_by: str | None = None  # a value entered by staff in the console
    entered_at: str | None = None

    def as_json(self) -> dict[str, Any]:
        from jiuye.knowledge.labels import labels

        out: dict[str, Any] = {"document": self.document, "section": self.section, "quote": self.quote}
        out["title"] = labels().document_title(self.document) if self.document else self.title
        if self.href:
            out["href"] = self.href
        if self.parameter:
            out["parameter"] = self.parameter
        for key in ("official", "note", "entered_by", "entered_at"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
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
        if self.entered_by:  # a staff entry: who, when, since when, and the basis they gave
            return f"{self.note}，依据：{self.title or '未写明'}"
        where = f"{self.title}（{self.href}）" if self.href else f"{self.title}"
        where = f"{where}：“{self.quote}”" if self.quote else where
        return f"{where}（{self.note}）" if self.note else where


def _official(r: dict, path: str, siblings: list[dict] | None = None, at=None, node=None) -> Cite:
    """A reference outside the two documents: its title, address, and the words it is cited for (its
    ``quote``; in the older form without ``official``, its ``note`` where that is a transcription in
    Chinese rather than a developer's remark). A reference marked ``official: false`` is a reprint and
    says so; one with ``entered_by`` is a value staff entered in the console (name, Beijing time)."""
    title = str(r.get("title") or "").strip() or None
    if r.get("entered_by") and at is not None:
        since = dt.date.fromisoformat(at.instant_str)
        shown = f"{_label_of(node)} {_value_text(at.value, (node.metadata or {}).get('unit'))}" if at.value is not None \
            else _label_of(node)
        note = (f"{shown}：由工作人员{r['entered_by']}于{_beijing(str(r.get('entered_at') or ''))}在工作台录入"
                f"（自{fmt(since)}起）")
        return Cite(title=title, parameter=path, official=False, note=note, entered_by=str(r["entered_by"]),
                    entered_at=str(r.get("entered_at") or "") or None)
    if "official" in r:  # the form with an explicit quote: a note is a remark, not a transcription
        quote = str(r.get("quote") or "").strip() or None
        flags = [bool(x.get("official")) for x in (siblings or [r]) if "official" in x and not x.get("entered_by")]
        status = None if all(flags) else ("官方原文未找到，据转载" if not any(flags) else "官方文本仅部分取得，其余据转载")
        if at is not None and at.value is None:
            status = f"资料没有给出{fmt(dt.date.fromisoformat(at.instant_str))}起的数值，须由工作人员在工作台录入"
        return Cite(title=title, href=r.get("href"), quote=quote, parameter=path, official=bool(r.get("official")),
                    note=status)
    note = str(r.get("note") or "").strip()
    quote = str(r.get("quote") or "").strip() or (
        note if _CJK.search(note) and not note.startswith(("deduced", "derived")) else None)
    return Cite(title=title, href=r.get("href"), quote=quote, parameter=path)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def parameter_cite(tbs, path: str, day: dt.date, spec: ReasonsFile, value: Any = None) -> Cite | None:
    """The reference of a parameter as of ``day``: that of the value in force, else the parameter's
    own (or its nearest parent's); of the document in force where several documents are cited, and
    a reference outside them (an official notice, a reprint, a staff entry) where no document is.
    Given the ``value`` shown, a reference that states it comes first (000 names
    上年度全国城镇调查失业率控制目标, the 2020 政府工作报告 gives its 6%)."""
    node = tbs.parameters
    chain = []
    try:
        for part in path.split("."):
            node = node.children[part]
            chain.append(node)
    except (AttributeError, KeyError):
        return None
    candidates: list[tuple[list[dict], Any]] = []
    values = getattr(node, "values_list", None)
    at = next((v for v in values if v.instant_str <= day.isoformat()), None) if values else None  # newest first
    if at is not None:
        candidates.append(([r for r in ((at.metadata or {}).get("reference") or []) if isinstance(r, dict)], at))
    candidates += [([r for r in (a.metadata.get("reference") or []) if isinstance(r, dict)], None) for a in reversed(chain)]
    for refs, entry in candidates:
        web = [r for r in refs if not r.get("document") and r.get("title")]

        def outside(r: dict) -> Cite:
            return _official(r, path, web, entry, node)

        staff = next((r for r in web if r.get("entered_by")), None)
        if staff is not None and entry is not None:
            return outside(staff)
        if value is not None:
            stating = [r for r in refs if carries(str(r.get("quote") or r.get("note") or r.get("title") or ""), value)]
            quoted_stating = [r for r in stating if r.get("document") and r.get("quote")]
            if quoted_stating:
                doc = document_in_force(spec, day, [str(r["document"]) for r in quoted_stating])
                r = next(r for r in quoted_stating if str(r["document"]) == doc)
                return Cite(document=doc, section=r.get("section"), quote=str(r["quote"]).strip(), parameter=path)
            if stating and stating[0].get("title") and not stating[0].get("document"):
                return outside(stating[0])
        quoted = [r for r in refs if r.get("document") and r.get("quote")]
        if quoted:
            doc = document_in_force(spec, day, [str(r["document"]) for r in quoted])
            r = next(r for r in quoted if str(r["document"]) == doc)
            return Cite(document=doc, section=r.get("section"), quote=str(r["quote"]).strip(), parameter=path)
        if web:
            return outside(web[0])
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


def sentence_cites(item, template: str, values: dict[str, Any], tbs, day: dt.date, spec: ReasonsFile,
                   paths: dict[str, str | None] | None = None) -> list[Cite]:
    """The sources of one rendered sentence of ``item`` (a condition, note or amount line): the quote of
    the document in force, the references it adds (``also``), the parameters of the values it names
    under ``cite``, and for each figure of the sentence taken from a parameter that none of these
    carries, that parameter's own reference. ``paths``: the parameter path each ``param:`` value was
    read from (templated paths filled), from the evaluation."""
    out: list[Cite] = []

    def key(c: Cite) -> tuple:
        return c.document, _same(c.quote), c.title, None if c.document else c.parameter

    def add(c: Cite | None) -> None:
        if c is None:
            return
        same = next((i for i, x in enumerate(out) if key(x) == key(c)), None)
        if same is None:
            out.append(c)
        elif out[same].parameter is None and c.parameter:  # the sentence already cited is also the parameter's
            out[same] = replace(out[same], parameter=c.parameter)

    add(pick_cite(item.quotes, tbs, day, spec))
    for path in getattr(item, "also", []):
        if "{" in path:  # a parameter chosen by a value: general.minimum_wage.tier_{tier}
            if any(values.get(n) is None for n, _f in _names_in(path)):
                continue
            path = _PLACEHOLDER.sub(lambda m: fmt(values[m.group(1)], "int"), path)
        add(parameter_cite(tbs, path, day, spec))
    for name in getattr(item, "cite", []):
        path = _path_of(item, name, paths)
        if path:
            add(parameter_cite(tbs, path, day, spec, values.get(name)))
    for name, path, value in parameter_figures(item, template, values, paths):
        if not any(carries(c.stated(), value) for c in out):
            add(parameter_cite(tbs, path, day, spec, value))
    return out


def _same(quote: str | None) -> str | None:
    """A quote as compared: the same sentence cited twice (with and without the spaces of the
    source's layout, or its final full stop) is shown once."""
    return normalise(quote).rstrip("。.;；") if quote else quote


def _path_of(item, name: str, paths: dict[str, str | None] | None) -> str | None:
    """The parameter path of a ``param:`` value (None when its template names an unknown value)."""
    if paths is not None and name in paths:
        return paths[name]
    path = item.values.get(name, "")[6:]
    return None if "{" in path else path


def parameter_figures(item, template: str, values: dict[str, Any],
                      paths: dict[str, str | None] | None = None) -> list[tuple[str, str, Any]]:
    """(name, parameter path, value) of each figure the sentence shows that is a parameter's value."""
    out = []
    for name in dict.fromkeys(shown_names(template, values)):
        spec = item.values.get(name, "")
        value = values.get(name)
        if spec.startswith("param:") and value is not None and figure_forms(value):
            path = _path_of(item, name, paths)
            if path:
                out.append((name, path, value))
    return out


# ----------------------------------------------------------------------------------------------
# A parameter cited from outside the documents, as the reply's ``references`` (ParameterSource)

_UNIT_SUFFIX = {"currency-CNY": " 元", "/1": "", "month": " 个月", "year": " 年"}


def _value_text(value: Any, unit: str | None) -> str:
    if unit == "tier":
        return f"{fmt(int(value), 'cn')}类"
    if unit == "/1":
        return fmt(value, "pct")
    if unit == "currency-CNY":
        return f"{money(value)} 元"
    return fmt(value) + _UNIT_SUFFIX.get(unit or "", "")


def _beijing(moment: str) -> str:
    """'2026-03-01 09:30' (already Beijing time, as the console writes it) → '2026年3月1日 09:30'."""
    try:
        day, _, clock = moment.partition(" ")
        return f"{fmt(dt.date.fromisoformat(day))}{(' ' + clock) if clock else ''}"
    except ValueError:
        return moment


def _label_of(node) -> str:
    """The parameter's Chinese description (its English gloss, if any, dropped)."""
    text = re.sub(r"\s*\((?=[A-Za-z])[^()（）]*\)", "", node.description or node.name).strip()
    return text or node.name


def reference_json(tbs, cite: Cite, day: dt.date) -> dict | None:
    """A parameter cited from outside the two documents (a notice or its reprint, a staff entry, or
    no value for the date), as the reply's ParameterSource; None for a document's sentence."""
    if cite.document or not cite.parameter:
        return None
    node = find_parameter(tbs.parameters, cite.parameter)
    values = getattr(node, "values_list", None)
    at = next((v for v in values if v.instant_str <= day.isoformat()), None) if values else None
    if at is None:
        return None
    value = _plain(at.value) if at.value is not None else None
    return {"parameter": cite.parameter, "label": _label_of(node), "value": value,
            "since": dt.date.fromisoformat(at.instant_str), "text": cite.text(), "title": cite.title, "href": cite.href,
            "quote": cite.quote, "official": cite.official, "entered_by": cite.entered_by, "entered_at": cite.entered_at}


def missing_since(tbs, path: str, day: dt.date) -> dt.date | None:
    """The start of the span the sources leave without a value (an explicit null entry) that holds
    ``day``: staff can enter the value in the console. None where a value is in force."""
    node = find_parameter(tbs.parameters, path)
    values = getattr(node, "values_list", None)
    at = next((v for v in values if v.instant_str <= day.isoformat()), None) if values else None
    return dt.date.fromisoformat(at.instant_str) if at is not None and at.value is None else None
