"""Accepting an uploaded file, for every record that takes attachments (case scans,
petition evidence, a unit's answer): the type is read from the content, never from the
name; the size is limited; the file is stored under a random name with its hash."""

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from flask import current_app
from flask_babel import gettext as _

from app.storage import storage_for
from app.workflow.errors import BadInput

SIGNATURES = (
    ("pdf", "application/pdf", lambda data: data.startswith(b"%PDF-")),
    ("jpeg", "image/jpeg", lambda data: data.startswith(b"\xff\xd8\xff")),
    ("png", "image/png", lambda data: data.startswith(b"\x89PNG\r\n\x1a\n")),
    ("ofd", "application/ofd", lambda data: _is_ofd(data)),
)


def _is_ofd(data):
    """OFD (GB/T 33190) is a ZIP package whose root holds OFD.xml."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "OFD.xml" in package.namelist()
    except zipfile.BadZipFile:
        return False


def detect_type(data):
    """(kind, MIME type) of the content, or None when it is none of the allowed kinds."""
    allowed = current_app.config["UPLOAD_ALLOWED_TYPES"]
    for kind, mime, matches in SIGNATURES:
        if kind in allowed and matches(data):
            return kind, mime
    return None


def display_name(filename):
    """The last path component, without control characters: for display only."""
    name = PurePath((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|')
    return name[:255] or "file"


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    content_type: str
    size: int
    sha256: str


def check(data):
    """The MIME type of an acceptable file; BadInput (400) saying why otherwise."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    if not data:
        raise BadInput(_("The file is empty."))
    if len(data) > limit:
        raise BadInput(_("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024)))
    detected = detect_type(data)
    if detected is None:
        allowed = ", ".join(current_app.config["UPLOAD_ALLOWED_TYPES"]).upper()
        raise BadInput(_("Only these file types are accepted: %(types)s.", types=allowed))
    return detected[1]


def store(filename, data):
    """Check the file, then store it; the caller records the returned facts in its row."""
    content_type = check(data)
    return StoredFile(
        stored_name=storage_for(current_app).save(data),
        original_name=display_name(filename),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def read(stored_name):
    return storage_for(current_app).read(stored_name)
