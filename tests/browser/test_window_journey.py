"""Filing at the window and tracking the case, in a real browser (issue 17, items 2 and 5):

- (a) phone, 360 px: a person registers an account online (it sees only what it filed itself);
- (b) desktop: the 乌兰浩特市 centre checks the ID card (核验身份), then files a 失业登记 for the same
  person at the window (窗口受理): a new 《就业创业证》 number is recorded, the screening as of today is
  shown, one material ticked received, a conditional one not applicable, the rest missing; the filed
  page offers the 受理回执 and the 一次性告知书, both real PDFs with the person's name and exactly the
  missing materials, the font embedded;
- (c) phone: 我的申请 lists the case with its office and what is missing; the case page shows the
  step, the office, the missing materials, the receipt links and the message about the filing;
- (d) desktop: the centre refuses the registration with a reason; phone: the case shows the decision,
  the reason, the 行政复议 / 行政诉讼 channels (公开信息, 60 日 / 6 个月) and the message about it;
- (e) phone: an open case with a deadline (the demo's 就业困难人员认定 in its 公示) shows the working
  days left.
Every page passes axe-core, has no horizontal scroll at 360 px and loads nothing from outside.
"""
from __future__ import annotations

import io
import re
import secrets


from browser_support import (assert_no_axe_violations, assert_no_external_requests, assert_no_horizontal_scroll,
                             login, shot)
from jiuye.cases.demo import demo_id
from jiuye.cases.procedures import get_procedures, materials_of

STATE: dict = {}
PROC = "unemployment_registration"


def checks(page, name: str | None = None) -> None:
    if page.viewport_size["width"] <= 400:
        assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    assert_no_external_requests(page)
    for method, action, has_token in page.eval_on_selector_all(
            "form", "fs => fs.map(f => [f.method, f.getAttribute('action'), !!f.querySelector('input[name=csrf_token]')])"):
        assert method.lower() != "post" or has_token, f"POST form {action} on {page.url} has no csrf_token"
    if name:
        shot(page, name)


