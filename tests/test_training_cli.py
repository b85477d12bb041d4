"""`jiuye training …` over the services: courses, the rules' about, the provider table as staff, a
voucher issued as staff and refused to a provider (exit 2, Chinese message)."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from jiuye.cases.demo import DEMO_PASSWORD
from training_support import ELDER_CARE, id_number, training_db


@pytest.fixture()
def run(tmp_path, monkeypatch):
    from jiuye.cli import app

    monkeypatch.setenv("JIUYE_NOW", "2026-03-02T09:00:00")
    monkeypatch.setenv("JIUYE_TODAY", "2026-03-02")
    monkeypatch.setenv("JIUYE_PASSWORD", DEMO_PASSWORD)
    with training_db(tmp_path):
        runner = CliRunner()
        yield lambda *args: runner.invoke(app, ["training", *args])


def test_courses_about_table_and_vouchers(run):
    r = run("courses", "--district", "乌兰浩特市", "--json")
    assert r.exit_code == 0, r.output
    assert ELDER_CARE in {c["title"] for c in json.loads(r.output)["courses"]}
    about = run("about")
    assert "3 天前" in about.output and "上海" in about.output and "56" in about.output
    r = run("voucher", "--id-number", id_number(seq="555"), "--name", "赵六", "--as", "zx_wlht")
    assert r.exit_code == 0 and "兴安盟职业培训券" in r.output and id_number(seq="555") not in r.output
    refused = run("voucher", "--id-number", id_number(seq="556"), "--name", "赵七", "--as", "pxjg_wlht")
    assert refused.exit_code == 2 and "就业服务中心" in refused.output
    stats = json.loads(run("voucher-stats", "--as", "zx_wlht", "--json").output)
    assert stats["issued"] == 1 and stats["use_rate"] == 0
    t = json.loads(run("table", "--as", "mz", "--json").output)
    assert len(t["providers"]) == 3
    assert run("housekeeping").exit_code == 0
