"""What the 零工市场 services share: the cases service's errors (one set of statuses and Chinese
messages for the whole API), field checks (phone, money, dates, place), masking (the market's),
the clock (the platforms' pinned clock, so tests freeze one time for all), the audit trail."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from jiuye.cases.models import User
from jiuye.cases.security import scrub
from jiuye.cases.access import valid_row_id  # noqa: F401
from jiuye.cases.errors import CaseError, Conflict, Forbidden, Invalid, NotFound  # noqa: F401
from jiuye.cases.unit import commit  # noqa: F401  (re-exported: the package's services call common.commit)
from jiuye.gig.models import GigEvent
from jiuye.market.common import mask_name, mask_phone  # noqa: F401  (one masking rule for the whole system)
from jiuye.platforms.clock import BEIJING, aware, now, show, today  # noqa: F401

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")


def check_phone(phone: str | None, field: str = "phone") -> str:
    p = re.sub(r"[\s\-－—()（）]", "", str(phone or ""))
    if not p:
        raise Invalid("请填写电话号码（手机号或带区号的座机）", field=field)
    if not (MOBILE.match(p) or LANDLINE.match(p)):
        raise Invalid("电话号码应为11位手机号（1开头），或带区号的座机号（如 0482-8238631）", field=field)
    return p


def check_text(text: str | None, field: str, what: str, *, limit: int, required: bool = True) -> str | None:
    t = re.sub(r"\s+", " ", str(text or "")).strip()
    if not t:
        if required:
            raise Invalid(f"请填写{what}", field=field)
        return None
    if len(t) > limit:
        raise Invalid(f"{what}最多{limit}个字", field=field)
    return scrub(t)


def yuan_to_fen(value: Any, field: str, what: str, *, maximum: int) -> int:
    raw = str(value if value is not None else "").strip().replace("元", "").replace(",", "").replace("，", "")
    if not raw:
        raise Invalid(f"请填写{what}（元）", field=field)
    try:
        d = Decimal(raw)
    except InvalidOperation:
        raise Invalid(f"{what}应为数字（元），如 200 或 180.5", field=field) from None
    if not d.is_finite() or d <= 0:
        raise Invalid(f"{what}应大于 0 元", field=field)
    if d > maximum:
        raise Invalid(f"{what}超过 {maximum} 元，请核对是否填错", field=field)
    if d != d.quantize(Decimal("0.01")):
        raise Invalid(f"{what}最多保留两位小数（分）", field=field)
    return int(d * 100)


def check_int(value: Any, field: str, what: str, *, low: int, high: int) -> int:
    raw = str(value if value is not None else "").strip()
    if not raw.isdigit() or not (low <= int(raw) <= high):
        raise Invalid(f"{what}应为 {low}–{high} 的整数", field=field)
    return int(raw)


def check_date(value: Any, field: str, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    raw = str(value or "").strip().replace("/", "-").replace(".", "-")
    if not raw:
        raise Invalid(f"请填写{what}", field=field)
    try:
        d = dt.date.fromisoformat(raw)
    except ValueError:
        raise Invalid(f"{what}应为日期，如 2026-12-08", field=field) from None
    if not (2000 <= d.year <= 2100):
        raise Invalid(f"{what}不在 2000–2100 年之间", field=field)
    return d


def check_span(start: dt.date, end: dt.date, max_days: int) -> None:
    if start < today():
        raise Invalid("开始日期不能早于今天", field="start_on")
    if end < start:
        raise Invalid("结束日期不能早于开始日期", field="end_on")
    if (end - start).days + 1 > max_days:
        raise Invalid(f"一次最多 {max_days} 天", field="end_on")


def check_place(district: str | None, town: str | None, lat: Any = None, lon: Any = None) -> dict:
    from jiuye.gig.settings import districts
    from jiuye.knowledge.loader import get_knowledge

    key = get_knowledge().district_names.get(str(district or "").strip())
    if key not in districts():
        raise Invalid("请选择兴安盟的旗县市（乌兰浩特市、阿尔山市、科右前旗、科右中旗、扎赉特旗、突泉县）", field="district")
    t = check_text(town, "town", "苏木镇/街道", limit=30, required=False)
    place = {"district": key, "town": t, "lat": None, "lon": None}
    if lat not in (None, "") or lon not in (None, ""):
        try:
            la, lo = float(lat), float(lon)
        except (TypeError, ValueError):
            raise Invalid("位置坐标应为数字（纬度、经度）", field="lat") from None
        if not (44.0 <= la <= 48.5 and 119.0 <= lo <= 124.5):
            raise Invalid("位置坐标不在兴安盟范围内（纬度44–48.5，经度119–124.5）", field="lat")
        place["lat"], place["lon"] = round(la, 5), round(lo, 5)
    return place


def resolve_occupation(text: str | None, field: str = "occupation") -> tuple[str, str]:
    """工种 typed freely → (大典 code, the text as written); Invalid naming the field when not recognised."""
    from jiuye.market.occupations import get_classification

    t = check_text(text, field, "工种", limit=30)
    c = get_classification()
    if t in c.entries:
        return t, c.name(t)
    found = c.resolve(t)
    if not found or found[0].confidence < 0.5:
        raise Invalid(f"没认出工种「{t}」，请换个常用说法（如 瓦工、电焊工、保洁、搬运、放羊）", field=field)
    return found[0].code, t


def occupation_name(code: str) -> str:
    from jiuye.market.occupations import get_classification

    return get_classification().name(code)


def yuan(fen: int | None) -> str:
    if fen is None:
        return "待定"
    return f"{fen / 100:.2f}".rstrip("0").rstrip(".") + " 元"


def record_event(s: Session, actor: User | None, kind: str, *, job_id: int | None = None,
                 worker_id: int | None = None, match_id: int | None = None, comment: str | None = None,
                 data: dict | None = None) -> None:
    s.add(GigEvent(at=now(), actor_id=actor.id if actor else None, actor_role=actor.role if actor else "system",
                   kind=kind, job_id=job_id, worker_id=worker_id, match_id=match_id, comment=scrub(comment),
                   data=data))


def check_id(value: int, what: str) -> None:
    if not valid_row_id(value):
        raise NotFound(f"没有编号为 {value} 的{what}（或您无权查看）")


def iso(t) -> str | None:
    if t is None:
        return None
    return aware(t).isoformat() if hasattr(t, "hour") else t.isoformat()
