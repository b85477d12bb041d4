"""What the command line prints reads like the pages (issue 14, item 6): the documents by their titles
(never 「000号资料」), screening verdicts and other codes by their Chinese names, Beijing time.
The JSON outputs keep their codes (they are the API's contract)."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from typer.testing import CliRunner

from jiuye.cli import app

RAW_STATUS = re.compile(r"\b(eligible|not_eligible|needs_information|window_closed)\b")
DOC_CODE = re.compile(r"号资料|(?<![\d,.\-])(?:000|003)(?![\d,.%\-])")
runner = CliRunner()


def run(*args: str, env: dict | None = None):
    r = runner.invoke(app, list(args), env={"COLUMNS": "250", **(env or {})})
    assert r.exit_code == 0, r.output
    return r.output


def test_policy_names_the_documents_by_their_titles():
    out = run("policy", "unemployment_assistance", "--as-of", "2023-03-01", "--district", "扎赉特旗")
    assert not DOC_CODE.search(out), out
    assert "《政策手册》" in out and "《百问百答》" in out  # the window's sentence and the sources


def test_contacts_name_the_documents_by_their_titles():
    out = run("contacts", "--district", "扎赉特旗", "--topic", "失业保险")
    assert not DOC_CODE.search(out) and "《" in out, out


def test_audit_sources_says_each_kind_in_chinese():
    from jiuye.knowledge.audit import audit
    from jiuye.knowledge.labels import labels
    from jiuye.knowledge.loader import get_knowledge

    out = run("audit-sources", "--as-of", "2023-03-01")
    kinds = {f.kind for f in audit(get_knowledge(), dt.date(2023, 3, 1))}
    assert kinds
    for kind in kinds:
        assert not re.search(rf"\b{kind}\b", out), kind
        assert labels().of("audit_kind", kind) in out
    assert not DOC_CODE.search(out)


def test_ask_shows_no_entry_ids():
    out = run("ask", "失业金能领几个月")
    assert "编号" not in out and not re.search(r"\b00[03]-[\w-]+", out), out


def test_screen_prints_chinese_verdicts_and_titles(tmp_path):
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"contribution_years": 3, "involuntary_separation": True, "registered_unemployed": True,
                                   "job_seeking": True, "is_unemployed": True, "receiving_pension": False,
                                   "ui_stop_event": False, "birth_date": "1980-05-01", "sex": "male", "has_spouse": False,
                                   "district": "扎赉特旗"}), encoding="utf-8")
    out = run("screen", str(profile), "--as-of", "2021-06-15")
    assert not RAW_STATUS.search(out) and not DOC_CODE.search(out), out
    assert "符合" in out and "不符合" in out and "还需要信息" in out
    assert "1,404 元 × 8 个月" in out  # the benefit's arithmetic, from the reasons
    data = json.loads(run("screen", str(profile), "--as-of", "2021-06-15", "--json"))
    assert {r["status"] for r in data["results"]} >= {"eligible", "not_eligible"}  # JSON keeps the codes


def test_synth_names_the_spoilt_rows_in_chinese(tmp_path):
    out = run("synth", "--persons", "60", "--enterprises", "30", "--bad-share", "0.5", "--out", str(tmp_path / "r.csv"))
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", out), out
    assert "身份证号校验码错误" in out


@pytest.fixture()
def demo_db(tmp_path):
    from cases_support import configured

    with configured(f"sqlite:///{tmp_path / 'c.sqlite3'}", tmp_path) as engine:
        yield engine


def test_cases_commands_print_chinese_verdicts_titles_and_beijing_time(demo_db, tmp_path):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from jiuye.cases.demo import DEMO_PASSWORD
    from jiuye.cases.models import Case
    from jiuye.config import beijing_time

    env = {"JIUYE_PASSWORD": DEMO_PASSWORD}
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"flexibly_employed": True, "pays_si_as_flexible_worker": True,
                                   "hard_to_employ_certified": True, "district": "乌兰浩特市"}), encoding="utf-8")
    out = run("cases", "create", "flexible_employment_si_subsidy", "--profile", str(profile), "--as", "zhangmin", env=env)
    assert "筛查结论「" in out and not RAW_STATUS.search(out), out
    case_id = int(re.search(r"已建案 (\d+)", out).group(1))
    # a case screened before the documents were named by their titles keeps its saved words
    with Session(demo_db) as s:
        case = s.get(Case, case_id)
        snapshot = json.loads(json.dumps(case.screening))
        snapshot["result"]["reasons"].append({"state": "met", "text": "旧的说明（000号资料：“原文”）"})
        case.screening = snapshot
        s.commit()
    out = run("cases", "show", str(case_id), "--as", "zhangmin", env=env)
    assert "建案时筛查" in out and not RAW_STATUS.search(out) and not DOC_CODE.search(out), out
    assert "旧的说明（《百问百答》：“原文”）" in out
    detail = json.loads(run("cases", "show", str(case_id), "--as", "zhangmin", "--json", env=env))
    assert beijing_time(detail["events"][0]["at"], seconds=True) in out  # Beijing time, not the stored UTC
    assert detail["events"][0]["at"][:19].replace("T", " ") not in out
    csv_out = run("cases", "list", "--as", "zhangmin", "--csv", env=env)
    assert not RAW_STATUS.search(csv_out), csv_out
    with Session(demo_db) as s:
        statuses = {c.screening_status for c in s.scalars(select(Case))}
    assert statuses & {"eligible", "not_eligible", "needs_information"}


def test_import_batch_gives_the_verdict_of_a_skipped_row_in_chinese(demo_db, tmp_path):
    from jiuye.cases.demo import DEMO_PASSWORD, ENTERPRISES

    batch = tmp_path / "b.json"
    batch.write_text(json.dumps([{"policy": "job_retention_refund", "status": "not_eligible", "amount": "",
                                  "name": "甲（演示）", "credit_code": ENTERPRISES["xingan_food"][1],
                                  "district": "乌兰浩特市", "as_of": "2022-01-31"}], ensure_ascii=False), encoding="utf-8")
    out = run("cases", "import-batch", str(batch), "--as", "zx_wlht", env={"JIUYE_PASSWORD": DEMO_PASSWORD})
    assert "筛查结论为「不符合」" in out and not RAW_STATUS.search(out), out


def test_the_command_line_does_not_reach_into_the_web_package_for_labels():
    """cases is below web (web → cases → …): its command line takes the labels from jiuye.knowledge."""
    from pathlib import Path

    import jiuye.cases.cli as cases_cli

    source = Path(cases_cli.__file__).read_text(encoding="utf-8")
    assert "jiuye.web" not in source
