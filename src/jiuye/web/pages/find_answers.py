"""政策找人's answers as they travel in the page address: parsed from a query string or form (a Chinese message
naming each bad answer; unknown names ignored, so a name or 身份证号 put in an address is never read), a typed number
read back to the person (「十二年」已按 12 年理解), a 身份证号 turned into the three facts it carries, and the facts
an answer or the chosen group implies. find.py chooses the next prompts and groups the result."""
from __future__ import annotations

import datetime as dt
import decimal
from typing import Any, Mapping

from jiuye.web.pages.questionnaire import GroupSpec, Question, Questionnaire, _encode


class Answers:
    """What the person answered: key -> value, None meaning «asked, does not know»."""

    def __init__(self, subject: str, values: dict[str, Any], order: list[str]):
        self.subject, self.values, self.order = subject, values, order
        self.echo: dict[str, str] = {}  # key -> how a typed answer was read (「十二年」已按 12 年理解)
        self.inferred: dict[str, str] = {}  # key -> why another answer settles it (never asked)

    def known(self) -> dict[str, Any]:
        return {k: v for k, v in self.values.items() if v is not None}

    def query_items(self, qn: Questionnaire) -> list[tuple[str, str]]:
        """(name, value) pairs, in question order: the whole state of the questionnaire."""
        items = []
        for key in sorted(self.values, key=lambda k: (qn.question(k, self.subject).order
                                                       if qn.question(k, self.subject) else 10 ** 6, k)):
            if key in self.inferred:  # settled by another answer: inferred again from it on every page
                continue
            q = qn.question(key, self.subject)
            if q is None:
                continue
            items.append((key, _encode(q, self.values[key]) or ""))
        return items


def parse_answers(qn: Questionnaire, params: Mapping[str, str] | Any, subject: str,
                  as_of: dt.date) -> tuple[Answers, list[dict[str, str]]]:
    """The answers in a query string or form (unknown names are ignored — a name or 身份证号
    put in an address is never read), and a Chinese message naming each bad answer.

    A checklist's rows arrive like yes/no answers ("1", "0", "" for 不知道). A 身份证号 (`id_card`) gives the birth year-month, sex and
    旗县市 unless they are answered otherwise; only the fact that one was given is kept."""
    from jiuye.screening.typed import district_names

    values: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    order: list[str] = []
    echoes: dict[str, str] = {}
    derived: dict[str, Any] = {}
    keys = list(dict.fromkeys(params.keys()))
    for key in keys:
        q = qn.question(key, subject)
        if q is None:
            continue
        raw = params.get(key)
        raw = "" if raw is None else str(raw).strip()
        order.append(key)
        if raw == "":
            values[key] = None
            continue
        if q.kind == "idcard":
            try:
                values[key], derived, said = _parse_id_card(raw, as_of)
            except ValueError as exc:
                errors.append({"field": key, "message": f"「{q.label}」：{exc}"})
                values[key] = None
                continue
            if said:
                echoes[key] = said
            continue
        try:
            values[key], said = _parse_value(q, raw, as_of, district_names())
            if said:
                echoes[key] = f"「{q.label}」：{said}"
        except ValueError as exc:
            errors.append({"field": key, "message": f"「{q.label}」：{exc}"})
            values[key] = None
    for key, value in derived.items():  # what the person answered themselves wins
        if values.get(key) is None and qn.question(key, subject) is not None:
            values[key] = value
            order.append(key)
    for key in list(values):  # a checklist item its own list's answer rules out (配偶也失业 without 已婚)
        q = qn.question(key, subject)
        if q is None or q.checklist is None or values[key] is None:
            continue
        for cond, allowed in q.ask_if.items():
            c = qn.questions.get(cond)
            if c is not None and c.checklist == q.checklist and cond in values and values[cond] not in allowed:
                del values[key]
                break
    answers = Answers(subject, values, order)
    answers.echo = echoes
    return answers, errors


