"""Attachment storage: the local folder and an S3-compatible bucket keep one contract.

The bucket is moto's S3 server (a real HTTP server on 127.0.0.1 speaking the S3
protocol), reached through boto3 exactly as a MinIO or AWS bucket would be."""

import io
import socket

import pytest

from app.extensions import db
from app.models.attachment import Attachment
from app.storage import LocalStorage, S3Storage, storage_for
from tests.case_helpers import Api
from tests.factories import gd01

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

PDF = b"%PDF-1.7\n" + b"x" * 200
BUCKET = "sunshine-attachments"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_credentials(monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def bucket(s3_endpoint, s3_credentials):
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture(params=["local", "s3"])
def storage(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "uploads")
    client = request.getfixturevalue("bucket")
    return S3Storage(BUCKET, prefix="attachments/", client=client)


def test_a_saved_file_reads_back_under_a_random_name(storage):
    first, second = storage.save(PDF), storage.save(PDF)
    assert first != second and first.isalnum() and len(first) == 32
    assert storage.read(first) == PDF


@pytest.mark.parametrize("name", ["../etc/passwd", "a/b", "", "x.pdf"])
def test_only_stored_names_can_be_read(storage, name):
    with pytest.raises(ValueError):
        storage.read(name)


def test_the_bucket_holds_the_object_under_the_prefix(bucket):
    name = S3Storage(BUCKET, prefix="attachments/", client=bucket).save(PDF)
    stored = bucket.get_object(Bucket=BUCKET, Key=f"attachments/{name}")["Body"].read()
    assert stored == PDF


def test_the_console_stores_and_serves_attachments_from_the_bucket(make_app, s3_endpoint, bucket):
    """Two machines share attachments: the app writes to the bucket, not to a folder."""
    application = make_app(STORAGE_BACKEND="s3", S3_BUCKET=BUCKET, S3_ENDPOINT_URL=s3_endpoint)
    with application.app_context():
        assert isinstance(storage_for(application), S3Storage)
        api = Api(application.test_client(use_cookies=False))
        case_id = api.receive(gd01()).get_json()["id"]
        response = api.call(
            "POST",
            "window1",
            f"/api/v1/case/{case_id}/attachments",
            data={"file": (io.BytesIO(PDF), "申请书.pdf")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 201, response.get_json()
        stored = db.session.get(Attachment, response.get_json()["result"]["id"])
        key = f"attachments/{stored.stored_name}"
        assert bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read() == PDF
        download = api.get("supervisor", f"/api/v1/case/{case_id}/attachments/{stored.id}")
        assert download.status_code == 200 and download.data == PDF
