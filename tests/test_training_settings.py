"""data/training/settings.yaml: validated on load (a bad file is refused, naming it), every quote is
verbatim in its document (whitespace aside), the figures the pages state come from it (SYB/IYB/网络创业
days and hours, the 3 days), the shortage occupations are codes the classification knows."""
from __future__ import annotations

import re
import shutil

import pytest
import yaml

from jiuye.config import data_dir
from jiuye.training import settings as st

DOCS = {"000": "000_f9cc2ab8b6bd2920.txt", "003": "003_d37aea6342dd24c9.txt"}


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _sources(node):
    if isinstance(node, dict):
        if {"document", "quote"} <= set(node):
            yield node
        for v in node.values():
            yield from _sources(v)
    elif isinstance(node, list):
        for v in node:
            yield from _sources(v)


def test_every_quote_is_in_its_document():
    raw = yaml.safe_load((data_dir() / "training" / "settings.yaml").read_text(encoding="utf-8"))
    texts = {k: _flat((data_dir() / "sources" / v).read_text(encoding="utf-8")) for k, v in DOCS.items()}
    found = list(_sources(raw))
    assert len(found) >= 10
    for src in found:
        parts = [p for p in re.split(r"……", _flat(src["quote"])) if p]
        for part in parts:
            assert part in texts[src["document"]], (src["document"], part)


def test_the_figures_of_the_documents():
    cfg = st.settings()
    kinds = cfg.course_kinds
    assert (kinds["syb"].days, kinds["syb"].min_hours) == (10, 80)
    assert (kinds["iyb"].days, kinds["iyb"].min_hours) == (10, 80)
    assert (kinds["online_startup"].days, kinds["online_startup"].min_hours) == (7, 56)
    assert cfg.open_class.days_before_start == 3 and "上海" in cfg.open_class.caveat
    assert "上海" in cfg.voucher.source_problem


def test_shortage_codes_are_known_occupations():
    from jiuye.market.occupations import get_classification

    entries = get_classification().entries
    for code in st.settings().shortage_occupations.codes:
        assert code in entries, code


def test_a_bad_file_is_refused_with_its_name(tmp_path):
    (tmp_path / "training").mkdir()
    src = data_dir() / "training" / "settings.yaml"
    raw = yaml.safe_load(src.read_text(encoding="utf-8"))
    raw["open_class"]["days_before_start"] = -1
    (tmp_path / "training" / "settings.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError) as e:
        st.load(tmp_path)
    assert "settings.yaml" in str(e.value)
    _ = shutil
