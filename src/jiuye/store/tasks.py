"""The queue's tasks, registered on each huey instance by :func:`register`.

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

from huey import Huey, crontab


def roster_job(job_id: str) -> str:
    from jiuye.store import jobs

    return jobs.run_job(job_id)


def purge_personal_data() -> dict:
    from jiuye.store import retention

    return retention.purge()


def market_housekeeping() -> dict:
    from jiuye.market import tasks

    return tasks.housekeeping()


def market_dispatch() -> dict:
    from jiuye.market import tasks

    return tasks.dispatch()


def market_announce() -> dict:
    from jiuye.market import tasks

    return tasks.announce()


def dagong_escalate() -> dict:
    from jiuye.platforms import tasks

    return tasks.escalate()


def dagong_visits() -> dict:
    from jiuye.platforms import tasks

    return tasks.visits()


def fair_followups() -> dict:
    from jiuye.fairs import tasks

    return tasks.followups()


def fair_schedule() -> dict:
    from jiuye.fairs import tasks

    return tasks.schedule()


def gig_arrears() -> dict:
    """零工市场: every 10 minutes, wage-arrears reports whose case is missing are opened, stale ones
    escalated to the 盟中心 (:mod:`jiuye.gig.arrears`)."""
    from jiuye.gig import arrears

    return arrears.run()


def training_housekeeping() -> dict:
    from jiuye.training import tasks

    return tasks.housekeeping()


def welfare_housekeeping() -> dict:
    """Every hour (minute 47): 公益性岗位 whose 招收期 has ended are closed (jiuye.welfare_posts.tasks)."""
    from jiuye.welfare_posts import tasks

    return tasks.housekeeping()


def startup_interest_due() -> dict:
    """Every hour (minute 37): founders' interest in a 创业项目 nobody contacted in time (jiuye.startup.tasks)."""
    from jiuye.startup import tasks

    return tasks.interest_due()


def register(huey: Huey) -> None:
    huey._jiuye_tasks = {  # type: ignore[attr-defined]
        "roster_job": huey.task(name="roster_job")(roster_job),
        "purge_personal_data": huey.periodic_task(crontab(minute="7"), name="purge_personal_data")(purge_personal_data),
        "market_housekeeping": huey.periodic_task(crontab(minute="17"), name="market_housekeeping")(market_housekeeping),
        "market_dispatch": huey.periodic_task(crontab(), name="market_dispatch")(market_dispatch),
        "market_announce": huey.task(name="market_announce")(market_announce),
        "dagong_escalate": huey.periodic_task(crontab(), name="dagong_escalate")(dagong_escalate),
        "gig_arrears": huey.periodic_task(crontab(minute="*/10"), name="gig_arrears")(gig_arrears),
        "dagong_visits": huey.periodic_task(crontab(minute="23"), name="dagong_visits")(dagong_visits),
        "fair_followups": huey.periodic_task(crontab(minute="*/5"), name="fair_followups")(fair_followups),
        "fair_schedule": huey.periodic_task(crontab(minute="41", hour="18"), name="fair_schedule")(fair_schedule),
        "training_housekeeping": huey.periodic_task(crontab(minute="29"), name="training_housekeeping")(
            training_housekeeping),
        "startup_interest_due": huey.periodic_task(crontab(minute="37"), name="startup_interest_due")(startup_interest_due),
        "welfare_housekeeping": huey.periodic_task(crontab(minute="47"), name="welfare_housekeeping")(welfare_housekeeping),
    }


def enqueue(huey: Huey, name: str, *args) -> None:
    huey._jiuye_tasks[name](*args)  # type: ignore[attr-defined]


__all__ = ["dagong_escalate", "dagong_visits", "enqueue", "fair_followups", "fair_schedule", "gig_arrears", "market_announce", "market_dispatch", "market_housekeeping", "purge_personal_data", "register", "roster_job", "startup_interest_due", "training_housekeeping", "welfare_housekeeping"]
