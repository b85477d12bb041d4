"""Personal data at rest: uploaded rosters and their results carry full 身份证号. A roster job's
folder (the upload, the results, partial ``.part`` files, the ``.work/`` chunks) is deleted once
nothing in it has changed for $JIUYE_RETENTION_DAYS days (default 30); stray partial files older than
that are deleted from folders that are kept. Jobs that are running are never touched.

Run hourly by the queue (``purge_personal_data``); what was deleted is logged as counts only.
"""
from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

from jiuye.config import retention_days
from jiuye.store.jobs import LOCK

log = logging.getLogger("jiuye.retention")


def _newest_mtime(path: Path) -> float:
    """The newest change inside `path` (its files' and subfolders' times; the lock file, which readers
    create, does not count)."""
    if not path.is_dir():
        return path.stat().st_mtime
    newest = 0.0
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            if name == LOCK:
                continue
            try:
                newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
            except OSError:
                pass
    return newest or path.stat().st_mtime


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _partial(name: str) -> bool:
    return ".part" in name or name.endswith(".work") or name.startswith(".job.json.")


def purge(now: float | None = None, days: int | None = None) -> dict:
    """Delete what is past the retention; returns the counts (also logged). `now` (epoch seconds)
    and `days` for tests and tools."""
    from jiuye.store import jobs

    days = retention_days() if days is None else days
    now = time.time() if now is None else now
    cutoff = now - days * 86400
    counts = {"jobs": 0, "partial": 0, "bytes": 0, "kept": 0, "running": 0}
    root = jobs.jobs_dir()
    if root.exists():
        for folder in sorted(root.iterdir()):
            if not folder.is_dir() or not jobs.valid_id(folder.name):
                continue
            with jobs.held(folder) as mine:
                if not mine:
                    counts["running"] += 1
                    continue
                try:
                    if _newest_mtime(folder) < cutoff:
                        counts["bytes"] += _size(folder)
                        shutil.rmtree(folder)
                        counts["jobs"] += 1
                        continue
                    counts["kept"] += 1
                    for entry in folder.iterdir():
                        if _partial(entry.name) and _newest_mtime(entry) < cutoff:
                            counts["bytes"] += _size(entry)
                            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
                            counts["partial"] += 1
                except FileNotFoundError:
                    continue  # deleted meanwhile
    log.info("retention (%d days): deleted %d roster job folder(s) and %d partial file(s), %.1f MB; kept %d, "
             "%d running", days, counts["jobs"], counts["partial"], counts["bytes"] / 1048576, counts["kept"],
             counts["running"])
    return counts


__all__ = ["purge"]
