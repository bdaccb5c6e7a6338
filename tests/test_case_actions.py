"""Every engine action as a form on the case page: the user who may take it sees the form and
the engine's answer as a message; anyone else sees no form and gets 403 (404 outside their
scope, recorded as a denial) on a forged POST."""

import io
import re

import pytest

from app.extensions import db
from app.models.attachment import Attachment
from app.models.audit import AuditEvent
from app.models.cases import Case, CaseMaterial, Permit, Task
from app.models.user import BureauUser
from tests.case_helpers import Api
from tests.conftest import DEMO_PASSWORD
from tests.factories import gd01

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


@pytest.fixture
def api(app):
    return Api(app.test_client(use_cookies=False))


@pytest.fixture
def matter(app):
    return gd01()


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


@pytest.fixture
def case_id(api, matter):
    return api.receive(matter).get_json()["id"]


@pytest.fixture
def page(client, auth):
    """Sign in as someone (in English, to read the messages) and read pages as them."""

    class Page:
        def login(self, username):
            auth.logout()
            auth.login(username)
            client.get("/lang/en")

        def case(self, pk):
            response = client.get(f"/cases/show/{pk}")
            assert response.status_code == 200
            return response.get_data(as_text=True)

        def post(self, path, data=None, **kwargs):
            return client.post(path, data=data or {}, **kwargs)

        def post_and_read(self, path, data=None, **kwargs):
            response = client.post(path, data=data or {}, follow_redirects=True, **kwargs)
            assert response.status_code == 200, response.status_code
            return response.get_data(as_text=True)

    return Page()


def user_id(username):
    return db.session.query(BureauUser.id).filter_by(username=username).scalar()


def denials():
    return db.session.query(AuditEvent).filter_by(action="denied").count()


def open_task(case_id, division_code=None):
    tasks = db.session.query(Task).filter_by(case_id=case_id, status="open").all()
    if division_code:
        tasks = [t for t in tasks if t.division and t.division.code == division_code]
    [task] = tasks
    return task


# ---------------------------------------------------------------- acceptance at the window


@pytest.fixture
def registered(api, matter):
    """A registered application (先行登记) with only its first document received."""
    response = api.receive(matter, decision="register", materials=[matter.required_documents[0].id])
    return response.get_json()["id"]


def test_window_accepts_a_registered_case_from_its_page(page, registered, matter):
    page.login("window1")
    assert "case-decide-form" in page.case(registered)
    text = page.post_and_read(
        f"/cases/{registered}/decide",
        {"decision": "accept", "materials": [str(d.id) for d in matter.required_documents]},
    )
    assert "The application is accepted." in text
    case = db.session.get(Case, registered)
    assert case.status == "in_progress"
    assert case.accepted_at == case.received_at  # within the 5 days: from receipt (Art. 32)


def test_window_requests_a_supplement_listing_what_is_missing(page, registered, matter):
    page.login("window1")
    text = page.post_and_read(f"/cases/{registered}/decide", {"decision": "supplement"})
    assert "supplement notice is recorded" in text
    case = db.session.get(Case, registered)
    assert case.status == "supplement_requested"
    assert case.missing_documents.splitlines() == [d.name for d in matter.required_documents[1:]]
    assert f'href="/window/receipt/{registered}"' in text  # the notice, to print


def test_window_refuses_with_a_reason_and_without_one_is_told_why(page, registered):
    page.login("window1")
    text = page.post_and_read(f"/cases/{registered}/decide", {"decision": "refuse"})
    assert "A refusal needs a reason." in text
    assert db.session.get(Case, registered).status == "received"
    page.post_and_read(
        f"/cases/{registered}/decide", {"decision": "refuse", "reason": "不属于本机关职权范围"}
    )
    case = db.session.get(Case, registered)
    assert (case.status, case.status_reason) == ("not_accepted", "不属于本机关职权范围")


def test_accepting_incomplete_materials_is_refused_with_a_message(page, registered, matter):
    page.login("window1")
    text = page.post_and_read(f"/cases/{registered}/decide", {"decision": "accept"})
    assert "Materials incomplete" in text and matter.required_documents[1].name in text
    assert db.session.get(Case, registered).status == "received"


@pytest.fixture
def awaiting_supplement(api, matter):
    body = {"decision": "supplement", "materials": [matter.required_documents[0].id]}
    return api.receive(matter, **body).get_json()["id"]


