"""The pages handlers use every day: receive, receipt, my tasks, the case page."""

import re

import pytest

from app.extensions import db
from app.models.cases import Case, Task
from tests.factories import gd01


@pytest.fixture
def matter(app):
    return gd01()


def receive_by_form(client, matter, **overrides):
    data = {
        "matter": matter.code,
        "applicant_name": "李四",
        "applicant_phone": "13905140002",
        "project_name": "<script>alert(1)</script>",
        "decision": "accept",
        "materials": [str(d.id) for d in matter.required_documents],
        **overrides,
    }
    return client.post(f"/window/receive?matter={matter.code}", data=data)


def test_window_receives_through_the_form_and_prints_a_receipt(client, auth, matter):
    auth.login("window1")
    form = client.get(f"/window/receive?matter={matter.code}").get_data(as_text=True)
    assert all(d.name in form for d in matter.required_documents)
    response = receive_by_form(client, matter)
    assert response.status_code == 302
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    case = db.session.query(Case).one()
    assert case.receipt_no in receipt and case.query_code in receipt
    assert "<svg" in receipt  # the QR code, drawn inline
    assert "public/progress?receipt_no=" in receipt


def test_form_errors_are_shown_and_nothing_is_written(client, auth, matter):
    auth.login("window1")
    response = receive_by_form(client, matter, applicant_phone="12", applicant_name="")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "has-error" in page
    assert db.session.query(Case).count() == 0


def test_handler_completes_from_the_case_page(client, auth, matter):
    auth.login("window1")
    receive_by_form(client, matter)
    auth.logout()
    auth.login("landuse_staff")
    todo = client.get("/tasks/todo/list/").get_data(as_text=True)
    case = db.session.query(Case).one()
    assert case.receipt_no in todo
    page = client.get(f"/cases/show/{case.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    task = db.session.query(Task).filter_by(case_id=case.id, status="open").one()
    action = re.search(r'action="([^"]*/complete)"', page).group(1)
    response = client.post(action, data={"decision": "approve", "opinion": "同意"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Task, task.id).status == "done"


def test_other_divisions_get_404_on_the_case_page(client, auth, matter):
    auth.login("window1")
    receive_by_form(client, matter)
    case = db.session.query(Case).one()
    auth.logout()
    auth.login("minerals_staff")
    assert client.get(f"/cases/show/{case.id}").status_code == 404
    assert case.receipt_no not in client.get("/cases/list/").get_data(as_text=True)
    assert client.get(f"/window/receipt/{case.id}").status_code == 404


def test_intermediary_does_not_see_applicant_contacts(client, auth, matter):
    auth.login("window1")
    receive_by_form(client, matter)
    case = db.session.query(Case).one()
    for task in db.session.query(Task).filter_by(case_id=case.id, status="open"):
        task.status = "done"
    db.session.commit()
    from app.workflow import engine

    stage4 = engine.stage_at(case, 4)
    engine.open_task(case, stage4, stage4.steps[0], case.received_at)
    db.session.commit()
    auth.logout()
    auth.login("ownership_staff")
    page = client.get(f"/cases/show/{case.id}").get_data(as_text=True)
    assert "李四" in page
    assert "13905140002" not in page
