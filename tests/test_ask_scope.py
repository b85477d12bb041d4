"""Ask (issue 19): out-of-scope questions refused with where to ask instead, weighed against the
documents' own terms; non-Chinese input told so with the phone numbers; the scope data validated;
the weighing chosen on evaluation folds."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jiuye.ask.engine import get_engine
from jiuye.ask.scope import ScopeGuard, ScopeHit, script_of
from jiuye.cli import app
from jiuye.knowledge.loader import DataError, parse_yaml
from jiuye.web.app import create_app

DAY = dt.date(2026, 11, 23)
PHONES = ("12333", "0482-8231990")


@pytest.fixture(scope="module")
def engine(kb):
    return get_engine(kb)


def ids(res):
    return [a["id"] for a in res["answers"]]


# --- refusals that help -------------------------------------------------------------------------
@pytest.mark.parametrize("q, referral, phone", [
    ("退休以后养老金咋算", "social_insurance", "12333"),
    ("职工医保住院能报多少", "medical_security", "12393"),
    ("住房公积金贷款利率", "housing_fund", "12329"),
    ("个人所得税专项附加扣除怎么填", "tax", "12366"),
    ("孩子上户口需要什么", "public_security", None),
    ("低保户每月领多少钱", "civil_affairs", None),
    ("工伤鉴定要多长时间", "social_insurance", "12333"),
    ("生育津贴按什么算", "medical_security", "12393"),
    ("zhufang gongjijin", "housing_fund", "12329"),  # typed in pinyin
    # kinds added after the fourth blind set, by their general category (written here, not taken from it)
    ("种大豆一亩地国家补多少", "agriculture", None),
    ("买收割机有补贴没", "agriculture", None),
    ("独生子女奖励扶助金咋申请", "health", "12320"),
    ("从乌兰浩特去北京的高铁票在哪买", "railway", "12306"),
    ("想去日本打工咋报名", "exit_entry", None),
    ("退伍兵回来的补助金发多少", "veterans", None),
    ("专升本啥时候报名", "education", None),
    # kinds a 12345 hotline gets that neither document answers, by general category (written from general
    # knowledge of such hotlines, not from any evaluation set)
    ("社保断了两年还能补上吗", "social_insurance", "12333"),  # arrears, seniority
    ("买断工龄的钱咋算的", "social_insurance", "12333"),
    ("合疗今年交了多少钱", "medical_security", "12393"),  # rural cooperative medical scheme
    ("俺家老爷子走了丧葬费去哪领", "social_insurance", "12333"),  # a pensioner's funeral grant
    ("女的多大岁数退休", "social_insurance", "12333"),
    ("低保户冬天有没有取暖补贴", "civil_affairs", None),  # not the unemployed's heating subsidy
    ("老人八十多岁了有高龄补贴没", "civil_affairs", None),
    ("乌兰浩特二手房多少钱一平", "housing", None),
    ("退伍兵回来政府给分配工作不", "veterans", None),
    ("工资条上扣的钱咋算的", "labour_disputes", "12333"),
    ("社区工作者笔试成绩啥时候出", "personnel_exams", None),
    ("孩子出生证明丢了咋补", "public_security", None),
    ("基础母牛补贴啥时候发", "agriculture", None),
    ("开个奶茶店要办啥证", "market_regulation", "12315"),  # licences
    ("办健康证要多少钱", "market_regulation", "12315"),
    ("跑网约车要考啥证", "transport", "12328"),
    ("抖音小店保证金能退吗", "market_regulation", "12315"),  # platform rules
    ("楼上装修噪音太大找谁", "government_hotline", "12345"),
    ("网上买到假货咋投诉", "market_regulation", "12315"),
    ("被电信诈骗了咋办", "police", "110"),
    ("殡仪馆火化多少钱", "civil_affairs", None),
    ("手机话费被乱扣了", "telecom", "12300"),
    ("车险理赔太慢找谁", "insurance", "12378"),
    ("朋友借钱不还能起诉不", "legal_aid", "12348"),
    ("阿尔山天池门票多少钱", "government_hotline", "12345"),
    ("明天降温不", "weather", "12121"),
    ("俺想查查俺的养老保险交到啥时候了", "social_insurance", "12333"),
    ("社保能一次性交齐不", "social_insurance", "12333"),
    ("慢病卡咋办", "medical_security", "12393"),
    ("坐月子单位给发工资不", "medical_security", "12393"),
    # a second independent pass (h-oos2), written from general knowledge of what residents of a rural league
    # ask a hotline, a village cadre or a 社区: colloquial names, and employment words around another matter
    ("单位不给开离职证明咋办", "labour_disputes", "12333"),
    ("厂子给的工伤赔偿够不够", "social_insurance", "12333"),
    ("打工摔伤了医药费谁出", "social_insurance", "12333"),
    ("在工地上干活砸伤了脚谁给赔", "social_insurance", "12333"),
    ("创业开的小店交啥税", "tax", "12366"),
    ("培训机构不给退费找谁", "market_regulation", "12315"),
    ("退休能开多少钱", "social_insurance", "12333"),
    ("俺妈六十岁了能领钱不", "social_insurance", "12333"),
    ("看病钱能报多少", "medical_security", "12393"),
    ("开药报销去哪办", "medical_security", "12393"),
    ("俺家孩子医保在哪交", "medical_security", "12393"),
    ("顺产能报多少钱", "medical_security", "12393"),
    ("孩子落户口要带啥", "public_security", None),
    ("俺家能吃上低保不", "civil_affairs", None),
    ("低保咋评的", "civil_affairs", None),
    ("老人长护险咋申请", "civil_affairs", None),
    ("房照丢了咋补", "housing", None),
    ("驾驶本到期了去哪换", "traffic_police", "12123"),
    ("科目一咋预约", "traffic_police", "12123"),
    ("土地证上名字写错了", "agriculture", None),
    ("雪灾死了羊有补贴不", "agriculture", None),
    ("村里卫生院几点上班", "health", "12320"),
    ("邻居占我家地咋整", "government_hotline", "12345"),
    ("村村通的路坏了找谁", "government_hotline", "12345"),
    ("儿女不养老人咋办", "legal_aid", "12348"),
    ("分家闹矛盾找谁", "legal_aid", "12348"),
    ("存折丢了咋补", "banks", None),
    ("以旧换新补贴怎么领", "market_regulation", "12315"),
    ("手机流量不够用咋办", "telecom", "12300"),
    ("扣税扣了好多咋回事", "tax", "12366"),
    ("跨省报销咋弄", "medical_security", "12393"),
    ("车管所几点上班", "traffic_police", "12123"),
    ("垃圾费一年交多少", "government_hotline", "12345"),
    ("孩子不上学了咋整", "education", None),
    ("兴安盟有啥特产", "government_hotline", "12345"),
    ("养老金计发月数是多少", "social_insurance", "12333"),
    # third pass (categories: labour-law details, contribution years and transfers, office hours and staff, exam fees,
    # wage levels); written for this test, not taken from an evaluation set
    ("辞退我要赔N加1还是2N", "labour_disputes", "12333"),  # 「+」 is dropped by normalisation: a pattern, not a trigger
    ("饭店让交三百块押金才能上岗", "labour_disputes", "12333"),
    ("上夜班有没有夜班津贴", "labour_disputes", "12333"),
    ("每个月几号发工资才算不违法", "labour_disputes", "12333"),
    ("钟点工最低每小时多少钱", "hrss", "12333"),
    ("养老保险凑不够十五年咋办", "social_insurance", "12333"),
    ("社保从外省转过来咋转", "social_insurance", "12333"),
    ("人才市场周末开门吗", "hrss", "12333"),
    ("人社局局长叫啥", "hrss", "12333"),
    ("叉车证考一次要多少钱", "hrss", "12333"),
    ("厨师一个月能赚多少", "hrss", "12333"),
    ("厂子没了俺的档案找不着了", "archives", None),
    ("残疾证在哪办", "disabled_persons_federation", None),
    ("12333网上大厅密码忘了咋整", "hrss", "12333"),
    # fourth pass (categories: labour-law details the documents leave out, contributions refunded or paid by oneself,
    # lump sums, office days and parking, other bureaus' business); written for this test
    ("算加班费的基数是按基本工资吗", "labour_disputes", "12333"),
    ("合同到期了单位说不续签 有没有补偿", "labour_disputes", "12333"),
    ("工地宿舍的水电费该工人出吗", "labour_disputes", "12333"),
    ("老板跑路了 欠的工资国家能垫付吗", "labour_disputes", "12333"),
    ("辞职以后交过的失业保险能退钱不", "social_insurance", "12333"),
    ("个体户能不能自己交失业保险", "social_insurance", "12333"),
    ("失业金可以一次性全部领出来吗", "social_insurance", "12333"),
    ("五十岁了能提前领养老金不", "social_insurance", "12333"),
    ("就业服务中心礼拜六上班吗", "hrss", "12333"),
    ("去人力资源市场有停车场没", "hrss", "12333"),
    ("以前的厂子黄了 我的人事档案上哪找", "archives", None),
    ("事业单位招聘一般啥时候报名", "personnel_exams", None),
    ("西部计划怎么报名", "personnel_exams", None),
    ("劳动监察大队举报电话是多少", "labour_disputes", "12333"),
    ("法律援助中心在哪 电话多少", "legal_aid", "12348"),
    ("城乡居民医保去哪交", "medical_security", "12393"),  # 交医保 is a topic word now, not a trigger
    ("退伍费能给多少", "veterans", None),
])
def test_out_of_scope_topic_is_refused_with_the_right_office(engine, q, referral, phone):
    res = engine.ask(q, as_of=DAY)
    assert res["found"] is False and res["answers"] == [] and res["reason"] == "out_of_scope_topic"
    assert "资料中没有找到" in res["message"] and res["topic"] in res["message"]
    refs = res["referrals"]
    assert refs[0]["id"] == referral and refs[0]["phone"] == phone
    assert refs[-1]["id"] == "hrss" and refs[-1]["phone"] == "12333"  # 12333 always
    assert all(r["sources"] and all(s["basis"] in ("documents", "public_knowledge") for s in r["sources"]) for r in refs)
    assert all(p in res["message"] for p in PHONES)


def test_archive_referral_rests_on_the_documents_and_lists_the_districts_number(engine, kb):
    res = engine.ask("人事代理合同到期怎么续", district="扎赉特旗", as_of=DAY)
    ref = res["referrals"][0]
    assert res["found"] is False and ref["id"] == "archives"
    quote = next(s["quote"] for s in ref["sources"] if s["basis"] == "documents")
    assert any(quote in re.sub(r"\s+", "", e.answer) for e in kb.entries)
    assert ref["contacts"] and {c["district"] for c in ref["contacts"]} == {"扎赉特旗"}


@pytest.mark.parametrize("q, policy", [
    ("退休前最后几年失业了能领失业金到退休吗", "unemployment_insurance_benefit"),  # 退休 vs 失业金
    ("家里有车贷能办创业担保贷款吗", "startup_loan_individual"),  # 车贷 vs 创业担保贷款
    ("农民工在外地交的医疗保险回老家还算不算", None),  # 医疗保险 vs 农民工
    ("打工直通车坐的是火车还是大巴", None),  # 火车 (a travel word) vs 打工直通车
    ("哪些工种参加培训有补贴", None),  # 工种 … 补贴 is not a crop subsidy
    # the asker's circumstances or trade named in passing: an in-scope question, not a hotline topic
    ("吃低保的能申请公益岗不", "public_welfare_post"),  # 吃低保 vs 公益岗
    ("家里吃低保俺能认定困难人员不", "hard_to_employ_recognition"),  # 困难人员 is the documents' own term
    ("开饭店能申请创业担保贷款吗", "startup_loan_individual"),  # a shop, not its licence
    ("在拼多多开网店能贷款不", "startup_loan_individual"),  # a platform, not its rules
    ("我开宾馆的招了几个毕业生有补贴没", None),
    ("集体户口能办失业登记吗", "unemployment_registration"),  # 集体户 vs 失业登记
    ("农民工孩子上小学要交借读费吗", "migrant_worker_rights"),  # the documents' school-fee answer
    ("失业人员冬天有取暖补贴吗", "unemployment_insurance_benefit"),  # the documents' heating subsidy
    ("领失业金期间去世了丧葬补助金咋领", "unemployment_insurance_benefit"),
    ("见习单位给买意外险不", "youth_internship_subsidy"),  # 意外险 vs 见习
    ("研究生毕业能申请见习吗", "youth_internship_subsidy"),
    ('养老保险补贴怎么领', None),  # answered since ask_blind23 joined the learning sets, but first comes 技能提升补贴's 申领方式 and the 社保补贴 (000-1-6-5) second
    ("断了的社保补贴还能领不", None),  # 社保补贴 stopped, not contributions in arrears
    # in-scope questions near the phrases added in the second pass (h-oos2)
    ("领退休金的还能做失业登记不", "unemployment_registration"),  # not 领退休金 as a pension question
    ("求职被骗了咋办", "job_introduction"),  # job-seeking traps are the documents' (003 高校毕业生指南)
    ("找工作遇到骗子找谁", "job_introduction"),
    ("学配种技术参加培训有补贴吗", None),  # a farm skill trained, not a farm subsidy
    ("心理咨询师培训有补贴吗", None),
    ("送外卖算灵活就业能领社保补贴不", None),
    ("开诊所能申请创业担保贷款吗", "startup_loan_individual"),
    ("贫困家庭的毕业生有求职补贴吗", None),
    ("失业人员冬天买煤有补贴吗", None),  # the documents' heating subsidy
    ("邻居打工回来能申请返乡创业补贴吗", None),
    ("培训期间住宿费给补吗", None),
    ("失业金打到存折上吗", "unemployment_insurance_benefit"),
    ("村长说我能申请公益岗是真的吗", "public_welfare_post"),
    ("农民工在工地受伤了工资不给咋办", None),
    ("搞大棚种菜创业能申请创业担保贷款吗", "startup_loan_individual"),
    ("信用社能办创业担保贷款吗", "startup_loan_individual"),
    ("卖牛卖羊算不算灵活就业", None),  # selling livestock named, the question is flexible employment
    ("辍学在家的孩子能参加职业培训吗", None),
    ("民政局认定的低保户能当公益岗吗", None),
    # in-scope questions near the third pass
    ("周六加班给多少钱", "overtime_pay"),  # the documents' overtime rates (refused while the scope classifier read 给多少钱)
    ("考了电工证能补多少钱", "skill_upgrade_subsidy_employee"),  # the subsidy for a certificate, not the exam fee
    ("公益岗一个月能挣多少", "public_welfare_post"),  # a wage question about the documents' own post
    ("一天上班几个小时算正常", "migrant_worker_rights"),
    ("没签合同被辞退能要几个月工资的补偿", "severance_compensation"),
    ("培训考证要交报名费吗", None),
    # having a disability card is the asker's circumstance (the documents' group 残疾人), not a question about the card
    ("我有残疾证开了个小超市 能领一次性创业补贴不", "startup_subsidy"),
    ("饭店招了个有残疾证的服务员 交了社保 单位能拿补贴不", None),
    # in-scope questions near the fourth pass
    ("节假日加班费怎么算", "overtime_pay"),  # the documents' rates: not the 基数 question
    ("农民合同制工人自己交失业保险吗", None),  # the documents say who pays
    ("失业保险费率现在是多少 个人交多少", None),
    ("农民合同制工人的一次性生活补助怎么算", None),
    # the documents' groups in other words: a non-local 户口, a veteran back home, the trades exempt from 户籍 limits
    ("我户口不在这边 想在这学个育婴员 给补贴吗", None),
    ("退伍回来了想学门手艺 培训能免费不", None),
    ("领失业金期间还给交医保吗", None),
])
def test_an_in_scope_question_naming_an_out_of_scope_word_is_answered(engine, kb, q, policy):
    res = engine.ask(q, as_of=DAY)
    assert res["found"], res["message"]
    if policy:
        assert policy in kb.entries_by_id[ids(res)[0]].policies


def test_a_trigger_outweighs_one_in_scope_phrase_but_not_two(engine):
    one = engine.scope.detect("失业了公积金能取出来吗")
    assert one.triggers == ["公积金"] and one.evidence == ["失业"]
    assert one.refuse(2, 2) and not one.refuse(1, 2)
    assert engine.ask("失业了公积金能取出来吗", as_of=DAY)["reason"] == "out_of_scope_topic"


@pytest.mark.parametrize("q, policy", [("俺身份证整丢了 办就业创业证拿社保卡中不中", "employment_card"),
                                       ("身份证丢了能办就业创业证吗", "employment_card")])
def test_a_refusal_links_the_matter_of_the_documents_the_question_also_names(engine, kb, q, policy, http):
    res = engine.ask(q, as_of=DAY)
    assert res["reason"] == "out_of_scope_topic" and res["topic"].startswith("户口")
    [related] = res["related"]
    assert policy in kb.entries_by_id[related["id"]].policies and "「就业创业证」" in res["message"]
    page = http.get("/ask", params={"q": q}).text
    assert "资料中相关的原文" in page and f'/ask?entry={related["id"]}' in page
    cli = CliRunner().invoke(app, ["ask", q])
    assert cli.exit_code == 0 and "资料中相关的原文" in cli.output and kb.entries_by_id[related["id"]].question[:8] in cli.output
    assert engine.ask("身份证丢了咋补办", as_of=DAY)["related"] == []  # nothing of the documents named


def test_topic_words_are_weighed_against_evidence():
    from jiuye.ask.scope import Topic

    t = Topic("x", "X", ("hrss",), None, ())
    assert ScopeHit(t, [], ["养老金"], []).refuse(2, 2)
    assert not ScopeHit(t, [], ["养老金"], ["失业登记"]).refuse(2, 2)
    assert not ScopeHit(t, [], ["养老金", "退休"], ["失业登记"]).refuse(2, 2)
    assert ScopeHit(t, [], ["养老金", "退休"], ["失业登记"]).refuse(2, 1)
    assert not ScopeHit(None, [], [], []).refuse(2, 2)


def test_the_longest_phrase_wins(engine):
    hit = engine.scope.detect("公益岗的工伤保险谁交")
    assert "工伤保险" in hit.evidence and "工伤" not in hit.words
    assert not engine.refuses_topic(hit)


def test_no_trigger_or_pattern_occurs_in_the_documents(kb):
    """A trigger refuses whatever else the question says: the documents themselves never use it."""
    from pathlib import Path

    doc = parse_yaml((Path(kb.root) / "ask" / "out_of_scope.yaml").read_text(encoding="utf-8"))
    texts = [re.sub(r"\s+", "", f"{e.section}{e.question}{e.answer}").lower() for e in kb.entries]
    used = [(t["id"], p) for t in doc["topics"] for p in t.get("triggers") or [] if any(p in x for x in texts)]
    assert used == []
    matched = [(t["id"], p) for t in doc["topics"] for p in t.get("patterns") or []
               if any(re.search(p, x) for x in texts)]
    assert matched == []


# --- the data is validated --------------------------------------------------------------------
def _scope_copy(kb, tmp_path):
    d = tmp_path / "ask"
    d.mkdir()
    for name in ("out_of_scope.yaml", "referrals.yaml"):
        shutil.copy(kb.root / "ask" / name, d / name)
    return d


@pytest.mark.parametrize("file, old, new, words", [
    ("referrals.yaml", "由原参保地社保经办机构保留其基本养老保险关系", "社保经办机构负责发放养老金",
     ["referrals.social_insurance", "找不到引文"]),
    ("referrals.yaml", "basis: public_knowledge\n        note: 医保缴费", "basis: rumour\n        note: 医保缴费",
     ["referrals.medical_security", "basis"]),
    ("out_of_scope.yaml", "refer: [housing_fund]", "refer: [no_such_office]", ["housing_fund", "no_such_office"]),
    ("out_of_scope.yaml", "triggers: [公积金, 住房公积金]", "triggers: [公积金, 失业金]", ["失业金", "重复"]),
    ("out_of_scope.yaml", "patterns: ['(交|缴|扣|报|退)", "patterns: ['((交", ["tax", "正则"]),
    # a phrase the question pipeline can never produce ('+' becomes a space): it would silently match nothing
    ("out_of_scope.yaml", "triggers: [公积金, 住房公积金]", "triggers: [公积金, 住房公积金, n+1]", ["「n+1」", "「+」", "patterns"]),
    ("out_of_scope.yaml", "triggers: [公积金, 住房公积金]", "triggers: [公积金, '住房 公积金']", ["「住房 公积金」"]),
])
def test_bad_scope_data_is_refused_naming_file_and_entry(kb, tmp_path, file, old, new, words):
    d = _scope_copy(kb, tmp_path)
    text = (d / file).read_text(encoding="utf-8")
    assert old in text
    (d / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        ScopeGuard(d, kb)
    assert file in str(exc.value) and all(w in str(exc.value) for w in words), str(exc.value)


def test_the_shipped_scope_data_loads(kb, tmp_path):
    guard = ScopeGuard(_scope_copy(kb, tmp_path), kb)
    assert "hrss" in guard.referrals and len(guard.topics) >= 20
    public = [r for r in guard.referrals.values() if all(s["basis"] == "public_knowledge" for s in r["sources"])]
    assert public and all(s["note"] for r in public for s in r["sources"])


# --- not a Chinese question --------------------------------------------------------------------
@pytest.mark.parametrize("q, reason, script, words", [
    ("ᠰᠠᠢᠨ ᠪᠠᠢᠨ᠎ᠠ ᠤᠤ", "not_chinese", "mongolian", ["蒙古文"]),  # traditional Mongolian script
    ("Сайн байна уу", "not_chinese", "cyrillic", ["西里尔"]),  # Cyrillic Mongolian
    ("བཀྲ་ཤིས་བདེ་ལེགས", "not_chinese", "other", ["这种文字"]),  # Tibetan
    ("Where can I get unemployment money", "not_chinese", "latin", ["Chinese"]),
    ("🙏🙏😢", "symbols_only", None, ["表情或符号"]),
    ("？？！！", "symbols_only", None, ["表情或符号"]),
])
def test_non_chinese_input_is_told_only_chinese_is_understood_with_phones(engine, q, reason, script, words):
    res = engine.ask(q, as_of=DAY)
    assert res["found"] is False and res["answers"] == []
    assert res["reason"] == reason and res.get("script") == script
    assert "只能理解" in res["message"] and "问题是空的" not in res["message"]
    assert all(p in res["message"] for p in PHONES) and all(w in res["message"] for w in words)


def test_empty_question_is_still_called_empty(engine):
    res = engine.ask("   ", as_of=DAY)
    assert res["reason"] == "empty" and "问题是空的" in res["message"]


def test_a_chinese_question_with_mongolian_words_is_answered_with_a_note(engine):
    res = engine.ask("ᠰᠠᠢᠨ 失业金能领几个月", as_of=DAY)
    assert res["found"] and ids(res)[0] == "000-3-1-3"
    assert any("蒙古文" in n for n in res["notes"])


def test_latin_abbreviations_are_still_searched_but_english_words_are_not(engine):
    res = engine.ask("SYB", as_of=DAY)
    assert res.get("reason") != "not_chinese" and res["found"]  # and found: the heading's 「SYB」 is indexed folded
    assert engine.ask("How do I apply", as_of=DAY)["reason"] == "not_chinese"  # "apply" is not "app"


@pytest.mark.parametrize("ch, script", [("ᠮ", "mongolian"), ("Ж", "cyrillic"), ("a", "latin"), ("é", "latin"),
                                        ("ا", "other"), ("😀", None), ("5", None)])
def test_script_of(ch, script):
    assert script_of(ch) == script


# --- pages, API and CLI ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def http():
    return TestClient(create_app())


def test_ask_page_shows_where_to_ask_with_the_basis(http):
    r = http.get("/ask", params={"q": "住房公积金怎么提取"})
    assert r.status_code == 200
    assert "资料中没有找到" in r.text and "可以去哪里问" in r.text
    assert 'href="tel:12329"' in r.text and 'href="tel:12333"' in r.text
    assert "公开信息（不在两份资料中）" in r.text and "依据" in r.text
    assert 'class="result"' not in r.text  # no passage is shown


def test_ask_page_tells_a_mongolian_asker_only_chinese_is_understood(http):
    r = http.get("/ask", params={"q": "ᠰᠠᠢᠨ ᠪᠠᠢᠨ᠎ᠠ ᠤᠤ"})
    assert r.status_code == 200
    assert "目前只能理解中文提问" in r.text and "蒙古文" in r.text and "问题是空的" not in r.text
    assert 'href="tel:12333"' in r.text and 'href="tel:0482-8231990"' in r.text


def test_api_and_cli_give_the_referrals(http):
    api = http.get("/api/ask", params={"q": "医保报销比例", "as_of": "2026-11-23"}).json()
    assert api["reason"] == "out_of_scope_topic" and api["referrals"][0]["phone"] == "12393"
    assert api["referrals"][0]["sources"][0]["basis_label"].startswith("公开信息")
    emoji = http.get("/api/ask", params={"q": "😀😀"}).json()
    assert emoji["reason"] == "symbols_only" and emoji["found"] is False
    cli = CliRunner().invoke(app, ["ask", "医保报销比例", "--as-of", "2026-11-23"])
    assert cli.exit_code == 0 and "可以去哪里问" in cli.stdout and "12393" in cli.stdout
    js = CliRunner().invoke(app, ["ask", "Сайн байна уу", "--json"])
    assert json.loads(js.stdout)["script"] == "cyrillic"


# --- calibrated on folds --------------------------------------------------------------------
def test_the_weighing_is_chosen_on_the_cases_given(engine):
    from jiuye.ask.evaluate import Case, calibrate_scope

    # made-up labels: if such questions were in scope, a trigger should yield to one in-scope phrase
    in_scope = [Case("失业了公积金能取出来吗", ["000-3-1-1"], "test"), Case("失业人员的个税怎么算", ["000-3-1-1"], "test")]
    out = [Case("公积金能取出来吗", [], "test")]
    assert calibrate_scope(engine, in_scope + out)["trigger_evidence"] == 1.0
    assert calibrate_scope(engine, out + [Case("失业金能领几个月", ["000-3-1-3"], "test")]) == \
        {"trigger_evidence": 2.0, "evidence_weight": 2.0}  # nothing to choose between: the defaults


def test_eval_ask_scores_several_sets_each_with_its_own_folds(tmp_path, monkeypatch, engine):
    import jiuye.ask.evaluate as ev

    seen = []
    real_fit = ev.fit

    def spy(engine, cases):
        seen.append({c.q for c in cases})
        return real_fit(engine, cases)

    monkeypatch.setattr(ev, "fit", spy)
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    qa = ["失业金能领几个月", "创业担保贷款能贷多少", "公积金怎么提取", "公益岗能干几年", "个税怎么算"]
    qb = ["就业创业证丢了咋补办", "稳岗返还怎么申请", "医保报销比例", "见习补贴多少钱", "落户要啥条件"]
    exp = {"失业金能领几个月": ["000-3-1-3"], "创业担保贷款能贷多少": ["000-4-1-4", "003-cyfw-03"],
           "公益岗能干几年": ["000-2-0-4"], "就业创业证丢了咋补办": ["000-1-1-6"],
           "稳岗返还怎么申请": ["000-3-6-3", "003-sybx-07"], "见习补贴多少钱": ["000-1-8-0", "003-gxbys-17"]}
    for path, qs in ((a, qa), (b, qb)):
        path.write_text("\n".join(f"- q: {q}\n  expected: {exp.get(q, [])}\n  kind: test" for q in qs), encoding="utf-8")
    before = dict(vars(engine.calibration))
    res = CliRunner().invoke(app, ["eval-ask", "--cases", str(a), "--cases", str(b), "--cv", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out) == {"a.yaml", "b.yaml"} and out["b.yaml"]["cross_validated"]["questions"] == 5
    # every fit saw four questions of one set only: the fifth, and the other set, never
    assert len(seen) == 10 and all(len(s) == 4 and (s <= set(qa) or s <= set(qb)) for s in seen)
    assert dict(vars(engine.calibration)) == before  # the shipped calibration is restored


def test_without_the_topic_list_only_the_thresholds_refuse(engine):
    # `jiuye eval-ask --no-topics`: how much the thresholds catch of topics the list does not name
    engine.topics_on = False
    try:
        assert engine.ask("住房公积金怎么提取", as_of=DAY).get("reason") != "out_of_scope_topic"
    finally:
        engine.topics_on = True
    assert engine.ask("住房公积金怎么提取", as_of=DAY)["reason"] == "out_of_scope_topic"


def test_eval_ask_takes_a_set_too_small_for_a_held_out_fifth(tmp_path):
    small = tmp_path / "small.yaml"
    small.write_text("- q: 失业金一个月多少钱\n  expected: [000-3-1-4]\n  kind: test\n"
                     "- q: 公积金怎么提\n  expected: []\n  kind: out_of_scope\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["eval-ask", "--cases", str(small), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["held_out"]["questions"] == 0


@pytest.mark.parametrize("q, entry", [
    ("灵活就业养老保险补贴怎么领", "000-1-6-5"),  # the 社保补贴 of flexible workers, asked by the insurance it pays for
    ("养老保险补贴能领几年", "000-1-6-2"),
])
def test_a_subsidy_for_pension_contributions_is_the_documents_not_a_pension_question(engine, q, entry):
    res = engine.ask(q)
    assert res["found"] is True and res["answers"][0]["id"] == entry


# --- another place's policy; scripts that mix in Chinese characters; the loan's guarantee --------------------
@pytest.mark.parametrize("q", ["上海那边的失业保险金现在一个月多少", "广东省的创业补贴怎么申请", "包头市人社局电话是多少",
                               "赤峰的公益岗一个月给多少钱", "深圳的零工市场在什么地方", "哈尔滨的就业见习补贴标准"])
def test_another_places_policy_is_refused_with_the_hotline_whatever_policy_words_it_names(engine, q):
    res = engine.ask(q, as_of=DAY)
    if q.startswith("上海"):  # the documents quote 上海's 职业培训券 pages: 上海 is not on the list
        assert res.get("topic") != "其他省市的就业政策"
        return
    assert res["reason"] == "out_of_scope_topic" and res["topic"] == "其他省市的就业政策", (q, res.get("reason"))
    assert "兴安盟" in res["message"] and "12333" in res["message"]
    assert any(r["phone"] == "12333" for r in res["referrals"])


@pytest.mark.parametrize("q, policy", [
    ("我在北京干了三年交的失业保险，回来了能在乌兰浩特领失业金吗", "unemployment_insurance_benefit"),
    ("孩子在呼和浩特的大学毕业，回科右中旗找工作有啥补贴", None),
    ("我在天津的工地打工，老板拖欠工资不给咋办", None),
])
def test_a_question_that_only_says_where_the_person_worked_or_studied_is_answered(engine, kb, q, policy):
    res = engine.ask(q, as_of=DAY)
    assert res["found"], res["message"]
    if policy:
        assert policy in kb.entries_by_id[ids(res)[0]].policies


@pytest.mark.parametrize("q, script, name", [("失业保险金はどこで申請できますか", "japanese", "日文"),
                                             ("就業支援の補助金はありますか", "japanese", "日文"),
                                             ("실업 급여는 어떻게 받나요", "korean", "韩文")])
def test_japanese_and_korean_are_told_only_chinese_is_understood(engine, q, script, name):
    res = engine.ask(q, as_of=DAY)  # the kanji alone would otherwise be searched as a Chinese question
    assert res["found"] is False and res["reason"] == "not_chinese" and res["script"] == script
    assert name in res["message"] and all(p in res["message"] for p in PHONES)


@pytest.mark.parametrize("q, topic", [("户口从外地迁过来要办什么手续", "户口、身份证与居住证"),
                                      ("现在的LPR是多少", "商业贷款、逾期与征信")])
def test_moving_a_hukou_and_the_rate_of_the_day_are_outside_the_documents(engine, q, topic):
    res = engine.ask(q, as_of=DAY)
    assert res["reason"] == "out_of_scope_topic" and res["topic"] == topic


@pytest.mark.parametrize("q, policy", [
    ("想贷款开店，可找不着人给担保，房子能押吗", "startup_loan_individual"),
    ("没有在编的公务员当保证人，创业贷款还能办吗", "startup_loan_individual"),
    ("家里的地让政府征了，没地种了，有啥就业政策", None),
])
def test_the_guarantee_of_a_startup_loan_and_land_taken_are_the_documents(engine, kb, q, policy):
    res = engine.ask(q, as_of=DAY)  # 房子, 公务员, 地 alone name topics the documents leave out
    assert res["found"], res["message"]
    if policy:
        assert policy in kb.entries_by_id[ids(res)[0]].policies


def test_a_topic_that_is_not_decisive_says_false_and_bad_values_are_refused(kb, tmp_path):
    import yaml

    from jiuye.config import data_dir

    guard = ScopeGuard(data_dir() / "ask", kb)
    assert guard.topics["other_region"].decisive and not guard.topics["pension"].decisive
    doc = yaml.safe_load((data_dir() / "ask" / "out_of_scope.yaml").read_text(encoding="utf-8"))
    doc["topics"][0]["decisive"] = "yes"
    shutil.copy(data_dir() / "ask" / "referrals.yaml", tmp_path / "referrals.yaml")
    (tmp_path / "out_of_scope.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError, match="decisive"):
        ScopeGuard(tmp_path, kb)
