"""Filing at the window (issue 17, item 2) and the applicant's tracking (item 5).

- who may file where: every role × own / other district, for filing, printing and 补收 (a table);
- a person: 身份证号 by GB 11643, the name against the registered one, the 《就业创业证》 number
  recorded once and checked afterwards (one number per person, a number for one person);
- an employer: 统一社会信用代码 by GB 32100;
- each material received / missing / not applicable; the case, the filing and the audit rows in
  one transaction (a refusal leaves nothing); messages in the applicant's inbox;
- the 受理回执 and 一次性告知书 PDFs read back with pypdf: the Chinese text, the missing materials
  exactly, a TrueType font embedded (FontFile2), no 身份证号 in full;
- the console pages end to end (TestClient) and the applicant's 我的申请 (steps, working days, what is
  missing, the decision with the 复议 / 诉讼 channels marked 公开信息).

A temporary SQLite database with the demo users (JIUYE_TODAY pinned).
"""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases_support import configured, database
from jiuye.cases.demo import DEMO_PASSWORD, demo_id
from jiuye.cases.models import Case, CaseEvent, Person, User

TODAY = "2026-11-24"
W = "乌兰浩特市"
NEW_ID = demo_id("152201", "19850612", "031")
OTHER_ID = demo_id("152201", "19900203", "044")
UR = "unemployment_registration"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("window")
    mp = pytest.MonkeyPatch()
    mp.setenv("JIUYE_VAR_DIR", str(tmp / "var"))
    mp.setenv("JIUYE_SECRET_KEY", "window-test-secret")
    mp.setenv("JIUYE_TODAY", TODAY)
    try:
        with database("sqlite", tmp) as url, configured(url, tmp) as engine:
            yield engine
    finally:
        mp.undo()


def _s(engine) -> Session:
    return Session(engine, expire_on_commit=False)


def _user(s, username):
    return s.scalar(select(User).where(User.username == username))


def _materials(proc_id):
    from jiuye.cases.procedures import get_procedures, materials_of

    return materials_of(get_procedures()[proc_id])


# --- access: every role × district ----------------------------------------------------------------------
ROLES = ["sq_wlht", "jd_wlht", "zx_wlht", "rsj_wlht", "czj_wlht", "mz", "sq_zlt", "zx_zlt", "admin", "zhangmin"]
# may file for an applicant of 乌兰浩特市 / 扎赉特旗
FILE_TABLE = {
    "sq_wlht": (True, False), "jd_wlht": (True, False), "zx_wlht": (True, False), "rsj_wlht": (False, False),
    "czj_wlht": (False, False), "mz": (False, False), "sq_zlt": (False, True), "zx_zlt": (False, True),
    "admin": (False, False), "zhangmin": (False, False),
}


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("district,column", [(W, 0), ("扎赉特旗", 1)])
def test_who_may_file_for_which_district(env, username, district, column):
    from jiuye.cases import window

    with _s(env) as s:
        me = _user(s, username)
        ok, why = window.may_file(me, district)
        assert ok is FILE_TABLE[username][column], (username, district, why)
        if not ok:
            assert why and re.search(r"[\u4e00-\u9fff]", why)


@pytest.mark.parametrize("username", ROLES)
def test_the_table_holds_when_filing_for_real(env, username):
    """The service refuses exactly where the table says no (nothing written); 盟中心 files for 兴安盟."""
    from jiuye.cases import service, window

    with _s(env) as s:
        me = _user(s, username)
        before = s.scalar(select(func.count()).select_from(Case))
        idn = demo_id("152201", "19700101", f"{ROLES.index(username) + 100:03d}")
        try:
            case, _f = window.file_at_window(s, me, UR, profile={"district": W}, id_number=idn, name="测试甲",
                                             district=W)
        except service.CaseError as exc:
            assert not FILE_TABLE[username][0], exc
            assert exc.status in (403, 422)
            assert s.scalar(select(func.count()).select_from(Case)) == before
            assert s.scalar(select(Person.id).where(Person.id_number == idn)) is None
        else:
            assert FILE_TABLE[username][0]
            assert case.channel == "window" and case.district == W


