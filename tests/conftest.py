"""Shared fixtures: the real data files, loaded once; the spec's policy table."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from jiuye.config import REPO_ROOT
from jiuye.knowledge.loader import get_knowledge

# The steering spec lives beside the repository (../shared/spec); a copy is kept in docs/spec for
# machines without it. The shared one wins: it is the one that may have gained ids.
SPEC_CANDIDATES = [REPO_ROOT.parent / "shared" / "spec" / "policies.md", REPO_ROOT / "docs" / "spec" / "policies.md"]


def spec_table() -> dict[str, dict]:
    path = next(p for p in SPEC_CANDIDATES if p.exists())
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| `?([a-z_]+)`? \| (.+?) \| (.+?) \| (\w+) \| (.+?) \|$", line)
        if m and m.group(1) != "id":
            rows[m.group(1)] = {
                "name": m.group(2).strip(),
                "for": {s.strip() for s in m.group(3).split(",")},
                "kind": m.group(4),
                "where": m.group(5),
            }
    return rows


@pytest.fixture(scope="session")
def kb():
    return get_knowledge()


@pytest.fixture(scope="session")
def spec():
    rows = spec_table()
    assert len(rows) >= 47, f"spec table parse found only {len(rows)} ids"
    return rows
