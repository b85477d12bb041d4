"""One knowledge entry as Ask's answer: the passage, its source, its figures, and whether the policy's
window had closed on the day asked."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from jiuye.knowledge.loader import KnowledgeBase
from jiuye.knowledge.models import DOCUMENTS, Entry

_FIGURE = re.compile(
    r"(?:LPR\s*=?\s*)?\d+(?:\.\d+)?\s*(?:万元|元/人月|元/人/月|元/天|元|%|个月|个工作日|周岁|年|课时|天|日|人|次|BP)"
)


def answer_of(kb: KnowledgeBase, e: Entry, score: float, as_of: dt.date) -> dict[str, Any]:
    code = e.doc_code
    stale, reasons = False, []
    for pid in e.policies:
        p = kb.policies[pid]
        st = p.window_status(as_of)
        if st["state"] == "closed":
            w = st["window"]
            stale = True
            reasons.append(f"「{p.name}」资料所载{w.kind}已于 {w.end.isoformat()} 结束（{w.document}号资料：「{w.quote}」），"
                           f"截至 {as_of.isoformat()} 不应视为仍在受理，请向经办机构核实是否延续。")
    return {
        "id": e.id, "question": e.question, "text": e.answer, "document": e.document,
        "document_title": DOCUMENTS[code]["title"], "section": e.section, "date": e.date,
        "score": round(score, 3), "policies": e.policies,
        "figures": sorted(set(m.group(0).replace(" ", "") for m in _FIGURE.finditer(e.answer)),
                          key=lambda x: e.answer.find(x[:2])),
        "stale": stale, "stale_reason": " ".join(reasons) or None,
    }
