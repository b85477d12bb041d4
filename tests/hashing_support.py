"""A cheap password hash for the test run (a test-only setting; production keeps its own).

Production hashes passwords with argon2id at the library's defaults (t=3, m=64 MiB, p=4): ~0.2 s of
CPU for every hash and every login check. Loading the demo data hashes ~20 passwords and every test
that logs a demo account in checks one, so the suite spent minutes in argon2 alone. For the test run
(tests/conftest.py calls :func:`install` once) jiuye.cases.security hashes with argon2id at minimal
cost instead. The hash format is the same ($argon2id$…, parameters inside the hash), so what the tests
assert about passwords holds for both; a production hash still verifies (argon2 reads the cost from
the hash). tests/test_password_hashing.py checks that production's hasher is still the strong one.
"""
from __future__ import annotations

from argon2 import PasswordHasher, Type

TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
PRODUCTION_HASHER: PasswordHasher | None = None  # the one jiuye.cases.security built, kept for the check


def install() -> None:
    global PRODUCTION_HASHER
    from jiuye.cases import security

    if security._hasher is TEST_HASHER:
        return
    PRODUCTION_HASHER = security._hasher
    security._hasher = TEST_HASHER
    security._DUMMY = TEST_HASHER.hash("unknown-user-dummy")
