"""The queue's tasks, registered on each huey instance by :func:`register`.

- ``roster_job(job_id)``: run or resume a console roster job (:func:`jiuye.store.jobs.run_job`).
- ``purge_personal_data()``: every hour (minute 7), delete roster jobs older than the retention
  ($JIUYE_RETENTION_DAYS, :mod:`jiuye.store.retention`).
"""
from __future__ import annotations

from huey import Huey, crontab


def roster_job(job_id: str) -> str:
    from jiuye.store import jobs

    return jobs.run_job(job_id)


def purge_personal_data() -> dict:
    from jiuye.store import retention

    return retention.purge()


def register(huey: Huey) -> None:
    huey._jiuye_tasks = {  # type: ignore[attr-defined]
        "roster_job": huey.task(name="roster_job")(roster_job),
        "purge_personal_data": huey.periodic_task(crontab(minute="7"), name="purge_personal_data")(purge_personal_data),
    }


def enqueue(huey: Huey, name: str, *args) -> None:
    huey._jiuye_tasks[name](*args)  # type: ignore[attr-defined]


__all__ = ["enqueue", "purge_personal_data", "register", "roster_job"]
