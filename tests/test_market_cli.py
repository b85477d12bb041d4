"""`jiuye market …` over the same services: acts as a user (the access rules hold), masks personal data,
refuses bad input in Chinese with exit code 2."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from market_support import market_db


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from jiuye.market.demo import load_demo_market

    tmp = tmp_path_factory.mktemp("market_cli")
    with market_db(tmp) as engine:
        with Session(engine, expire_on_commit=False) as s:
            load_demo_market(s)
        yield tmp


def run(*args, user="zx_wlht"):
    from jiuye.cli import app

    return CliRunner().invoke(app, ["market", *args, *(["--as", user] if user else [])],
                              env={"JIUYE_PASSWORD": "jiuye-demo"})


def test_lists_are_scoped_and_masked(env):
    from jiuye.market.demo import WINDOW_SEEKERS

    r = run("seekers", user="sq_wlht")
    assert r.exit_code == 0 and "求职登记" in r.output
    for name, idn, phone, _ in WINDOW_SEEKERS:
        assert idn not in r.output and phone not in r.output
    r = run("postings", "--json", user="zx_zlt")
    assert r.exit_code == 0 and "科右前旗" not in r.output and "扎赉特旗" in r.output


def test_review_stats_import_export(env, tmp_path):
    r = run("review", "4", "--decision", "approve")
    assert r.exit_code == 2 and "写明" in r.output  # flags: a reason is needed
    r = run("review", "4", "--decision", "return", "--note", "删除性别限制和押金")
    assert r.exit_code == 0 and "已退回修改" in r.output
    r = run("stats", "--out", str(tmp_path / "s.xlsx"))
    assert r.exit_code == 0 and "岗位满足率" in r.output and (tmp_path / "s.xlsx").exists()
    assert run("stats", user="zhangmin").exit_code == 2  # statistics are for staff
    src = tmp_path / "in.csv"
    src.write_text("岗位名称,招用人数,工作地点\n搬运工,2,乌兰浩特市\n,1,乌兰浩特市\n", encoding="utf-8")
    r = run("import", str(src), user="xingan_food")
    assert r.exit_code == 1 and "导入 1 个岗位" in r.output and "第 3 行" in r.output
    r = run("export", str(tmp_path / "out.csv"), user="xingan_food")
    assert r.exit_code == 0 and "搬运工" in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert run("export", str(tmp_path / "out.txt"), user="xingan_food").exit_code == 2


def test_housekeeping_and_dispatch(env):
    assert run("housekeeping", user=None).exit_code == 0
    r = run("dispatch", user=None)
    assert r.exit_code == 0 and "已发送" in r.output