def test_print_and_receive_follow_the_same_table(env):
    from jiuye.cases import service, window

    with _s(env) as s:
        zx = _user(s, "zx_wlht")
        case, filing = window.file_at_window(s, zx, UR, profile={"district": W}, id_number=OTHER_ID, name="赵六")
        missing, got = list(filing.missing), list(filing.received)
        for username in ROLES:
            me = _user(s, username)
            may_see = username in ("sq_wlht", "jd_wlht", "zx_wlht", "rsj_wlht", "czj_wlht", "admin")
            try:
                window.receipt_data(s, me, case.id)
                printed = True
            except service.CaseError as exc:
                printed = False
                assert exc.status == (403 if may_see else 404), (username, exc)
            assert printed is FILE_TABLE[username][0], username
            # 补收 materials later: the same rule (nothing changes for those refused)
            try:
                window.mark_received(s, me, case.id, [missing[0]])
                received = True
            except service.CaseError as exc:
                received = False
                assert exc.status == (403 if may_see else 404), (username, exc)
            assert received is FILE_TABLE[username][0], username
            if received:  # put it back for the next role
                from jiuye.cases.window_models import WindowFiling

                row = s.get(WindowFiling, filing.id)
                row.missing, row.received = list(missing), list(got)
                s.commit()


# --- a person at the window ------------------------------------------------------------------------
def test_person_registered_with_card_materials_and_messages(env):
    from jiuye.cases import tracking, window
    from jiuye.cases.window_models import EmploymentCard, WindowFiling
    from jiuye.market.models import OutboxMessage

    mats = _materials(UR)
    cond = [m for m in mats if window.conditional(m)]
    with _s(env) as s:
        sq = _user(s, "sq_wlht")
        case, filing = window.file_at_window(s, sq, UR, profile={"district": W}, id_number=NEW_ID, name="王芳",
                                             card="1522 0100 0123", received=[mats[0]], not_applicable=cond)
        assert filing.received == [mats[0]] and filing.not_applicable == cond
        assert filing.missing == [m for m in mats if m != mats[0] and m not in cond] and filing.missing
        assert filing.receipt_no == f"{TODAY.replace('-', '')}-{case.id:06d}"
        card = s.scalar(select(EmploymentCard).where(EmploymentCard.person_id == case.person_id))
        assert card.number == "152201000123"
        kinds = [e.kind for e in s.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))]
        assert kinds == ["created", "window_filing"]
        ev = s.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "window_filing"))
        assert ev.data["missing"] == filing.missing and ev.actor_name == sq.display_name
        assert NEW_ID not in (ev.comment or "")
        # the same person again: the card must carry the recorded number; another person cannot use it
        assert window.identify(s, "person", id_number=NEW_ID, name="", card="152201000123")["card"] == "matched"
        with pytest.raises(window.svc.Invalid, match="不一致") as err:
            window.identify(s, "person", id_number=NEW_ID, name="", card="152201000999")
        assert err.value.extra["field"] == "card_number"
        with pytest.raises(window.svc.Invalid, match="他人名下"):
            window.identify(s, "person", id_number=OTHER_ID, name="赵六", card="152201000123")
        with pytest.raises(window.svc.Invalid, match="另一姓名"):
            window.identify(s, "person", id_number=NEW_ID, name="王芬", card="")
        # a person registers an account and has it verified at the window: the case and messages are theirs
        from jiuye.cases import service

        person = s.get(Person, case.person_id)
        acct = service.create_user(s, "wangfang", "pw-wangfang-1", "applicant", display_name="王芳", person=person,
                                   self_registered=True)
        service.verify_identity(s, sq, "wangfang", NEW_ID)
        filing2 = window.mark_received(s, sq, case.id, [filing.missing[0]])
        assert filing2.missing == filing.missing[1:]
        msgs = s.scalars(select(OutboxMessage).where(OutboxMessage.user_id == acct.id)).all()
        assert any("补收" in m.title and m.link == f"/my/cases/{case.id}" for m in msgs)
        view = tracking.tracking_view(s, acct, s.get(Case, case.id))
        assert view["missing"] == {"kind": "window", "materials": filing.missing[1:], "receipt_no": filing.receipt_no}
        assert view["messages"] and view["office"]["name"]


