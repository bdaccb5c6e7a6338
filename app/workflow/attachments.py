"""Attaching scans to a case: the type is read from the content, never from the name."""

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from flask import current_app
from flask_babel import gettext as _

from app.extensions import db
from app.models.attachment import Attachment
from app.models.cases import CaseMaterial, TaskStatus
from app.security.scope import WINDOW
from app.storage import storage_for
from app.workflow import clock
from app.workflow.engine import action, acts_in_cases, lock_case, may_handle
from app.workflow.errors import BadInput, Forbidden

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
class Scan:
    """A file handed in with a required document (at receipt, with a supplement)."""

    document_id: int
    filename: str
    data: bytes


def check_content(data):
    """The (kind, MIME type) of an acceptable file; BadInput if empty, too large or of a
    type that is not allowed (read from the content, never from the name)."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    if not data:
        raise BadInput(_("The file is empty."))
    if len(data) > limit:
        raise BadInput(_("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024)))
    detected = detect_type(data)
    if detected is None:
        allowed = ", ".join(current_app.config["UPLOAD_ALLOWED_TYPES"]).upper()
        raise BadInput(_("Only these file types are accepted: %(types)s.", types=allowed))
    return detected


def store(case, actor, filename, data, material=None, at=None):
    """Check and store one file of ``case`` in the caller's transaction."""
    detected = check_content(data)
    stored_name = storage_for(current_app).save(data)
    attachment = Attachment(
        case=case,
        material=material,
        stored_name=stored_name,
        original_name=display_name(filename),
        content_type=detected[1],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        uploaded_at=at or clock.utcnow(),
    )
    db.session.add(attachment)
    return attachment


def scan_errors(scans):
    """{"scan_<document id>": message} for every scan whose content is refused."""
    errors = {}
    for scan in scans:
        try:
            check_content(scan.data)
        except BadInput as error:
            errors[f"scan_{scan.document_id}"] = error.message
    return errors


def store_scans(case, actor, scans, at):
    """Store each scan with its document's material (checked beforehand: scan_errors)."""
    materials = {material.document_id: material for material in case.materials}
    return [
        store(case, actor, scan.filename, scan.data, materials.get(scan.document_id), at)
        for scan in scans
    ]


@action
def attach(case_id, actor, filename, data, material_id=None, at=None):
    """Store a file for a case: the window or a handler of one of its open tasks."""
    at = at or clock.utcnow()
    case = lock_case(case_id)
    if not may_attach(case, actor):
        raise Forbidden(_("Only the window or a handler of this case can attach files."))
    return store(case, actor, filename, data, _material(case, material_id), at)


def may_attach(case, user):
    """The window, or a handler of one of the case's open tasks (an agency hands in its
    survey report this way). Admin never."""
    if not acts_in_cases(user):
        return False
    if WINDOW in user.role_names:
        return True
    return any(t.status == TaskStatus.OPEN.value and may_handle(t, user) for t in case.tasks)


def _material(case, material_id):
    if material_id is None:
        return None
    material = db.session.get(CaseMaterial, material_id)
    if material is None or material.case_id != case.id:
        raise BadInput(_("No such material in this case."))
    return material


def read(attachment):
    return storage_for(current_app).read(attachment.stored_name)
