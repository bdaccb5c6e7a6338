"""How the audit trail reads to a person: objects by name (办件 YZGT-2026-000001, 土地利用处,
张涛), actors by name, fields by label, values by label.

Names are read for a whole page of events at once: one query per kind of object on the
page and one for the actors, whatever the number of rows. An object deleted since is
named from the values its events recorded.
"""

from datetime import datetime

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import labels
from app.audit.values import diff_rows
from app.extensions import db
from app.models.user import BureauUser

# Relationships a name reads, loaded with the objects (selectinload).
LOADS = {
    "CaseMaterial": ("case",),
    "Task": ("case",),
    "Opinion": ("case", "author"),
    "Minutes": ("case",),
    "Suspension": ("case",),
    "Extension": ("case",),
    "Attachment": ("case",),
    "Permit": ("case",),
    "PermissionView": ("permission", "view_menu"),
}


def _with_case(obj, text):
    return f"{obj.case.receipt_no} {text}".strip()


# How a name recorded in an event reads (a deleted role, resource or permission).
RECORDED_NAMES = {
    "Role": labels.role,
    "ViewMenu": labels.resource,
    "Permission": labels.labeller("permission"),
}
NAMERS = {
    "BureauUser": labels.person,
    "User": labels.person,
    "Role": lambda role: labels.role(role.name),
    "ViewMenu": lambda view_menu: labels.resource(view_menu.name),
    "Permission": lambda permission: labels.label("permission", permission.name),
    "PermissionView": labels.permission,
    "CaseMaterial": lambda material: _with_case(material, material.name),
    "Task": lambda task: _with_case(task, task.name),
    "Opinion": lambda opinion: _with_case(opinion, labels.person(opinion.author)),
    "Minutes": lambda minutes: _with_case(minutes, ""),
    "Suspension": lambda suspension: _with_case(
        suspension, labels.label("suspension_kind", suspension.kind)
    ),
    "Extension": lambda extension: _with_case(extension, ""),
    "Attachment": lambda attachment: _with_case(attachment, attachment.original_name),
    "Permit": lambda permit: permit.number or _with_case(permit, ""),
    "CalendarDay": lambda day: f"{day.date.isoformat()} {day.name}",
}
# What names a deleted object, from the values its events recorded (first present wins).
NAME_FIELDS = ("receipt_no", "number", "name", "title", "username", "code", "date", "year")

# Enumeration fields: their values are codes of a vocabulary of app/labels.py.
VOCABULARY_FIELDS = {
    ("Case", "status"): "case_status",
    ("Case", "flag"): "flag",
    ("Case", "statutory_flag"): "flag",
    ("Task", "status"): "task_status",
    ("Task", "flag"): "flag",
    ("Task", "decision"): "decision",
    ("Task", "kind"): "step_kind",
    ("Task", "stage_mode"): "stage_mode",
    ("Opinion", "decision"): "decision",
    ("Opinion", "stage_kind"): "opinion_kind",
    ("Permit", "status"): "permit_status",
    ("Permit", "kind"): "permit_kind",
    ("Suspension", "kind"): "suspension_kind",
    ("Case", "kind"): "suspension_kind",  # in the details of a suspension's transition
    ("Division", "kind"): "division_kind",
    ("CalendarDay", "kind"): "day_kind",
    ("CalendarDay", "source"): "calendar_source",
    ("CalendarYear", "source"): "calendar_source",
    ("Matter", "category"): "matter_category",
    ("WorkflowStage", "mode"): "stage_mode",
    ("WorkflowStep", "kind"): "step_kind",
}