def _pdf_text(data: bytes) -> tuple[str, list[str]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    files = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            for desc in font.get_object().get("/DescendantFonts", []):
                fd = desc.get_object()["/FontDescriptor"].get_object()
                files += [k for k in fd if k.startswith("/FontFile")]
    return text, files


def test_a_person_registers_on_a_phone(phone):
    tag = secrets.randbelow(900) + 100
    STATE.update(id_number=demo_id("152201", "19870415", f"{tag:03d}"), name="孙丽", username=f"sunli{tag}",
                 password="window-pass-1", card=f"15220100{tag:04d}")
    phone.goto("/register?next=/my")
    phone.get_by_label("姓名").fill(STATE["name"])
    phone.get_by_label("身份证号").fill(STATE["id_number"])
    phone.get_by_label("手机号").fill("13912345679")
    phone.get_by_label("用户名").fill(STATE["username"])
    phone.get_by_label("密码（至少8位）").fill(STATE["password"])
    phone.get_by_label("再输一次密码").fill(STATE["password"])
    with phone.expect_navigation():
        phone.get_by_role("button", name="注册").click()
    assert "/my" in phone.url and "我的申请" in phone.inner_text("h1")


def test_staff_verify_and_file_at_the_window_on_desktop(desktop):
    assert STATE, "the registration step did not run"
    page = desktop
    login(page, "zx_wlht")
    page.goto("/console/identity")
    page.get_by_label("申请人账号（用户名）").fill(STATE["username"])
    page.locator("#number").fill(STATE["id_number"])
    with page.expect_navigation():
        page.get_by_role("button", name="核验").click()
    assert "已核验账号" in page.inner_text("main")

    page.goto("/console/window")
    checks(page)
    page.get_by_label("申请事项").select_option(label="失业登记")
    page.get_by_label("身份证号（按身份证原件录入）").fill(STATE["id_number"])
    page.get_by_label("《就业创业证》编号（持证的填写，与登记的编号核对）").fill(STATE["card"])
    with page.expect_navigation():
        page.get_by_role("button", name="核对身份并筛查").click()
    main = page.inner_text("main")
    assert "按今天的政策筛查" in main and STATE["name"] in main and "首次登记该编号" in main
    assert STATE["id_number"] not in main  # masked once checked
    mats = materials_of(get_procedures()[PROC])
    page.locator("#mat_0_r").check()
    conditional = [i for i, m in enumerate(mats) if page.locator(f"#mat_{i}_n").count()]
    for i in conditional:
        page.locator(f"#mat_{i}_n").check()
    missing = [m for i, m in enumerate(mats) if i != 0 and i not in conditional]
    assert missing, "the journey needs a missing material"
    checks(page, "window-screen-desktop")
    with page.expect_navigation():
        page.get_by_role("button", name="受理建案").click()
    assert re.search(r"/console/window/cases/\d+$", page.url), page.inner_text("main")[:800]
    STATE["case_id"] = int(page.url.rsplit("/", 1)[1])
    STATE["missing"] = missing
    STATE["receipt_no"] = page.inner_text("#receipt-no").strip()
    assert all(m in page.inner_text("#missing") for m in missing)
    checks(page, "window-filed-desktop")
    for link, title in (("#receipt-link", "受理回执"), ("#notice-link", "一次性告知书")):
        href = page.get_attribute(link, "href")
        r = page.request.get(href)
        assert r.status == 200 and r.headers["content-type"] == "application/pdf"
        text, fonts = _pdf_text(r.body())
        assert title in text and STATE["name"] in text and STATE["receipt_no"] in text
        assert STATE["id_number"] not in text
        assert fonts and set(fonts) == {"/FontFile2"}
        for m in missing:
            assert re.sub(r"\s+", "", m) in text, (title, m)


def test_the_person_tracks_the_open_case_on_a_phone(phone):
    assert "case_id" in STATE, "the filing step did not run"
    login(phone, STATE["username"], STATE["password"], "/login")
    phone.goto("/my")
    item = phone.locator("li.result", has=phone.locator(f"a[href='/my/cases/{STATE['case_id']}']"))
    text = item.inner_text()
    assert "失业登记" in text and "乌兰浩特市人力资源和就业服务中心" in text
    assert f"还缺 {len(STATE['missing'])} 项材料" in text and "最新消息" in text
    checks(phone, "my-tracking-phone")
    phone.goto(f"/my/cases/{STATE['case_id']}")
    assert "乌兰浩特市人力资源和就业服务中心" in phone.inner_text("#office")
    got = phone.inner_text("#missing")
    assert all(m in got for m in STATE["missing"])
    assert "「失业登记」已受理" in phone.inner_text("#case-messages")
    r = phone.request.get(f"/my/cases/{STATE['case_id']}/notice.pdf")
    assert r.status == 200 and "一次性告知书" in _pdf_text(r.body())[0]
    checks(phone)


def test_a_refusal_shows_the_reason_and_how_to_object(desktop, phone):
    assert "case_id" in STATE
    login(desktop, "zx_wlht")
    desktop.goto(f"/console/cases/{STATE['case_id']}")
    form = desktop.locator("form", has=desktop.get_by_role("button", name=re.compile("不予登记")))
    form.locator("textarea").fill("经核查，您已在就业，不符合失业登记条件")
    with desktop.expect_navigation():
        form.get_by_role("button").click()
    assert "已办理" in desktop.inner_text("main")

    login(phone, STATE["username"], STATE["password"], "/login")
    phone.goto(f"/my/cases/{STATE['case_id']}")
    decision = phone.inner_text("#decision")
    assert "不予批准" in decision and "经核查，您已在就业，不符合失业登记条件" in decision
    appeals = phone.inner_text("#appeals")
    for needle in ("行政复议", "60 日", "行政诉讼", "6 个月", "公开信息（资料未写明）"):
        assert needle in appeals, needle
    assert "「失业登记」不予批准" in phone.inner_text("#case-messages")
    checks(phone, "my-case-decided-phone")


def test_an_open_case_shows_working_days_left_on_a_phone(phone):
    login(phone, "zhangmin", path="/login")
    phone.goto("/my")
    link = phone.locator("a", has_text="就业困难人员认定").first
    with phone.expect_navigation():
        link.click()
    dl = phone.inner_text("#deadline")
    assert re.search(r"(还有|已超期) \d+ 个工作日", dl) and "3 个工作日" in dl, dl
    checks(phone)


def test_the_window_form_also_fits_a_phone(phone):
    """A 社区 clerk may have only a phone: the form has no horizontal scroll and passes axe at 360 px."""
    login(phone, "sq_wlht")
    phone.goto("/console/window")
    assert "窗口受理" in phone.inner_text("h1")
    checks(phone)
