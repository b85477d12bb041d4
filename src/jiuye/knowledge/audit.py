"""The source audit: conflicts and errors between and within the two documents.

Two kinds of finding:
- computed from the data files (phone numbers that differ for one centre and topic, a number
  printed under two districts, a place outside the league, a stated count that does not match the
  list, windows closed before the as-of date), so they stay true when the data changes;
- curated by a reader in data/audit/findings.yaml (another city's system, contradictions in a
  sentence), each with its quotes.
Every finding carries the quotes it rests on.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from jiuye.knowledge.loader import KnowledgeBase
from jiuye.knowledge.models import Finding, Quote

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def _row_quote(table, row) -> Quote:
    return Quote(document=table.document, section=f"{table.section} › {table.title}",
                 quote=getattr(row, "quote", None) or row.as_printed or f"{row.office} {row.phone}")


def phone_conflicts(kb: KnowledgeBase) -> list[Finding]:
    """Same district and topic, different numbers (within or across documents)."""
    by_key: dict[tuple[str, str], list] = defaultdict(list)
    for t in kb.contacts.tables:
        for r in t.rows:
            by_key[(kb.district_names.get(r.district, r.district), t.topic)].append((t, r))
    out = []
    for (district, topic), items in sorted(by_key.items()):
        phones = sorted({r.phone for _, r in items})
        if len(phones) < 2:
            continue
        docs = sorted({t.document for t, _ in items})
        per_doc = {d: sorted({r.phone for t, r in items if t.document == d}) for d in docs}
        across = len(docs) > 1 and per_doc[docs[0]] != per_doc[docs[-1]]
        out.append(Finding(
            id=f"phone-conflict:{district}:{topic}",
            kind="conflict",
            severity="medium" if across else "low",
            title=f"{district}「{topic}」咨询电话不一致：{'、'.join(phones)}",
            explanation=(
                "同一中心、同一事项，" + ("两份资料" if across else "同一资料的不同电话表") +
                "给出的号码不同：" + "；".join(f"{d}号资料为 {'、'.join(p)}" for d, p in per_doc.items()) +
                "。拨打前请以最新公告为准。"
            ),
            policies=sorted(kb.contacts.topics[topic].policies) if topic in kb.contacts.topics else [],
            quotes=[_row_quote(t, r) for t, r in items],
            computed=True,
        ))
    return out


def phone_shared_by_districts(kb: KnowledgeBase) -> list[Finding]:
    """One number printed under two districts: one of the tables is wrong."""
    by_phone: dict[str, list] = defaultdict(list)
    for t in kb.contacts.tables:
        for r in t.rows:
            by_phone[r.phone].append((t, r))
    out = []
    for phone, items in sorted(by_phone.items()):
        districts = sorted({kb.district_names.get(r.district, r.district) for _, r in items})
        if len(districts) < 2:
            continue
        out.append(Finding(
            id=f"phone-shared:{phone}",
            kind="error",
            severity="high",
            title=f"号码 {phone} 同时列在{'、'.join(districts)}名下",
            explanation="同一号码出现在不同旗县市的中心名下，至少一处印错。各表中的出现：" + "；".join(
                f"{t.document}号资料「{t.title}」列为{r.office}" for t, r in items),
            policies=sorted({p for t, _ in items for p in kb.contacts.topics.get(t.topic).policies}) if items else [],
            quotes=[_row_quote(t, r) for t, r in items],
            computed=True,
        ))
    return out


def places_outside_league(kb: KnowledgeBase) -> list[Finding]:
    out = []
    for t in kb.contacts.tables:
        for r in t.rows:
            if r.not_in_league:
                out.append(Finding(
                    id=f"not-in-league:{t.id}:{r.district}",
                    kind="error",
                    severity="high",
                    title=f"「{t.title}」列出了不属于兴安盟的「{r.district}」",
                    explanation=(f"兴安盟辖乌兰浩特市、阿尔山市、科右前旗、科右中旗、扎赉特旗、突泉县，"
                                 f"没有「{r.district}」。该行号码 {r.phone} 的归属无法确认。"),
                    policies=list(kb.contacts.topics[t.topic].policies) if t.topic in kb.contacts.topics else [],
                    quotes=[_row_quote(t, r)],
                    computed=True,
                ))
    return out


def districts_missing_from_tables(kb: KnowledgeBase) -> list[Finding]:
    league = {d.key for d in kb.districts}
    out = []
    for t in kb.contacts.tables:
        present = {kb.district_names.get(r.district, r.district) for r in t.rows}
        if len(present & league) < 4:  # single-office tables (a hotline) are not district tables
            continue
        missing = sorted(league - present)
        if missing:
            out.append(Finding(
                id=f"missing-district:{t.id}",
                kind="error",
                severity="medium",
                title=f"「{t.title}」缺少{'、'.join(missing)}",
                explanation=f"{t.document}号资料该电话表没有列出{'、'.join(missing)}的号码。",
                policies=list(kb.contacts.topics[t.topic].policies) if t.topic in kb.contacts.topics else [],
                quotes=[_row_quote(t, r) for r in t.rows[:1]],
                computed=True,
            ))
    return out


def stated_counts(kb: KnowledgeBase) -> list[Finding]:
    """A document that says "N kinds" and lists another number (创业园 认定等级)."""
    out = []
    levels = (kb.incubation or {}).get("levels") or {}
    for doc, info in sorted(levels.items()):
        if not isinstance(info, dict):  # free-text notes beside the per-document entries
            continue
        stated, listed = info.get("stated_count"), info.get("listed") or []
        if stated is not None and stated != len(listed):
            quote = info.get("quote") or "、".join(listed)
            out.append(Finding(
                id=f"count-mismatch:incubation-levels:{doc}",
                kind="internal_contradiction",
                severity="medium",
                title=f"{doc}号资料称创业孵化基地认定分为「{stated}个等级」，却列出{len(listed)}个",
                explanation="列出的等级：" + "、".join(listed) + "。",
                policies=["incubation_base"],
                quotes=[Quote(document=str(doc), section=info.get("section"), quote=quote)],
                computed=True,
            ))
    return out


def closed_windows(kb: KnowledgeBase, as_of: dt.date) -> list[Finding]:
    out = []
    for p in kb.policies.values():
        status = p.window_status(as_of)
        if status["state"] != "closed":
            continue
        w = status["window"]
        out.append(Finding(
            id=f"window-closed:{p.id}",
            kind="window_closed",
            severity="high",
            title=f"「{p.name}」的期限已于 {w.end.isoformat()} 结束（截至 {as_of.isoformat()}）",
            explanation=(f"资料所载最晚的{w.kind}为 {w.end.isoformat()}，早于 {as_of.isoformat()}。"
                         "资料之后是否延续，请向经办机构核实；本系统不把已结束的政策当作仍在受理。"),
            policies=[p.id],
            quotes=[Quote(document=x.document, quote=x.quote) for x in p.windows],
            computed=True,
        ))
    return out


def audit(kb: KnowledgeBase, as_of: dt.date) -> list[Finding]:
    findings = (
        phone_conflicts(kb) + phone_shared_by_districts(kb) + places_outside_league(kb)
        + districts_missing_from_tables(kb) + stated_counts(kb) + closed_windows(kb, as_of)
        + list(kb.curated_findings)
    )
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.kind, f.id))


def warnings_for(findings: list[Finding], policy_id: str) -> list[Finding]:
    return [f for f in findings if policy_id in f.policies]
