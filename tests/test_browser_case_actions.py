"""Every action of the case page in a real browser, by the demo user who may take it, under
the console's CSP: the form is there, the confirmation asks first, and the page after the
action says what happened. Who may not act sees no form."""

import pytest

from app.extensions import db
from app.models.cases import Case, Permit
from app.models.catalog import Matter
from tests.browser import ARTIFACTS, BROWSER, csp_violations, sign_in, sign_out
from tests.case_helpers import Api

pytestmark = BROWSER

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Console:
    """The live console: its URL, and the demo GD-01 matter driven through its API."""

    def __init__(self, live):
        self.url = live.url
        self.app = live.app
        self.api = Api(live.app.test_client(use_cookies=False))

    def gd01(self):
        return db.session.query(Matter).filter_by(code="GD-01").one()

    def receive(self, **fields):
        with self.app.app_context():
            response = self.api.receive(self.gd01(), **fields)
            assert response.status_code == 201, response.get_json()
            return response.get_json()["id"]

    def run_stages(self, case_id, count):
        with self.app.app_context():
            self.api.run_stages(case_id, count)

    def read(self, model, pk):
        with self.app.app_context():
            row = db.session.get(model, pk)
            db.session.expunge(row)
            return row

    def documents(self):
        with self.app.app_context():
            return [(d.id, d.name) for d in self.gd01().required_documents]


@pytest.fixture
def console(live_console):
    return Console(live_console)


def open_case(page, console, case_id, username):
    sign_in(page, console.url, username)
    page.goto(f"{console.url}/cases/show/{case_id}")


def confirm_next(page):
    page.once("dialog", lambda dialog: dialog.accept())


def submit(page, form, confirm=True):
    """Submit ``form``, accepting its confirmation; the message the next page shows."""
    if confirm:
        confirm_next(page)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    return page.locator(".alert").first.inner_text()


