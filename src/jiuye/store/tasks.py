"""The queue's tasks, registered on each huey instance by :func:`register`.

The store's own tasks (roster jobs, retention) are here; each domain's task is an entry point of the group
`jiuye.tasks` (pyproject.toml), named as on the queue and loaded when it runs, so that the store, which every domain
imports, imports none of them. When each runs is :data:`SCHEDULE` below (UTC, as huey reads crontabs).

- ``roster_job(job_id)``: run or resume a console roster job (:func:`jiuye.store.jobs.run_job`).
- ``purge_personal_data()``: every hour (minute 7), delete roster jobs older than the retention
  ($JIUYE_RETENTION_DAYS, :mod:`jiuye.store.retention`).
- ``market_housekeeping()``: every hour (minute 17), 求职登记 reminders and expiry, posts past their
  date (:mod:`jiuye.market.tasks`).
- ``market_dispatch()``: every minute, the labour market's pending text messages (the outbox).
- ``market_announce()``: newly approved posts told to the registrations they fit; enqueued by the
  approval itself (:mod:`jiuye.market.announce`); ``market_dispatch`` runs the same step every minute
  first, so an approval whose enqueue was lost is announced all the same.
- ``dagong_escalate()``: every minute, 打工直通车 sign-ups whose 24-hour clock ran out go to the
  district centre (:mod:`jiuye.platforms.tasks`); ``dagong_visits()``: every hour (minute 23), the
  30-day visits that fall due.
- ``fair_followups()``: every 5 minutes, 招聘会 intentions' follow-up tasks open the day after the fair,
  overdue ones go to the centre, 30-day checks fall due (:mod:`jiuye.fairs.tasks`); ``fair_schedule()``:
  daily (02:41 Beijing), the weekly fairs and live streams of the coming weeks.
"""
from __future__ import annotations

import functools
from importlib.metadata import entry_points
from typing import Callable

from huey import Huey, crontab


def roster_job(job_id: str) -> str:
    from jiuye.store import jobs

    return jobs.run_job(job_id)


def purge_personal_data() -> dict:
    from jiuye.store import retention

    return retention.purge()


# name → when (crontab fields, UTC); None: run when enqueued (market_announce: by the approval itself)
SCHEDULE: dict[str, dict[str, str] | None] = {
    "market_housekeeping": {"minute": "17"},
    "market_dispatch": {},  # every minute
    "market_announce": None,
    "dagong_escalate": {},
    "gig_arrears": {"minute": "*/10"},
    "dagong_visits": {"minute": "23"},
    "fair_followups": {"minute": "*/5"},
    "fair_schedule": {"minute": "41", "hour": "18"},  # 02:41 Beijing
    "training_housekeeping": {"minute": "29"},
    "startup_interest_due": {"minute": "37"},
    "welfare_housekeeping": {"minute": "47"},
}


class TaskNotInstalled(RuntimeError):
    pass


@functools.lru_cache(maxsize=None)
def _target(name: str) -> Callable:
    found = [ep for ep in entry_points(group="jiuye.tasks") if ep.name == name]
    if not found:  # an install older than pyproject.toml
        raise TaskNotInstalled(f"任务「{name}」的入口缺失：请重新安装（make venv）")
    return found[0].load()


def _domain_task(name: str) -> Callable:
    def run(*args):
        return _target(name)(*args)

    run.__name__ = run.__qualname__ = name
    run.__doc__ = f"The queue's task {name}: the entry point of that name in the group jiuye.tasks."
    return run


def register(huey: Huey) -> None:
    tasks = {
        "roster_job": huey.task(name="roster_job")(roster_job),
        "purge_personal_data": huey.periodic_task(crontab(minute="7"), name="purge_personal_data")(purge_personal_data),
    }
    for name, when in SCHEDULE.items():
        run = _domain_task(name)
        tasks[name] = (huey.task(name=name)(run) if when is None
                       else huey.periodic_task(crontab(**when), name=name)(run))
    huey._jiuye_tasks = tasks  # type: ignore[attr-defined]


def enqueue(huey: Huey, name: str, *args) -> None:
    huey._jiuye_tasks[name](*args)  # type: ignore[attr-defined]


__all__ = ["SCHEDULE", "TaskNotInstalled", "enqueue", "purge_personal_data", "register", "roster_job"]
