"""Form fields of the market's pages → the record contracts' dicts (SeekerRecord, PostingRecord), and
back. Only shape is handled here (lists typed as 「电焊工、钳工」, yes/no radios, empty = not given); the
services validate the records and name the field of any error."""
from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData

from jiuye.market.records import EDUCATION_LABELS, KEY_GROUP_LABELS, WAGE_UNIT_LABELS, PostingRecord, SeekerRecord

SPLIT = re.compile(r"[、，,;；\s]+")
SEEKER_TEXT = ("expected_wage", "expected_wage_unit", "education", "available_from", "birth_date", "college_leaving_date")
POSTING_TEXT = ("title", "employer_name", "credit_code", "occupation_code", "places", "duties", "requirements",
                "education_min", "min_age", "max_age", "wage_min", "wage_max", "wage_unit", "working_hours", "benefits",
                "district", "town", "address", "contract_type", "valid_through", "contact")


async def _posted_form(request: Request) -> FormData:
    """The request's form, read on the event loop (Starlette caches it: the CSRF check read it already),
    so that the route itself can be a plain function run in a worker thread."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(_posted_form)]


def _list(value: str | None) -> list[str]:
    return [p for p in SPLIT.split(value or "") if p]


def _yesno(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get((value or "").strip())


def seeker_data(form) -> dict[str, Any]:
    """SeekerRecord fields from a page's form (multi-value fields: districts, key_groups)."""
    d: dict[str, Any] = {}
    for name in SEEKER_TEXT:
        v = str(form.get(name) or "").strip()
        if v:
            d[name] = v
    d["desired_titles"] = _list(form.get("desired_titles"))
    d["skills"] = _list(form.get("skills"))
    d["certificates"] = _list(form.get("certificates"))
    d["towns"] = _list(form.get("towns"))
    d["districts"] = [str(x) for x in form.getlist("districts") if str(x).strip()]
    d["key_groups"] = [str(x) for x in form.getlist("key_groups") if str(x).strip()]
    d["consent_to_employers"] = form.get("consent_to_employers") == "1"
    d["willing_outside_league"] = form.get("willing_outside_league") == "1"
    return d


def seeker_form_values(rec: dict | None) -> dict[str, Any]:
    """What the registration form shows for a stored record."""
    rec = rec or {}
    v = {k: rec.get(k) for k in SEEKER_TEXT}
    v.update(desired_titles="、".join(rec.get("desired_titles") or []), skills="、".join(rec.get("skills") or []),
             certificates="、".join(rec.get("certificates") or []), towns="、".join(rec.get("towns") or []),
             districts=rec.get("districts") or [], key_groups=rec.get("key_groups") or [],
             consent_to_employers=bool(rec.get("consent_to_employers")),
             willing_outside_league=bool(rec.get("willing_outside_league")))
    return v


def posting_data(form) -> dict[str, Any]:
    d: dict[str, Any] = {}
    for name in POSTING_TEXT:
        v = str(form.get(name) or "").strip()
        if v:
            d[name] = v
    d["required_certificates"] = _list(form.get("required_certificates"))
    d["social_insurance"] = _yesno(form.get("social_insurance"))
    d["outside_league"] = form.get("outside_league") == "1"
    return d


def posting_form_values(rec: dict | None) -> dict[str, Any]:
    rec = dict(rec or {})
    rec["required_certificates"] = "、".join(rec.get("required_certificates") or [])
    for k in ("wage_min", "wage_max"):
        if isinstance(rec.get(k), float) and rec[k].is_integer():
            rec[k] = int(rec[k])
    return rec


def choices() -> dict[str, Any]:
    from jiuye.market.postings import CONTRACT_TYPE_LABELS, league_districts

    return {"education": EDUCATION_LABELS, "key_groups": KEY_GROUP_LABELS, "wage_units": WAGE_UNIT_LABELS,
            "contract_types": CONTRACT_TYPE_LABELS, "districts": league_districts(),
            "seeker_titles": {n: (f.title or n) for n, f in SeekerRecord.model_fields.items()},
            "posting_titles": {n: (f.title or n) for n, f in PostingRecord.model_fields.items()}}
