"""Attaching scans to a case: checked and stored by app/storage/uploads.py."""

from dataclasses import dataclass

from flask_babel import gettext as _

from app.extensions import db
from app.models.attachment import Attachment
from app.models.cases import CaseMaterial, TaskStatus
from app.security.scope import WINDOW
from app.storage import uploads
from app.workflow import clock
from app.workflow.engine import action, acts_in_cases, lock_case, may_handle
from app.workflow.errors import BadInput, Forbidden


@dataclass(frozen=True)
class Scan:
    """A file handed in with a required document (at receipt, with a supplement)."""

    document_id: int
    filename: str
    data: bytes


def check_content(data):
    """The MIME type of an acceptable file; BadInput if empty, too large or of a type that
    is not allowed (read from the content, never from the name)."""
    return uploads.check(data)


def store(case, actor, filename, data, material=None, at=None):
    """Check and store one file of ``case`` in the caller's transaction."""
    stored = uploads.store(filename, data)
    attachment = Attachment(
        case=case,
        material=material,
        stored_name=stored.stored_name,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
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
    return uploads.read(attachment.stored_name)
