"""The CLI, as a user runs it: JSON output, Chinese errors, exit code 2 on bad names."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from jiuye.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def test_policies_json_lists_every_spec_id(spec):
    r = run("policies", "--json")
    assert r.exit_code == 0, r.output
    ids = {p["id"] for p in json.loads(r.stdout)["policies"]}
    assert set(spec) <= ids


def test_policies_filters_by_subject_and_group():
    ent = json.loads(run("policies", "--for", "enterprise", "--json").stdout)["policies"]
    assert ent and all("enterprise" in p["for"] for p in ent)
    assert "job_retention_refund" in {p["id"] for p in ent}
    grads = {p["id"] for p in json.loads(run("policies", "--group", "高校毕业生", "--json").stdout)["policies"]}
    assert {"graduate_hiring_subsidy", "job_search_startup_subsidy"} <= grads
    assert "overtime_pay" not in grads


def test_unknown_policy_id_exits_2_with_nearest_names():
    r = run("policy", "unemployment_benefit")
    assert r.exit_code == 2
    assert "unemployment_insurance_benefit" in r.output


def test_policy_shows_materials_steps_and_phone():
    r = run("policy", "hard_to_employ_recognition", "--district", "扎赉特旗")
    assert r.exit_code == 0, r.output
    assert "材料" in r.output and "办理步骤" in r.output and "0482-6718" in r.output


def test_contacts_answers_who_to_call_about_unemployment_insurance_in_zalaite():
    data = json.loads(run("contacts", "--district", "扎赉特旗", "--topic", "失业保险", "--json").stdout)
    phones = {c["phone"] for c in data["contacts"]}
    assert phones == {"0482-6718039"}


def test_contacts_alias_and_unknown_district():
    ok = json.loads(run("contacts", "--district", "科尔沁右翼中旗", "--topic", "创业服务", "--json").stdout)
    assert {c["district"] for c in ok["contacts"]} == {"科右中旗"}
    r = run("contacts", "--district", "科右后旗")
    assert r.exit_code == 2 and "科右" in r.output
    r = run("contacts", "--topic", "宇宙飞船")
    assert r.exit_code == 2 and "事项" in r.output


def test_audit_sources_prints_the_known_problems():
    r = run("audit-sources", "--as-of", "2026-11-24")
    assert r.exit_code == 0, r.output
    for needle in ("上海", "科右后旗", "五个等级", "已于"):
        assert needle in r.output, needle


def test_bad_date_exits_2():
    r = run("policies", "--as-of", "2026-13-01")
    assert r.exit_code == 2
