"""The test run hashes passwords cheaply (tests/hashing_support.py); production must not."""
from __future__ import annotations

import subprocess
import sys

import hashing_support
from jiuye.cases import security


def test_production_hashes_with_strong_argon2id():
    """A fresh process (no test setting): the stored hash names argon2id at the library's defaults."""
    out = subprocess.run([sys.executable, "-c", "from jiuye.cases.security import hash_password; "
                          "print(hash_password('jiuye-demo'))"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), out.stdout


def test_the_test_setting_is_the_only_change_and_production_hashes_still_verify():
    if hashing_support.PRODUCTION_HASHER is None:  # JIUYE_TESTS_STRONG_HASH=1: nothing was swapped
        assert security._hasher is not hashing_support.TEST_HASHER
        return
    strong = hashing_support.PRODUCTION_HASHER
    assert (strong.time_cost, strong.memory_cost, strong.parallelism) == (3, 65536, 4)
    stored = strong.hash("jiuye-demo")  # a password stored by production
    assert security.verify_password(stored, "jiuye-demo")
    assert not security.verify_password(stored, "jiuye-demX")
    assert security.hash_password("jiuye-demo").startswith("$argon2id$")
    assert not security.verify_password(None, "jiuye-demo")
