"""What the rules (jiuye.rules, policy public_welfare_post) say for one person and one post: the
screening verdict with its reasons at 报名, the term at placement (36 months, or to retirement when
fewer than 60 months are left: the variables public_welfare_post_max_months), whether a second term
may be applied for, and the month's 岗位补贴 (public_welfare_post_monthly_subsidy_fen: the district's
minimum wage; None where the parameters give no figure for the month)."""
from __future__ import annotations

import datetime as dt

from jiuye.welfare_posts.common import Invalid
from jiuye.welfare_posts.settings import settings

RETIREMENT_FACTS = ("birth_date", "sex", "female_cadre_post", "age")


def profile(id_number: str, district: str, groups: dict) -> dict:
    prof: dict = {"id_number": id_number, "district": district}
    for k in settings().eligibility.groups:
        if groups.get(k) is not None:
            prof[k] = bool(groups[k])
    return prof


def _parse(prof: dict, day: dt.date):
    from jiuye.screening import ProfileError
    from jiuye.screening.checks import parse_profile

    try:
        return parse_profile(prof, day)
    except ProfileError as exc:
        raise Invalid("情况有误：" + "；".join(e["message"] for e in exc.errors), field="groups") from None


def verdict(prof: dict, day: dt.date) -> dict:
    """{status, reasons: [{state, text}], amount_fen, snapshot} of the policy as of `day`."""
    from jiuye.cases import parameter_sync
    from jiuye.screening import default_screener

    parameter_sync.ensure_current()
    result = default_screener().screen(_parse(prof, day), day)
    r = next(x for x in result.results if x.policy == settings().policy)
    reasons = [{"state": x.state, "text": x.text} for x in r.reasons]
    snap = {"as_of": day.isoformat(), "kind": "screening", "district": result.district,
            "profile": {k: v for k, v in prof.items() if k != "id_number"}, "result": r.model_dump(mode="json")}
    return {"status": r.status, "reasons": reasons, "amount_fen": r.amount_fen, "as_of": day.isoformat(),
            "snapshot": snap}


def _calc(prof: dict, day: dt.date, names: tuple[str, ...]) -> dict:
    from jiuye.screening import default_screener
    from jiuye.screening.simulation import build_simulation

    month = f"{day.year:04d}-{day.month:02d}"
    sim = build_simulation(default_screener().tbs, _parse(prof, day), month)  # the screening's own simulation of the profile
    return {n: sim.calculate(n, month)[0] for n in names}


def term(prof: dict, day: dt.date) -> tuple[int | None, str]:
    """(months of the term placed on `day`, or None when the retirement date is not known; the basis
    in Chinese with the quote)."""
    cfg = settings().term
    v = _calc(prof, day, ("public_welfare_post_max_months", "public_welfare_post_missing_information",
                          "months_to_legal_retirement"))
    missing = str(v["public_welfare_post_missing_information"] or "").split(",")
    if any(m in RETIREMENT_FACTS for m in missing):
        return None, cfg.unknown_retirement
    months = int(v["public_welfare_post_max_months"])
    near = cfg.exceptions["near_retirement"]
    if months <= 0:
        return 0, "已达到法定退休年龄，不能安排公益性岗位（" + cfg.source.cite() + "）"
    if int(v["months_to_legal_retirement"]) < _near_months(day):
        return months, f"{near.label}：距法定退休年龄 {months} 个月，使用期限到退休为止（{near.source.cite()}）"
    return months, f"使用期限 {months} 个月（三年）（{cfg.source.cite()}）"


def _near_months(day: dt.date) -> int:
    from jiuye.rules import build_system, core

    value = core.param(build_system().parameters, day.isoformat(), settings().term.near_retirement_parameter)
    return int(value) if value is not None else 60


def second_term_possible(prof: dict, day: dt.date) -> bool:
    return bool(_calc(prof, day, ("public_welfare_post_second_term_possible",))["public_welfare_post_second_term_possible"])


def monthly_wage_fen(prof: dict, month_first: dt.date) -> int | None:
    """The month's 岗位补贴 in fen, or None where the parameters give no figure for the month."""
    v = _calc(prof, month_first, ("public_welfare_post_monthly_subsidy_fen", "public_welfare_post_missing_information"))
    missing = str(v["public_welfare_post_missing_information"] or "")
    if "minimum_wage" in missing or "wage_subsidy_share" in missing or int(v["public_welfare_post_monthly_subsidy_fen"]) <= 0:
        return None
    return int(v["public_welfare_post_monthly_subsidy_fen"])


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day `months` later (the last day of the month where it has no such day)."""
    import calendar

    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
