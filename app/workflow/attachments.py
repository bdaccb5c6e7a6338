"""Attaching scans to a case: the type is read from the content, never from the name."""

import hashlib
import io
import zipfile
from pathlib import PurePath

from flask import current_app
from flask_babel import gettext as _

from app.extensions import db
from app.models.attachment import Attachment
from app.models.cases import CaseMaterial, TaskStatus
from app.storage import storage_for
from app.workflow import clock
from app.workflow.engine import action, lock_case, may_handle
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


@action
def attach(case_id, actor, filename, data, material_id=None, at=None):
    """Store a file for a case: the window or a handler of one of its open tasks."""
    at = at or clock.utcnow()
    case = lock_case(case_id)
    _check_may_attach(case, actor)
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    if not data:
        raise BadInput(_("The file is empty."))
    if len(data) > limit:
        raise BadInput(_("The file is larger than %(mb)d MB.", mb=limit // (1024 * 1024)))
    detected = detect_type(data)
    if detected is None:
        allowed = ", ".join(current_app.config["UPLOAD_ALLOWED_TYPES"]).upper()
        raise BadInput(_("Only these file types are accepted: %(types)s.", types=allowed))
    material = _material(case, material_id)
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
        uploaded_at=at,
    )
    db.session.add(attachment)
    return attachment


def _check_may_attach(case, actor):
    if actor is not None and "Window" in actor.role_names:
        return
    if any(t.status == TaskStatus.OPEN.value and may_handle(t, actor) for t in case.tasks):
        return
    raise Forbidden(_("Only the window or a handler of this case can attach files."))


def _material(case, material_id):
    if material_id is None:
        return None
    material = db.session.get(CaseMaterial, material_id)
    if material is None or material.case_id != case.id:
        raise BadInput(_("No such material in this case."))
    return material


def read(attachment):
    return storage_for(current_app).read(attachment.stored_name)
