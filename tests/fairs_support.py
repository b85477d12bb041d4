"""Shared set-up of the fair tests: a fresh database with the cases' demo accounts, the demo market,
xingan_food (乌兰浩特市) and other_firm (扎赉特旗) as employers with a published post each, and the clock
pinned through $JIUYE_NOW (platforms_support.Clock)."""
from __future__ import annotations

import contextlib
import datetime as dt

from sqlalchemy.orm import Session

from market_support import ensure_employers, market_db, post_in_state, user  # noqa: F401
from platforms_support import Clock  # noqa: F401

PDF = b"%PDF-1.4\n% test material\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def files(kind: bytes = PDF) -> dict:
    return {code: (f"{code}.pdf", kind) for code in ("licence", "legal_id", "form")}


@contextlib.contextmanager
def fairs_db(tmp_path, url: str | None = None):
    from jiuye.market.demo import load_demo_market

    with market_db(tmp_path, url) as engine:
        with Session(engine, expire_on_commit=False) as s:
            assert load_demo_market(s)["loaded"]
            ensure_employers(s)
        yield engine


def own_post(s: Session, username: str = "xingan_food", title: str = "食品包装工"):
    """A published post of `username` (made and approved through the services)."""
    from jiuye.market import postings
    from market_support import POST

    if username == "xingan_food":
        return post_in_state(s, "published", title=title)
    p = postings.create(s, user(s, username), {**POST, "title": title, "district": "扎赉特旗"}, submit=True)
    return postings.review_post(s, user(s, "zx_zlt"), p.id, "approve", "已核对")


def make_fair(s: Session, *, staff: str = "zx_wlht", booths: int = 2, mode: str = "first_come",
              day: dt.date | None = None, kind: str = "onsite"):
    from jiuye.fairs import fairs
    from jiuye.platforms import clock

    day = day or clock.today() + dt.timedelta(days=3)
    data = {"name": "乌兰浩特市春风行动专场招聘会", "kind": kind, "held_on": day.isoformat(), "start": "09:00",
            "end": "11:30", "place": "乌兰浩特市人力资源市场", "booths": str(booths), "assign_mode": mode}
    if kind == "online":
        data["platform"] = "nmrc"
    return fairs.create(s, user(s, staff), data)