def test_bad_input_names_the_field_and_writes_nothing(env):
    from jiuye.cases import window

    mats = _materials(UR)
    with _s(env) as s:
        zx = _user(s, "zx_wlht")
        before = s.scalar(select(func.count()).select_from(CaseEvent))
        cases = [
            ({"id_number": NEW_ID[:-1] + ("0" if NEW_ID[-1] != "0" else "1"), "name": "王芳"}, "id_number"),
            ({"id_number": demo_id("152201", "19860101", "011"), "name": ""}, "name"),
            ({"id_number": NEW_ID, "name": "王芳", "card": "12"}, "card_number"),
            ({"id_number": NEW_ID, "name": "王芳", "received": ["不存在的材料"]}, "received"),
            ({"id_number": NEW_ID, "name": "王芳", "not_applicable": [mats[0]]}, "not_applicable"),
        ]
        for kw, field in cases:
            with pytest.raises(window.svc.Invalid) as err:
                window.file_at_window(s, zx, UR, profile={"district": W}, **kw)
            assert err.value.extra.get("field") == field, (kw, err.value)
        with pytest.raises(window.svc.Invalid) as err:
            window.file_at_window(s, zx, "employment_registration_employer", profile={"subject": "enterprise"},
                                  credit_code="91152201MA0DEM0010", name="某公司", fields={"hire_date": "2026-11-01"})
        assert err.value.extra.get("field") == "credit_code"
        assert s.scalar(select(func.count()).select_from(CaseEvent)) == before


def test_employer_at_the_window(env):
    from jiuye.cases import window
    from jiuye.cases.security import credit_code_with_check

    code = credit_code_with_check("91152201MA0WNW001")
    mats = _materials("employment_registration_employer")
    with _s(env) as s:
        zx = _user(s, "zx_wlht")
        case, filing = window.file_at_window(
            s, zx, "employment_registration_employer", profile={"subject": "enterprise", "district": W},
            credit_code=code, name="兴安窗口测试有限公司", fields={"hire_date": "2026-11-02"}, received=mats[:1])
        assert case.enterprise_id and case.person_id is None and filing.missing == mats[1:]
        d = window.receipt_data(s, zx, case.id)
        assert d["applicant"]["kind"] == "enterprise" and code not in str(d)


# --- the PDFs ---------------------------------------------------------------------------------------
def _read(data: bytes):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "".join(p.extract_text() for p in reader.pages)
    embedded = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for desc in font.get("/DescendantFonts", []):
                fd = desc.get_object()["/FontDescriptor"].get_object()
                embedded.append((str(font["/BaseFont"]), [k for k in fd if k.startswith("/FontFile")]))
    return re.sub(r"\s+", "", text), embedded


def test_receipt_and_notice_pdfs_carry_the_chinese_text_and_embed_the_font(env):
    from jiuye.cases import receipts, window

    mats = _materials("hard_to_employ_recognition")
    idn = demo_id("152201", "19720305", "052")
    with _s(env) as s:
        zx = _user(s, "zx_wlht")
        case, filing = window.file_at_window(
            s, zx, "hard_to_employ_recognition", id_number=idn, name="陈静",
            profile={"district": W, "is_unemployed": True, "registered_unemployed": True, "contribution_years": 6},
            received=[mats[0]], not_applicable=[m for m in mats[2:] if window.conditional(m)])
        d = window.receipt_data(s, zx, case.id)
    assert d["missing"] == filing.missing and len(d["missing"]) == 1
    text, fonts = _read(receipts.receipt_pdf(d))
    for needle in ("受理回执", "陈静", "就业困难人员认定", filing.receipt_no, "已收材料", "尚缺材料", "一次性告知书"):
        assert re.sub(r"\s+", "", needle) in text, needle
    assert idn not in text and idn[:6] in text  # masked
    assert fonts and all(ff == ["/FontFile2"] for _name, ff in fonts)  # TrueType, embedded
    notice, nfonts = _read(receipts.notice_pdf(d))
    assert "一次性告知书" in notice and "全部材料" in notice
    for m in d["missing"]:
        assert re.sub(r"\s+", "", m) in notice
    for m in d["received"]:  # listed once, as received, not as something to bring
        assert notice.count(re.sub(r"\s+", "", m)) == 1
    assert nfonts and all(ff == ["/FontFile2"] for _n, ff in nfonts)


