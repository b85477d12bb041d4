"""`jiuye dagong …` over the same services: a station master signs a worker up, staff follow up to
work and the visit, the tables and their export; lists masked; bad input in Chinese, exit code 2;
the access rules hold (another district's staff cannot act)."""
from __future__ import annotations

import csv
import datetime as dt
import re

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from platforms_support import WLHT, dagong_db, post
from jiuye.config import today as beijing_today  # the league's today (Beijing), as the code uses


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dagong_cli")
    with dagong_db(tmp) as engine:
        with Session(engine) as s:
            pid = post(s).id
        yield tmp, pid


def run(*args, user: str | None = "zx_wlht", extra_env: dict | None = None):
    from jiuye.cli import app

    return CliRunner().invoke(app, ["dagong", *args, *(["--as", user] if user else [])],
                              env={"JIUYE_PASSWORD": "jiuye-demo", **(extra_env or {})})


def test_the_path_on_the_command_line(env):
    tmp, pid = env
    r = run("signup", "--post", str(pid), "--name", "额尔敦", "--phone", "13904823333", user="zhanzhang_wlht")
    assert r.exit_code == 0, r.output
    sid = re.search(r"编号 (\d+)", r.output).group(1)
    assert "额*" in r.output and "139****3333" in r.output and "13904823333" not in r.output
    r = run("queue")
    assert r.exit_code == 0 and "额*" in r.output and "13904823333" not in r.output
    assert run("contact", sid, "--result", "reached", user="zx_zlt").exit_code == 2  # another district
    r = run("contact", sid, "--result", "reached", "--note", "愿意去")
    assert r.exit_code == 0 and "已联系" in r.output
    r = run("recommend", sid)
    assert r.exit_code == 0 and "身份证号" in r.output
    today = beijing_today().isoformat()
    r = run("start", sid, "--on", today)
    assert r.exit_code == 0 and "回访" in r.output
    r = run("visit", sid, "--working")
    assert r.exit_code == 2 and "回访日期未到" in r.output
    out = tmp / "报表.csv"
    r = run("tables", "--out", str(out))
    assert r.exit_code == 0
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][:3] == ["类别", "旗县市", "工作站"] and any(r[0] == "合计" for r in rows)
    assert run("tables", user="zhangmin").exit_code == 2


def test_bad_input_is_refused_in_chinese(env):
    _tmp, pid = env
    r = run("signup", "--post", str(pid), "--name", "张三", "--phone", "123", user=None)
    assert r.exit_code == 2 and "11位手机号" in r.output
    r = run("start", "1", "--on", "昨天")
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.output
    r = run("contact", "1", "--result", "bogus")
    assert r.exit_code == 2 and "联系结果应为" in r.output
    r = run("tables", "--out", "x.pdf")
    assert r.exit_code == 2 and ".csv 或 .xlsx" in r.output


def test_stations_and_about(env):
    r = run("stations", "list", user="mz")
    assert r.exit_code == 0 and "资料称全盟 400 个" in r.output
    r = run("stations", "list", "--json", user="zx_zlt")
    import json

    d = json.loads(r.output)
    assert d["declared"]["count"] == 400 and {x["district"] for x in d["stations"]} == {"扎赉特旗"}
    assert WLHT not in r.output
    r = run("stations", "sync", user=None)
    assert r.exit_code == 0 and "新载入 0 个" in r.output
    r = run("about", user=None)
    flat = r.output.replace("\n", "")
    assert r.exit_code == 0 and "24 小时内" in flat and "30 天" in flat
    r = run("escalate", user=None)
    assert r.exit_code == 0 and "转交" in r.output
