"""A data file that fails validation stops start-up naming the file, the entry and the field."""
from __future__ import annotations

import shutil

import pytest
import yaml

from jiuye.config import REPO_ROOT
from jiuye.knowledge.loader import DataError, load_knowledge


@pytest.fixture()
def data_copy(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", dst)
    return dst


def _edit(path, fn):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_bad_kind_names_file_entry_and_field(data_copy):
    path = data_copy / "policies" / "startup_subsidy.yaml"
    _edit(path, lambda d: d.update(kind="money"))
    with pytest.raises(DataError) as exc:
        load_knowledge(data_copy)
    msg = str(exc.value)
    assert "startup_subsidy.yaml" in msg and "startup_subsidy" in msg and "'kind'" in msg


def test_misspelt_field_is_an_error_not_ignored(data_copy):
    path = data_copy / "policies" / "overtime_pay.yaml"
    _edit(path, lambda d: d.update(materails=["x"]))
    with pytest.raises(DataError, match="materails"):
        load_knowledge(data_copy)


def test_unknown_policy_id_in_an_entry(data_copy):
    path = data_copy / "qa" / "000.yaml"
    _edit(path, lambda d: d[5].update(policies=["no_such_policy"]))
    with pytest.raises(DataError, match="no_such_policy"):
        load_knowledge(data_copy)


def test_cli_exits_2_on_invalid_data(data_copy, monkeypatch):
    from typer.testing import CliRunner

    from jiuye.cli import app
    from jiuye.knowledge.loader import get_knowledge

    path = data_copy / "policies" / "gig_market.yaml"
    _edit(path, lambda d: d.pop("sources"))
    monkeypatch.setenv("JIUYE_DATA_DIR", str(data_copy))
    get_knowledge.cache_clear()
    try:
        r = CliRunner().invoke(app, ["policies"])
        assert r.exit_code == 2
        assert "gig_market" in r.output and "sources" in r.output
    finally:
        get_knowledge.cache_clear()