def test_window_records_a_partial_supplement_then_the_rest(
    page, awaiting_supplement, matter, uploads
):
    second, third = matter.required_documents[1:]
    page.login("window1")
    assert "case-supplement-form" in page.case(awaiting_supplement)
    text = page.post_and_read(
        f"/cases/{awaiting_supplement}/supplement",
        {"materials": [str(second.id)], f"scan_{second.id}": (io.BytesIO(PDF), "身份证明.pdf")},
        content_type="multipart/form-data",
    )
    assert "The documents brought are recorded." in text
    case = db.session.get(Case, awaiting_supplement)
    assert (case.status, case.missing_documents) == ("supplement_requested", third.name)
    [scan] = db.session.query(Attachment).filter_by(case_id=case.id).all()
    assert scan.material.document_id == second.id
    assert db.session.query(AuditEvent).filter_by(action="supplement_received").count() == 1

    page.post_and_read(f"/cases/{awaiting_supplement}/supplement", {"materials": [str(third.id)]})
    db.session.expire_all()
    case = db.session.get(Case, awaiting_supplement)
    assert case.status == "in_progress" and case.missing_documents is None
    assert case.accepted_at > case.received_at  # accepted on the day the supplement completed


def test_a_refused_scan_records_nothing(page, awaiting_supplement, matter, uploads):
    second = matter.required_documents[1]
    page.login("window1")
    text = page.post_and_read(
        f"/cases/{awaiting_supplement}/supplement",
        {"materials": [str(second.id)], f"scan_{second.id}": (io.BytesIO(ELF), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert f"Scan of {second.name}: Only these file types are accepted" in text
    material = db.session.query(CaseMaterial).filter_by(
        case_id=awaiting_supplement, document_id=second.id
    )
    assert material.one().received is False
    assert db.session.query(Attachment).count() == 0


def test_a_second_supplement_notice_is_refused(page, awaiting_supplement):
    page.login("window1")
    text = page.post_and_read(f"/cases/{awaiting_supplement}/decide", {"decision": "supplement"})
    assert "every missing document at once" in text
    assert db.session.get(Case, awaiting_supplement).status == "supplement_requested"


def test_supplement_recording_through_the_api(api, awaiting_supplement, matter):
    ids = [d.id for d in matter.required_documents[1:]]
    response = api.post(
        "window1", f"/api/v1/case/{awaiting_supplement}/supplement", {"materials": ids}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["result"]["status"] == "in_progress"
    again = api.post(
        "window1", f"/api/v1/case/{awaiting_supplement}/supplement", {"materials": ids}
    )
    assert again.status_code == 409


def test_only_the_window_sees_and_may_use_the_acceptance_form(page, registered):
    page.login("supervisor")
    assert "case-decide-form" not in page.case(registered)
    assert page.post(f"/cases/{registered}/decide", {"decision": "accept"}).status_code == 403
    assert db.session.get(Case, registered).status == "received"


def test_a_user_outside_the_scope_gets_404_recorded_as_a_denial(page, case_id):
    page.login("minerals_staff")
    before = denials()
    response = page.post(f"/cases/{case_id}/suspend", {"kind": "hearing", "reason": "x"})
    assert response.status_code == 404
    assert denials() == before + 1
    assert db.session.get(Case, case_id).status == "in_progress"


# ---------------------------------------------------------------- assignment


def test_head_assigns_a_task_from_the_case_page(page, case_id):
    task = open_task(case_id)
    page.login("landuse_head")
    html = page.case(case_id)
    assert f'action="/tasks/{task.id}/assign"' in html
    text = page.post_and_read(f"/tasks/{task.id}/assign", {"assignee": user_id("landuse_staff")})
    assert "is given to" in text
    assert db.session.get(Task, task.id).assignee.username == "landuse_staff"
    assert "Reassign" in page.case(case_id)


def test_a_task_goes_only_to_a_colleague_of_the_division(page, case_id):
    task = open_task(case_id)
    page.login("landuse_head")
    text = page.post_and_read(f"/tasks/{task.id}/assign", {"assignee": user_id("minerals_staff")})
    assert "active member of the division" in text
    assert db.session.get(Task, task.id).assignee_id is None


def test_staff_see_no_assign_form_and_cannot_forge_one(page, case_id):
    task = open_task(case_id)
    page.login("landuse_staff")
    assert "/assign" not in page.case(case_id)
    response = page.post(f"/tasks/{task.id}/assign", {"assignee": user_id("landuse_staff")})
    assert response.status_code == 403
    assert db.session.get(Task, task.id).assignee_id is None


def test_the_division_queue_lists_unassigned_tasks_with_an_assign_form(page, client, case_id):
    task = open_task(case_id)
    page.login("landuse_head")
    queue = client.get("/tasks/division/list/").get_data(as_text=True)
    assert task.case.receipt_no in queue and "queue-assign-form" in queue
    response = page.post(
        f"/tasks/{task.id}/assign", {"assignee": user_id("landuse_staff"), "back": "queue"}
    )
    assert response.headers["Location"].endswith("/tasks/division/list/")
    assert task.case.receipt_no not in client.get("/tasks/division/list/").get_data(as_text=True)


def test_the_division_queue_is_for_heads(page, client):
    page.login("landuse_staff")
    assert client.get("/tasks/division/list/").status_code == 403


# ---------------------------------------------------------------- the clock


def test_leader_suspends_with_a_kind_from_labels_and_a_handler_resumes(page, case_id):
    page.login("deputy1")
    html = page.case(case_id)
    assert "case-suspend-form" in html and '<option value="hearing">Hearing</option>' in html
    assert "uncounted_step" not in html
    text = page.post_and_read(
        f"/cases/{case_id}/suspend",
        {"kind": "expert_review", "reason": "组织专家论证", "expected_days": "5"},
    )
    assert "The case is suspended" in text
    case = db.session.get(Case, case_id)
    assert case.status == "suspended"
    assert "组织专家论证" in text and "Expert review" in text  # the suspension's row

    page.login("landuse_staff")  # a handler of the open task
    assert "case-resume-form" in page.case(case_id)
    page.post_and_read(f"/cases/{case_id}/resume")
    db.session.expire_all()
    assert db.session.get(Case, case_id).status == "in_progress"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"kind": "hearing", "reason": ""}, "A reason is required."),
        ({"kind": "holiday", "reason": "x"}, "Unknown kind of suspension"),
        ({"kind": "hearing", "reason": "x", "expected_days": "two"}, "whole number"),
    ],
)
def test_suspension_input_errors_are_messages(page, case_id, form, message):
    page.login("deputy1")
    assert message in page.post_and_read(f"/cases/{case_id}/suspend", form)
    assert db.session.get(Case, case_id).status == "in_progress"


