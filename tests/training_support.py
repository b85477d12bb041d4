"""Shared set-up of the training tests: a fresh database with the cases' demo accounts and the demo
training providers and courses (data/training/demo.yaml); a clock (`Day`) pinning both $JIUYE_NOW and
$JIUYE_TODAY; helpers to make a learner and walk a course to completion through the services."""
from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.cases.demo import DEMO_PASSWORD
from market_support import market_db, user  # noqa: F401

START = dt.datetime(2026, 3, 2, 9, 0)  # a Monday, Beijing time


class Day:
    def __init__(self, mp: pytest.MonkeyPatch, at: dt.datetime = START):
        self.mp, self.at = mp, at
        self._set()

    def _set(self):
        self.mp.setenv("JIUYE_NOW", self.at.isoformat())
        self.mp.setenv("JIUYE_TODAY", self.at.date().isoformat())

    def go(self, **delta):
        self.at += dt.timedelta(**delta)
        self._set()
        return self.at


@contextlib.contextmanager
def training_db(tmp_path, url: str | None = None):
    from jiuye.training.demo import load_demo_training

    with market_db(tmp_path, url) as engine:
        with Session(engine, expire_on_commit=False) as s:
            assert load_demo_training(s)["loaded"]
        yield engine


def id_number(birth: str = "19900101", seq: str = "123", region: str = "152201") -> str:
    from jiuye.idcard import check_char

    first = region + birth + seq
    return first + check_char(first)


def learner(s: Session, username: str, birth: str = "19900101", seq: str = "123", phone: str = "13900000001"):
    from jiuye.cases import service

    u = user(s, username)
    if u is None:
        p = service.ensure_person(s, id_number(birth, seq), f"学员{username}")
        u = service.create_user(s, username, DEMO_PASSWORD, "applicant", person=p, phone=phone, district="乌兰浩特市")
    return u


def course_of(s: Session, title: str):
    from jiuye.training.models import Course

    return s.scalar(select(Course).where(Course.title == title))


ELDER_CARE = "养老护理员（初级）培训班（演示）"
COOKING = "中式烹调师（中级）培训班（演示）"
SYB = "SYB 创业培训班（演示）"
ONLINE_STARTUP = "网络创业培训班（演示）"  # 扎赉特旗职业技术学校, free
