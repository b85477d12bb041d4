"""The scheduled work of training on the task queue (jiuye.store.tasks registers it):
``training_housekeeping`` (every hour, minute 29; idempotent): vouchers past their validity expire,
and subsidy claims that waited for a procedure file (data/procedures/) open their cases once it exists.
A database not migrated yet is skipped quietly."""
from __future__ import annotations

import logging

log = logging.getLogger("jiuye.training.tasks")


def housekeeping() -> dict:
    from jiuye.market.tasks import _session
    from jiuye.training import completion, vouchers

    s = _session()
    if s is None:
        return {"skipped": True}
    with s:
        expired = vouchers.expire_due(s)
        opened = completion.retry_waiting(s)
    log.info("培训：过期培训券 %d 张，待流程上线的补贴建案 %d 件", expired, opened)
    return {"vouchers_expired": expired, "claims_opened": opened}
