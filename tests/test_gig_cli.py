"""`jiuye gig …`: the phone lines with the table's error, posting and applying as a user (the access
rules hold: the password is asked), the match workflow, the table as CSV, the demo."""
from __future__ import annotations

from typer.testing import CliRunner

from gig_support import day
from jiuye.cases.demo import DEMO_PASSWORD


def run(*args, user=None):
    from jiuye.cli import app

    env = {"JIUYE_PASSWORD": DEMO_PASSWORD}
    return CliRunner().invoke(app, ["gig", *args, *(["--as", user] if user else [])], env=env)


def test_cli(tmp_path, monkeypatch):
    from cases_support import configured

    with configured(f"sqlite:///{tmp_path / 'cli.sqlite3'}", tmp_path, demo=True):
        r = run("phones")
        assert r.exit_code == 0 and "科右后旗" in r.output and "0482-8398586（推定，需核实）" in r.output
        r = run("post-worker", "--occupation", "瓦工", "--district", "乌兰浩特市", "--from", day(1), "--to", day(3),
                "--rate", "二百", "--phone", "13900000011", user="zhangmin")
        assert r.exit_code == 2 and "期望日工资" in r.output
        r = run("post-worker", "--occupation", "瓦工", "--district", "乌兰浩特市", "--from", day(1), "--to", day(3),
                "--rate", "200", "--phone", "13900000011", user="zhangmin")
        assert r.exit_code == 0, r.output
        r = run("post-job", "--title", "砌墙", "--district", "乌兰浩特市", "--start", day(2), "--pay", "220",
                "--phone", "13900000022", user="xingan_food")
        assert r.exit_code == 0, r.output
        assert "砌墙" in run("jobs").output
        assert "工种相同" in run("suggest", "1", user="zhangmin").output
        assert "等雇主接受" in run("apply", "1", user="zhangmin").output
        r = run("act", "1", "accept", user="xingan_food")
        assert "双方已接受" in r.output and "13900000011" in r.output
        assert run("stats", user="zhangmin").exit_code == 2  # a citizen reads no table
        path = tmp_path / "t.csv"
        assert run("stats", "--csv", str(path), user="zx_wlht").exit_code == 0
        assert path.read_bytes().decode("utf-8-sig").startswith("旗县市")
        assert "补建案件 0 件" in run("arrears-sweep").output
