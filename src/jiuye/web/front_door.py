"""Ask as the front door to the services (issue 19, item 6): live results next to the passages.

Ask finds the intent (jiuye.ask.intents, data/ask/intents.yaml) without importing any service; here each
service plugs in one function, `search(text, district, limit) -> list of {title, detail, url}`, with the
address of its own list page, registered below: the labour market (招聘岗位) and 兴安打工直通车 here, 零工市场,
招聘会, courses, the project library and 公益性岗位 from jiuye.web.front_door_services; a service without one
(单位招工, 孵化基地) links to the page named in intents.yaml (`fallback`). A provider that fails or has
no database gives the link, never an error page.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlencode

from jiuye.web import front_door_services  # 零工市场, 招聘会, courses, 创业项目库, 公益性岗位: their searches

Search = Callable[[str, "str | None", int], list[dict[str, Any]]]
log = logging.getLogger("jiuye.web.front_door")


@dataclass(frozen=True)
class Provider:
    search: Search
    page: str  # the service's own list page (its search: page?q=…&district=…)
    label: str  # the link's words: 「查看全部岗位」


PROVIDERS: dict[str, Provider] = {}


def register(service: str, search: Search, page: str, label: str) -> None:
    """Plug a service into Ask (called once at import by the service's web module, or by a test)."""
    PROVIDERS[service] = Provider(search, page, label)


def unregister(service: str) -> None:
    PROVIDERS.pop(service, None)


def live(intents: list[dict[str, Any]], district: str | None, limit: int = 3) -> list[dict[str, Any]]:
    """For each intent Ask found: the service's results with links, or the fallback link."""
    out = []
    for it in intents[:2]:  # at most two services beside the passages
        p = PROVIDERS.get(it["service"])
        block = {"intent": it["id"], "label": it["label"], "query": it["query"], "live": False, "items": [],
                 "url": it["fallback_url"], "link_label": it["fallback_label"], "message": None}
        if p is not None:
            params = {k: v for k, v in (("q", it["query"]), ("district", district or "")) if v}
            block["url"] = p.page + ("?" + urlencode(params) if params else "")
            block["link_label"] = p.label
            try:
                found = p.search(it["query"], district, limit)[:limit]
                block["items"] = [_item(x) for x in found]
                block["live"] = True
                if not block["items"]:
                    block["message"] = "暂时没有找到" + (f"与「{it['query']}」相关的" if it["query"] else "") + "内容，可点下面的链接查看全部。"
                elif it["query"] and not any(x.get("matched", True) for x in found):  # the latest, not matches
                    block["message"] = f"没有找到与「{it['query']}」相关的，上面是最新发布的，可点下面的链接查看全部。"
                elif found[0].get("relaxed"):  # found by letting go of a condition of the question
                    block["message"] = (f"没有完全符合「{it['query']}」的，上面是不限{'、'.join(found[0]['relaxed'])}"
                                        "找到的，可点下面的链接查看全部。")
            except Exception:  # a service down must not take the answer with it
                log.exception("front door: %s search failed", it["service"])
                block["message"] = "暂时查不到实时信息，请点下面的链接查看。"
        out.append(block)
    return out


def _item(x: dict[str, Any]) -> dict[str, str]:
    url = str(x.get("url") or "")
    return {"title": str(x.get("title") or ""), "detail": str(x.get("detail") or ""),
            "url": url if url.startswith("/") else ""}  # links stay on this site


# --- the services that exist today --------------------------------------------------------------
def _postings(text: str, district: str | None, limit: int, *, base: str, open_places_only: bool):
    from sqlalchemy.orm import Session

    from jiuye.market import postings
    from jiuye.store.db import default_engine

    with Session(default_engine(), expire_on_commit=False) as s:
        _, found = postings.search(s, q=text[:200], district=district, limit=limit * 3)
        matched, relaxed = bool(found) or not text, []
        if not found and text:  # 退伍 保安 司机: the kind of work, letting go of a word, the district or the wage (said so)
            relaxed, found = postings.search_nearby(s, q=text[:200], district=district, limit=limit * 3)
            matched = bool(found)
        if not found and text:  # the words matched no title: the district's posts rather than nothing (said so)
            _, found = postings.search(s, q="", district=district, limit=limit * 3)
        rows = [postings.view(p) for p in found if not open_places_only or p.places_left > 0][:limit]
    return [{"title": r["title"], "detail": "，".join(x for x in (r.get("employer_name") or "", r.get("district") or "",
                                                                   r.get("wage") or "") if x),
             "url": f"{base}/{r['id']}", "matched": matched, "relaxed": relaxed} for r in rows]


def search_jobs(text: str, district: str | None, limit: int) -> list[dict[str, Any]]:
    """招聘岗位 of the labour market (jiuye.market): published, not past their date."""
    return _postings(text, district, limit, base="/jobs", open_places_only=False)


def search_dagong(text: str, district: str | None, limit: int) -> list[dict[str, Any]]:
    """兴安打工直通车: the same public posts, those with places left, to sign up for without an account."""
    return _postings(text, district, limit, base="/dagong/posts", open_places_only=True)


register("jobs", search_jobs, "/jobs", "查看全部招聘岗位")
register("dagong", search_dagong, "/dagong", "去打工直通车报名")
register("gig", front_door_services.search_gig, "/gig", "去零工市场")
register("fairs", front_door_services.search_fairs, "/fairs", "查看全部招聘会")
register("training", front_door_services.search_courses, "/training", "查看全部培训课程")
register("startup", front_door_services.search_projects, "/startup", "查看创业项目库")
register("welfare", front_door_services.search_welfare, "/welfare", "查看全部公益性岗位")
