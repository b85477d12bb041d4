"""Training end to end through the services: provider → course → wish → voucher → enrolment → class
opened (the 3-day rule, quoted) → one-time code sign-in → completion → subsidy claims opened (or
waiting for their procedure file) with evidence, the learner told; limits from the rules; anomaly
flags; the provider table; voucher counts."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiuye.training.common import Conflict, Forbidden, Invalid, NotFound
from training_support import COOKING, ELDER_CARE, ONLINE_STARTUP, SYB, Day, course_of, learner, training_db, user


@pytest.fixture()
def env(tmp_path, monkeypatch):
    day = Day(monkeypatch)
    with training_db(tmp_path) as engine:
        yield engine, day


def _walk(s, day, course, learners, *, voucher=None):
    """Enrol each learner, open the class, sign in every day, return the enrolments."""
    from jiuye.training import attendance, courses, enrolment

    from jiuye.cases.models import User

    prov = s.get(User, course.provider.user_id)
    ens = [enrolment.enrol(s, u, course.id, groups={"registered_unemployed": True}, voucher=voucher) for u in learners]
    courses.open_class(s, prov, course.id)
    day.go(days=(course.start_on - day.at.date()).days)
    for _ in range(course.days):
        code = attendance.new_code(s, prov, course.id).code
        for u in learners:
            day.go(seconds=30)
            attendance.sign_in(s, u, course.id, code, consent=False)
        day.go(days=1)
    return prov, ens


def test_search_finds_published_courses_by_district_occupation_and_kind(env):
    from jiuye.training import courses

    engine, _day = env
    with Session(engine) as s:
        total, rows = courses.search(s, district="乌兰浩特市")
        assert {r.title for r in rows} == {ELDER_CARE, COOKING}
        assert courses.search(s, occupation="4-10-01")[1][0].title == ELDER_CARE
        assert [r.title for r in courses.search(s, kind="syb")[1]] == [SYB]
        assert {r.title for r in courses.search(s, free_only=True)[1]} >= {ELDER_CARE, SYB}
        assert COOKING not in {r.title for r in courses.search(s, free_only=True)[1]}
        with pytest.raises(Invalid) as e:
            courses.search(s, district="上海")
        assert e.value.extra["field"] == "district"


def test_publish_checks_fields_and_the_providers_approval(env):
    from jiuye.training import courses

    engine, day = env
    with Session(engine, expire_on_commit=False) as s:
        prov = user(s, "pxjg_wlht")
        base = {"title": "电工培训", "kind": "vocational", "occupation_code": "6-31-01-03", "level": "junior",
                "category": "a", "hours": 260, "days": 30, "start_on": "2026-04-01", "end_on": "2026-04-30",
                "place": "乌兰浩特市", "seats": 20, "price_yuan": 0}
        c = courses.publish(s, prov, base)
        assert c.occupation_name == "电工" and c.subsidised
        for bad, field in (({"occupation_code": "9-99"}, "occupation_code"), ({"hours": "很多"}, "hours"),
                           ({"end_on": "2026-03-20"}, "end_on"), ({"kind": "syb"}, "kind"),
                           ({"category": "d"}, "category")):
            with pytest.raises(Invalid) as e:
                courses.publish(s, prov, {**base, **bad})
            assert e.value.extra["field"] == field
        with pytest.raises(Invalid) as e:  # SYB: 003 says at least 80 hours
            courses.publish(s, user(s, "pxjg_center"), {**base, "kind": "syb", "hours": 40, "days": 10})
        assert "80" in str(e.value)
        with pytest.raises(Forbidden):
            courses.publish(s, user(s, "zhangmin"), base)


def test_open_class_three_days_before_start_with_the_quote(env):
    from jiuye.training import courses, enrolment

    engine, day = env
    with Session(engine, expire_on_commit=False) as s:
        c = course_of(s, ELDER_CARE)  # starts in 10 days
        prov = user(s, "pxjg_wlht")
        with pytest.raises(Invalid):  # nobody enrolled yet
            courses.open_class(s, prov, c.id)
        enrolment.enrol(s, learner(s, "xy1"), c.id)
        day.go(days=8)  # 2 days before the start: too late
        with pytest.raises(Invalid) as e:
            courses.open_class(s, prov, c.id)
        assert "3 天前" in str(e.value) and "开班 3 天前" in str(e.value) and "上海" in str(e.value)
        day.go(days=-1)  # exactly 3 days before: allowed
        assert courses.open_class(s, prov, c.id).state == "opened"
        with pytest.raises(Forbidden):  # another provider
            courses.open_class(s, user(s, "pxjg_zlt"), c.id)


def test_sign_in_code_once_per_day_and_nothing_lost(env):
    from jiuye.training import attendance, courses, enrolment
    from jiuye.training.models import Attendance

    engine, day = env
    with Session(engine, expire_on_commit=False) as s:
        c = course_of(s, ELDER_CARE)
        prov = user(s, "pxjg_wlht")
        a, b = learner(s, "xa", seq="201"), learner(s, "xb", seq="202")
        for u in (a, b):
            enrolment.enrol(s, u, c.id)
        courses.open_class(s, prov, c.id)
        with pytest.raises(Invalid):  # before the start
            attendance.new_code(s, prov, c.id)
        day.go(days=10)
        code = attendance.new_code(s, prov, c.id).code
        with pytest.raises(Invalid) as e:
            attendance.sign_in(s, a, c.id, "000000" if code != "000000" else "111111")
        assert e.value.extra["field"] == "code"
        row, new = attendance.sign_in(s, a, c.id, code, consent=True, latitude=46.08, longitude=122.05)
        assert new and row.latitude == 46.08
        _row, again = attendance.sign_in(s, a, c.id, code)
        assert not again
        row_b, _ = attendance.sign_in(s, b, c.id, code, consent=False, latitude=46.0, longitude=122.0)
        assert row_b.latitude is None  # no consent: no location kept
        with pytest.raises(NotFound):  # not enrolled
            attendance.sign_in(s, learner(s, "xc", seq="203"), c.id, code)
        day.go(minutes=30)  # the code expired
        with pytest.raises(Invalid):
            attendance.sign_in(s, learner(s, "xa"), c.id, code)
        assert s.query(Attendance).count() == 2
        sheet = attendance.sheet(s, prov, c.id)
        assert len(sheet) == 2 and all("*" in r["id_number"] for r in sheet)
        with pytest.raises(Forbidden):
            attendance.sheet(s, user(s, "pxjg_zlt"), c.id)


def test_completion_opens_the_subsidy_cases_by_itself(env, monkeypatch):
    """With the procedure files present, completion opens 职业培训补贴 (paid to the provider: the course
    is free) and 培训期间生活费补贴 cases with the sheet and certificate attached; the learner is told."""
    from jiuye.cases import auto
    from jiuye.cases.models import Attachment, Case
    from jiuye.cases.procedures import get_procedures
    from jiuye.market.models import OutboxMessage
    from jiuye.training import completion
    from jiuye.training.models import Claim

    real = dict(get_procedures())
    template = real["startup_subsidy"]
    fake = {**real, **{p: template.model_copy(update={"id": p, "policy": p})
                      for p in ("vocational_training_subsidy", "training_living_allowance")}}
    monkeypatch.setattr(auto, "get_procedures", lambda: fake)
    engine, day = env
    with Session(engine, expire_on_commit=False) as s:
        c = course_of(s, ELDER_CARE)
        u = learner(s, "xd", seq="301")
        prov, (e,) = _walk(s, day, c, [u])
        with pytest.raises(Invalid) as err:
            completion.complete(s, prov, c.id, [{"enrolment_id": e.id, "result": "passed", "certificate_kind": "驾照"}])
        assert "证书种类" in str(err.value)
        rep = completion.complete(s, prov, c.id, [{"enrolment_id": e.id, "result": "passed",
                                                   "certificate_kind": "职业技能等级证书", "certificate_no": "XA2026-001"}])
        claims = {x["policy"]: x for x in rep["claims"]}
        voc = claims["vocational_training_subsidy"]
        assert voc["state"] == "opened" and voc["payee"] == "provider"
        # C 类 80 课时, above the 56 base hours: the excess-hours rate is not in the documents (000 五(一)6),
        # so the amount is 待定 — never "0 元"
        assert voc["amount_fen"] is None and voc["amount"] == "待定"
        living = claims["training_living_allowance"]  # the groups were not declared: not opened
        assert living["state"] == "needs_information" and living["case_id"] is None
        case = s.get(Case, voc["case_id"])
        assert case.person_id == e.person_id and case.screening["payee"] == "provider"
        mats = {a.material for a in s.scalars(select(Attachment).where(Attachment.case_id == case.id))}
        assert mats == {"培训签到表", "培训合格证书"}
        msgs = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "training_completed")).all()
        assert msgs and "已自动建案" in msgs[0].body
        # completing again opens nothing twice
        completion.complete(s, prov, c.id, [{"enrolment_id": e.id, "result": "passed", "certificate_kind": "培训合格证书",
                                             "certificate_no": "x"}])
        assert s.query(Claim).filter(Claim.enrolment_id == e.id).count() == len(claims)


def test_without_procedure_files_the_claims_wait_and_open_later(env, monkeypatch):
    from jiuye.cases import auto
    from jiuye.cases.procedures import get_procedures
    from jiuye.training import completion
    from jiuye.training.models import Claim

    real = dict(get_procedures())
    monkeypatch.setattr(auto, "get_procedures", lambda: {k: v for k, v in real.items()
                                                         if k != "vocational_training_subsidy"})
    engine, day = env
    with Session(engine, expire_on_commit=False) as s:
        c = course_of(s, ELDER_CARE)
        prov, (e,) = _walk(s, day, c, [learner(s, "xe", seq="302")])
        completion.complete(s, prov, c.id, [{"enrolment_id": e.id, "result": "passed",
                                             "certificate_kind": "培训合格证书", "certificate_no": "A1"}])
        claim = s.scalar(select(Claim).where(Claim.policy == "vocational_training_subsidy"))
        assert claim.state == "waiting_procedure" and "data/procedures" in claim.reason
        assert completion.retry_waiting(s) == 0
        fake = {**real, "vocational_training_subsidy": real["startup_subsidy"].model_copy(
            update={"id": "vocational_training_subsidy", "policy": "vocational_training_subsidy"})}
        monkeypatch.setattr(auto, "get_procedures", lambda: fake)
        assert completion.retry_waiting(s) == 1
        s.refresh(claim)
        assert claim.state == "opened" and claim.case_id


def test_a_finished_startup_course_opens_its_case_and_the_offices_pay_it(env):
    """网络创业培训 in 扎赉特旗 (free: the provider fronts the fee). 李强 (b. 1980, a man: within 003's
    age limit) completes it: the 创业培训 case opens by itself under its own procedure file (no stand-in),
    paid to the provider (谁垫付、谁申领), certificate and sheet attached, amount 待定 (the documents give
    none); the 扎赉特旗 centre, 人社局 and 财政局 take it to paid, and nobody of 乌兰浩特市 can."""
    from jiuye.cases import service
    from jiuye.cases.models import Attachment, Case
    from jiuye.cases.procedures import get_procedures

    from jiuye.training import completion

    proc = get_procedures()["entrepreneurship_training"]
    engine, day = env
    with Session(engine, expire_on_commit=False) as s:
        c = course_of(s, ONLINE_STARTUP)
        assert c.district == "扎赉特旗" and c.price_fen == 0
        prov, (e,) = _walk(s, day, c, [user(s, "liqiang")])
        rep = completion.complete(s, prov, c.id, [{"enrolment_id": e.id, "result": "passed",
                                                   "certificate_kind": "创业培训合格证书", "certificate_no": "ZLT-WC-001"}])
        claim = {x["policy"]: x for x in rep["claims"]}["entrepreneurship_training"]
        assert claim["state"] == "opened" and claim["payee"] == "provider" and claim["amount"] == "待定", claim
        case = s.get(Case, claim["case_id"])
        assert (case.procedure, case.district, case.state) == ("entrepreneurship_training", "扎赉特旗", proc.start)
        assert case.person_id == user(s, "liqiang").person_id and case.screening["payee_label"] == "培训机构（代为申请）"
        mats = {a.material for a in s.scalars(select(Attachment).where(Attachment.case_id == case.id))}
        assert mats == {"培训签到表", "培训合格证书"} and "培训合格证书" in proc.materials
        for to, who, wrong in (("hrss_review", "zx_zlt", "zx_wlht"), ("notice", "rsj_zlt", "rsj_wlht"),
                               ("finance_review", "rsj_zlt", "czj_zlt"), ("paid", "czj_zlt", "czj_wlht")):
            with pytest.raises((service.Forbidden, service.NotFound)):
                service.transition(s, user(s, wrong), case.id, to, comment="不该我办")
            case = service.transition(s, user(s, who), case.id, to, comment=f"测试：{proc.state_label(to)}")
        assert case.final and case.state == "paid"


def test_a_startup_claim_of_a_learner_over_the_age_limit_opens_nothing(env):
    """A woman born in 1970 on the same course: 003 "女不超过 50 周岁" — no case, the reason kept."""
    from jiuye.training import completion

    engine, day = env
    with Session(engine, expire_on_commit=False) as s:
        c = course_of(s, ONLINE_STARTUP)
        prov, (e,) = _walk(s, day, c, [learner(s, "xo", birth="19700101", seq="404")])
        rep = completion.complete(s, prov, c.id, [{"enrolment_id": e.id, "result": "passed",
                                                   "certificate_kind": "创业培训合格证书", "certificate_no": "ZLT-WC-002"}])
        claim = {x["policy"]: x for x in rep["claims"]}["entrepreneurship_training"]
        assert claim["state"] == "not_eligible" and claim["case_id"] is None and "50" in claim["reason"]


def _claim_on(s, course, person_id, year, *, occupation=None, level=None):
    from jiuye.training.models import Claim, Enrolment

    e = Enrolment(course_id=course.id, person_id=person_id, paid_by_learner=False, state="completed", profile={})
    s.add(e)
    s.flush()
    s.add(Claim(enrolment_id=e.id, person_id=person_id, policy="vocational_training_subsidy", payee="person",
                state="opened", year=year, occupation_code=occupation or course.occupation_code,
                level=level or course.level))
    s.commit()


def test_the_rules_refuse_a_fourth_training_and_a_repeat_of_occupation_and_level(env):
    from jiuye.training import courses, eligibility

    engine, day = env
    with Session(engine, expire_on_commit=False) as s:
        c = course_of(s, ELDER_CARE)
        u = learner(s, "xf", seq="303")
        person_id, idn, today = u.person_id, u.person.id_number, day.at.date()

        def status(course):
            return {x["policy"]: x for x in eligibility.screen(s, course, id_number=idn, groups={}, person_id=person_id,
                                                               as_of=today)}["vocational_training_subsidy"]

        assert status(c)["status"] == "eligible"
        _claim_on(s, c, person_id, today.year)  # the same occupation and level, this year
        assert status(c)["status"] == "not_eligible"
        _claim_on(s, course_of(s, COOKING), person_id, today.year)
        _claim_on(s, course_of(s, SYB), person_id, today.year, occupation="6-31-01-03", level="senior")
        electrician = courses.publish(s, user(s, "pxjg_wlht"), {
            "title": "电工培训", "kind": "vocational", "occupation_code": "6-31-01-03", "level": "junior",
            "category": "a", "hours": 260, "days": 30, "start_on": "2026-04-01", "end_on": "2026-04-30",
            "place": "乌兰浩特市", "seats": 20, "price_yuan": 0})
        fourth = status(electrician)
        assert fourth["status"] == "not_eligible" and any("3" in r for r in fourth["reasons"])
        # a claim of last year does not count
        s.execute(__import__("sqlalchemy").text("UPDATE training_claims SET year = year - 1"))
        s.commit()
        assert status(electrician)["status"] == "eligible"


def test_startup_training_eligibility_comes_from_the_rules(env):
    from jiuye.training import eligibility

    engine, day = env
    with Session(engine, expire_on_commit=False) as s:
        c = course_of(s, SYB)
        young = learner(s, "xg", birth="19950101", seq="401")
        res = {x["policy"]: x for x in eligibility.screen(s, c, id_number=young.person.id_number,
                                                          groups={"registered_unemployed": True},
                                                          person_id=young.person_id, as_of=day.at.date())}
        assert res["entrepreneurship_training"]["status"] == "eligible"
        old_woman = learner(s, "xh", birth="19700101", seq="402")  # 56, a woman (even sequence digit)
        res = {x["policy"]: x for x in eligibility.screen(s, c, id_number=old_woman.person.id_number,
                                                          groups={"registered_unemployed": True},
                                                          person_id=old_woman.person_id, as_of=day.at.date())}
        assert res["entrepreneurship_training"]["status"] == "not_eligible"


def test_enrolment_twice_seats_and_vouchers(env):
    from jiuye.training import enrolment, vouchers

    engine, day = env
    with Session(engine, expire_on_commit=False) as s:
        c = course_of(s, COOKING)
        u = learner(s, "xi", seq="501")
        zx = user(s, "zx_wlht")
        v = vouchers.issue(s, zx, id_number=u.person.id_number, name=u.person.name, course_kind="vocational")
        assert v.number.startswith("XAPX") and v.state == "issued"
        with pytest.raises(Invalid):  # a second open voucher of the same kind
            vouchers.issue(s, zx, id_number=u.person.id_number, name=u.person.name, course_kind="vocational")
        with pytest.raises(Forbidden):
            vouchers.issue(s, user(s, "pxjg_wlht"), id_number=u.person.id_number, name="x", course_kind="vocational")
        other = learner(s, "xj", seq="502")
        with pytest.raises(Invalid):  # someone else's voucher
            enrolment.enrol(s, other, c.id, voucher=v.number)
        e = enrolment.enrol(s, u, c.id, voucher=v.number)
        assert not e.paid_by_learner  # a subsidised voucher: the provider carries the fee
        s.refresh(v)
        assert v.state == "used" and v.used_on == day.at.date()
        with pytest.raises(Conflict):
            enrolment.enrol(s, u, c.id)
        counts = vouchers.monthly(s, zx)
        assert counts["issued"] == 1 and counts["used"] == 1 and counts["use_rate"] == 1.0
        assert "上海" in counts["source_problem"]
        with pytest.raises(Forbidden):
            vouchers.monthly(s, u)


def test_wishes_are_answered_by_providers_of_the_district(env):
    from jiuye.market.models import OutboxMessage
    from jiuye.training import wishes

    engine, _day = env
    with Session(engine, expire_on_commit=False) as s:
        u = learner(s, "xk", seq="601")
        w = wishes.create(s, u, {"kind": "employment", "occupation_code": "4-10-01-06", "phone": "13900000601",
                                 "note": "想学家政"})
        assert [x.id for x in wishes.visible(s, user(s, "pxjg_wlht"))] == [w.id]
        assert wishes.visible(s, user(s, "pxjg_zlt")) == []  # another district
        with pytest.raises(Forbidden):
            wishes.answer(s, user(s, "zx_wlht"), w.id, answer_text="x")
        wishes.answer(s, user(s, "pxjg_wlht"), w.id, answer_text="下月开家政班，欢迎报名")
        assert s.scalar(select(OutboxMessage.title).where(OutboxMessage.kind == "training_wish_answered"))
        with pytest.raises(Forbidden):
            wishes.answer(s, user(s, "pxjg_center"), w.id, answer_text="again")


def test_anomaly_flags_and_the_provider_table(env, monkeypatch):
    from jiuye.training import anomalies, attendance, completion, courses, enrolment, tables

    engine, day = env
    with Session(engine, expire_on_commit=False) as s:
        c = course_of(s, ELDER_CARE)
        prov = user(s, "pxjg_wlht")
        people = [learner(s, f"y{i}", seq=f"7{i:02d}") for i in range(12)]
        ens = [enrolment.enrol(s, u, c.id) for u in people]
        # one of them is also enrolled on the SYB course, whose dates overlap (not on the later cooking one)
        enrolment.enrol(s, people[0], course_of(s, SYB).id)
        enrolment.enrol(s, people[1], course_of(s, COOKING).id)
        courses.open_class(s, prov, c.id)
        day.go(days=10)
        code = attendance.new_code(s, prov, c.id).code
        for u in people:  # all 12 within a few seconds
            day.go(seconds=2)
            attendance.sign_in(s, u, c.id, code)
        flags = anomalies.course_flags(s, c)
        assert [f["flag"] for f in flags] == ["burst"]
        assert [f["flag"] for f in anomalies.learner_flags(s, ens[0])] == ["duplicate"]
        assert anomalies.learner_flags(s, ens[1]) == []
        t = tables.compute(s, prov)
        row = next(r for r in t["courses"] if r["course_id"] == c.id)
        assert row["enrolled"] == 12 and row["completed"] == 0
        assert all(r["provider_id"] == c.provider_id for r in t["courses"])  # its own only
        assert tables.compute(s, user(s, "mz"))["totals"]["enrolled"] == 14  # 12 + SYB + cooking
        assert tables.compute(s, user(s, "zx_zlt"))["totals"]["enrolled"] == 0  # another district
        with pytest.raises(Forbidden):
            tables.compute(s, people[0])
        _ = completion