def test_resuming_a_case_that_is_not_suspended_is_a_message(page, case_id):
    page.login("deputy1")
    assert "The case is not suspended." in page.post_and_read(f"/cases/{case_id}/resume")


@pytest.mark.parametrize("username", ["ownership_staff", "supervisor", "inspector"])
def test_who_may_not_steer_sees_no_clock_form(page, api, case_id, username):
    if username == "ownership_staff":
        api.run_stages(case_id, 2)  # the agency now has an open task
    page.login(username)
    html = page.case(case_id)
    assert "case-suspend-form" not in html and "case-extend-form" not in html
    response = page.post(f"/cases/{case_id}/suspend", {"kind": "hearing", "reason": "x"})
    assert response.status_code == 403
    assert db.session.get(Case, case_id).status == "in_progress"


def test_leader_extends_within_the_ceiling_shown_on_the_page(page, case_id):
    page.login("deputy1")
    assert "Up to 10 more working days" in page.case(case_id)
    text = page.post_and_read(f"/cases/{case_id}/extend", {"days": "3", "reason": "情况复杂"})
    assert "The extension is approved" in text
    assert "Up to 7 more working days" in text
    text = page.post_and_read(f"/cases/{case_id}/extend", {"days": "8", "reason": "还要"})
    assert "ceiling of 10 working days" in text
    assert db.session.get(Case, case_id).extension_days == 3


def test_a_head_sees_no_extension_form_and_cannot_forge_one(page, case_id):
    page.login("landuse_head")
    assert "case-extend-form" not in page.case(case_id)
    response = page.post(f"/cases/{case_id}/extend", {"days": "1", "reason": "x"})
    assert response.status_code == 403
    assert db.session.get(Case, case_id).extension_days == 0


# ---------------------------------------------------------------- permits


@pytest.fixture
def released(api, case_id):
    api.run_stages(case_id, 10)
    permit = db.session.query(Permit).filter_by(case_id=case_id).one()
    assert permit.status == "released"
    return permit.id


def test_leader_revokes_a_permit_from_its_page(page, client, released):
    page.login("director")
    html = client.get(f"/permits/show/{released}").get_data(as_text=True)
    assert "permit-revoke-form" in html and "Show Permit" not in html
    text = page.post_and_read(f"/permits/{released}/revoke", {"reason": " ", "back": "permit"})
    assert "A reason is required." in text
    text = page.post_and_read(
        f"/permits/{released}/revoke", {"reason": "申请人以欺骗手段取得批准", "back": "permit"}
    )
    assert "is revoked" in text and "申请人以欺骗手段取得批准" in text
    assert db.session.get(Permit, released).status == "revoked"
    text = page.post_and_read(f"/permits/{released}/revoke", {"reason": "again"})
    assert "Only an issued or released permit can be revoked." in text


