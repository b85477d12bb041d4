"""Shared fixtures: the real data files, loaded once; the spec's policy table."""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

# Run-time state (the embedded SQLite, attachments, the session key) goes to a fresh folder for the
# whole test run, never to the repository's var/: tests must not depend on, or change, local state.
# Set before jiuye.config is first used; tests that need their own folder still override it.
if os.environ.get("JIUYE_TESTS_USE_REPO_VAR") != "1":
    os.environ["JIUYE_VAR_DIR"] = tempfile.mkdtemp(prefix="jiuye-tests-var-")
    os.environ.pop("JIUYE_DATABASE_URL", None)

from jiuye.config import REPO_ROOT
from jiuye.knowledge.loader import get_knowledge

import hashing_support

# Passwords are hashed with a cheap argon2id during the tests (tests/hashing_support.py says why).
if os.environ.get("JIUYE_TESTS_STRONG_HASH") != "1":
    hashing_support.install()

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
