"""Where things live. One place, overridable by environment variables."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The knowledge files: $JIUYE_DATA_DIR, else the repository's data/ folder."""
    return Path(os.environ.get("JIUYE_DATA_DIR", REPO_ROOT / "data"))


def today() -> dt.date:
    """Today's date; $JIUYE_TODAY pins it (tests, reproducible reports)."""
    pinned = os.environ.get("JIUYE_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()