labels.register(
    "audit_field",
    {
        "accepted_at": _l("Accepted at"),
        "active": _l("Active"),
        "all_agreed": _l("All agreed"),
        "applicant_email": _l("Applicant's email"),
        "applicant_id_number": _l("Applicant's ID number"),
        "applicant_name": _l("Applicant"),
        "applicant_org": _l("Applicant's organisation"),
        "applicant_phone": _l("Applicant's phone"),
        "approved_at": _l("Approved at"),
        "approved_by_id": _l("Approved by"),
        "area": _l("Area"),
        "assignee_id": _l("Assignee"),
        "author_id": _l("Author"),
        "case_id": _l("Case"),
        "category": _l("Category"),
        "category_id": _l("Category"),
        "changed_by_fk": _l("Changed by"),
        "changed_on": _l("Changed on"),
        "code": _l("Code"),
        "conclusion": _l("Conclusion"),
        "conditions": _l("Conditions"),
        "content": _l("Content"),
        "content_type": _l("File type"),
        "copies": _l("Copies"),
        "counts_toward_limit": _l("Counts toward the promised limit"),
        "created_at": _l("Created at"),
        "created_by_fk": _l("Created by"),
        "created_on": _l("Created on"),
        "current_stage": _l("Current stage"),
        "date": _l("Date"),
        "days": _l("Days"),
        "decision": _l("Decision"),
        "description": _l("Description"),
        "division_id": _l("Unit"),
        "document_id": _l("Required document"),
        "done_at": _l("Done at"),
        "done_by_id": _l("Done by"),
        "drafted_at": _l("Drafted at"),
        "due_at": _l("Due at"),
        "due_provisional": _l("Provisional due date"),
        "email": _l("Email"),
        "ended_at": _l("Ended at"),
        "ended_by_id": _l("Ended by"),
        "expected_days": _l("Expected working days"),
        "expires_on": _l("Expires on"),
        "extension_days": _l("Extension days"),
        "fee_standard": _l("Fees"),
        "finished_at": _l("Finished at"),
        "first_name": _l("Given name"),
        "first_used_at": _l("First used at"),
        "flag": _l("Flag"),
        "groups": _l("User groups"),
        "holder": _l("Holder"),
        "id": _l("Id"),
        "is_current": _l("Current version"),
        "issued_at": _l("Issued at"),
        "key_hash": _l("Key hash"),
        "key_prefix": _l("Key prefix"),
        "kind": _l("Kind"),
        "label": _l("Label"),
        "last": _l("Last number"),
        "last_name": _l("Family name"),
        "last_used_on": _l("Last used on"),
        "leader_id": _l("Leader in person"),
        "legal_basis": _l("Legal basis"),
        "level": _l("Level"),
        "limit_days": _l("Limit (working days)"),
        "loaded_at": _l("Loaded at"),
        "locale": _l("Language"),
        "lookup_hash": _l("Lookup hash"),
        "material_id": _l("Case material"),
        "matter_id": _l("Matter"),
        "max_extension_days": _l("Maximum extension days"),
        "missing_documents": _l("Missing documents"),
        "mode": _l("Mode"),
        "name": _l("Name"),
        "name_en": _l("English name"),
        "note": _l("Note"),
        "notify_email": _l("Email notifications"),
        "notify_sms": _l("SMS notifications"),
        "number": _l("Number"),
        "opened_at": _l("Opened at"),
        "original": _l("Original"),
        "original_name": _l("File name"),
        "overseen_divisions": _l("Overseen divisions"),
        "oversees_all": _l("Oversees all divisions"),
        "parcel": _l("Parcel"),
        "parent_id": _l("Parent"),
        "password": _l("Password"),
        "paused_days": _l("Suspended working days"),
        "permission_id": _l("Permission"),
        "permissions": _l("Permissions"),
        "phone": _l("Phone"),
        "position": _l("Position or order"),
        "project_area": _l("Project area"),
        "project_location": _l("Project location"),
        "project_name": _l("Project name"),
        "promised_days": _l("Promised days"),
        "promised_due_at": _l("Promised due"),
        "promised_warn_at": _l("Promised warning from"),
        "public": _l("Public"),
        "published": _l("Published"),
        "published_on": _l("Published on"),
        "query_code": _l("Query code"),
        "reason": _l("Reason"),
        "receipt_no": _l("Receipt number"),
        "received": _l("Received"),
        "received_at": _l("Received at"),
        "received_by_id": _l("Received by"),
        "registration_date": _l("Registration date"),
        "registration_hash": _l("Registration hash"),
        "released_at": _l("Released at"),
        "responsible_division_id": _l("Responsible division"),
        "revocation_reason": _l("Reason for revocation"),
        "revoked_at": _l("Revoked at"),
        "revoked_by_id": _l("Revoked by"),
        "revoked_on": _l("Revoked on"),
        "role": _l("Role"),
        "roles": _l("Roles"),
        "scopes": _l("Scopes"),
        "session_stamp": _l("Session stamp"),
        "sha256": _l("SHA-256 hash"),
        "signed_at": _l("Signed at"),
        "signed_by_id": _l("Signed by"),
        "size": _l("Size"),
        "source": _l("Source"),
        "stage_id": _l("Stage"),
        "stage_kind": _l("Stage kind"),
        "stage_mode": _l("Stage mode"),
        "stage_position": _l("Stage"),
        "started_at": _l("Started at"),
        "started_by_id": _l("Started by"),
        "status": _l("Status"),
        "status_reason": _l("Reason for the status"),
        "statutory_days": _l("Statutory days"),
        "statutory_due_at": _l("Statutory due"),
        "statutory_flag": _l("Statutory flag"),
        "statutory_warn_at": _l("Statutory warning from"),
        "step_id": _l("Step"),
        "stored_name": _l("Stored name"),
        "summary": _l("Summary"),
        "supplement_deadline_at": _l("Supplement deadline"),
        "task_id": _l("Task"),
        "template_id": _l("Workflow template"),
        "text": _l("Text"),
        "title": _l("Title"),
        "uploaded_at": _l("Uploaded at"),
        "uploaded_by_id": _l("Uploaded by"),
        "user": _l("User"),
        "user_id": _l("User"),
        "username": _l("User name"),
        "users": _l("Users"),
        "uuid": _l("UUID"),
        "valid_until": _l("Valid until"),
        "version": _l("Version"),
        "view_menu_id": _l("Resource or menu"),
        "warn_at": _l("Warning from"),
        "workflow_id": _l("Workflow template"),
        "working_days": _l("Working days"),
        "year": _l("Year"),
        # details of an event
        "path": _l("Page"),
        "rows": _l("Rows"),
        "format": _l("Format"),
        "from": _l("From"),
        "to": _l("To"),
    },
)