def test_no_usable_font_is_a_clear_refusal(monkeypatch, tmp_path):
    from jiuye.cases import receipts

    monkeypatch.setattr(receipts, "FONT_CANDIDATES", (str(tmp_path / "none.ttf"),))
    monkeypatch.delenv("JIUYE_PDF_FONT", raising=False)
    with pytest.raises(receipts.NoFont, match="fonts-wqy-microhei"):
        receipts.font_path()


# --- the pages ----------------------------------------------------------------------------------------
def _client(username: str | None, login: str = "/console/login"):
    from fastapi.testclient import TestClient

    from jiuye.web.app import create_app

    c = TestClient(create_app())
    if username:
        r = c.get(login)
        token = _csrf(r.text)
        r = c.post(login, data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token,
                                "next": "/"}, follow_redirects=False)
        assert r.status_code == 303, r.text
    return c


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_console_window_pages_end_to_end(env):
    from jiuye.cases import service

    c = _client("zx_wlht")
    r = c.get("/console/window")
    assert r.status_code == 200 and "窗口受理" in r.text and "失业登记" in r.text
    token = _csrf(r.text)
    idn = demo_id("152201", "19880808", "063")
    # a bad 身份证号: 422 naming it, the number not echoed in full
    r = c.post("/console/window", data={"csrf_token": token, "w_procedure": UR, "w_id_number": idn[:-1] + "X",
                                        "w_name": "刘洋", "w_step": "screen"})
    assert r.status_code == 422 and "身份证号无效" in r.text
    r = c.post("/console/window", data={"csrf_token": token, "w_procedure": UR, "w_id_number": idn,
                                        "w_name": "刘洋", "w_step": "screen"})
    assert r.status_code == 200 and "按今天的政策筛查" in r.text and "新登记" in r.text
    mats = _materials(UR)
    form = {"csrf_token": token, "w_procedure": UR, "w_id_number": idn, "w_name": "刘洋", "w_card": "",
            "w_credit_code": "", "district": W, "w_step": "file", "mat_0": "received"}
    r = c.post("/console/window", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    case_id = int(url.rsplit("/", 1)[1])
    r = c.get(url)
    assert r.status_code == 200 and "受理回执（PDF）" in r.text and "一次性告知书（PDF）" in r.text
    assert idn not in r.text
    r = c.get(f"{url}/receipt.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text, _ = _read(r.content)
    assert "刘洋" in text and "失业登记" in text
    r = c.get(f"{url}/notice.pdf")
    text, _ = _read(r.content)
    assert re.sub(r"\s+", "", mats[1]) in text
    # 补收 one material
    r = c.get(url)
    r = c.post(f"{url}/received", data={"csrf_token": _csrf(r.text), "material": mats[1]}, follow_redirects=False)
    assert r.status_code == 303
    with _s(env) as s:
        kinds = [e.kind for e in s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)
                                           .order_by(CaseEvent.id))]
        assert kinds == ["created", "window_filing", "printed", "printed", "materials"]
        case = service.load_case(s, _user(s, "zx_wlht"), case_id)
        assert case.channel == "window" and case.created_by_id == _user(s, "zx_wlht").id
    # staff of another district: no such case for them
    other = _client("zx_zlt")
    assert other.get(f"{url}/receipt.pdf").status_code == 404
    # the hrss may see the case but does not print at the window
    assert _client("rsj_wlht").get(f"{url}/receipt.pdf").status_code == 403
    # logged out: to the login page
    r = _client(None).get(f"{url}/receipt.pdf", follow_redirects=False)
    assert r.status_code == 303 and "/console/login" in r.headers["location"]


