"""招聘会 → labour market: an intention followed up as 已录用 is a hire in the market (statistics and
the seeker's 求职登记 outcome), counted once even when the same hire also came through a market
application; the fair report's XLSX export has the CSV's rows."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fairs_support import Clock, fairs_db, files, make_fair, own_post, user
from jiuye.cases.service import CaseError

FAIR_DAY = dt.date(2026, 12, 11)


def _fair_with_booth(s):
    from jiuye.fairs import booths

    f = make_fair(s, booths=3, day=FAIR_DAY)
    food, zx = user(s, "xingan_food"), user(s, "zx_wlht")
    p = own_post(s)  # 食品包装工, 3 places
    b = booths.apply(s, food, f.id, posting_ids=[p.id], files=files())
    booths.approve(s, zx, b.id)
    return f, b, p


def _intention(s, f, b, who, phone: str, posting_id):
    from jiuye.fairs import intentions, visitors

    v, _ = visitors.register(s, who, f.id, name="求职者（测试）", phone=phone)
    return intentions.record(s, user(s, "xingan_food"), b.id, code=v.code, posting_id=posting_id)


def _registration(s, who, phone: str):
    """The account's open 求职登记 (the demo market has some), with `phone` on it."""
    from jiuye.market import seekers

    sk = seekers.current(s, who)
    if sk is None or sk.state != "active":
        sk = seekers.register(s, who, {"desired_titles": ["包装工"], "districts": ["乌兰浩特市"]})
    sk.phone = phone
    s.commit()
    return sk


def _after_fair(clk):
    clk.at = dt.datetime(2026, 12, 12, 2, 0, tzinfo=dt.timezone.utc)  # Sat 10:00 Beijing: the task is open
    clk._set()


def _market(s):
    from jiuye.market import stats

    t = stats.compute(s, user(s, "mz"))["totals"]  # the 盟中心: the whole league
    return t["hires"], t["seekers_hired_here"]


def _event(s, intention_id):
    from jiuye.fairs.models import FairEvent

    return s.scalar(select(FairEvent.data).where(FairEvent.kind == "intention_followed_up",
                                                 FairEvent.intention_id == intention_id))


def test_a_fair_hire_is_a_market_hire_once(tmp_path, monkeypatch):
    from jiuye.fairs import intentions
    from jiuye.market import applications
    from jiuye.market.models import Application

    clk = Clock(monkeypatch, dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.timezone.utc))
    with fairs_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        f, b, p = _fair_with_booth(s)
        zhang, li, food = user(s, "zhangmin"), user(s, "liqiang"), user(s, "xingan_food")
        sk_z = _registration(s, zhang, "13904821001")
        sk_l = _registration(s, li, "13904821002")
        hires0, hired_here0 = _market(s)
        # 李强 applied through the market and was hired there first …
        a = applications.apply(s, li, p.id)
        applications.decide(s, food, a.id, "hired")
        assert _market(s) == (hires0 + 1, hired_here0 + 1)
        # … and both are intentions at the booth (张敏 by her account, 李强 by phone only)
        i_z = _intention(s, f, b, zhang, "13904821001", p.id)
        i_l = _intention(s, f, b, None, "13904821002", p.id)
        _after_fair(clk)
        intentions.follow_up(s, food, i_z.id, "hired", hired_on=dt.date(2026, 12, 14), note="已签合同")
        s.expire_all()
        fair_app = s.scalar(select(Application).where(Application.posting_id == p.id, Application.seeker_id == sk_z.id))
        assert fair_app.state == "hired" and fair_app.channel == "fair" and "招聘会" in fair_app.outcome_reason
        assert s.get(type(sk_z), sk_z.id).outcome == "hired_here"
        assert s.get(type(sk_z), sk_z.id).hired_posting_id == p.id
        assert _market(s) == (hires0 + 2, hired_here0 + 2)  # the fair's hire counts in the market
        assert _event(s, i_z.id)["market"]["counted"] is True
        assert intentions.market_note(s, i_z).startswith("已计入招聘求职的录用人数")
        from jiuye.web.app import create_app
        from web_support import page_client, text

        page = text(page_client(create_app(), "zx_wlht", console=True).get(f"/console/fairs/intentions/{i_z.id}").text)
        assert "招聘求职统计 已计入招聘求职的录用人数" in page
        # 李强's fair follow-up is the same hire the market already has: not counted again
        intentions.follow_up(s, food, i_l.id, "hired", hired_on=dt.date(2026, 12, 14))
        s.expire_all()
        assert _market(s) == (hires0 + 2, hired_here0 + 2)
        assert _event(s, i_l.id)["market"] == {"counted": False, "application_id": a.id, "seeker_id": sk_l.id,
                                               "why": "这次录用已经在招聘求职中记录过，不重复计入"}
        assert s.scalar(select(func.count()).select_from(Application).where(Application.posting_id == p.id)) == 2
        assert s.get(type(p), p.id).places_left == 1  # 3 places, two hires
        # the fair hire cannot be hired again through the market: the application is decided, the
        # registration closed (one application per pair)
        with pytest.raises(CaseError):
            applications.decide(s, food, fair_app.id, "hired")
        with pytest.raises(CaseError):
            applications.apply(s, zhang, p.id)
        assert _market(s) == (hires0 + 2, hired_here0 + 2)


