"""Roster jobs on the task queue (jiuye.store): a job runs in a real consumer, survives the consumer's
death and resumes from its finished chunks with the same result, its progress is readable from another
process (the job's folder), the same on Redis; and the retention clean-up of personal data at rest.

Redis is the local server (127.0.0.1:6379, a queue name of its own, removed afterwards); set
JIUYE_SKIP_REDIS=1 on a machine without it."""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

AS_OF = "2022-06-15"
STAFF = SimpleNamespace(id=7, display_name="测试员", username="zx_test", district="乌兰浩特市")


@pytest.fixture()
def var(tmp_path, monkeypatch):
    monkeypatch.setenv("JIUYE_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("JIUYE_QUEUE_URL", raising=False)
    monkeypatch.delenv("JIUYE_QUEUE_NAME", raising=False)
    return tmp_path / "var"


def _roster(tmp_path: Path, n: int) -> bytes:
    from jiuye.batch import synth
    from jiuye.batch.io import write_table

    table, _bad = synth.enterprises(n, seed=11, bad_share=0.05)
    return write_table(tmp_path / f"roster{n}.csv", table).read_bytes()


def _job(tmp_path: Path, n: int):
    import datetime as dt

    from jiuye.store import jobs

    return jobs.new_job(STAFF, "单位名册.csv", _roster(tmp_path, n), "enterprise", dt.date.fromisoformat(AS_OF))


def _results(job) -> tuple[dict, list]:
    from openpyxl import load_workbook

    from jiuye.store.jobs import RESULTS

    s = job.summary()
    counts = {k: s[k] for k in ("input_rows", "accepted_rows", "rejected_rows", "output_rows")}
    wb = load_workbook(job.folder / RESULTS, read_only=True)
    try:
        rows = [r for ws in wb.worksheets for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    return {**counts, "policies": s["policies"]}, rows


def _worker(env: dict) -> subprocess.Popen:
    """The consumer, its output in a temporary file (an unread pipe fills up when the periodic tasks log a
    lot — e.g. announcing the posts other tests approved in the shared var dir — and stops the process)."""
    jiuye = Path(sys.executable).parent / "jiuye"
    out = tempfile.TemporaryFile()
    proc = subprocess.Popen([str(jiuye), "worker"], env=env, stdout=out, stderr=subprocess.STDOUT)
    proc.output_file = out
    return proc


def _output(proc: subprocess.Popen) -> str:
    proc.output_file.seek(0)
    return proc.output_file.read().decode(errors="replace")


def _stop(proc: subprocess.Popen) -> str:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return _output(proc)


def test_a_job_survives_a_killed_consumer_and_resumes_with_the_same_result(var, tmp_path, monkeypatch):
    """kill -9 of the consumer mid-job; a new consumer finishes it from the finished chunks; the
    result equals an uninterrupted run's. Progress is read from this (another) process meanwhile."""
    from jiuye.store import jobs
    from jiuye.store.queue import enqueue_roster_job

    monkeypatch.setenv("JIUYE_ROSTER_CHUNK_ROWS", "100")
    interrupted = _job(tmp_path, 2000)
    enqueue_roster_job(interrupted.id)
    assert jobs.get_job(interrupted.id).state == "queued"  # enqueued, no consumer yet
    env = {**os.environ}
    proc = _worker(env)
    try:
        deadline = time.monotonic() + 240
        seen = None
        while time.monotonic() < deadline:
            seen = jobs.get_job(interrupted.id)
            if seen.state == "running" and seen.done_rows >= 200:
                break
            assert seen.state in ("queued", "running"), (seen.state, seen.error)
            assert proc.poll() is None, _output(proc)
            time.sleep(0.05)
        assert seen.state == "running" and 0 < seen.done_rows < seen.total_rows, "no progress seen mid-job"
        assert 0 < seen.percent < 100
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    dead = jobs.get_job(interrupted.id)
    assert dead.state == "running" and not jobs.is_running(dead)  # the runner is gone, its lock released
    assert (dead.folder / "results.work").is_dir()
    assert jobs.orphans() == [interrupted.id]

    proc = _worker(env)  # "the server restarts": the new consumer re-enqueues the orphan and resumes it
    try:
        done = jobs.wait(interrupted.id, timeout=300)
        assert done.state == "done", done.error
        assert done.attempts == 2
        assert any(m.startswith("继续上次未完成的运行：已完成") for m in done.messages), done.messages
        assert not (done.folder / "results.work").exists()
        fresh = _job(tmp_path, 2000)  # the same roster, never interrupted, on the same consumer
        enqueue_roster_job(fresh.id)
        fresh = jobs.wait(fresh.id, timeout=300)
        assert fresh.state == "done" and fresh.attempts == 1
    finally:
        log = _stop(proc)
    assert _results(done) == _results(fresh)
    assert done.summary()["input_rows"] == 2000
    assert "enqueued again" in log


def test_enqueued_job_runs_in_a_threaded_consumer_and_duplicates_are_harmless(var, tmp_path):
    from jiuye.store import jobs
    from jiuye.store.queue import enqueue_roster_job, running_consumer

    job = _job(tmp_path, 120)
    enqueue_roster_job(job.id)
    enqueue_roster_job(job.id)  # e.g. re-enqueued by a recovering consumer while still queued
    with running_consumer(workers=2):
        done = jobs.wait(job.id, timeout=180)
        assert done.state == "done", done.error
        assert jobs.run_job(job.id) == "skipped"  # a finished job is never run again
    assert jobs.get_job(job.id).attempts == 1
    with jobs.held(job.folder) as mine:  # a live holder makes any other runner step aside
        assert mine
        assert jobs.run_job(job.id) == "busy"


@pytest.fixture()
def redis_queue(var, monkeypatch):
    import redis

    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("JIUYE_SKIP_REDIS") == "1":
            pytest.skip("Redis not reachable and JIUYE_SKIP_REDIS=1")
        pytest.fail(f"Redis is needed for the queue test (or set JIUYE_SKIP_REDIS=1): {exc}")
    name = f"jiuyetest{uuid.uuid4().hex[:10]}"  # huey keeps letters and digits of a Redis queue name
    monkeypatch.setenv("JIUYE_QUEUE_URL", url)
    monkeypatch.setenv("JIUYE_QUEUE_NAME", name)
    client = redis.Redis.from_url(url)
    yield client, name
    keys = list(client.scan_iter(match=f"*{name}*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_roster_job_on_redis(redis_queue, tmp_path):
    from huey import RedisHuey

    from jiuye.store import jobs
    from jiuye.store.queue import enqueue_roster_job, get_huey, running_consumer

    client, name = redis_queue
    assert isinstance(get_huey(), RedisHuey) and get_huey().name == name
    job = _job(tmp_path, 150)
    enqueue_roster_job(job.id)
    assert [t.name for t in get_huey().pending()] == ["roster_job"]
    assert any(name in k.decode() for k in client.scan_iter(match=f"*{name}*"))  # really in Redis
    with running_consumer():
        done = jobs.wait(job.id, timeout=180)
    assert done.state == "done", done.error
    assert done.summary()["input_rows"] == 150
    # the roster task was taken off the queue; a periodic task the consumer's scheduler enqueued as a minute turned
    # (market_dispatch, every minute) may still be waiting, and is not what this test is about
    assert [t.name for t in get_huey().pending() if t.name == "roster_job"] == []


def test_unknown_queue_url_is_refused_in_chinese(var, monkeypatch):
    from jiuye.store.queue import QueueConfigError, get_huey

    monkeypatch.setenv("JIUYE_QUEUE_URL", "amqp://127.0.0.1/")
    with pytest.raises(QueueConfigError, match="不受支持"):
        get_huey()


# --- retention ---------------------------------------------------------------------------------------
def _age(path: Path, when: float) -> None:
    for p in [*path.rglob("*"), path]:
        os.utime(p, (when, when), follow_symlinks=False)


def test_retention_deletes_old_rosters_results_and_partials_and_logs_only_counts(var, tmp_path, monkeypatch, caplog):
    from jiuye.store import jobs, retention

    monkeypatch.setenv("JIUYE_RETENTION_DAYS", "30")
    now = time.time() + 400 * 86400  # the fake clock: 400 days from now
    old, recent, busy = _job(tmp_path, 5), _job(tmp_path, 5), _job(tmp_path, 5)
    (old.folder / "results.xlsx").write_bytes(b"full ID numbers")
    (old.folder / "results.work").mkdir()
    (old.folder / "results.work" / "chunk-000000.out.arrow").write_bytes(b"x")
    stale_part = recent.folder / ".results.xlsx.part-123"
    stale_part.write_bytes(b"half")
    stale_work = recent.folder / "results.work"
    stale_work.mkdir()
    (stale_work / "chunk-000000.json").write_text("{}")
    _age(old.folder, now - 31 * 86400)
    _age(busy.folder, now - 90 * 86400)
    _age(recent.folder, now - 31 * 86400)
    os.utime(recent.folder / "job.json", (now - 2 * 86400, now - 2 * 86400))  # touched 2 days ago: kept
    id_number = "152201198001010011"
    with caplog.at_level(logging.INFO, logger="jiuye.retention"), jobs.held(busy.folder):
        counts = retention.purge(now=now)
    assert not old.folder.exists()
    assert recent.folder.is_dir() and (recent.folder / "job.json").exists() and (recent.folder / recent.input).exists()
    assert not stale_part.exists() and not stale_work.exists()
    assert busy.folder.is_dir()  # running: never touched
    assert (counts["jobs"], counts["partial"], counts["kept"], counts["running"]) == (1, 2, 1, 1)
    text = caplog.text
    assert "deleted 1 roster job folder(s) and 2 partial file(s)" in text
    assert old.id not in text and recent.id not in text and id_number not in text and str(var) not in text
    # within the retention nothing goes
    assert retention.purge(now=time.time())["jobs"] == 0 and recent.folder.is_dir()
    monkeypatch.setenv("JIUYE_RETENTION_DAYS", "1")  # the setting is read when the task runs
    assert retention.purge(now=now)["jobs"] == 2 and not recent.folder.exists() and not busy.folder.exists()


def test_retention_is_a_periodic_task_on_the_queue(var, tmp_path):
    from jiuye.store import jobs
    from jiuye.store.queue import get_huey

    huey = get_huey()
    periodic = {t.name: t for t in huey._registry.periodic_tasks}
    assert "purge_personal_data" in periodic
    import datetime as dt

    hourly = [dt.datetime(2026, 1, 1, h, 7) for h in range(24)]
    task = periodic["purge_personal_data"]
    assert all(task.validate_datetime(t) for t in hourly) and not task.validate_datetime(dt.datetime(2026, 1, 1, 3, 8))
    job = _job(tmp_path, 5)
    _age(job.folder, time.time() - 365 * 86400)
    result = huey.execute(task)  # what the consumer's scheduler enqueues
    assert result["jobs"] == 1 and not job.folder.exists() and jobs.list_jobs() == []