def healthy(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert csp_violations(page) == []
    assert page.problems == []
    assert page.outside_requests == []


def test_window_accepts_a_registered_application(browser_page, console):
    documents = console.documents()
    case_id = console.receive(decision="register", materials=[documents[0][0]])
    page = browser_page
    open_case(page, console, case_id, "window1")
    form = page.locator(".case-decide-form")
    for document_id, _name in documents[1:]:
        form.locator(f"input[name=materials][value='{document_id}']").check()
    form.locator("input[name=decision][value=accept]").check()
    assert "申请已受理。" in submit(page, form)
    assert page.locator(".case-status").inner_text().startswith("办理中")
    assert page.locator(".case-decide-form").count() == 0
    assert console.read(Case, case_id).status == "in_progress"
    healthy(page, "case-accepted")


def test_window_refuses_and_a_dismissed_confirmation_changes_nothing(browser_page, console):
    case_id = console.receive(decision="register", materials=[])
    page = browser_page
    open_case(page, console, case_id, "window1")
    form = page.locator(".case-decide-form")
    form.locator("input[name=decision][value=refuse]").check()
    form.locator("textarea[name=reason]").fill("不属于本机关职权范围")
    page.once("dialog", lambda dialog: dialog.dismiss())
    form.locator("button[type=submit]").click()
    assert console.read(Case, case_id).status == "received"
    assert "已作出不予受理决定。" in submit(page, form)
    assert "不属于本机关职权范围" in page.locator(".case-dates").inner_text()
    healthy(page, "case-refused")


def test_window_records_a_supplement_with_its_scan(browser_page, console, tmp_path):
    documents = console.documents()
    case_id = console.receive(decision="supplement", materials=[documents[0][0]])
    scan = tmp_path / "身份证明.pdf"
    scan.write_bytes(PDF)
    page = browser_page
    open_case(page, console, case_id, "window1")
    form = page.locator(".case-supplement-form")
    for document_id, _name in documents[1:]:
        form.locator(f"input[name=materials][value='{document_id}']").check()
    form.locator(f"input[name=scan_{documents[1][0]}]").set_input_files(str(scan))
    assert "补交材料已登记。" in submit(page, form, confirm=False)
    assert page.locator(".case-status").inner_text().startswith("办理中")
    assert page.locator(".attachment-table a", has_text="身份证明.pdf").count() == 1
    healthy(page, "case-supplement")


def test_window_attaches_scans_at_receipt(browser_page, console, tmp_path):
    documents = console.documents()
    scan = tmp_path / "申请书.pdf"
    scan.write_bytes(PDF)
    page = browser_page
    sign_in(page, console.url, "window1")
    page.goto(f"{console.url}/window/receive?matter=GD-01")
    page.fill("input[name=applicant_name]", "扬州某置业有限公司")
    for document_id, _name in documents:
        page.check(f"input[name=materials][value='{document_id}']")
    page.set_input_files(f"input[name=scan_{documents[0][0]}]", str(scan))
    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/window/receipt/*")
    page.click("text=查看办件")
    page.wait_for_url("**/cases/show/*")
    table = page.locator(".attachment-table")
    assert table.get_by_role("cell", name=documents[0][1], exact=True).count() == 1
    assert table.get_by_role("link", name="申请书.pdf").count() == 1
    healthy(page, "receipt-with-scan")


def test_head_assigns_from_the_case_page_and_the_queue(browser_page, console):
    first = console.receive()
    second = console.receive()
    page = browser_page
    open_case(page, console, first, "landuse_head")
    row = page.locator(".task-assign form")
    row.locator("select[name=assignee]").select_option(label="张涛 · 土地利用处经办人")
    assert "已交由" in submit(page, row, confirm=False)
    assert "张涛" in page.locator(".route-stage-current .task-row").inner_text()

    page.goto(f"{console.url}/tasks/division/list/")
    number = console.read(Case, second).receipt_no
    assert page.locator("table.sunshine-list", has_text=number).count() == 1
    page.locator(".queue-assign-form button[type=submit]").first.click()
    page.wait_for_url("**/tasks/division/list/")
    assert page.locator(".alert-success").count() == 1
    assert page.locator("table.sunshine-list").count() == 0  # nothing left to give out
    healthy(page, "division-queue")


def test_leader_suspends_and_resumes(browser_page, console):
    case_id = console.receive()
    page = browser_page
    open_case(page, console, case_id, "deputy1")
    form = page.locator(".case-suspend-form")
    form.locator("select[name=kind]").select_option(label="听证")
    form.locator("textarea[name=reason]").fill("申请人申请听证")
    form.locator("input[name=expected_days]").fill("10")
    assert "办件已挂起" in submit(page, form)
    assert page.locator(".case-status").inner_text().startswith("已挂起")
    assert "申请人申请听证" in page.locator(".suspension-table").inner_text()

    assert "办件已恢复办理" in submit(page, page.locator(".case-resume-form"))
    assert console.read(Case, case_id).status == "in_progress"
    healthy(page, "case-suspended-resumed")


def test_leader_extends_and_sees_the_ceiling_left(browser_page, console):
    case_id = console.receive()
    page = browser_page
    open_case(page, console, case_id, "director")
    form = page.locator(".case-extend-form")
    assert "还可延期 10 个工作日" in form.inner_text()
    form.locator("input[name=days]").fill("4")
    form.locator("textarea[name=reason]").fill("   ")  # the engine wants a reason
    assert "理由" in submit(page, form)
    form = page.locator(".case-extend-form")
    form.locator("input[name=days]").fill("4")
    form.locator("textarea[name=reason]").fill("需补充地质灾害评估")
    assert "延期已批准" in submit(page, form)
    assert "还可延期 6 个工作日" in page.locator(".case-extend-form").inner_text()
    assert "需补充地质灾害评估" in page.locator(".extension-table").inner_text()
    healthy(page, "case-extended")


def test_director_revokes_a_permit_on_its_page(browser_page, console):
    case_id = console.receive()
    console.run_stages(case_id, 10)
    with console.app.app_context():
        permit_id = db.session.query(Permit.id).filter_by(case_id=case_id).scalar()
    page = browser_page
    sign_in(page, console.url, "director")
    page.goto(f"{console.url}/permits/show/{permit_id}")
    assert "Show Permit" not in page.content()
    form = page.locator(".permit-revoke-form")
    form.locator("input[name=reason]").fill("申请人以欺骗手段取得批准")
    assert "已撤销" in submit(page, form)
    assert page.locator(".permit-revoke-form").count() == 0
    assert console.read(Permit, permit_id).status == "revoked"
    healthy(page, "permit-revoked")


def test_an_agency_hands_in_its_survey_report(browser_page, console, tmp_path):
    case_id = console.receive()
    console.run_stages(case_id, 2)
    report = tmp_path / "权属调查报告.pdf"
    report.write_bytes(PDF)
    page = browser_page
    open_case(page, console, case_id, "ownership_staff")
    form = page.locator(".case-attach-form")
    form.locator("input[name=file]").set_input_files(str(report))
    assert "已上传" in submit(page, form, confirm=False)
    link = page.locator(".attachment-table a", has_text="权属调查报告.pdf")
    assert link.count() == 1
    assert page.locator(".case-suspend-form").count() == 0  # an agency does not steer
    healthy(page, "survey-report")


def test_a_return_reads_on_the_route_and_the_supervisor_only_supervises(browser_page, console):
    case_id = console.receive()
    console.run_stages(case_id, 2)
    page = browser_page
    open_case(page, console, case_id, "ownership_staff")
    form = page.locator(".my-task form")
    form.locator("select[name=decision]").select_option("return")
    form.locator("textarea[name=opinion]").fill("界址点坐标与红线图不符")
    assert "权属核定" in submit(page, form)

    sign_out(page, console.url)
    open_case(page, console, case_id, "supervisor")
    # The supervision post chases the case; it never steers the workflow.
    assert page.locator("form.case-supervise").count() == 1
    # (the user menu's logout button is a form too: not the case's)
    assert page.locator("form[method=post]:not(.case-supervise, .navbar-logout)").count() == 0
    cancelled = page.locator(".task-cancelled")
    assert cancelled.count() == 2
    assert all("已取消" in text for text in cancelled.all_inner_texts())
    assert "界址点坐标与红线图不符" in page.locator(".task-return").inner_text()
    healthy(page, "route-after-return")


def test_the_workbench_leads_to_the_case_to_decide(browser_page, console):
    case_id = console.receive(decision="register", materials=[])
    number = console.read(Case, case_id).receipt_no
    page = browser_page
    sign_in(page, console.url, "window1")
    panel = page.locator("[data-panel=awaiting_decision]")
    assert panel.locator(".workbench-count").inner_text() == "1"
    assert "服务窗口" in page.locator(".home-roles").inner_text()
    panel.get_by_role("link", name=number, exact=False).click()
    page.wait_for_url(f"**/cases/show/{case_id}")
    assert page.locator(".case-decide-form").count() == 1
    page.goto(f"{console.url}/")
    healthy(page, "workbench-window")
