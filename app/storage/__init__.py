"""File storage behind one interface: a folder outside the web root by default.

An S3-compatible bucket (where several machines serve the console) implements the same
methods, ``save`` and ``read``; ``storage_for(app)`` picks the backend from
``STORAGE_BACKEND`` (``local`` or ``s3``). The S3 backend needs boto3, an optional
dependency (``pip install boto3``); credentials come from boto3's usual sources
(``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, a profile, an instance role).
"""

import secrets
from pathlib import Path


def new_name():
    """A random stored name: no user input ever reaches a path or key."""
    return secrets.token_hex(16)


def checked_name(name):
    if not isinstance(name, str) or not name.isalnum():
        raise ValueError("not a stored file name")
    return name


class LocalStorage:
    """Files in one folder, under random names only (no user input reaches a path)."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def save(self, data: bytes) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = new_name()
        path = self.folder / name
        with open(path, "xb") as handle:
            handle.write(data)
        return name

    def read(self, name: str) -> bytes:
        return (self.folder / checked_name(name)).read_bytes()


class S3Storage:
    """Objects in one bucket of any S3-compatible store (AWS, MinIO, Ceph...), under
    ``prefix`` + a random name; shared by every machine that serves the console."""

    def __init__(self, bucket, prefix="", endpoint_url=None, region=None, client=None):
        self.bucket = bucket
        self.prefix = prefix
        self.client = client or _boto3_client(endpoint_url, region)

    def save(self, data: bytes) -> str:
        name = new_name()
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + name, Body=data)
        return name

    def read(self, name: str) -> bytes:
        answer = self.client.get_object(Bucket=self.bucket, Key=self.prefix + checked_name(name))
        return answer["Body"].read()


def _boto3_client(endpoint_url, region):
    try:
        import boto3
    except ImportError:  # pragma: no cover - depends on the installation
        raise RuntimeError("STORAGE_BACKEND=s3 needs boto3: pip install boto3") from None
    return boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None)


def storage_for(app):
    """The configured backend; the S3 client is made once per app (it is thread-safe)."""
    backend = app.config.get("STORAGE_BACKEND", "local")
    if backend == "local":
        return LocalStorage(app.config["UPLOAD_FOLDER"])
    if backend == "s3":
        storage = app.extensions.get("sunshine_s3_storage")
        if storage is None:
            storage = app.extensions["sunshine_s3_storage"] = S3Storage(
                bucket=app.config["S3_BUCKET"],
                prefix=app.config.get("S3_PREFIX", ""),
                endpoint_url=app.config.get("S3_ENDPOINT_URL"),
                region=app.config.get("S3_REGION"),
            )
        return storage
    raise RuntimeError(f"unknown STORAGE_BACKEND {backend!r}")