def test_applicant_tracks_a_decided_case_with_the_channels_to_object(env):
    """zhangmin's 失业登记, filed at the window, refused with a reason: 我的申请 shows the decision, the
    reason, the 复议 / 诉讼 channels (公开信息, 60 日 / 6 个月) and the messages."""
    from jiuye.cases import service, window

    with _s(env) as s:
        zx = _user(s, "zx_wlht")
        zhang = _user(s, "zhangmin")
        person = s.get(Person, zhang.person_id)
        case, filing = window.file_at_window(s, zx, UR, profile={"district": W}, id_number=person.id_number,
                                             name=person.name)
        service.transition(s, zx, case.id, "rejected", comment="经核查，您已在其他地区办理失业登记")
    c = _client("zhangmin", "/login")
    r = c.get("/my")
    assert r.status_code == 200 and "不予批准" in r.text
    r = c.get(f"/my/cases/{case.id}")
    assert r.status_code == 200
    page = r.text
    for needle in ("办理结果", "不予批准", "经核查，您已在其他地区办理失业登记", "行政复议", "行政诉讼", "60 日",
                   "6 个月", "公开信息（资料未写明）", "第二十条", "第二十四条", "第四十六条", "十五日内", "受理回执（PDF）"):
        assert needle in page, needle
    assert "「失业登记」不予批准" in page and "「失业登记」已受理" in page  # the messages about the case
    r = c.get(f"/my/cases/{case.id}/receipt.pdf")
    assert r.status_code == 200 and "受理回执" in _read(r.content)[0]
    # another applicant cannot
    other = _client("liqiang", "/login")
    assert other.get(f"/my/cases/{case.id}/receipt.pdf").status_code == 404


def test_open_case_shows_step_office_working_days_and_missing(env):
    from jiuye.cases import tracking, window
    from jiuye.cases.procedures import get_procedures

    with _s(env) as s:
        zhang = _user(s, "zhangmin")
        cases = s.scalars(select(Case).where(Case.person_id == zhang.person_id, Case.final.is_(False),
                                             Case.due_on.is_not(None))).all()
        assert cases  # the demo's 就业困难人员认定 in its 公示 (3 working days)
        v = tracking.tracking_view(s, zhang, cases[0])
        d = v["deadline"]
        assert d["limit_days"].endswith("个工作日") and "工作日" in d["text"]
        left, _known = tracking.working_days_between(window.today(), cases[0].due_on)
        assert d["working_days_left"] == left
        proc = get_procedures()[cases[0].procedure]
        assert v["step"] == proc.state_label(cases[0].state)
    c = _client("zhangmin", "/login")
    r = c.get(f"/my/cases/{cases[0].id}")
    assert "个工作日" in r.text and "现在到哪一步了" in r.text and "还缺什么" in r.text


def test_working_days_skip_weekends_and_holidays():
    import datetime as dt

    from jiuye.cases.tracking import working_days_between

    # 2026-10-01 … 10-07: 国庆 (holidays); Friday 2026-09-25 → Friday 2026-10-09
    n, _ = working_days_between(dt.date(2026, 9, 25), dt.date(2026, 10, 9))
    calendar_days = 14
    assert n < calendar_days - 4  # weekends and the holiday week left out
    assert working_days_between(dt.date(2026, 11, 23), dt.date(2026, 11, 27))[0] == 4  # Mon → Fri
    assert working_days_between(dt.date(2026, 11, 27), dt.date(2026, 11, 23))[0] == -4


def test_cli_exports_the_receipt_as_the_user_named(env, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from jiuye.cases import window
    from jiuye.cli import app

    with _s(env) as s:
        zx = _user(s, "zx_wlht")
        idn = demo_id("152201", "19910909", "077")
        case, filing = window.file_at_window(s, zx, UR, profile={"district": W}, id_number=idn, name="周明")
    monkeypatch.setenv("JIUYE_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "r.pdf"
    r = CliRunner().invoke(app, ["cases", "receipt", str(case.id), "--out", str(out), "--as", "zx_wlht"])
    assert r.exit_code == 0, r.output
    text, fonts = _read(out.read_bytes())
    assert "周明" in text and filing.receipt_no in text and fonts
    r = CliRunner().invoke(app, ["cases", "receipt", str(case.id), "--out", str(out), "--as", "zx_zlt"])
    assert r.exit_code == 2 and "没有编号为" in r.output
    r = CliRunner().invoke(app, ["cases", "receipt", str(case.id), "--kind", "x", "--out", str(out), "--as", "zx_wlht"])
    assert r.exit_code == 2 and "--kind" in r.output
