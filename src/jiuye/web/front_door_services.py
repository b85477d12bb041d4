"""The front door's providers for the services built beside the labour market (issue 19, item 6): 零工市场,
招聘会 and 直播带岗, courses, the start-up project library, the incubators and the 公益性岗位 with places left. Each is a thin `search(text,
district, limit)` over the service's own public listing (the same rows its list page shows), registered
by jiuye.web.front_door. Words that name no item give the newest items of the district, as
the service's own page would show them; no listing is invented here."""
from __future__ import annotations

from typing import Any


def _session():
    from sqlalchemy.orm import Session

    from jiuye.store.db import default_engine

    return Session(default_engine(), expire_on_commit=False)


def _with_words(rows: list, text: str, words_of) -> list:
    """The rows whose words hold the text (when it names something), else all of them, in their order."""
    text = (text or "").strip()
    if not text:
        return rows
    hit = [r for r in rows if any(text in w or w in text for w in words_of(r) if w)]
    return hit or rows


def search_gig(text: str, district: str | None, limit: int) -> list[dict[str, Any]]:
    """零工市场: open short jobs, newest first."""
    from jiuye.gig import posts

    with _session() as s:
        rows = [posts.job_view(s, j, full=False) for j in posts.board(s, district=district, limit=200)]
    rows = _with_words(rows, text, lambda r: (r["title"], r["occupation"]))
    return [{"title": r["title"], "detail": "，".join(x for x in (r["district"] + (r.get("town") or ""), r["pay"],
                                                                   f"{r['start_on']} 起 {r['days']} 天") if x),
             "url": f"/gig/jobs/{r['id']}"} for r in rows[:limit]]


def search_fairs(text: str, district: str | None, limit: int) -> list[dict[str, Any]]:
    """招聘会 and 直播带岗: the coming ones, soonest first (the weekly fair is the 盟中心's, for every district)."""
    from jiuye.fairs import fairs

    with _session() as s:
        rows = [fairs.view(f) for f in fairs.upcoming(s, limit=50)]
    if district:
        rows = [r for r in rows if r["district"] in (district, "兴安盟", None)] or rows
    rows = _with_words(rows, text, lambda r: (r["name"], r["kind_label"], r.get("place") or "", r.get("platform") or ""))
    return [{"title": r["name"], "detail": "，".join(x for x in (r["when"], r.get("place") or r.get("platform") or "") if x),
             "url": f"/fairs/{r['id']}"} for r in rows[:limit]]


def search_courses(text: str, district: str | None, limit: int) -> list[dict[str, Any]]:
    """Courses one can still enrol on, soonest first, of the occupation the words name (all, without words)."""
    from jiuye.training import courses

    with _session() as s:
        # words that name no course give nothing (the page then says so and links to every course): a
        # welding question is not answered with a start-up class
        _, found = courses.search(s, district=district, occupation=(text or None) and text[:20], limit=limit)
        rows = [courses.view(c) for c in found]
    return [{"title": r["title"], "detail": "，".join(x for x in (r["district"], f"{r['start_on']} 开课", r["price"],
                                                                   f"剩 {r['seats_left']} 个名额") if x),
             "url": f"/training/courses/{r['id']}"} for r in rows[:limit]]


def search_projects(text: str, district: str | None, limit: int) -> list[dict[str, Any]]:
    """创业项目库: published projects, newest first."""
    from jiuye.startup import projects

    with _session() as s:
        _, found = projects.browse(s, district=district, limit=100)
        rows = [projects.view(p) for p in found]
    rows = _with_words(rows, text, lambda r: (r["title"], r["sector_label"], r["mode_label"]))
    return [{"title": r["title"], "detail": "，".join(x for x in (r["district"], r["mode_label"], r["sector_label"],
                                                                   f"投资约 {r['investment_yuan']:,} 元"
                                                                   if r.get("investment_yuan") else "") if x),
             "url": f"/startup/projects/{r['id']}"} for r in rows[:limit]]


def search_welfare(text: str, district: str | None, limit: int) -> list[dict[str, Any]]:
    """公益性岗位: open posts with places left in their 招收期, those ending soonest first."""
    from jiuye.welfare_posts import posts

    with _session() as s:
        _, found = posts.search(s, district=district, limit=100)
        rows = [posts.view(p) for p in found]
    rows = _with_words(rows, text, lambda r: (r["title"], r["unit"], r["type_label"], r["place"] or ""))
    return [{"title": r["title"], "detail": "，".join(x for x in (r["district"], r["unit"], f"剩 {r['places_left']} 个名额",
                                                                   f"{r['end_on']} 截止报名") if x),
             "url": f"/welfare/posts/{r['id']}"} for r in rows[:limit]]
