"""Extract the knowledge-base entries of both source documents into data/qa/*.yaml.

Run once when a source document changes:  python tools/extract_qa.py
The output is committed and reviewed like any other data; the loader never parses the seeds.

000 (百问百答, 2021): headings 一、 › (一) › numbered questions "1." with answers "答：".
    Sections (八) and (九) are single paragraphs without a question: each becomes one entry.
003 (brochures, 2022-09): a Markdown-ish PDF export with irregular heading levels. Every heading
    (and every numbered question of the 农牧民工 brochure) starts an entry; decorative page text
    (logos, slogans, running titles) is dropped by the NOISE list below.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from jiuye.knowledge.text import clean_paragraphs  # noqa: E402

SOURCES = ROOT / "data" / "sources"
DOC000 = "000_f9cc2ab8b6bd2920.txt"
DOC003 = "003_d37aea6342dd24c9.txt"

CN_NUM = "一二三四五六七八九十"


def cn_index(s: str) -> int:
    return CN_NUM.index(s) + 1 if s in CN_NUM else 0


# --- policy ids per section (spec/policies.md "where" column) -------------------------------
POLICIES_000 = {
    (1, 1): ["employment_card"],
    (1, 2): ["employment_registration_employer"],
    (1, 3): ["employment_registration_flexible"],
    (1, 4): ["unemployment_registration"],
    (1, 5): ["hard_to_employ_recognition"],
    (1, 6): ["flexible_employment_si_subsidy"],
    (1, 7): ["job_introduction"],
    (1, 8): ["youth_internship_subsidy"],
    (1, 9): ["job_search_startup_subsidy"],
    (2, 0): ["public_welfare_post"],
    (3, 1): ["unemployment_insurance_benefit"],
    (3, 2): ["unemployment_assistance"],
    (3, 3): ["rural_worker_lump_sum_allowance"],
    (3, 4): ["temporary_living_allowance"],
    (3, 5): ["skill_upgrade_subsidy_employee"],
    (3, 6): ["job_retention_refund"],
    (4, 1): ["startup_loan_individual", "startup_loan_small_business"],
    (4, 2): ["startup_subsidy"],
    (4, 3): ["startup_project_library"],
    (4, 4): ["incubation_base"],
    (5, 1): ["vocational_training_subsidy"],
    (5, 2): ["entrepreneurship_training"],
    (5, 3): ["training_voucher"],
    (6, 0): ["dagong_express"],
}
# single questions that concern another policy than their section
POLICIES_000_Q = {
    (3, 4, 6): ["unemployment_insurance_benefit", "unemployment_assistance",
                "rural_worker_lump_sum_allowance", "temporary_living_allowance"],
    (5, 1, 4): ["training_living_allowance"],
    (5, 1, 12): ["apprenticeship_subsidy"],
    (5, 1, 13): ["work_based_training_subsidy"],
    (5, 1, 14): ["enterprise_training_subsidy"],
    (5, 1, 15): ["vocational_training_subsidy", "enterprise_training_subsidy"],
    (2, 0, 2): ["public_welfare_post", "hard_to_employ_recognition"],
}

# 003: heading text (substring) -> policy ids; first match wins, checked against the full path
POLICIES_003 = [
    ("《就业创业证》申领", ["employment_card"]),
    ("就业信息登记", ["employment_registration_flexible", "employment_registration_employer"]),
    ("失业信息登记", ["unemployment_registration"]),
    ("灵活就业的就业困难人员社会保险补贴", ["flexible_employment_si_subsidy"]),
    ("企业吸纳就业困难人员社会保险补贴", ["enterprise_hard_to_employ_si_subsidy"]),
    ("就业困难人员认定", ["hard_to_employ_recognition"]),
    ("公益性岗位安置", ["public_welfare_post"]),
    ("企业吸纳有鼓励", ["graduate_hiring_subsidy", "graduate_small_business_si_subsidy"]),
    ("基层就业天地广", ["grassroots_programmes"]),
    ("自主创业有支持", ["startup_loan_individual", "startup_subsidy", "entrepreneurship_training"]),
    ("能力提升有培训", ["vocational_training_subsidy"]),
    ("实践锻炼有见习", ["youth_internship_subsidy"]),
    ("就业服务广覆盖", ["job_introduction", "unemployment_registration"]),
    ("咨询政策服务和办事指南", ["job_introduction"]),
    ("查询招聘信息", ["online_recruitment", "job_introduction"]),
    ("就业手续及时办", ["graduate_archive_transfer"]),
    ("特别提醒", ["graduate_archive_transfer"]),
    ("求职陷阱需防范", ["job_introduction"]),
    ("①吸纳就业补贴", ["graduate_hiring_subsidy"]),
    ("②社会保险补贴", ["graduate_small_business_si_subsidy", "flexible_employment_si_subsidy"]),
    ("③职业培训补贴", ["vocational_training_subsidy"]),
    ("④一次性创业补贴", ["startup_subsidy"]),
    ("⑤创业担保贷款", ["startup_loan_individual"]),
    ("⑥就业见习补贴", ["youth_internship_subsidy"]),
    ("⑦求职创业补贴", ["job_search_startup_subsidy"]),
    ("档案", ["graduate_archive_transfer"]),
    ("农牧民工政策问答 › 就业创业培训 › 1", ["job_introduction", "migrant_worker_rights"]),
    ("农牧民工政策问答 › 就业创业培训 › 2", ["migrant_worker_rights"]),
    ("农牧民工政策问答 › 就业创业培训 › 3", ["migrant_worker_rights"]),
    ("农牧民工政策问答 › 就业创业培训 › 4", ["unemployment_registration"]),
    ("农牧民工政策问答 › 就业创业培训 › 5", ["startup_loan_individual"]),
    ("农牧民工政策问答 › 就业创业培训 › 6", ["vocational_training_subsidy", "training_living_allowance"]),
    ("农牧民工政策问答 › 就业创业培训 › 7", ["returning_migrant_startup_support", "startup_subsidy"]),
    ("农牧民工政策问答 › 就业创业培训 › 8", ["returning_migrant_startup_support", "startup_loan_individual"]),
    ("农牧民工政策问答 › 就业创业培训 › 9", ["returning_migrant_startup_support"]),
    ("农牧民工政策问答 › 就业创业培训 › 10", ["returning_migrant_startup_support"]),
    ("农牧民工政策问答 › 劳动合同订立 › 13", ["severance_compensation", "migrant_worker_rights"]),
    ("农牧民工政策问答 › 工资支付 › 18", ["overtime_pay", "migrant_worker_rights"]),
    ("农牧民工政策问答 › 打工直通车", ["dagong_express"]),
    ("农牧民工政策问答 › 咨询电话", ["dagong_express", "migrant_worker_rights"]),
    ("农牧民工政策问答", ["migrant_worker_rights"]),
    ("小微企业创业担保贷款", ["startup_loan_small_business"]),
    ("个人创业担保贷款", ["startup_loan_individual"]),
    ("一次性创业补贴", ["startup_subsidy"]),
    ("创业园孵化基地", ["incubation_base"]),
    ("孵化基地", ["incubation_base"]),
    ("创业项目库", ["startup_project_library"]),
    ("创业服务咨询电话", ["startup_loan_individual", "startup_subsidy", "incubation_base"]),
    ("阶段性降低失业保险费率", ["ui_rate_reduction"]),
    ("失业保险费缓缴", ["ui_contribution_deferral"]),
    ("稳岗返还", ["job_retention_refund"]),
    ("一次性留工培训补助", ["retention_training_subsidy"]),
    ("一次性扩岗补助", ["job_expansion_subsidy"]),
    ("六、失业保险金", ["unemployment_insurance_benefit"]),
    ("七、失业补助和临时生活补助", ["unemployment_assistance", "temporary_living_allowance"]),
    ("(一) 参保职工技能提升补贴", ["skill_upgrade_subsidy_employee"]),
    ("(二) 领取失业保险金人员技能提升补贴", ["skill_upgrade_subsidy_unemployed"]),
    ("八、技能提升补贴", ["skill_upgrade_subsidy_employee", "skill_upgrade_subsidy_unemployed"]),
    ("失业保险政策 › 政策咨询电话", ["unemployment_insurance_benefit", "job_retention_refund"]),
    ("(一) 企业职工", ["enterprise_training_subsidy", "apprenticeship_subsidy"]),
    ("(四) 劳动预备制培训", ["labour_preparation_training"]),
    ("培训期间生活费补贴", ["training_living_allowance"]),
    ("职业技能培训", ["vocational_training_subsidy"]),
    ("创业培训", ["entrepreneurship_training"]),
    ("四位一体", ["online_recruitment"]),
    ("现场招聘会", ["job_fair"]),
    ("上什么班", ["online_recruitment"]),
    ("网络招聘会", ["online_recruitment"]),
    ("零工市场", ["gig_market"]),
    ("招聘服务", ["job_fair", "online_recruitment"]),
]

# tags: a few topic words per policy family, used by Ask as an extra field
TAGS = [
    ("失业保险", "失业保险"), ("失业补助", "失业保险"), ("生活补助", "失业保险"), ("稳岗", "失业保险"),
    ("技能提升", "技能提升"), ("创业", "创业"), ("贷款", "创业担保贷款"), ("培训", "培训"),
    ("高校毕业生", "高校毕业生"), ("农牧民工", "农牧民工"), ("农民工", "农牧民工"),
    ("公益性岗位", "公益性岗位"), ("就业困难", "就业困难人员"), ("见习", "就业见习"),
    ("登记", "登记"), ("招聘", "招聘"), ("零工", "零工"), ("电话", "联系电话"), ("档案", "档案"),
    ("社会保险补贴", "社保补贴"), ("社保补贴", "社保补贴"), ("孵化", "创业孵化"), ("打工直通车", "打工直通车"),
]


def tags_for(*texts: str) -> list[str]:
    joined = " ".join(texts)
    out: list[str] = []
    for needle, tag in TAGS:
        if needle in joined and tag not in out:
            out.append(tag)
    return out


# --- 000 ---------------------------------------------------------------------------------
TOP_RE = re.compile(r"^\s*([一二三四五六七八九十])、\s*(.+)$")
SUB_RE = re.compile(r"^\s*[（(]([一二三四五六七八九十])[)）]\s*(.+)$")
Q_RE = re.compile(r"^\s*(\d{1,2})\s*[.、．]\s*(.*)$")
ANS_RE = re.compile(r"^\s*答\s*[：:]\s*(.*)$")
TABLE_RE = re.compile(r"全盟各地就业经办机构(联系)?咨询电话")
# PDF artefacts of 000: page numbers alone on a line, a hyperlink printed twice
ARTEFACTS_000 = {"http://106.74.0.246:7371/hrmis申报"}


def extract_000(text: str) -> list[dict]:
    lines = [ln.rstrip() for ln in text.splitlines()]
    entries: list[dict] = []
    top = sub = 0
    top_title = sub_title = ""
    mode = "skip"  # skip | question | answer | paragraph
    cur: dict | None = None

    def flush():
        nonlocal cur
        if cur:
            cur["answer"] = clean_paragraphs(cur.pop("_body"))
            cur["question"] = clean_paragraphs(cur["question"]).replace("\n", "")
            entries.append(cur)
        cur = None

    def new_entry(number, question):
        key = (top, sub)
        pol = POLICIES_000_Q.get((top, sub, number or 0)) or POLICIES_000.get(key, [])
        section = f"{top_title}" + (f" › {sub_title}" if sub else "") + (f" › {number}" if number else "")
        return {
            "id": f"000-{top}-{sub}-{number or 0}",
            "document": DOC000,
            "date": "2021",
            "kind": "qa",
            "section": section,
            "number": number,
            "question": question,
            "_body": [],
            "policies": list(pol),
        }

    for raw in lines:
        line = raw.strip()
        if not line or re.fullmatch(r"\d{1,3}", line) or line in ARTEFACTS_000:
            continue
        if TABLE_RE.search(line) or line.startswith("温馨提示"):
            flush()
            mode = "skip"
            continue
        m = TOP_RE.match(raw)
        if m and len(line) < 20 and "：" not in line:
            flush()
            top, sub = cn_index(m.group(1)), 0
            top_title = f"{m.group(1)}、{m.group(2).strip()}"
            sub_title = ""
            mode = "between"
            continue
        m = SUB_RE.match(raw)
        if m and len(line) < 25 and "：" not in line and mode != "answer_strict":
            flush()
            sub = cn_index(m.group(1))
            sub_title = f"({m.group(1)}){m.group(2).strip()}"
            mode = "between"
            # (八)(九) are paragraphs without questions: the section itself is the entry
            if (top, sub) in {(1, 8), (1, 9)}:
                cur = new_entry(None, m.group(2).strip())
                mode = "paragraph"
            continue
        if top == 0:
            continue
        m = Q_RE.match(raw)
        if m and mode in {"between", "answer", "question"} and not line.startswith("答"):
            # a numbered line is a question only if a "？" follows before the answer
            if mode != "answer" or ("？" in line or "?" in line) or _looks_like_question(m.group(2)):
                flush()
                cur = new_entry(int(m.group(1)), [m.group(2)])
                mode = "question"
                continue
        if mode == "question":
            a = ANS_RE.match(raw)
            if a:
                cur["_body"].append(a.group(1))
                mode = "answer"
            else:
                cur["question"].append(line)
            continue
        if mode in {"answer", "paragraph"} and cur is not None:
            cur["_body"].append(raw)
    flush()
    for e in entries:
        e["tags"] = tags_for(e["section"], e["question"])
    return entries


def _looks_like_question(s: str) -> bool:
    # a question whose "？" falls on the next PDF line: it is short and the line is a heading-like
    return bool(s) and not re.match(r"^\s*\d", s) and len(s) >= 20 and "。" not in s


# --- 003 ---------------------------------------------------------------------------------
BROCHURES = [  # (line that opens it, brochure title used in section paths)
    ("# 就业服务", "就业服务"),
    ("## ■ 企业吸纳有鼓励", "高校毕业生就业创业政策服务指南"),
    ("# 农牧民工政策问答", "农牧民工政策问答"),
    ("## 个人创业担保贷款", "创业服务政策"),
    ("## 失业保险政策", "失业保险政策"),
    ("## 职业技能培训", "职业技能培训"),
    ("# 创业培训", "创业培训"),
    ("# 兴安盟人力资源市场 招聘服务", "人力资源市场招聘服务"),
]
NOISE_003 = {
    "服务有温度", "办事讲效率", "理念有温度", "2022年9月", "兴安盟人力资源和就业服务中心",
    "内蒙古人社", "兴安就业", "兴安盟人力资源市场", "内蒙古就业", "兴安就业抖音", "兴安盟创业项目库",
    "人力资源市场", "创业项目库", "四位一体", "招聘会云平台", "兴安就业传媒", "高校毕业生求职登记小程序",
    "政策", "找", "# 政策找人", "## 政策找人", "# 政策 找人", "# 技能中国 在兴安", "## 创业服务政策",
    "<http://cyxmk.xamjyj.cn/>", "<http://cyxmk.xamjyj.cn>", "OUR SERVICES.", "ABOUT US", "# 兴安日报",
    "兴安盟就业创业训练中心", "高校毕业生就业创业政策服务指南", "--------------------\t-------------",
    "---------------------\t-------------", "每周都有招聘会 天天都有好岗位", "### 联系我们",
    "# 就业服务", "# 农牧民工政策问答", "## 失业保险政策", "## 职业技能培训", "# 创业培训",
    "# 兴安盟人力资源市场 招聘服务", "——李克强",
}
NOISE_PREFIX_003 = ("地址：乌兰浩特市乌兰西", "地址:乌兰浩特市乌兰西", "要在960万平方公里")
# headings whose printed position is not their place in the outline (a page of the 创业服务 brochure
# interleaves 创业项目库 (三)-(五) after the incubation-base directory)
FORCED_PARENT_003 = {"入库项目范围": "创业项目库", "入库优惠政策": "创业项目库", "如何加入项目库": "创业项目库"}
RENAMED_003 = {"ABOUT US": "联系我们"}
Q003_RE = re.compile(r"^(?:#{1,4}\s*)?(\d{1,2})\.\s*(.+[？?])\s*$")
HEAD_RE = re.compile(r"^(#{1,4})\s*(.+?)\s*$")
L2_RE = re.compile(r"^[(（][一二三四五六七八九十][)）]|^NO\.\d|^[①②③④⑤⑥⑦]|^特别提醒")
L3_RE = re.compile(r"^\d\.\s")
CONTACT_TITLE_RE = re.compile(r"(咨询电话|服务咨询|电话列表|报名热线)")


def _strip_md(line: str) -> str:
    line = re.sub(r"\[([^\]]+)\]\((https?://[^)]+)\)", r"\1", line)
    line = re.sub(r"<(https?://[^>]+)>", r"\1", line)
    line = re.sub(r"^\s*[-*]\s+", "", line)
    return line.replace("\t", " ").rstrip()


def extract_003(text: str) -> list[dict]:
    entries: list[dict] = []
    brochure = ""
    levels: list[str] = []  # outline above the current heading inside the brochure: [L1, L2, L3]
    cur: dict | None = None

    def flush():
        nonlocal cur
        if cur:
            body = clean_paragraphs(cur.pop("_body"))
            if body:
                cur["answer"] = body
                entries.append(cur)
        cur = None

    def start(title: str, level: int, number: int | None = None, kind: str = "section"):
        nonlocal cur, levels
        flush()
        title = RENAMED_003.get(title, title.replace("■", "").strip())
        for key, parent in FORCED_PARENT_003.items():
            if key in title:
                levels = [parent]
                level = 2
        if title[:1] in "①②③④⑤⑥⑦":
            levels = ["高校毕业生就业创业补贴政策清单"]
        levels = levels[: level - 1] + [str(number) if number is not None else title]
        path = " › ".join([brochure, *levels])
        pol: list[str] = []
        for needle, ids in POLICIES_003:
            hit = (path == needle or path.startswith(needle + " ›")) if "›" in needle else (needle in path)
            if hit:
                pol = list(ids)
                break
        cur = {
            "id": "",
            "document": DOC003,
            "date": "2022-09",
            "kind": kind,
            "section": path,
            "number": number,
            "question": title,
            "_body": [],
            "policies": pol,
            "_brochure": brochure,
        }

    for raw in text.splitlines():
        line = raw.strip()
        for opener, title in BROCHURES:
            if line == opener and title != brochure:
                flush()
                brochure, levels = title, []
                break
        if not brochure or not line:
            if cur is not None and not line:
                cur["_body"].append("")
            continue
        if line in NOISE_003 or line.startswith(NOISE_PREFIX_003):
            continue
        q = Q003_RE.match(line)
        if q and brochure == "农牧民工政策问答":
            start(q.group(2), 2, int(q.group(1)), kind="qa")
            continue
        h = HEAD_RE.match(line)
        if h:
            title = h.group(2)
            kind = "contacts" if (CONTACT_TITLE_RE.search(title) or title in RENAMED_003) else "section"
            level = 2 if L2_RE.match(title) else 3 if L3_RE.match(title) else 1
            start(title, level, kind=kind)
            continue
        if CONTACT_TITLE_RE.search(line) and "\t" not in raw and len(line) < 60 and not line[:1].isdigit():
            start(line, 1, kind="contacts")
            continue
        if cur is not None:
            if line.startswith("答"):
                line = re.sub(r"^答\s*[：:]\s*", "", line)
            cur["_body"].append(_strip_md(line))
    flush()
    seen: dict[str, int] = {}
    for e in entries:
        b = e.pop("_brochure")
        seen[b] = seen.get(b, 0) + 1
        e["id"] = f"003-{BROCHURE_CODES[b]}-{seen[b]:02d}"
        e["tags"] = tags_for(e["section"], e["question"])
    return entries


BROCHURE_CODES = {
    "就业服务": "jyfw", "高校毕业生就业创业政策服务指南": "gxbys", "农牧民工政策问答": "nmmg",
    "创业服务政策": "cyfw", "失业保险政策": "sybx", "职业技能培训": "zypx", "创业培训": "cypx",
    "人力资源市场招聘服务": "rlsc",
}


def dump(entries: list[dict], path: Path, header: str) -> None:
    order = ["id", "document", "date", "kind", "section", "number", "question", "answer", "tags", "policies"]
    out = [{k: e.get(k) for k in order} for e in entries]
    text = yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(header + text, encoding="utf-8")


def main() -> None:
    e0 = extract_000((SOURCES / DOC000).read_text(encoding="utf-8"))
    e3 = extract_003((SOURCES / DOC003).read_text(encoding="utf-8"))
    out = ROOT / "data" / "qa"
    out.mkdir(parents=True, exist_ok=True)
    note = "# Generated by tools/extract_qa.py from data/sources/{}, then reviewed. Regenerate, do not hand-edit ids.\n"
    dump(e0, out / "000.yaml", note.format(DOC000))
    dump(e3, out / "003.yaml", note.format(DOC003))
    print(f"000: {len(e0)} entries ({sum(1 for e in e0 if e['kind'] == 'qa')} qa); 003: {len(e3)} entries")


if __name__ == "__main__":
    main()
