"""Shared set-up of the 打工直通车 tests: a fresh database with the cases' demo accounts and the demo
market (the posts to sign up for), the registry loaded from data/platforms/stations.yaml with its demo
stations, and a station master account at 葛根庙镇 (乌兰浩特市) and at 音德尔镇 (扎赉特旗). The clock is
pinned through $JIUYE_NOW (`Clock`)."""
from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.demo import DEMO_PASSWORD
from jiuye.platforms import clock
from market_support import market_db, user  # noqa: F401

WLHT, ZLT = "DEMO-WLHT-GGM", "DEMO-ZLTQ-YDE"


class Clock:
    """$JIUYE_NOW, moved by hand: `clk.advance(hours=25)`."""

    def __init__(self, mp: pytest.MonkeyPatch, start: dt.datetime | None = None):
        self.mp = mp
        self.at = (start or dt.datetime.now(clock.UTC)).replace(microsecond=0)
        self._set()

    def _set(self):
        self.mp.setenv("JIUYE_NOW", self.at.isoformat())

    def advance(self, **delta):
        self.at += dt.timedelta(**delta)
        self._set()
        return self.at


@contextlib.contextmanager
def dagong_db(tmp_path, url: str | None = None):
    """(engine) with the demo accounts, the demo market, the stations and two station masters."""
    from jiuye.market.demo import load_demo_market
    from jiuye.platforms import stations
    from jiuye.platforms.models import Station

    with market_db(tmp_path, url) as engine:
        with Session(engine, expire_on_commit=False) as s:
            assert load_demo_market(s)["loaded"]
            stations.sync_from_file(s, include_demo=True)
            for code, username, staff in ((WLHT, "zhanzhang_wlht", "zx_wlht"), (ZLT, "zhanzhang_zlt", "zx_zlt")):
                st = s.scalar(select(Station).where(Station.code == code))
                stations.open_master_account(s, user(s, staff), st.id, username=username, password=DEMO_PASSWORD)
        yield engine


def station(s: Session, code: str):
    from jiuye.platforms.models import Station

    return s.scalar(select(Station).where(Station.code == code))


def post(s: Session, title: str = "食品包装工", district: str = "乌兰浩特市"):
    from jiuye.market import postings

    _total, rows = postings.search(s, district=district, limit=100)
    return next(p for p in rows if p.title == title)


def id_number(birth: str = "19900101", seq: str = "123", region: str = "152201") -> str:
    from jiuye.idcard import check_char

    first = region + birth + seq
    return first + check_char(first)
