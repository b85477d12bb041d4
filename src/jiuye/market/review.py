"""Staff review of a post before it is public: the automatic flags.

Each flag names the check (data/market/review_rules.yaml), quotes what was found in the post and the
provisions it may break (document, article, text), and says how to resolve it. A flag is advice to
the reviewer, never an automatic refusal (a post the state bars women from may say 男; the reviewer
approves it stating why).

- Text checks (性别、民族、宗教、乙肝、押金和收费): regular expressions from the data file, not flagged when
  a negation stands just before the match ("不收押金") or a clearing phrase just after ("培训费由公司承担").
- Minimum wage: a monthly wage (its lower bound, else its upper) below the full-time monthly minimum
  wage of the post's 旗县市 **as of the review day**, read from the rules' parameters
  (general.minimum_wage.*, each value with its reference): no literal here. Where the parameters give no
  value for that district and day (e.g. the tier list of the latest notice was not found), the flag says
  the standard is unknown instead of comparing. Day, hour and piece wages are not compared (the rules
  hold monthly standards only) and the flag says so.
- Social insurance: not stated, or stated as not paid.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from jiuye.market.records import PostingRecord
from jiuye.market.settings import ReviewRules, Rule, review_rules

FIELD_LABELS = {"title": "岗位名称", "duties": "工作内容", "requirements": "任职要求", "benefits": "福利待遇",
                "working_hours": "工作时间"}


@dataclass(frozen=True)
class MinimumWage:
    district: str
    as_of: dt.date
    amount: float | None  # 元 per month; None: unknown for that district and day
    tier: int | None
    sources: tuple[str, ...]  # titles (and links) of the references of the tier and the amount
    why_unknown: str | None = None

    def text(self) -> str:
        if self.amount is None:
            return self.why_unknown or f"{self.district}{self.as_of.isoformat()}的最低工资标准未知"
        return (f"{self.district}（第{self.tier}类地区）{self.as_of.isoformat()}适用的全日制月最低工资标准为 "
                f"{self.amount:,.0f} 元")


def _value_in_force(node, day: dt.date):
    """(value, reference list) of a parameter leaf at `day` (the latest value starting on or before it)."""
    for v in node.values_list:  # newest first
        if v.instant_str <= day.isoformat():
            refs = (v.metadata or {}).get("reference") or []
            return v.value, refs
    return None, []


def _ref_text(refs) -> tuple[str, ...]:
    out = []
    for r in refs:
        if isinstance(r, dict):
            out.append(" ".join(x for x in (r.get("title"), r.get("href")) if x))
        elif r:
            out.append(str(r))
    return tuple(out)


def minimum_wage(district: str | None, day: dt.date) -> MinimumWage:
    """The full-time monthly minimum wage of a 旗县市 on `day`, from the rules' parameters (with the
    references they carry), or unknown with the reason."""
    from jiuye.cases import parameter_sync
    from jiuye.screening import default_screener
    from jiuye.screening.profile import RULES_DISTRICT

    name = district or "（未填写地点）"
    if district is None or district not in RULES_DISTRICT:
        return MinimumWage(name, day, None, None, (), f"岗位地点「{name}」不是兴安盟的旗县市，无法确定适用的最低工资标准")
    parameter_sync.ensure_current()  # staff may have changed a parameter in another process
    params = default_screener().tbs.parameters.general.minimum_wage
    tier, tier_refs = _value_in_force(params.district_tier.children[RULES_DISTRICT[district]], day)
    if tier is None:
        return MinimumWage(district, day, None, None, (),
                           f"规则参数没有给出{district}在{day.isoformat()}的最低工资地区类别（最新通知的地区分类未找到），"
                           "无法比较，请人工核对当地最低工资标准")
    leaf = params.children.get(f"tier_{int(tier)}")
    amount, amount_refs = _value_in_force(leaf, day) if leaf is not None else (None, [])
    if amount is None:
        return MinimumWage(district, day, None, int(tier), _ref_text(tier_refs),
                           f"规则参数没有给出第{int(tier)}类地区在{day.isoformat()}的最低工资标准，无法比较")
    return MinimumWage(district, day, float(amount), int(tier), _ref_text(tier_refs) + _ref_text(amount_refs))


def _law_quotes(rules: ReviewRules, rule: Rule) -> list[dict]:
    return [{"document": rules.laws[k].document, "article": rules.laws[k].article, "text": rules.laws[k].text,
             "source": rules.laws[k].source, "checked": rules.laws[k].checked} for k in rule.laws]


def _flag(rules: ReviewRules, rule: Rule, found: str, *, field: str | None = None, level: str = "flag") -> dict:
    return {"rule": rule.id, "label": rule.label, "level": level, "field": field,
            "field_label": FIELD_LABELS.get(field or "", ""), "found": found, "hint": rule.hint,
            "laws": _law_quotes(rules, rule)}


def _negated(rules: ReviewRules, text: str, start: int, end: int) -> bool:
    before = text[max(0, start - rules.negation_window):start]
    after = text[end:end + rules.negation_window + 2]
    return any(n in before for n in rules.negations) or any(c in after for c in rules.cleared_by)


def _excerpt(text: str, start: int, end: int, pad: int = 12) -> str:
    a, b = max(0, start - pad), min(len(text), end + pad)
    return ("…" if a else "") + text[a:b].replace("\n", " ") + ("…" if b < len(text) else "")


def _text_flags(rules: ReviewRules, rule: Rule, post: PostingRecord) -> list[dict]:
    flags = []
    for field in rule.fields:
        text = getattr(post, field) or ""
        for pattern in rule.patterns:
            for m in re.finditer(pattern, text, flags=re.IGNORECASE):
                if rule.negatable and _negated(rules, text, m.start(), m.end()):
                    continue
                flags.append(_flag(rules, rule, _excerpt(text, m.start(), m.end()), field=field))
                break  # one flag per pattern and field is enough for the reviewer
    seen, unique = set(), []
    for f in flags:  # two patterns may find the same words
        key = (f["field"], f["found"])
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _wage_flags(rules: ReviewRules, rule: Rule, post: PostingRecord, day: dt.date) -> list[dict]:
    if post.wage_min is None and post.wage_max is None:
        return [_flag(rules, rule, "未填写工资", level="unknown")]
    if post.wage_unit != "month":
        unit = {"day": "日薪", "hour": "时薪", "piece": "计件"}.get(post.wage_unit, post.wage_unit)
        return [_flag(rules, rule, f"工资按{unit}计，规则参数只有全日制月最低工资标准，未自动比较；请人工核对", level="unknown")]
    if post.outside_league:
        return [_flag(rules, rule, "盟外岗位：适用工作地的最低工资标准，规则参数没有，请人工核对", level="unknown")]
    mw = minimum_wage(post.district, day)
    if mw.amount is None:
        return [_flag(rules, rule, mw.text(), level="unknown")]
    offered = post.wage_min if post.wage_min is not None else post.wage_max
    if offered is not None and offered < mw.amount:
        f = _flag(rules, rule, f"月工资 {offered:,.0f} 元低于{mw.text()}")
        f["sources"] = list(mw.sources)
        return [f]
    return []


def _insurance_flags(rules: ReviewRules, rule: Rule, post: PostingRecord) -> list[dict]:
    if post.social_insurance is None:
        return [_flag(rules, rule, "未写明是否缴纳社会保险")]
    if post.social_insurance is False:
        why = "写明不缴纳社会保险"
        if post.contract_type in ("part_time", "task", "internship"):
            why += "（非全日制、劳务或见习岗位的参保义务不同，请核实）"
        return [_flag(rules, rule, why)]
    return []


def flags_for(post: PostingRecord, day: dt.date, rules: ReviewRules | None = None) -> list[dict]:
    """Every flag of `post` as of `day`, in the order of the data file."""
    rules = rules or review_rules()
    out: list[dict] = []
    for rule in rules.rules:
        if rule.kind == "pattern":
            out += _text_flags(rules, rule, post)
        elif rule.kind == "minimum_wage":
            out += _wage_flags(rules, rule, post, day)
        elif rule.kind == "social_insurance":
            out += _insurance_flags(rules, rule, post)
    return out


def summary(flags: list[dict[str, Any]]) -> str:
    """'性别限制、押金…' for lists; '' when clean."""
    return "、".join(dict.fromkeys(f["label"] for f in flags if f.get("level") == "flag"))
