"""Signed records stay as signed: an opinion cannot be changed or deleted through the ORM."""

from flask_babel import gettext as _
from sqlalchemy import event

from app.extensions import db
from app.models.cases import Opinion


class SignedRecordError(RuntimeError):
    """Raised at flush when code tries to change or delete a signed opinion."""


def register_signed_record_guard(session=db.session):
    if not event.contains(session, "before_flush", refuse_changes_to_signed_opinions):
        event.listen(session, "before_flush", refuse_changes_to_signed_opinions)


def refuse_changes_to_signed_opinions(session, flush_context, instances):
    for obj in session.deleted:
        if isinstance(obj, Opinion):
            raise SignedRecordError(_("A signed opinion cannot be deleted."))
    for obj in session.dirty:
        if isinstance(obj, Opinion) and session.is_modified(obj, include_collections=False):
            raise SignedRecordError(_("A signed opinion cannot be changed."))
