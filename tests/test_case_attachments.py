"""Scans attached at the window: type from content, size limit, random names, scoped download."""

import io
import zipfile

import pytest

from app.extensions import db
from app.models.attachment import Attachment
from tests.case_helpers import Api
from tests.factories import gd01

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64


def ofd_package():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("OFD.xml", "<ofd:OFD/>")
    return buffer.getvalue()


@pytest.fixture
def app(make_app, tmp_path):
    application = make_app(UPLOAD_FOLDER=str(tmp_path / "uploads"), UPLOAD_MAX_BYTES=4096)
    with application.app_context():
        yield application


@pytest.fixture
def api(app):
    return Api(app.test_client(use_cookies=False))


@pytest.fixture
def case_id(api, app):
    return api.receive(gd01()).get_json()["id"]


def upload(api, case_id, data, name="scan.pdf", username="window1", **form):
    return api.call(
        "POST",
        username,
        f"/api/v1/case/{case_id}/attachments",
        data={"file": (io.BytesIO(data), name), **form},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("data", "name", "mime"),
    [
        (PDF, "申请书.pdf", "application/pdf"),
        (PNG, "红线图.png", "image/png"),
        (ofd_package(), "批复.ofd", "application/ofd"),
    ],
)
def test_allowed_files_are_stored_and_downloaded(api, app, case_id, data, name, mime, tmp_path):
    response = upload(api, case_id, data, name)
    assert response.status_code == 201, response.get_json()
    result = response.get_json()["result"]
    assert (result["name"], result["content_type"], result["size"]) == (name, mime, len(data))
    stored = db.session.get(Attachment, result["id"])
    assert stored.stored_name != name and (tmp_path / "uploads" / stored.stored_name).exists()
    download = api.get("supervisor", f"/api/v1/case/{case_id}/attachments/{result['id']}")
    assert download.status_code == 200
    assert download.data == data
    assert download.headers["Content-Type"] == mime
    assert "filename*=UTF-8''" in download.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (ELF, "setup.pdf"),
        (b"MZ\x90\x00" + b"\x00" * 60, "scan.png"),
        (b"plain text", "a.pdf"),
        (b"PK\x03\x04broken zip", "a.ofd"),
    ],
)
def test_content_decides_the_type_not_the_name(api, case_id, data, name):
    response = upload(api, case_id, data, name)
    assert response.status_code == 400
    assert "PDF" in response.get_json()["message"]
    assert db.session.query(Attachment).count() == 0


def test_a_file_over_the_limit_is_refused(api, case_id):
    response = upload(api, case_id, PDF + b"0" * 5000)
    assert response.status_code == 400
    assert db.session.query(Attachment).count() == 0


def test_a_request_far_over_the_limit_is_refused_before_reading(api, case_id):
    response = upload(api, case_id, PDF + b"0" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert db.session.query(Attachment).count() == 0


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\boot.ini.pdf", "/abs/x.pdf"])
def test_path_in_the_name_never_reaches_the_disk(api, case_id, name, tmp_path):
    response = upload(api, case_id, PDF, name)
    assert response.status_code == 201
    stored = db.session.get(Attachment, response.get_json()["id"])
    assert "/" not in stored.original_name and "\\" not in stored.original_name
    assert [p.name for p in (tmp_path / "uploads").iterdir()] == [stored.stored_name]


def test_download_outside_the_scope_is_404(api, case_id):
    attachment_id = upload(api, case_id, PDF).get_json()["id"]
    response = api.get("minerals_staff", f"/api/v1/case/{case_id}/attachments/{attachment_id}")
    assert response.status_code == 404


def test_attachment_of_another_case_is_404(api, case_id):
    attachment_id = upload(api, case_id, PDF).get_json()["id"]
    other = api.receive(gd01("TGD-02")).get_json()["id"]
    assert (
        api.get("window1", f"/api/v1/case/{other}/attachments/{attachment_id}").status_code == 404
    )


def test_missing_file_field_is_bad_input(api, case_id):
    response = api.call(
        "POST",
        "window1",
        f"/api/v1/case/{case_id}/attachments",
        data={"other": "x"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
