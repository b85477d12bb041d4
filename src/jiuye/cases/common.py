"""Small helpers the case modules share: stored times as UTC, a procedure or a district by the name a
person typed (a Chinese 422 naming the field, with the nearest names), profiles with 身份证号 masked."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from jiuye.cases.errors import Invalid
from jiuye.cases.procedures import Procedure, get_procedures
from jiuye.cases.security import mask_id_number, scrub


def _aware(t: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return t.replace(tzinfo=dt.timezone.utc) if t is not None and t.tzinfo is None else t


def _procedure(proc_id: str) -> Procedure:
    procs = get_procedures()
    if proc_id not in procs:
        from jiuye.knowledge.catalogue import nearest

        hint = nearest(proc_id, list(procs))
        raise Invalid(f"未知的办理流程「{proc_id}」" + (f"；您是不是要找：{'、'.join(hint)}" if hint else "")
                      + f"。可选：{'、'.join(procs)}", field="procedure")
    return procs[proc_id]


def district_key(name: str | None) -> str:
    from jiuye.knowledge.loader import get_knowledge

    kb = get_knowledge()
    if not (name or "").strip():
        raise Invalid("请填写所在旗县市（如 乌兰浩特市）", field="district")
    key = kb.district_names.get((name or "").strip())
    if key is None:
        from jiuye.knowledge.catalogue import nearest

        hint = nearest(name or "", list(kb.district_names))
        raise Invalid(f"未知的旗县市「{name}」" + (f"；您是不是要找：{'、'.join(hint)}" if hint else ""), field="district")
    return key


def _strip_ids(value: Any) -> Any:
    """A copy of a profile with every 身份证号 masked (it is stored once, in people)."""
    if isinstance(value, dict):
        return {k: (mask_id_number(str(v)) if k == "id_number" and v else _strip_ids(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_ids(v) for v in value]
    return value


def _scrub_json(value: Any) -> Any:
    return json.loads(scrub(json.dumps(value, ensure_ascii=False, default=str)))
