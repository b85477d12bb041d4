"""The recruitment services the documents describe, for one page: 兴安打工直通车, 招聘会 (现场 and
网络), 零工市场 — each fact with its document, section and the document's date.

Everything comes from the data: data/dagong_express.yaml (打工直通车), the policies job_fair,
online_recruitment and gig_market, and the phone tables of data/contacts.yaml. The problems the
source audit finds in those tables (a number printed under two districts, a district missing, a
place outside the league) are attached to the rows they concern, never silently corrected.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from jiuye.knowledge.audit import districts_missing_from_tables, phone_shared_by_districts, places_outside_league
from jiuye.knowledge.catalogue import resolve_district
from jiuye.knowledge.loader import KnowledgeBase
from jiuye.knowledge.models import DOCUMENTS, Source

GIG_TABLE = "003-gig-market"
JOB_FAIR_TABLES = ("003-job-fair",)
JOB_FAIR, ONLINE, GIG = "job_fair", "online_recruitment", "gig_market"


def _doc(code: str, as_of: dt.date) -> dict[str, Any]:
    meta = DOCUMENTS[code]
    return {"code": code, "title": meta["title"], "date": meta["date"],
            "passed": dt.date.fromisoformat(meta["as_of"]) < as_of}


def _source(s: Source | Any, as_of: dt.date) -> dict[str, Any]:
    return {"document": s.document, "section": s.section, "quote": s.quote, "doc": _doc(s.document, as_of)}


def _dated(sources: list[dict], as_of: dt.date) -> list[dict]:
    """The documents a section rests on, those whose date has passed first: the page says the
    section is as of that date."""
    codes = sorted({s["document"] for s in sources})
    return [_doc(c, as_of) for c in codes]


def _table(kb: KnowledgeBase, table_id: str):
    return next(t for t in kb.contacts.tables if t.id == table_id)


def _phone_rows(kb: KnowledgeBase, table_ids, district: str | None, as_of: dt.date) -> list[dict]:
    """One row per (district, phone) of these tables, with every document printing it; where the
    tables give one district different numbers, each row says so."""
    rows: dict[tuple[str, str], dict] = {}
    for tid in table_ids:
        t = _table(kb, tid)
        for r in t.rows:
            d = kb.district_names.get(r.district, r.district)
            if r.not_in_league or (district and d != district):
                continue
            item = rows.setdefault((d, r.phone), {"district": d, "office": r.office, "phone": r.phone, "sources": []})
            item["sources"].append({"document": t.document, "section": f"{t.section} › {t.title}",
                                    "doc": _doc(t.document, as_of)})
    per_district: dict[str, int] = {}
    for d, _p in rows:
        per_district[d] = per_district.get(d, 0) + 1
    out = list(rows.values())
    for r in out:
        r["conflicting"] = per_district[r["district"]] > 1
    order = {d.key: i for i, d in enumerate(kb.districts)}
    out.sort(key=lambda r: (order.get(r["district"], 99), r["phone"]))
    return out


def _dagong(kb: KnowledgeBase, district: str | None, as_of: dt.date) -> dict[str, Any]:
    d = kb.dagong_express
    facts = {f.key: {"label": f.label, "value": f.value, "unit": f.unit, "note": f.note,
                     "sources": [_source(s, as_of) for s in f.sources]} for f in d.facts}
    ways = [{"label": w.label, "how": w.how, "sources": [_source(s, as_of) for s in w.sources]} for w in d.signup_ways]
    hq = d.fact("hq_phone")
    tables = list(d.contact_tables)
    phones = [r for r in _phone_rows(kb, tables, district, as_of) if r["phone"] != str(hq.value)]
    sources = [s for f in facts.values() for s in f["sources"]] + [s for w in ways for s in w["sources"]]
    return {"name": d.name, "wechat": d.wechat_account, "facts": facts, "signup_ways": ways,
            "services": d.fact("services").value, "hq_phone": str(hq.value),
            "hq_sources": [_source(s, as_of) for s in hq.sources], "phones": phones,
            "tables": [{"document": _table(kb, t).document, "section": _table(kb, t).section,
                        "title": _table(kb, t).title, "doc": _doc(_table(kb, t).document, as_of)} for t in tables],
            "documents": _dated(sources, as_of)}


def _job_fair(kb: KnowledgeBase, as_of: dt.date) -> dict[str, Any]:
    fair, online = kb.policies[JOB_FAIR], kb.policies[ONLINE]
    sources = [_source(s, as_of) for s in fair.sources] + [_source(s, as_of) for s in online.sources]
    return {"onsite": {"name": fair.name, "gives": fair.gives, "amounts": fair.amounts, "materials": fair.materials,
                       "offline": fair.channels.offline, "sources": [_source(s, as_of) for s in fair.sources]},
            "online": {"name": online.name, "gives": online.gives, "platforms": online.channels.online,
                       "offline": online.channels.offline, "amounts": online.amounts,
                       "sources": [_source(s, as_of) for s in online.sources]},
            "phones": _phone_rows(kb, JOB_FAIR_TABLES, None, as_of),
            "documents": _dated(sources, as_of)}


def _gig(kb: KnowledgeBase, district: str | None, as_of: dt.date) -> dict[str, Any]:
    policy = kb.policies[GIG]
    table = _table(kb, GIG_TABLE)
    shared = {f.id.split(":", 1)[1]: f.title for f in phone_shared_by_districts(kb)}
    missing = next((f for f in districts_missing_from_tables(kb) if f.id == f"missing-district:{GIG_TABLE}"), None)
    outside = [f for f in places_outside_league(kb) if f.id.startswith(f"not-in-league:{GIG_TABLE}:")]
    keys = [d.key for d in kb.districts if district is None or d.key == district]
    by_district = []
    for key in keys:
        rows = [{"office": r.office, "phone": r.phone, "warning": shared.get(r.phone),
                 "inference": (r.model_extra or {}).get("inference")}
                for r in table.rows if not r.not_in_league and kb.district_names.get(r.district, r.district) == key]
        by_district.append({"district": key, "rows": rows})
    intro = [_source(s, as_of) for s in policy.sources if "电话" not in s.section]
    table_source = {"document": table.document, "section": table.section, "title": table.title,
                    "doc": _doc(table.document, as_of)}
    gaps = [n for n in policy.notes if "没有写" in n]  # what the documents leave out (地点、时间、平台)
    return {"name": policy.name, "gives": policy.gives, "offline": policy.channels.offline, "intro": intro, "gaps": gaps,
            "table": table_source, "by_district": by_district,
            "missing_finding": missing.title if missing else None,
            "outside": [{"title": f.title, "explanation": f.explanation} for f in outside] if district is None else [],
            "documents": _dated(intro + [table_source], as_of)}


def recruitment_services(kb: KnowledgeBase, as_of: dt.date, district: str | None = None) -> dict[str, Any]:
    """The three services; `district` (a name or alias) narrows the phone lists to one 旗县市
    (UnknownName if it is not one of the league's)."""
    key = resolve_district(kb, district) if district else None
    return {"district": key, "as_of": as_of.isoformat(), "dagong": _dagong(kb, key, as_of),
            "job_fair": _job_fair(kb, as_of), "gig": _gig(kb, key, as_of)}


__all__ = ["recruitment_services"]
