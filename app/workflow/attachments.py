"""Attaching scans to a case: checked and stored by app/storage/uploads.py."""

from flask_babel import gettext as _

from app.extensions import db
from app.models.attachment import Attachment
from app.models.cases import CaseMaterial, TaskStatus
from app.storage import uploads
from app.workflow import clock
from app.workflow.engine import action, lock_case, may_handle
from app.workflow.errors import BadInput, Forbidden


@action
def attach(case_id, actor, filename, data, material_id=None, at=None):
    """Store a file for a case: the window or a handler of one of its open tasks."""
    at = at or clock.utcnow()
    case = lock_case(case_id)
    _check_may_attach(case, actor)
    material = _material(case, material_id)
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
    return uploads.read(attachment.stored_name)
