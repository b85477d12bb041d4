"""data/gig/gig.yaml, validated on load (a Chinese message naming the file and the entry), and what
follows from it: the 零工市场 phone line of each district (as printed in 003, with the inference the
data records and its warning), the approximate place of a 旗县市 and the distance between two places."""
from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jiuye.config import data_dir
from jiuye.knowledge.loader import DataError, parse_yaml


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(Strict):
    document: Literal["000", "003"]
    section: str
    quote: str = Field(min_length=2)


class Fallback(Strict):
    phone: str = Field(pattern=r"^0482-\d{7}$")
    source: Source


class Phones(Strict):
    table: str
    confirm_by: str
    fallback: dict[str, Fallback]


class Seat(Strict):
    seat: str
    lat: float = Field(ge=40, le=55)
    lon: float = Field(ge=110, le=130)


class Places(Strict):
    approximate: bool
    note: str = Field(pattern="推定")
    seats: dict[str, Seat]


class Matching(Strict):
    max_km: float = Field(gt=0)
    same_district_km: float = Field(gt=0)
    limit: int = Field(ge=1, le=200)


class Arrears(Strict):
    escalate_after_hours: int = Field(ge=1)
    escalate_to: str


class Pay(Strict):
    max_per_day_yuan: int = Field(ge=1)
    max_days: int = Field(ge=1)
    max_people: int = Field(ge=1)


class GigSource(Strict):
    document: Literal["000", "003"]
    section: str
    quote: str
    silent: str = Field(pattern="推定")


class GigSettings(Strict):
    source: GigSource
    phones: Phones
    places: Places
    matching: Matching
    arrears: Arrears
    pay: Pay


class GigDataError(DataError):
    pass


def load(path: Path | None = None) -> GigSettings:
    from jiuye.knowledge.loader import get_knowledge

    path = path or data_dir() / "gig" / "gig.yaml"
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8"))
        out = GigSettings.model_validate(raw)
    except FileNotFoundError:
        raise GigDataError(f"{path}：文件不存在") from None
    except ValidationError as exc:
        e = exc.errors()[0]
        raise GigDataError(f"{path}：{'.'.join(str(x) for x in e['loc'])}：{e['msg']}") from None
    kb = get_knowledge()
    districts = {d.key for d in kb.districts}
    for key in [*out.places.seats, *out.phones.fallback]:
        if key not in districts:
            raise GigDataError(f"{path}：「{key}」不是兴安盟的旗县市（data/districts.yaml）")
    missing = districts - set(out.places.seats)
    if missing:
        raise GigDataError(f"{path}：places.seats 缺少 {'、'.join(sorted(missing))}")
    if not any(t.id == out.phones.table for t in kb.contacts.tables):
        raise GigDataError(f"{path}：phones.table「{out.phones.table}」不在 data/contacts.yaml")
    for key, fb in out.phones.fallback.items():
        if not kb.quote_in_source(fb.source.document, fb.source.quote):
            raise GigDataError(f"{path}：phones.fallback.{key} 的引文与{fb.source.document}号资料原文不一致")
    if not kb.quote_in_source(out.source.document, out.source.quote):
        raise GigDataError(f"{path}：source 的引文与原文不一致")
    return out


@functools.lru_cache(maxsize=1)
def settings() -> GigSettings:
    return load()


def districts() -> list[str]:
    from jiuye.knowledge.loader import get_knowledge

    return [d.key for d in get_knowledge().districts if d.level == "旗县市"]


def towns(district: str | None = None) -> dict[str, list[str]]:
    """苏木镇/乡/街道 by 旗县市, as the market loads and validates data/market/towns.yaml (offered in
    the forms, not enforced: a name not in it is kept as written)."""
    from jiuye.market.prepare import get_places

    return {k: list(v) for k, v in get_places().towns.items() if district is None or k == district}


# --- phones ---------------------------------------------------------------------------------------
def phone_lines() -> dict:
    """Per district: what the 003 table prints for it, what the data infers, what to call meanwhile.

    {"districts": [{district, printed: [{phone, office, line, warning}], inferred: [{phone, from_office,
    inference}], fallback: {phone, source} | None}], "outside": [...rows naming places not in the league],
    "table": {document, section, title}, "confirm_by": …}"""
    from jiuye.knowledge.loader import get_knowledge

    kb = get_knowledge()
    cfg = settings().phones
    table = next(t for t in kb.contacts.tables if t.id == cfg.table)
    out, outside = [], []
    rows = [r.model_dump() for r in table.rows]
    for key in [d.key for d in kb.districts]:
        printed, inferred = [], []
        for r in rows:
            d = kb.district_names.get(r["district"], r["district"])
            if d == key and not r.get("not_in_league"):
                warning = None
                if r.get("inferred_district") and r["inferred_district"] != key:
                    warning = (f"原表把 {r['phone']} 印在{key}名下，但它疑似{r['inferred_district']}的号码"
                               f"（{r.get('inference', '')}）。核实前请不要用它联系{key}。")
                printed.append({"phone": r["phone"], "office": r["office"], "line": r.get("line"),
                                "quote": r.get("quote"), "warning": warning})
            if r.get("inferred_district") == key and d != key:
                inferred.append({"phone": r["phone"], "from_office": r["office"], "line": r.get("line"),
                                 "inference": r.get("inference")})
        fb = cfg.fallback.get(key)
        usable = [p for p in printed if not p["warning"]]
        out.append({"district": key, "printed": printed, "inferred": inferred, "usable": usable,
                    "fallback": fb.model_dump() if fb and not usable else None})
    for r in rows:
        if r.get("not_in_league"):
            outside.append({"office": r["office"], "phone": r["phone"], "line": r.get("line"), "quote": r.get("quote"),
                            "inference": r.get("inference")})
    return {"districts": out, "outside": outside, "confirm_by": cfg.confirm_by,
            "table": {"document": table.document, "section": table.section, "title": table.title}}


# --- places and distance ----------------------------------------------------------------------------
def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def distance(a: dict, b: dict) -> tuple[float | None, str, bool]:
    """Between two places ({district, town, lat, lon}): (km or None, how in Chinese, approximate)."""
    if a.get("lat") is not None and a.get("lon") is not None and b.get("lat") is not None and b.get("lon") is not None:
        km = haversine_km((a["lat"], a["lon"]), (b["lat"], b["lon"]))
        return km, f"约 {km:.0f} 公里（按双方填写的位置）", False
    if a.get("district") == b.get("district"):
        if a.get("town") and a.get("town") == b.get("town"):
            return 0.0, f"同在{a['district']}{a['town']}", False
        near = settings().matching.same_district_km
        return near, f"同在{a['district']}（苏木镇/街道之间的距离未知，按 {near:.0f} 公里以内估计，约略）", True
    seats = settings().places.seats
    sa, sb = seats.get(a.get("district") or ""), seats.get(b.get("district") or "")
    if sa is None or sb is None:
        return None, "距离未知", True
    km = haversine_km((sa.lat, sa.lon), (sb.lat, sb.lon))
    return km, f"约 {km:.0f} 公里（按{a['district']}、{b['district']}驻地的约略位置估算）", True
