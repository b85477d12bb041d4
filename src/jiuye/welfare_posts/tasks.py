"""The scheduled work of 公益性岗位 on the task queue (jiuye.store.tasks registers it):
``welfare_housekeeping`` (every hour, minute 47; idempotent): posts whose 招收期 has ended are closed.
Public searches only leave such posts out (posts.search), so nothing an anonymous visitor does writes.
A database not migrated yet is skipped quietly."""
from __future__ import annotations

import logging

log = logging.getLogger("jiuye.welfare_posts.tasks")


def housekeeping() -> dict:
    from jiuye.market.tasks import _session
    from jiuye.welfare_posts import posts

    s = _session()
    if s is None:
        return {"skipped": True}
    with s:
        closed = posts.close_expired(s)
    log.info("公益性岗位：招收期已过而结束的岗位 %d 个", closed)
    return {"posts_closed": closed}