def _parse_id_card(raw: str, as_of: dt.date) -> tuple[bool, dict[str, Any], str | None]:
    """A 身份证号 -> (True, the facts it carries, how they were read). "1" means it was given on an
    earlier page (the facts are in the address already)."""
    from jiuye.idcard import InvalidIdNumber, parse_id_number
    from jiuye.screening import typed

    if raw == "1":
        return True, {}, None
    try:
        info = parse_id_number(raw)
    except InvalidIdNumber as exc:
        raise ValueError(f"{exc}；也可以不填，改为回答出生年月、性别和旗县市") from None
    if info.birth_date > as_of:
        raise ValueError("号码中的出生日期晚于今天")
    facts: dict[str, Any] = {"birth_date": f"{info.birth_date.year:04d}-{info.birth_date.month:02d}",
                             "sex": info.sex}
    district = typed.district_of_id(info.number)
    if district:
        facts["district"] = district
    sex = {"male": "男", "female": "女"}[info.sex]
    place = f"、旗县市 {district}" if district else "；户籍地不在兴安盟的旗县市，所在旗县市请另答"
    said = (f"已按身份证号推算：出生年月 {info.birth_date.year}年{info.birth_date.month}月、性别 {sex}{place}"
            "（号码本身不保存，也不出现在链接里）")
    return True, facts, said


def _years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _parse_value(q: Question, raw: str, as_of: dt.date, districts: dict[str, str]) -> tuple[Any, str | None]:
    """The value of one answer and, when it was typed otherwise than shown back, how it was read
    (「十二年」已按 12 年理解) — numbers, dates and districts go through jiuye.screening.typed."""
    from jiuye.screening import typed

    if q.kind == "yesno":
        if raw in ("1", "true", "是", "yes"):
            return True, None
        if raw in ("0", "false", "否", "no"):
            return False, None
        raise ValueError("请选择「是」「否」或「不知道」")
    if q.kind == "choice":
        if raw not in q.options:
            raise ValueError(f"请从选项中选择（{'、'.join(q.options.values())}）")
        return raw, None
    if q.kind == "district":
        key = typed.district(raw, districts)
        return key, typed.echo(raw, key)
    if q.kind == "date":
        day = typed.date(raw)
        latest = _years_after(as_of, q.future_years)
        if day > latest:
            if q.future_years:
                raise ValueError(f"{day.isoformat()} 晚于 {latest.isoformat()}：预计日期最多填到 {q.future_years} 年以后")
            raise ValueError(f"{day.isoformat()} 晚于今天（{as_of.isoformat()}）")
        return day.isoformat(), typed.echo(raw, day.isoformat())
    if q.kind == "year_month":
        year, month = typed.year_month(raw)
        if year < 1900 or (year, month) > (as_of.year, as_of.month):
            raise ValueError(f"{year}年{month}月 不是可能的出生年月")
        value = f"{year:04d}-{month:02d}"
        return value, typed.echo(raw, value)
    if q.kind in ("number", "integer"):
        number = typed.number(raw, q.unit)
        if q.kind == "integer" and number != number.to_integral_value():
            raise ValueError(f"「{raw}」应为整数")
        if q.minimum is not None and number < decimal.Decimal(str(q.minimum)):
            raise ValueError(f"不能小于 {q.minimum:g}")
        if q.maximum is not None and number > decimal.Decimal(str(q.maximum)):
            raise ValueError(f"不能大于 {q.maximum:g}")
        if q.kind != "integer" and number != round(number, 6):  # 18个月 → 1.5 年; 7个月 → 0.583333 年
            number = round(number, 6)
        text = typed.plain(number)
        said = typed.echo(raw, text, f"{text}{' ' + q.unit if q.unit else ''}")
        if q.kind == "integer":
            return int(number), said
        return (text if q.decimal else float(number)), said
    raise ValueError("无法识别")


def apply_preset(qn: Questionnaire, group: GroupSpec | None, answers: Answers) -> None:
    """The facts the chosen group implies (高校毕业生 → college_graduate), then what the answers imply
    (`implies` of the questionnaire, repeated until nothing changes), each only where not answered or
    answered 不知道."""
    if group is not None:
        for key, value in group.preset.items():
            if key not in answers.values:
                answers.values[key] = value
                answers.order.append(key)
    changed = True
    while changed:
        changed = False
        for rule in qn.implies:
            if all(k in answers.values and answers.values[k] == v for k, v in rule.when.items()):
                for key, value in rule.then.items():
                    if answers.values.get(key) is None and qn.question(key, answers.subject) is not None:
                        answers.values[key] = value
                        answers.order.append(key)
                        answers.inferred[key] = rule.because
                        changed = True
