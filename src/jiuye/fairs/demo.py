"""A small live demo of 招聘会 for `make serve` and `jiuye fairs demo`: the weekly fairs and live streams
of the coming weeks (from data/fairs/fairs.yaml), a booth of 扎赉特旗禾丰农牧业专业合作社（演示） approved
at the next weekly fair (its three materials are one-page placeholder PDFs marked 演示), two visitors
pre-registered, and the demo posts featured in the next live stream — all through the services, so the
audit trail, the outbox and the report are real.

Everything is invented and marked （演示）. Idempotent: nothing is added when a booth exists, or when the
demo accounts or the demo market are missing (a production database).
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.fairs import booths, fairs, visitors
from jiuye.fairs.models import Booth

PLACEHOLDER = b"%PDF-1.4\n% \xe6\xbc\x94\xe7\xa4\xba demo placeholder\n%%EOF\n"


def _user(s: Session, username: str) -> User | None:
    return s.scalar(select(User).where(User.username == username))


def load_demo_fairs(s: Session) -> dict:
    mz, coop = _user(s, "mz"), _user(s, "hefeng_coop")
    if mz is None or coop is None:
        return {"loaded": False, "reason": "演示账号或演示岗位不存在：未加载招聘会演示数据"}
    if s.scalar(select(func.count()).select_from(Booth)):
        return {"loaded": False, "reason": "已有展位申请：未加载招聘会演示数据"}
    made = fairs.ensure_schedule(s)
    weekly = next((f for f in fairs.upcoming(s, kind="onsite") if f.series and not fairs.is_past(f)), None)
    if weekly is None:
        return {"loaded": False, "reason": "没有可用的每周招聘会"}
    from jiuye.market import postings

    own = [p.id for p in postings.list_for(s, coop, state="published")][:3]
    b = booths.apply(s, coop, weekly.id, sector="农牧业", contact_name="包经理（演示）", phone="13904820101",
                     posting_ids=own, files={m: (f"{m}-演示.pdf", PLACEHOLDER) for m in ("licence", "legal_id", "form")})
    booths.approve(s, mz, b.id, note="演示：材料齐全")
    for name, phone in (("乌力吉（演示）", "13904820102"), ("高娜（演示）", "13904820103")):
        visitors.register(s, None, weekly.id, name=name, phone=phone)
    stream = next((f for f in fairs.upcoming(s, kind="stream") if not fairs.is_past(f)), None)
    featured = 0
    if stream is not None:
        _total, public = postings.search(s, limit=3)
        for p in public:
            fairs.feature(s, mz, stream.id, p.id)
            featured += 1
    return {"loaded": True, "fairs": made, "fair_id": weekly.id, "booth_id": b.id, "featured": featured}
