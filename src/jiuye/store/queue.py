"""The task queue of long jobs: a huey instance built from the configuration.

- Embedded default ($JIUYE_QUEUE_URL unset): SqliteHuey on ``$JIUYE_VAR_DIR/queue.sqlite3``;
  `jiuye serve` starts its consumer as a child process.
- Production: ``JIUYE_QUEUE_URL=redis://127.0.0.1:6379/0`` (RedisHuey; the queue's name, i.e. its key
  prefix, is $JIUYE_QUEUE_NAME, default jiuye), consumed by `jiuye worker` (one or more, any host that
  sees the same $JIUYE_VAR_DIR).

Tasks and their schedule are in :mod:`jiuye.store.tasks`. The queue holds only job ids; everything
else (the roster, the progress, the results) is in the job's folder.
"""
from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from huey import Huey, RedisHuey, SqliteHuey

from jiuye.config import console_jobs, queue_name, queue_url

log = logging.getLogger("jiuye.queue")

_lock = threading.Lock()
_instances: dict[tuple[str, str], Huey] = {}


class QueueConfigError(ValueError):
    """$JIUYE_QUEUE_URL names a storage this system does not use."""


def build(url: str, name: str) -> Huey:
    """A huey instance on `url` (sqlite:///PATH or redis://…) with the tasks registered."""
    from jiuye.store import tasks

    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = Path(url[len("sqlite:///"):] if url.startswith("sqlite:///") else urlsplit(url).path)
        path.parent.mkdir(parents=True, exist_ok=True)
        huey: Huey = SqliteHuey(name=name, filename=str(path), results=False, utc=True)
    elif scheme in ("redis", "rediss", "unix"):
        huey = RedisHuey(name=name, url=url, results=False, utc=True)
    else:
        raise QueueConfigError(f"JIUYE_QUEUE_URL「{scheme}://…」不受支持：可用 redis://主机:端口/库号，或不设置（使用内置的 SQLite 队列）")
    tasks.register(huey)
    return huey


def get_huey() -> Huey:
    """The configured queue (one instance per URL and name in a process)."""
    key = (queue_url(), queue_name())
    with _lock:
        huey = _instances.get(key)
        if huey is None:
            huey = _instances[key] = build(*key)
        return huey


def enqueue_roster_job(job_id: str) -> None:
    from jiuye.store import tasks

    tasks.enqueue(get_huey(), "roster_job", job_id)


def recover(huey: Huey | None = None) -> int:
    """Enqueue again every roster job whose runner died (the consumer was killed or the machine
    restarted): the job resumes from its finished chunks. Returns how many."""
    from jiuye.store import jobs, tasks

    huey = huey or get_huey()
    ids = jobs.orphans()
    for job_id in ids:
        tasks.enqueue(huey, "roster_job", job_id)
    if ids:
        log.info("queue: %d unfinished roster job(s) enqueued again", len(ids))
    return len(ids)


def consumer(huey: Huey | None = None, workers: int | None = None):
    """A huey consumer: $JIUYE_CONSOLE_JOBS worker threads (that many roster jobs at a time, per
    consumer process) and the scheduler of the periodic tasks."""
    huey = huey or get_huey()
    return huey.create_consumer(workers=workers or console_jobs(), worker_type="thread", periodic=True,
                                check_worker_health=True, initial_delay=0.1, max_delay=2.0)


def run_worker() -> None:
    """`jiuye worker`: re-enqueue orphaned jobs, then consume until SIGINT (finish running jobs) or
    SIGTERM (stop now; the jobs resume at the next start)."""
    from jiuye.logmask import install as mask_logs

    mask_logs()  # no 身份证号 or phone number in the queue's log (task arguments, tracebacks)
    huey = get_huey()
    recover(huey)
    log.info("queue: consumer on %s (queue %s), %d worker thread(s)", _safe(queue_url()), queue_name(), console_jobs())
    consumer(huey).run()


@contextlib.contextmanager
def running_consumer(workers: int | None = None) -> Iterator[object]:
    """A consumer in threads of this process, stopped (waiting for running tasks) on exit; for tests
    and tools. Signal handlers are left alone."""
    huey = get_huey()
    recover(huey)
    c = consumer(huey, workers)
    c._set_signal_handlers = lambda: None  # the host process keeps its own handlers
    c.start()
    try:
        yield c
    finally:
        c.stop(graceful=True)


def _safe(url: str) -> str:
    """The URL without a password (for the log)."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


__all__ = ["QueueConfigError", "build", "consumer", "enqueue_roster_job", "get_huey", "recover", "run_worker",
           "running_consumer"]