def test_leader_revokes_from_the_case_page_and_others_cannot(page, released, case_id):
    page.login("landuse_staff")
    assert "permit-revoke-form" not in page.case(case_id)
    assert page.post(f"/permits/{released}/revoke", {"reason": "x"}).status_code == 403
    page.login("deputy1")
    assert "permit-revoke-form" in page.case(case_id)
    page.post_and_read(f"/permits/{released}/revoke", {"reason": "违法批准"})
    assert db.session.get(Permit, released).status == "revoked"


# ---------------------------------------------------------------- scans


def test_an_agency_hands_in_its_survey_report(page, client, api, case_id, uploads):
    api.run_stages(case_id, 2)  # stage 4: ownership, measure, valuation
    page.login("ownership_staff")
    assert "case-attach-form" in page.case(case_id)
    text = page.post_and_read(
        f"/cases/{case_id}/attach",
        {"file": (io.BytesIO(PDF), "权属调查报告.pdf"), "material_id": ""},
        content_type="multipart/form-data",
    )
    assert "The file 权属调查报告.pdf is attached." in text
    link = re.search(r'href="(/api/v1/case/\d+/attachments/\d+)"', text).group(1)
    assert client.get(link).data == PDF


def test_a_refused_file_is_a_message(page, case_id, uploads):
    page.login("window1")
    text = page.post_and_read(
        f"/cases/{case_id}/attach",
        {"file": (io.BytesIO(ELF), "scan.pdf")},
        content_type="multipart/form-data",
    )
    assert "Only these file types are accepted" in text
    assert db.session.query(Attachment).count() == 0


def test_who_has_no_open_task_cannot_upload(page, case_id, uploads):
    page.login("supervisor")
    assert "case-attach-form" not in page.case(case_id)
    response = page.post(
        f"/cases/{case_id}/attach",
        {"file": (io.BytesIO(PDF), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    page.login("finance_staff")  # in scope later, no task yet: out of scope now
    assert page.post(f"/cases/{case_id}/attach").status_code == 404


def test_scans_at_receipt_go_with_their_documents(client, auth, matter, uploads):
    auth.login("window1")
    first = matter.required_documents[0]
    data = {
        "matter": matter.code,
        "applicant_name": "李四",
        "decision": "accept",
        "materials": [str(d.id) for d in matter.required_documents],
        f"scan_{first.id}": (io.BytesIO(PDF), "申请书.pdf"),
    }
    response = client.post(
        f"/window/receive?matter={matter.code}", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    [scan] = db.session.query(Attachment).all()
    assert (scan.material.document_id, scan.original_name) == (first.id, "申请书.pdf")


def test_a_bad_scan_at_receipt_is_shown_on_its_document_and_nothing_is_written(
    client, auth, matter, uploads
):
    auth.login("window1")
    first = matter.required_documents[0]
    data = {
        "matter": matter.code,
        "applicant_name": "李四",
        "decision": "accept",
        "materials": [str(d.id) for d in matter.required_documents],
        f"scan_{first.id}": (io.BytesIO(ELF), "申请书.pdf"),
    }
    response = client.post(
        f"/window/receive?matter={matter.code}", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 200 and "has-error" in response.get_data(as_text=True)
    assert db.session.query(Case).count() == 0


def test_only_the_window_opens_the_receipt_form(client, auth):
    auth.login("landuse_staff")
    assert client.get("/window/receive").status_code == 403


# ---------------------------------------------------------------- CSRF


def test_every_action_form_needs_the_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        matter = gd01()
        api = Api(app.test_client(use_cookies=False))
        case_id = api.receive(matter).get_json()["id"]
        client = app.test_client()
        login_page = client.get("/login/").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
        client.post(
            "/login/", data={"username": "deputy1", "password": DEMO_PASSWORD, "csrf_token": token}
        )
        html = client.get(f"/cases/show/{case_id}").get_data(as_text=True)
        forms = re.findall(
            r"<form method=\"post\"[^>]*>\s*<input type=\"hidden\" name=\"csrf_token\"", html
        )
        assert len(forms) == html.count('<form method="post"') >= 2  # suspend, extend...
        response = client.post(f"/cases/{case_id}/suspend", data={"kind": "hearing", "reason": "x"})
        assert response.status_code == 400
        assert db.session.get(Case, case_id).status == "in_progress"
