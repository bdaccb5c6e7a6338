"""The petition pages: registration, the petition page's forms, the desks, the notices, the
case page's list, the petitioner's protection on every page and answer, list costs."""

import io
import re
from urllib.parse import unquote

import pytest
from sqlalchemy import event, select

from app import workbench
from app.extensions import db
from app.models.petitions import Petition, PetitionAttachment
from app.models.user import BureauUser
from app.petitions import engine, intake
from tests.case_helpers import Api
from tests.petition_helpers import (
    CONTENT,
    PETITIONER,
    act,
    assigned,
    register,
    registration,
    reviewed,
)

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def api(client):
    return Api(client)


def user(username):
    return db.session.scalars(select(BureauUser).where(BureauUser.username == username)).one()


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_the_office_registers_through_the_form_with_evidence(client, auth):
    auth.login("petition_staff")
    assert "征地补偿" in page(client, "/petitions/register")
    data = {**registration(category="compensation"), "evidence": [(io.BytesIO(PDF), "来信.pdf")]}
    response = client.post("/petitions/register", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    petition = db.session.scalars(select(Petition)).one()
    assert response.headers["Location"].endswith(f"/petitions/show/{petition.id}")
    shown = page(client, response.headers["Location"])
    assert petition.number in shown and PETITIONER["petitioner_phone"] in shown
    assert "来信.pdf" in shown
    evidence = db.session.scalars(select(PetitionAttachment)).one()
    assert (evidence.kind, evidence.shared) == ("evidence", False)


def test_registration_form_errors_are_shown_and_nothing_is_written(client, auth):
    auth.login("petition_staff")
    response = client.post(
        "/petitions/register", data=registration(petitioner_phone="12", content="")
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("has-error") == 2
    assert db.session.query(Petition).count() == 0


def test_a_file_of_the_wrong_type_refuses_the_whole_registration(client, auth):
    auth.login("petition_staff")
    data = {**registration(), "evidence": [(io.BytesIO(b"MZ\x90\x00"), "x.pdf")]}
    response = client.post("/petitions/register", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "PDF" in response.get_data(as_text=True)
    assert db.session.query(Petition).count() == 0


def forms_on(html):
    return set(re.findall(r'action="/petitions/\d+/(\w+)"', html))


def test_each_user_sees_only_the_forms_they_may_use(client, auth, api):
    petition_id = register(api)["id"]
    auth.login("petition_staff")
    assert forms_on(page(client, f"/petitions/show/{petition_id}")) == {"decide", "link", "attach"}
    act(api, "petition_staff", petition_id, "accept", decision="accept")
    act(api, "petition_staff", petition_id, "assign", unit="baoying")
    assert forms_on(page(client, f"/petitions/show/{petition_id}")) == {
        "assign",
        "reassign",
        "link",
        "attach",
    }
    auth.logout()
    auth.login("baoying_staff")
    assert forms_on(page(client, f"/petitions/show/{petition_id}")) == {"feedback"}
    auth.logout()
    auth.login("petition_head")
    assert "extend" in forms_on(page(client, f"/petitions/show/{petition_id}"))
    auth.logout()
    auth.login("supervisor")
    assert forms_on(page(client, f"/petitions/show/{petition_id}")) == set()


def test_the_unit_answers_and_the_office_reviews_and_closes_on_the_pages(client, auth, api):
    petition_id = assigned(api)
    auth.login("baoying_staff")
    response = client.post(
        f"/petitions/{petition_id}/feedback",
        data={"text": "已核查处理。", "file": [(io.BytesIO(PDF), "凭证.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    again = client.post(f"/petitions/{petition_id}/feedback", data={"text": "再次"})
    assert "已" in page(client, again.headers["Location"])  # the 409 is a flash on the page
    auth.logout()
    auth.login("petition_staff")
    client.post(f"/petitions/{petition_id}/review", data={"decision": "accept"})
    response = client.post(
        f"/petitions/{petition_id}/close", data={"result": "已解决", "satisfaction": "happy"}
    )
    shown = page(client, response.headers["Location"])
    assert "very_satisfied" in shown  # the 400's message, flashed
    client.post(
        f"/petitions/{petition_id}/close", data={"result": "已解决", "satisfaction": "satisfied"}
    )
    assert db.session.get(Petition, petition_id).status == "closed"


def test_the_petitioner_never_reaches_the_assigned_unit(client, auth, api):
    """Every page and answer baoying_staff can get, searched byte by byte."""
    content = (
        f"{PETITIONER['petitioner_name']}（电话 {PETITIONER['petitioner_phone']}）反映：{CONTENT}"
    )
    petition_id = reviewed(api, content=content)
    act(api, "petition_staff", petition_id, "close", result="已解决", satisfaction="dissatisfied")
    auth.login("petition_staff")
    client.post(
        f"/petitions/{petition_id}/attach",
        data={
            "file": [(io.BytesIO(PDF), f"{PETITIONER['petitioner_name']}来信.pdf")],
            "shared": "1",
        },
        content_type="multipart/form-data",
    )
    evidence = db.session.scalars(select(PetitionAttachment)).one()
    auth.logout()
    auth.login("baoying_staff")
    answers = []
    for path in (
        "/",
        "/petitions/list/",
        f"/petitions/show/{petition_id}",
        "/petitions/register",
        "/petitions/desk/",
        f"/petitions/{petition_id}/notice",
        f"/api/v1/petition/{petition_id}/attachments/{evidence.id}",
    ):
        answers.append(client.get(path))
    for path in (
        "/api/v1/petition/",
        f"/api/v1/petition/{petition_id}",
        f"/api/v1/petition/{petition_id}/timeline",
        f"/api/v1/petition/{petition_id}/repeats",
        "/api/v1/petition/_info",
        "/api/v1/petition/?q=(columns:!(petitioner_phone,content))",
        f"/api/v1/petition/{petition_id}?q=(columns:!(petitioner_phone,content))",
        "/api/v1/petition/?q=(filters:!((col:petitioner_phone,opr:eq,value:'13951234567')))",
    ):
        answers.append(api.get("baoying_staff", path))
    assert answers[2].status_code == 200 and CONTENT[:10] in answers[2].get_data(as_text=True)
    assert answers[5].status_code == 403 and answers[6].data == PDF
    for answer in answers:
        raw = answer.get_data() + unquote(str(answer.headers)).encode()
        for secret in (
            PETITIONER["petitioner_phone"],
            PETITIONER["petitioner_id_number"],
            PETITIONER["petitioner_name"],
            PETITIONER["petitioner_address"],
        ):
            assert secret.encode() not in raw, (answer.request.path, secret)


def test_the_office_reads_the_petitioner_in_the_api(api):
    petition_id = register(api)["id"]
    row = api.get("petition_staff", f"/api/v1/petition/{petition_id}").get_json()["result"]
    assert row["petitioner_phone"] == PETITIONER["petitioner_phone"]
    assert row["content"] == CONTENT


def test_shared_evidence_reaches_the_unit(client, auth, api):
    petition_id = assigned(api)
    response = api.post(
        "petition_staff",
        f"/api/v1/petition/{petition_id}/attachments",
        data={"file": (io.BytesIO(PDF), "现场照片.pdf"), "shared": "1"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    evidence_id = response.get_json()["id"]
    download = api.get("baoying_staff", f"/api/v1/petition/{petition_id}/attachments/{evidence_id}")
    assert download.status_code == 200 and download.data == PDF
    assert (
        api.get(
            "gaoyou_staff", f"/api/v1/petition/{petition_id}/attachments/{evidence_id}"
        ).status_code
        == 404
    )


def test_the_notices_carry_the_bureau_header_and_the_decision(client, auth, api):
    accepted = register(api)["id"]
    act(api, "petition_staff", accepted, "accept", decision="accept")
    refused = register(api)["id"]
    act(api, "petition_staff", refused, "accept", decision="not_accept", reason="属诉讼程序。")
    auth.login("petition_staff")
    notice = page(client, f"/petitions/{accepted}/notice")
    assert "国土资源局" in notice and "信访事项受理告知书" in notice
    assert PETITIONER["petitioner_name"] in notice
    notice = page(client, f"/petitions/{refused}/notice")
    assert "不予受理告知书" in notice and "属诉讼程序。" in notice
    pending = register(api)["id"]
    assert client.get(f"/petitions/{pending}/notice").status_code == 404


def test_others_get_404_on_the_pages(client, auth, api):
    petition_id = assigned(api)
    for username in ("gaoyou_staff", "landuse_staff"):
        auth.login(username)
        assert client.get(f"/petitions/show/{petition_id}").status_code == 404
        assert (
            client.post(f"/petitions/{petition_id}/feedback", data={"text": "x"}).status_code == 404
        )
        number = db.session.get(Petition, petition_id).number
        assert number not in page(client, "/petitions/list/")
        auth.logout()
    auth.login("admin")
    assert client.get(f"/petitions/show/{petition_id}").status_code == 403


def test_the_desks_list_the_work_of_the_office_and_of_the_unit(client, auth, api):
    waiting = register(api)
    to_answer = assigned(api)
    auth.login("petition_staff")
    desk = page(client, "/petitions/desk/")
    assert waiting["result"]["number"] in desk and PETITIONER["petitioner_name"] in desk
    auth.logout()
    auth.login("baoying_staff")
    desk = page(client, "/petitions/desk/")
    assert db.session.get(Petition, to_answer).number in desk
    assert waiting["result"]["number"] not in desk


def test_the_home_page_panels(api, app):
    register(api)
    petition_id = assigned(api)
    with app.test_request_context():
        office = {p.key: p.count for p in workbench.panels_for(user("petition_staff"))}
        unit = {p.key: p.count for p in workbench.panels_for(user("baoying_staff"))}
        others = [p.key for p in workbench.panels_for(user("gaoyou_staff"))]
    assert office["petitions_to_accept"] == 1 and office["petitions_to_review"] == 0
    assert unit["petitions_to_answer"] == 1
    assert [k for k in others if k.startswith("petitions")] == [
        "petitions_to_answer",
        "petitions_assigned_to_us",
    ]
    assert petition_id


def test_the_case_page_lists_its_petitions_to_readers_of_both(client, auth, api):
    from tests.factories import gd01

    case = api.receive(gd01()).get_json()
    petition = register(api, case=case["result"]["receipt_no"])
    number = petition["result"]["number"]
    auth.login("supervisor")
    assert number in page(client, f"/cases/show/{case['id']}")
    auth.logout()
    auth.login("window1")  # reads the case, not petitions
    assert number not in page(client, f"/cases/show/{case['id']}")


def test_repeat_candidates_are_offered_on_the_petition_page(client, auth, api):
    first = register(api)["result"]["number"]
    later = register(api, petitioner_phone=None)["id"]
    auth.login("petition_staff")
    shown = page(client, f"/petitions/show/{later}")
    assert first in shown and 'name="repeat_of"' in shown
    client.post(f"/petitions/{later}/link", data={"repeat_of": first})
    assert db.session.get(Petition, later).is_repeat
    listed = page(client, "/petitions/list/")
    assert "重复件" in listed


def test_the_admin_edits_the_categories(client, auth):
    auth.login("admin")
    assert "征地补偿" in page(client, "/petitioncategories/list/")
    response = client.post(
        "/petitioncategories/add",
        data={"code": "forestry", "name": "林地保护", "position": "20", "active": "y"},
    )
    assert response.status_code == 302
    auth.logout()
    auth.login("petition_staff")
    assert client.get("/petitioncategories/add").status_code == 403
    assert "林地保护" in page(client, "/petitions/register")


def make_petitions(count):
    clerk = user("petition_staff")
    office = user("petition_head")
    for _ in range(count):
        petition = engine.register(intake.parse_registration(registration()), clerk)
        engine.decide(petition.id, office, "accept")
        engine.assign(petition.id, office, "baoying")


def statements(client, path):
    seen = []

    def count(*args):
        seen.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200, path
    return len(seen)


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("petition_staff", "/petitions/list/?psize_PetitionView=100"),
        ("baoying_staff", "/petitions/list/?psize_PetitionView=100"),
        ("petition_staff", "/api/v1/petition/?q=(page_size:100)"),
        ("baoying_staff", "/api/v1/petition/?q=(page_size:100)"),
        ("petition_staff", "/petitions/desk/"),
        ("baoying_staff", "/petitions/desk/"),
    ],
)
def test_lists_cost_the_same_statements_for_3_rows_or_30(client, auth, api, username, path):
    if path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {api.token(username)}"}

        def fetch(p):
            return client.get(p, headers=headers)

        client_get = fetch
    else:
        auth.login(username)
        client_get = client.get
    make_petitions(3)
    client_get(path)  # warm: permissions, calendar
    few = statements(_Proxy(client_get), path)
    make_petitions(27)
    many = statements(_Proxy(client_get), path)
    assert few == many


class _Proxy:
    def __init__(self, get):
        self.get = get
