"""Checking a profile (jiuye.screening.profile) and saying what is wrong in Chinese: the error messages by pydantic
error type, each field's Chinese title (``field_title``), :class:`ProfileError` naming each bad field, the checks that
need the evaluation date (born after it, a certificate dated after it: :func:`check_profile`), and :func:`parse_profile`
which runs both."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from jiuye.idcard import InvalidIdNumber, parse_id_number
from jiuye.screening.profile import EnterpriseBase, EnterpriseProfile, PersonBase, PersonProfile, ProfileAdapter

ERROR_MESSAGES = {
    "extra_forbidden": "未知字段（资料表中没有这一项）",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "too_long": "最多 {max_length} 项（现有 {actual_length} 项）",
    "model_type": "应为对象（JSON 的 {…}）",
    "dict_type": "应为对象（JSON 的 {…}）",
    "model_attributes_type": "应为对象（JSON 的 {…}）",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "必须大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "decimal_max_places": "最多 {decimal_places} 位小数",
    "decimal_max_digits": "数值过大",
    "union_tag_invalid": "subject 应为 person 或 enterprise",
    "missing": "必须填写",
    "date_from_datetime_inexact": "应为日期，格式 YYYY-MM-DD",
    "datetime_parsing": "应为日期时间，格式 YYYY-MM-DDTHH:MM:SS",
    "finite_number": "应为有限的数字（不能是 NaN 或 Infinity）",
    "string_too_long": "最多 {max_length} 个字符",
    "string_too_short": "至少 {min_length} 个字符",
    "string_pattern_mismatch": "格式不符",
    "too_short": "至少 {min_length} 项",
    "less_than": "必须小于 {lt}",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "json_invalid": "不是有效的 JSON",
}


def field_title(path: tuple) -> str:
    """The Chinese title of the field at ``path`` (e.g. ('household', 'members', 0, 'birth_date'))."""
    model: Any = None
    title = ""
    for part in path:
        if isinstance(part, int):
            continue
        if part in ("person", "enterprise") and model is None:
            model = PersonProfile if part == "person" else EnterpriseProfile
            continue
        if model is None:  # the subject is not in the path: the model that has this field
            model = PersonProfile if part in PersonProfile.model_fields else EnterpriseProfile
        info = getattr(model, "model_fields", {}).get(part)
        if info is None:
            return title
        title = info.title or part
        model = _inner_model(info.annotation)
    return title


def _inner_model(annotation) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)


class ProfileError(ValueError):
    """A profile that cannot be screened; ``errors`` name each bad field."""

    def __init__(self, errors: list[dict[str, Any]]):
        self.errors = errors
        super().__init__("；".join(e["message"] for e in errors))

    @classmethod
    def from_validation(cls, exc: ValidationError, prefix: tuple = ()) -> ProfileError:
        return cls([error_item(err["loc"], err["type"], err.get("msg", ""), err.get("ctx"), prefix) for err in exc.errors()])


def error_item(loc, kind: str, msg: str, ctx: dict | None = None, prefix: tuple = ()) -> dict[str, Any]:
    """One error, naming the field: {field, loc, title, message, type}."""
    path = tuple(p for p in loc if p not in ("person", "enterprise", "body"))
    if kind == "union_tag_invalid":
        path = path + ("subject",)
    if path[:len(prefix)] == prefix:
        path = path[len(prefix):]
    if "function-after" in str(path) or "function-plain" in str(path):
        path = tuple(p for p in path if "function-" not in str(p))
    field = dotted(path) or "(profile)"
    title = field_title(path) if path else ""
    text = ERROR_MESSAGES.get(kind)
    if kind in ("value_error", "assertion_error") or text is None:
        text = re.sub(r"^(Value error|Assertion failed), ", "", msg)
    elif ctx:
        try:
            text = text.format(**{k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in ctx.items()})
        except (KeyError, IndexError):
            pass
    if kind == "literal_error" and ctx and "expected" in ctx:
        text = f"应为以下之一：{ctx['expected']}"
    label = f"字段「{field}」" + (f"（{title}）" if title else "")
    return {"field": field, "loc": list(path), "title": title, "type": kind, "message": f"{label}：{text}"}


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _person_checks(p, as_of: dt.date, prefix: tuple, errors: list) -> None:
    """Date, age and 身份证号 consistency of one person-like record (applicant, member, intern)."""
    def add(field: str, text: str) -> None:
        path = prefix + (field,)
        title = field_title(path)
        errors.append({"field": dotted(path), "loc": list(path), "title": title, "type": "value_error",
                       "message": f"字段「{dotted(path)}」（{title}）：{text}"})

    birth = getattr(p, "birth_date", None)
    if getattr(p, "id_number", None):
        try:
            info = parse_id_number(p.id_number)
        except InvalidIdNumber as exc:  # a record whose schema field did not check the number itself
            add("id_number", f"身份证号有误：{exc}")
            return
        if getattr(p, "sex", None) and p.sex != info.sex:
            add("sex", f"与身份证号不符：身份证号显示为{'男' if info.sex == 'male' else '女'}")
        if birth and birth != info.birth_date:
            add("birth_date", f"与身份证号不符：身份证号中的出生日期为 {info.birth_date.isoformat()}")
        birth = birth or info.birth_date
    if birth and birth > as_of:
        add("birth_date" if getattr(p, "birth_date", None) else "id_number",
            f"出生日期 {birth.isoformat()} 晚于评估日期 {as_of.isoformat()}")
    age = getattr(p, "age", None)
    if birth and age is not None and birth <= as_of and age != _age_on(birth, as_of):
        add("age", f"与出生日期不符：{birth.isoformat()} 出生，到 {as_of.isoformat()} 为 {_age_on(birth, as_of)} 周岁")
    leaving = getattr(p, "college_leaving_date", None)
    if leaving and birth and leaving <= birth:
        add("college_leaving_date", f"离校日期 {leaving.isoformat()} 不可能早于出生日期 {birth.isoformat()}")


PAST_EVENTS = {
    "certificate_date": "证书核发日期",
    "ui_contribution_stop_date": "停保日期",
    "ui_benefit_end_date": "失业保险待遇终止日期",
    "business_registration_date": "登记注册日期",
    "unemployment_registration_date": "失业登记日期",
}


def check_profile(profile, as_of: dt.date) -> list[dict[str, Any]]:
    """Checks that depend on the evaluation date or on several fields; [] when none fails."""
    errors: list[dict[str, Any]] = []
    if getattr(profile, "subject", "person") == "person":
        _person_checks(profile, as_of, (), errors)
        birth = profile.birth_date or (parse_id_number(profile.id_number).birth_date if profile.id_number else None)
        for field, label in PAST_EVENTS.items():
            value = getattr(profile, field, None)
            if value is None:
                continue
            if value > as_of:
                errors.append({"field": field, "loc": [field], "title": field_title((field,)), "type": "value_error",
                               "message": f"字段「{field}」（{field_title((field,))}）：{label} {value.isoformat()} 在评估日期 "
                                          f"{as_of.isoformat()} 之后，不可能"})
            elif birth and value < birth:
                errors.append({"field": field, "loc": [field], "title": field_title((field,)), "type": "value_error",
                               "message": f"字段「{field}」（{field_title((field,))}）：{label} {value.isoformat()} 早于出生日期"})
        members = (profile.household.members or []) if profile.household else []
        spouses = [m for m in members if m.relation == "spouse"]
        if len(spouses) > 1:
            errors.append({"field": "household.members", "loc": ["household", "members"], "title": "同一户口内共同生活的其他成员",
                           "type": "value_error", "message": "字段「household.members」：只能有一名配偶（relation: spouse）"})
        if spouses and profile.has_spouse is False:
            errors.append({"field": "has_spouse", "loc": ["has_spouse"], "title": "有配偶（已婚）", "type": "value_error",
                           "message": "字段「has_spouse」（有配偶（已婚））：填了「无配偶」，但家庭成员中有配偶"})
        if profile.spouse_unemployed is not None and profile.has_spouse is False:
            errors.append({"field": "spouse_unemployed", "loc": ["spouse_unemployed"], "title": "配偶同时失业", "type": "value_error",
                           "message": "字段「spouse_unemployed」（配偶同时失业）：填了「无配偶」，不能再填配偶是否失业"})
        if (spouses and spouses[0].is_unemployed is not None and profile.spouse_unemployed is not None
                and spouses[0].is_unemployed != profile.spouse_unemployed):
            errors.append({"field": "spouse_unemployed", "loc": ["spouse_unemployed"], "title": "配偶同时失业", "type": "value_error",
                           "message": "字段「spouse_unemployed」（配偶同时失业）：与家庭成员中配偶的 is_unemployed 不一致"})
        for i, m in enumerate(members):
            _person_checks(m, as_of, ("household", "members", i), errors)
    else:
        for i, intern in enumerate(profile.interns or []):
            _person_checks(intern, as_of, ("interns", i), errors)
        for i, employee in enumerate(getattr(profile, "employees", None) or []):
            _person_checks(employee, as_of, ("employees", i), errors)
    return errors


def parse_profile(data: Any, as_of: dt.date):
    """A validated PersonProfile or EnterpriseProfile, or ProfileError naming every bad field."""
    if isinstance(data, (PersonBase, EnterpriseBase)):
        profile = data
    else:
        if not isinstance(data, dict):
            raise ProfileError([{"field": "(profile)", "loc": [], "title": "", "type": "model_type",
                                 "message": "情况应为 JSON 对象（{…}）"}])
        try:
            profile = ProfileAdapter.validate_python(data)
        except ValidationError as exc:
            raise ProfileError.from_validation(exc) from None
    errors = check_profile(profile, as_of)
    if errors:
        raise ProfileError(errors)
    return profile


__all__ = ["ERROR_MESSAGES", "PAST_EVENTS", "ProfileError", "check_profile", "error_item", "field_title", "parse_profile"]
