"""Queries over the knowledge base: the one service layer the CLI and the API both call.

Unknown names raise UnknownName with the nearest valid names, so both front ends can say
"did you mean …" (exit 2 on the CLI, 404/422 on the API).
"""
from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from jiuye.knowledge.audit import audit, warnings_for
from jiuye.knowledge.loader import KnowledgeBase
from jiuye.knowledge.models import Policy

GENERAL_HOTLINE = {"name": "人力资源和社会保障服务热线", "phone": "12333"}


class UnknownName(LookupError):
    def __init__(self, field: str, value: str, suggestions: list[str]):
        self.field, self.value, self.suggestions = field, value, suggestions
        hint = f"；您是不是要找：{'、'.join(suggestions)}" if suggestions else ""
        super().__init__(f"未知的{field}「{value}」{hint}")

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "value": self.value, "message": str(self), "suggestions": self.suggestions}


def nearest(value: str, candidates: list[str], n: int = 3) -> list[str]:
    found = difflib.get_close_matches(value, candidates, n=n, cutoff=0.3)
    if not found:  # Chinese names: substring overlap says more than edit distance
        found = [c for c in candidates if value and (value in c or c in value)][:n]
    return found


# --- policies -------------------------------------------------------------------------------
def all_groups(kb: KnowledgeBase) -> list[str]:
    return sorted({g for p in kb.policies.values() for g in p.target_groups})


def list_policies(kb: KnowledgeBase, subject: str | None = None, group: str | None = None) -> list[Policy]:
    if subject is not None and subject not in ("person", "enterprise"):
        raise UnknownName("对象", subject, ["person", "enterprise"])
    policies = list(kb.policies.values())
    if subject:
        policies = [p for p in policies if subject in p.for_]
    if group:
        matched = [p for p in policies if any(group in g or g in group for g in p.target_groups)]
        if not matched and not any(group in g or g in group for g in all_groups(kb)):
            raise UnknownName("人群", group, nearest(group, all_groups(kb)))
        policies = matched
    return sorted(policies, key=lambda p: p.id)


def get_policy(kb: KnowledgeBase, policy_id: str) -> Policy:
    try:
        return kb.policies[policy_id]
    except KeyError:
        by_name = {p.name: p.id for p in kb.policies.values()}
        hits = nearest(policy_id, list(kb.policies)) or [by_name[n] for n in nearest(policy_id, list(by_name))]
        raise UnknownName("政策编号", policy_id, hits) from None


def policy_summary(p: Policy, as_of: dt.date, warnings: int = 0) -> dict[str, Any]:
    status = p.window_status(as_of)
    return {
        "id": p.id, "name": p.name, "for": p.for_, "kind": p.kind,
        "target_groups": p.target_groups, "gives": p.gives,
        "window": _window_json(status), "warnings": warnings,
    }


def _window_json(status: dict) -> dict[str, Any]:
    w = status.get("window")
    out: dict[str, Any] = {"state": status["state"]}
    if w is not None:
        out.update(start=w.start.isoformat() if w.start else None, end=w.end.isoformat() if w.end else None,
                   kind=w.kind, document=w.document, quote=w.quote)
    return out


def policy_detail(kb: KnowledgeBase, p: Policy, as_of: dt.date, district: str | None = None) -> dict[str, Any]:
    findings = warnings_for(audit(kb, as_of), p.id)
    data = p.model_dump(mode="json", by_alias=True)
    data["as_of"] = as_of.isoformat()
    data["window"] = _window_json(p.window_status(as_of))
    data["warnings"] = [f.model_dump(mode="json") for f in findings]
    data["contacts"] = find_contacts(kb, district=district, topic=p.contact_topic)
    data["entries"] = [e.id for e in kb.entries if p.id in e.policies]
    return data


# --- contacts -------------------------------------------------------------------------------
def resolve_district(kb: KnowledgeBase, name: str) -> str:
    key = kb.district_names.get(name.strip())
    if key:
        return key
    for alias, k in kb.district_names.items():  # "扎赉特旗人社" → 扎赉特旗
        if len(alias) >= 2 and alias in name:
            return k
    raise UnknownName("旗县市", name, nearest(name, [d.key for d in kb.districts]))


def resolve_topic(kb: KnowledgeBase, name: str) -> str:
    topics = kb.contacts.topics
    if name in topics:
        return name
    if name in kb.policies:
        return kb.policies[name].contact_topic
    for key, t in topics.items():
        if name in key or name in t.label:
            return key
    for p in kb.policies.values():
        if name in p.name:
            return p.contact_topic
    raise UnknownName("事项", name, nearest(name, list(topics)))


def find_contacts(kb: KnowledgeBase, district: str | None = None, topic: str | None = None) -> list[dict[str, Any]]:
    """Phone rows, one per (district, topic, phone), with every document that prints it.
    Where the documents disagree all numbers are returned, newest document first, marked conflicting."""
    dkey = resolve_district(kb, district) if district else None
    tkey = resolve_topic(kb, topic) if topic else None
    grouped: dict[tuple[str, str, str], dict[str, Any]] = {}
    for t in kb.contacts.tables:
        if tkey and t.topic != tkey:
            continue
        for r in t.rows:
            rd = kb.district_names.get(r.district, r.district)
            if dkey and rd != dkey:
                continue
            key = (rd, t.topic, r.phone)
            item = grouped.setdefault(key, {
                "district": rd, "office": r.office, "topic": t.topic,
                "topic_label": kb.contacts.topics[t.topic].label if t.topic in kb.contacts.topics else t.topic,
                "phone": r.phone, "sources": [], "not_in_league": r.not_in_league,
            })
            item["sources"].append({"document": t.document, "table": t.title, "section": t.section})
    rows = list(grouped.values())
    per_key: dict[tuple[str, str], int] = {}
    for r in rows:
        per_key[(r["district"], r["topic"])] = per_key.get((r["district"], r["topic"]), 0) + 1
    for r in rows:
        r["conflicting"] = per_key[(r["district"], r["topic"])] > 1
        r["newest_document"] = max(s["document"] for s in r["sources"])
    rows.sort(key=lambda r: (r["district"] != "兴安盟", r["district"], r["topic"], r["newest_document"] != "003", r["phone"]))
    return rows