def mapped_classes():
    return {mapper.class_.__name__: mapper.class_ for mapper in Model.registry.mappers}


def type_label(target_type):
    return labels.label("object_type", target_type)


def field_label(field):
    return labels.label("audit_field", field)


def value_label(target_type, field, value):
    """A recorded value in words: a code by its vocabulary, 是/否, Beijing time, "—"."""
    vocabulary = VOCABULARY_FIELDS.get((target_type, field))
    if vocabulary is not None and isinstance(value, str):
        return labels.label(vocabulary, value)
    if isinstance(value, str) and field.endswith(("_at", "_on")):
        try:
            return labels.local_time(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return labels.text([_item_label(item) for item in value])
    if isinstance(value, dict):
        return "; ".join(
            f"{field_label(key)}: {value_label(target_type, key, item)}"
            for key, item in value.items()
        )
    return labels.text(value)


def _item_label(item):
    """An item of a recorded collection (``{"id", "label"}``): its label."""
    if isinstance(item, dict):
        return item.get("label", item.get("id"))
    return item


def changes(event):
    """``[(field, label, before, after)]`` of every recorded field, in words."""
    return [
        (
            field,
            field_label(field),
            value_label(event.target_type, field, before),
            value_label(event.target_type, field, after),
        )
        for field, before, after in diff_rows(event.before, event.after)
    ]


def name_events(events):
    """Set ``object_name``, ``actor_name`` and ``details_text`` on each event, for a page
    of events at once (FAB's list and show pages read them as columns)."""
    objects = _objects_by_type(events)
    actors = _actors({event.user_id for event in events if event.user_id is not None})
    for event in events:
        found = objects.get(event.target_type, {}).get(event.target_id)
        if found is not None:
            event.object_name = found
        else:
            event.object_name = _recorded_name(event)
        actor = actors.get(event.user_id)
        event.actor_name = labels.person(actor) if actor is not None else event.username
        event.details_text = value_label(event.target_type, "details", event.details)
    return events


def _objects_by_type(events):
    wanted = {}
    for event in events:
        if event.target_type and event.target_id:
            wanted.setdefault(event.target_type, set()).add(event.target_id)
    classes = mapped_classes()
    names = {}
    for target_type, ids in wanted.items():
        model = classes.get(target_type)
        if model is not None:
            names[target_type] = _names_of(target_type, model, ids)
    return names


def _names_of(target_type, model, ids):
    """{target_id: name} of the rows of ``model`` among ``ids`` (one query)."""
    key_columns = model.__mapper__.primary_key
    if len(key_columns) != 1:
        return {}
    key = key_columns[0]
    keys = [_as_key(key, value) for value in ids]
    keys = [value for value in keys if value is not None]
    if not keys:
        return {}
    options = [selectinload(getattr(model, name)) for name in LOADS.get(target_type, ())]
    rows = db.session.scalars(select(model).where(key.in_(keys)).options(*options))
    namer = NAMERS.get(target_type, str)
    return {str(getattr(row, key.key)): namer(row) for row in rows}


def _as_key(column, value):
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return value
    try:
        return python_type(value)
    except (TypeError, ValueError):
        return None


def _actors(user_ids):
    if not user_ids:
        return {}
    rows = db.session.scalars(select(BureauUser).where(BureauUser.id.in_(user_ids)))
    return {user.id: user for user in rows}


def _recorded_name(event):
    """A deleted object's name from the values an event recorded, else its id."""
    for values in (event.before, event.after):
        for field in NAME_FIELDS:
            if isinstance(values, dict) and values.get(field):
                return RECORDED_NAMES.get(event.target_type, str)(str(values[field]))
    return f"#{event.target_id}" if event.target_id else labels.EMPTY