def test_no_registration_nothing_written_and_no_post_closes_the_registration(tmp_path, monkeypatch):
    from jiuye.fairs import intentions
    from jiuye.market.models import Application

    clk = Clock(monkeypatch, dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.timezone.utc))
    with fairs_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        f, b, p = _fair_with_booth(s)
        food, zhang = user(s, "xingan_food"), user(s, "zhangmin")
        apps0 = s.scalar(select(func.count()).select_from(Application))
        hires0, hired_here0 = _market(s)
        nobody = _intention(s, f, b, None, "13904829999", p.id)  # a walk-in without a 求职登记
        sk = _registration(s, zhang, "13904821001")
        no_post = _intention(s, f, b, zhang, "13904821001", None)
        _after_fair(clk)
        intentions.follow_up(s, food, nobody.id, "hired")
        assert _event(s, nobody.id)["market"]["counted"] is False
        assert "没有求职登记" in _event(s, nobody.id)["market"]["why"]
        assert s.scalar(select(func.count()).select_from(Application)) == apps0 and _market(s) == (hires0, hired_here0)
        intentions.follow_up(s, food, no_post.id, "hired")
        s.expire_all()
        assert s.get(type(sk), sk.id).state == "closed" and s.get(type(sk), sk.id).outcome == "hired_here"
        assert _market(s) == (hires0, hired_here0 + 1)  # the registration counts it; no post, so no post hire
        assert s.get(type(p), p.id).places_left == 3


def test_other_outcomes_write_nothing_to_the_market(tmp_path, monkeypatch):
    from jiuye.fairs import intentions

    clk = Clock(monkeypatch, dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.timezone.utc))
    with fairs_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        f, b, p = _fair_with_booth(s)
        zhang = user(s, "zhangmin")
        sk = _registration(s, zhang, "13904821001")
        i = _intention(s, f, b, zhang, "13904821001", p.id)
        _after_fair(clk)
        intentions.follow_up(s, user(s, "xingan_food"), i.id, "interview")
        s.expire_all()
        assert s.get(type(sk), sk.id).state == "active" and "market" not in _event(s, i.id)


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "招聘会报告"
    out = []
    for row in ws.iter_rows(values_only=True):
        cells = ["" if v is None else str(v) for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        out.append(cells)
    return out


def test_the_xlsx_export_has_the_csv_rows(tmp_path, monkeypatch):
    from jiuye.fairs import booths, report

    Clock(monkeypatch, dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.timezone.utc))
    with fairs_db(tmp_path) as engine, Session(engine, expire_on_commit=False) as s:
        f, b, p = _fair_with_booth(s)
        other = user(s, "other_firm")
        p2 = own_post(s, "other_firm", "插秧工")
        b2 = booths.apply(s, other, f.id, posting_ids=[p2.id], files=files(), contact_name="=HYPERLINK(\"x\")")
        booths.approve(s, user(s, "zx_wlht"), b2.id)
        zx = user(s, "zx_wlht")
        from_csv = [r for r in csv.reader(io.StringIO(report.csv_text(s, zx, f.id).lstrip("\ufeff")))]
        from_xlsx = _xlsx_rows(report.xlsx_bytes(s, zx, f.id))
        assert from_xlsx == from_csv
        assert from_csv[0] == ["项目", "数值"] and ["参会单位（已安排展位）", "2"] in from_csv
        assert ["展位号", "单位", "行业", "联系人", "电话", "岗位数"] in from_csv
        assert len([r for r in from_csv if r and r[0] in ("1", "2")]) == 2  # both booths
        assert any(c.startswith("'=HYPERLINK") for r in from_xlsx for c in r)  # inert, in both
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(report.xlsx_bytes(s, zx, f.id))).active
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)  # no formula anywhere
        assert isinstance(ws["B2"].value, int)  # numbers stay numbers
