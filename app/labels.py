"""The one place that turns stored values into the user's words (STYLE: labels, not values).

Codes stay stable in the database and the API; every page, filter, export and
API ``label`` field shows them through here: enumerations by *vocabulary*
(``label("case_status", "in_progress")`` → 办理中), booleans as 是/否, empty
values as "—", people in Chinese name order, units by name, roles by their
translated name, and moments in Beijing time to the minute.

A new enumeration registers its vocabulary with :func:`register`, next to the
enumeration itself or here; pages and filters then get labels and choices for free.
"""

from datetime import UTC, date, datetime

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.audit import actions
from app.calendar.workdays import TZ
from app.models.calendar import DAY_KIND_LABELS, SOURCE_LABELS
from app.models.org import DIVISION_KIND_LABELS

EMPTY = "—"

VOCABULARIES = {
    "case_status": {
        "received": _l("Received"),
        "in_progress": _l("In progress"),
        "suspended": _l("Suspended"),
        "supplement_requested": _l("Supplement requested"),
        "approved": _l("Approved"),
        "rejected": _l("Rejected"),
        "not_accepted": _l("Not accepted"),
        "released": _l("Released"),
        "withdrawn": _l("Withdrawn"),
    },
    "task_status": {
        "open": _l("Open"),
        "done": _l("Done"),
        "cancelled": _l("Cancelled"),
    },
    "permit_status": {
        "draft": _l("Draft"),
        "issued": _l("Issued"),
        "released": _l("Released"),
        "revoked": _l("Revoked"),
        "expired": _l("Expired"),
    },
    "permit_kind": {
        "approval": _l("Approval document"),
        "land_certificate": _l("Land-use certificate"),
        "licence": _l("Licence"),
    },
    "flag": {"normal": _l("On time"), "warning": _l("Warning"), "overdue": _l("Overdue")},
    "decision": {
        "approve": _l("Approve"),
        "disagree": _l("Disagree"),
        "return": _l("Return"),
        "reject": _l("Reject"),
    },
    "opinion_kind": {
        "review": _l("Review"),
        "countersign": _l("Countersign"),
        "sign": _l("Leader signature"),
    },
    "suspension_kind": {
        "expert_review": _l("Expert review"),
        "hearing": _l("Hearing"),
        "public_notice": _l("Public notice"),
        "applicant_payment": _l("Applicant payment"),
        "government_approval": _l("Government approval"),
        "appraisal": _l("Appraisal"),
        "uncounted_step": _l("Step outside the time limit"),
    },
    # 好差评 of a case and a petitioner's satisfaction: the same five levels
    "satisfaction": {
        "very_satisfied": _l("Very satisfied"),
        "satisfied": _l("Satisfied"),
        "basically_satisfied": _l("Basically satisfied"),
        "dissatisfied": _l("Dissatisfied"),
        "very_dissatisfied": _l("Very dissatisfied"),
    },
    "stage_mode": {
        "single": _l("Single or parallel (each step on its own)"),
        "countersign": _l("Countersign (all sign at once)"),
        "sequence": _l("Sequence (one after another)"),
    },
    "step_kind": {
        "receipt": _l("Receipt"),
        "review": _l("Review"),
        "survey": _l("Survey"),
        "external": _l("External department"),
        "payment": _l("Applicant payment"),
        "draft_permit": _l("Draft the permit"),
        "sign": _l("Leader signature"),
        "release": _l("Release"),
    },
    "matter_category": {
        "licence": _l("Administrative licence"),
        "non_licence": _l("Non-licence approval"),
        "penalty": _l("Administrative penalty"),
        "enforcement": _l("Administrative enforcement"),
        "levy": _l("Administrative levy"),
        "public_service": _l("Public service"),
    },
    # Supervision (督办) and notifications (app/supervision, app/notify)
    "delay_reason": {
        "awaiting_applicant": _l("Awaiting the applicant"),
        "awaiting_department": _l("Awaiting another department"),
        "field_survey": _l("Field survey"),
        "complex_case": _l("Complex case"),
        "staff_absence": _l("Staff absence"),
        "system_fault": _l("System fault"),
        "other": _l("Other"),
    },
    "timeline_day": {
        "working": _l("Working day"),
        "adjusted": _l("Adjusted workday"),
        "weekend": _l("Weekend"),
        "holiday": _l("Public holiday"),
    },
    "timeline_event": {
        "received": _l("Received at the window"),
        "accepted": _l("Accepted: the promised clock starts"),
        "task_opened": _l("Step opened"),
        "opinion": _l("Opinion signed"),
        "returned": _l("Returned to the previous stage"),
        "suspended": _l("Suspended"),
        "resumed": _l("Resumed"),
        "extended": _l("Extended"),
        "supplement_requested": _l("Supplement requested"),
        "supplement_received": _l("Supplement received"),
        "supervision_notice": _l("Supervision notice"),
        "notice_answered": _l("Supervision notice answered"),
        "card": _l("Supervision card"),
        "reminder": _l("Reminders sent"),
        "finished": _l("Finished"),
    },
    "card_kind": {"yellow": _l("Yellow card"), "red": _l("Red card")},
    "card_cause": {
        "task_overdue": _l("Task past its limit"),
        "case_overdue": _l("Case past its promised limit"),
        "repeated_yellow": _l("Repeated yellow cards in a month"),
    },
    "notice_status": {
        "open": _l("Awaiting answer"),
        "answered": _l("Answered"),
        "closed": _l("Closed"),
    },
    "supervision_target": {"task": _l("Task"), "case": _l("Case")},
    "recipient_role": {"handler": _l("Handler"), "head": _l("Head of division")},
    "extension_request_status": {
        "pending": _l("Awaiting approval"),
        "approved": _l("Approved"),
        "refused": _l("Refused"),
    },
    "notification_channel": {"inapp": _l("In-app"), "email": _l("Email"), "sms": _l("SMS")},
    "notification_status": {
        "pending": _l("Waiting"),
        "sent": _l("Sent"),
        "failed": _l("Failed"),
    },
    "notification_reason": {
        "warning": _l("Warning"),
        "overdue": _l("Overdue"),
        "escalation": _l("Overdue, escalated"),
        "digest": _l("Daily digest"),
        "supervision": _l("Supervision notice"),
        "supervision_answer": _l("Answer to a supervision notice"),
        "supervision_closed": _l("Supervision notice closed"),
        "card": _l("Supervision card"),
        "extension_request": _l("Extension request"),
        "extension_decision": _l("Extension decision"),
        "status_change": _l("Status change"),
        "petition": _l("Petition"),
    },
    "language": {"zh": _l("Simplified Chinese"), "en": _l("English")},
    "division_kind": {kind.value: label for kind, label in DIVISION_KIND_LABELS.items()},
    "day_kind": {kind.value: label for kind, label in DAY_KIND_LABELS.items()},
    "petition_status": {
        "registered": _l("Registered, acceptance to decide"),
        "accepted": _l("Accepted, to assign"),
        "assigned": _l("Assigned"),
        "in_progress": _l("Being handled"),
        "feedback_submitted": _l("Answered, to review"),
        "returned": _l("Answer returned"),
        "reviewed": _l("Answer accepted, to close"),
        "closed": _l("Closed"),
        "not_accepted": _l("Not accepted"),
        "transferred": _l("Transferred"),
    },
    "petition_channel": {
        "letter": _l("Letter"),
        "visit": _l("Visit"),
        "online": _l("Online"),
        "phone": _l("Phone call"),
        "email": _l("Email"),
    },
    "acceptance_decision": {
        "accept": _l("Accept"),
        "not_accept": _l("Do not accept"),
        "transfer": _l("Transfer to the competent authority"),
    },
    "review_decision": {
        "accept": _l("Accept the answer"),
        "return": _l("Return the answer"),
    },
    "assignment_status": {
        "open": _l("Handling"),
        "answered": _l("Answered"),
        "withdrawn": _l("Withdrawn"),
    },
    "follow_up_status": {"open": _l("To visit"), "done": _l("Visited")},
    "petition_event": {
        "registered": _l("Registered"),
        "accepted": _l("Accepted for handling"),
        "not_accepted": _l("Not accepted"),
        "transferred": _l("Transferred"),
        "assigned": _l("Assigned"),
        "withdrawn": _l("Assignment withdrawn"),
        "feedback": _l("Answered"),
        "reviewed": _l("Answer reviewed"),
        "extended": _l("Handling limit extended"),
        "closed": _l("Closed"),
        "follow_up_opened": _l("Follow-up visit opened"),
        "follow_up_done": _l("Follow-up visit done"),
        "linked_repeat": _l("Linked as a repeat petition"),
        "linked_case": _l("Linked to a case"),
    },
    "petition_attachment_kind": {
        "evidence": _l("Evidence"),
        "feedback": _l("Attached to an answer"),
    },
    "calendar_source": {source.value: label for source, label in SOURCE_LABELS.items()},
    # A boolean in a search form: 是/否 (FAB's filters read "y" as true).
    "boolean": {"y": _l("Yes"), "n": _l("No")},
    "audit_action": {
        actions.CREATE: _l("Create"),
        actions.UPDATE: _l("Update"),
        actions.DELETE: _l("Delete"),
        actions.LOGIN: _l("Login"),
        actions.LOGIN_FAILED: _l("Failed login"),
        actions.EXPORT: _l("Export"),
        actions.DENIED: _l("Access denied"),
        actions.TRANSITION: _l("Workflow transition"),
        actions.ANCHOR: _l("Daily anchor"),
    },
    # Mapped classes by name, for the audit trail and the permission screens: a page
    # never names a class (BureauUser, CaseMaterial).
    "object_type": {
        "ApiKey": _l("API key"),
        "Attachment": _l("Attachment"),
        "AuditAnchor": _l("Audit anchor"),
        "AuditEvent": _l("Audit event"),
        "BureauUser": _l("User"),
        "CalendarDay": _l("Calendar day"),
        "CalendarYear": _l("Calendar year"),
        "Case": _l("Case"),
        "CaseMaterial": _l("Case material"),
        "DisclosureCategory": _l("Disclosure category"),
        "DisclosureItem": _l("Disclosure item"),
        "Division": _l("Unit"),
        "Extension": _l("Extension"),
        "Group": _l("User group"),
        "Matter": _l("Matter"),
        "Minutes": _l("Minutes"),
        "Notification": _l("Notification"),
        "NumberSequence": _l("Number sequence"),
        "Opinion": _l("Opinion"),
        "Permission": _l("Permission"),
        "PermissionView": _l("Permission on a resource"),
        "Permit": _l("Permit"),
        "RegisterUser": _l("Registration request"),
        "RequiredDocument": _l("Required document"),
        "Role": _l("Role"),
        "Suspension": _l("Suspension"),
        "Task": _l("Task"),
        "User": _l("User"),
        "ViewMenu": _l("Resource or menu"),
        "WorkflowStage": _l("Workflow stage"),
        "WorkflowStep": _l("Workflow step"),
        "WorkflowTemplate": _l("Workflow template"),
        "Card": _l("Supervision card"),
        "CaseRating": _l("Applicant's rating"),
        "CaseReader": _l("Case reader"),
        "ComplaintTarget": _l("Target of a complaint"),
        "ExtensionRequest": _l("Extension request"),
        "Petition": _l("Petition"),
        "PetitionAssignment": _l("Petition assignment"),
        "PetitionAttachment": _l("Petition attachment"),
        "PetitionCategory": _l("Petition category"),
        "PetitionExtension": _l("Petition extension"),
        "PetitionFeedback": _l("Petition answer"),
        "PetitionFollowUp": _l("Follow-up visit"),
        "PetitionLink": _l("Petition link"),
        "PetitionReview": _l("Review of an answer"),
        "SupervisionNotice": _l("Supervision notice"),
        "SupervisionRecipient": _l("Recipient of a supervision notice"),
    },
    # Permission resources that are not menu entries (menus are named by their label).
    "resource": {
        "AuditEvent": _l("Audit trail"),
        "CalendarDay": _l("Working-day calendar"),
        "CalendarPaste": _l("Publishing a year's calendar"),
        "CalendarYear": _l("Calendar years"),
        "Case": _l("Cases"),
        "CaseTimeline": _l("Case timeline"),
        "CaseProgress": _l("Progress table"),
        "DirectoryEntry": _l("Bureau directory"),
        "Disclosure": _l("Disclosure catalog"),
        "Division": _l("Divisions and units"),
        "Matter": _l("Matter catalog"),
        "Opinion": _l("Opinions"),
        "Permit": _l("Permits"),
        "Task": _l("Tasks"),
        "User": _l("Users"),
        "Workflow": _l("Workflow templates"),
        "DivisionQueue": _l("Division queue"),
        "ExtensionRequest": _l("Extension requests"),
        "Notification": _l("Messages"),
        "Petition": _l("Petitions"),
        "PetitionCategory": _l("Petition categories"),
        "Portal": _l("Public portal"),
        "Profile": _l("My profile"),
        "SupervisionCards": _l("Supervision cards"),
        "SupervisionNotice": _l("Supervision notices"),
        "CaseStatistics": _l("Case statistics"),
        "PetitionStatistics": _l("Petition statistics"),
        "AuthDBView": _l("Sign-in page"),
        "HomeView": _l("Home page"),
        "LocaleView": _l("Language switch"),
        "MenuApi": _l("Menu (API)"),
        "OpenApi": _l("API description"),
        "SwaggerView": _l("API explorer"),
        "SecurityApi": _l("Sign-in (API)"),
        "UtilView": _l("Back link"),
        "SunshineUserDBModelView": _l("Users"),
        "RoleModelView": _l("Roles"),
        "UserGroupModelView": _l("User groups"),
        "PermissionModelView": _l("Base permissions"),
        "ViewMenuModelView": _l("Resources and menus"),
        "PermissionViewModelView": _l("Permissions on resources"),
        "ResetPasswordView": _l("Reset a user's password"),
        "ResetMyPasswordView": _l("Change my password"),
        "UserInfoEditView": _l("Edit my profile"),
    },
    "permission": {
        "can_read": _l("read"),
        "can_write": _l("edit"),
        "can_act": _l("act"),
        "menu_access": _l("menu entry"),
        "can_list": _l("list"),
        "can_show": _l("show"),
        "can_add": _l("add"),
        "can_edit": _l("edit"),
        "can_delete": _l("delete"),
        "can_get": _l("read"),
        "can_info": _l("read form information"),
        "can_post": _l("create"),
        "can_put": _l("change"),
        "can_userinfo": _l("my profile"),
        "can_this_form_get": _l("open the form"),
        "can_this_form_post": _l("submit the form"),
        "can_chart": _l("chart"),
        "copyrole": _l("copy a role"),
        "resetmypassword": _l("change my password"),
        "resetpasswords": _l("reset passwords"),
        "userinfoedit": _l("edit my profile"),
    },
    "role": {
        "Admin": _l("System administrator"),
        "Window": _l("Service window"),
        "Staff": _l("Division staff"),
        "DivisionHead": _l("Head of division"),
        "Leader": _l("Bureau leader"),
        "Supervisor": _l("Supervision post"),
        "Inspector": _l("Discipline inspection"),
        "Intermediary": _l("Intermediary agency"),
        "PetitionOffice": _l("Petition office"),
        "UnitStaff": _l("County bureau or branch staff"),
        "Public": _l("Public"),
    },
}


def register(vocabulary, labels):
    """Add (or extend) a vocabulary: ``{code: lazy label}``."""
    VOCABULARIES.setdefault(vocabulary, {}).update(labels)


def label(vocabulary, value):
    """The label of a code; an unknown code shows as itself, an empty one as "—"."""
    if value is None or value == "":
        return EMPTY
    text = VOCABULARIES[vocabulary].get(str(value))
    return str(text) if text is not None else str(value)


def choices(vocabulary, only=None):
    """``[(code, label)]`` in the vocabulary's order, for select fields and filters."""
    return [
        (code, str(text))
        for code, text in VOCABULARIES[vocabulary].items()
        if only is None or code in only
    ]


def labeller(vocabulary):
    """A one-argument formatter for FAB's ``formatters_columns``."""

    def format_value(value):
        return label(vocabulary, value)

    format_value.__name__ = f"{vocabulary}_label"
    return format_value


def stage_mode(mode, steps=1):
    """How a stage runs, in words: a ``single`` stage of one step is handled by one unit,
    a ``single`` stage of several steps runs them in parallel."""
    if str(mode) == "single":
        if steps > 1:
            return str(_l("Parallel (steps at the same time)"))
        return str(_l("Single (one step)"))
    return label("stage_mode", mode)


def yes_no(value):
    if value is None:
        return EMPTY
    return str(_l("Yes")) if value else str(_l("No"))


def text(value):
    """Any value as text; None and "" as "—", booleans as 是/否, moments in Beijing time,
    a list as its items joined with "、"."""
    if isinstance(value, bool):
        return yes_no(value)
    if value is None or value == "":
        return EMPTY
    if isinstance(value, Markup):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return "、".join(text(item) for item in value) or EMPTY
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def masked_address(address):
    """A delivery address as an operator may see it: 138****5678, z***@example.gov.cn.
    Whoever reads the outbox learns that a message went out and roughly where, not a
    petitioner's or an applicant's number."""
    address = (address or "").strip()
    if not address:
        return EMPTY
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(address) > 7:
        return f"{address[:3]}{'*' * (len(address) - 7)}{address[-4:]}"
    return "*" * len(address)


def person(user):
    """A user as people name them: family name first (张涛); "—" for nobody."""
    if user is None:
        return EMPTY
    name = f"{user.last_name or ''}{user.first_name or ''}".strip()
    return name or user.username


def unit(division):
    return division.display_name if division is not None else EMPTY


def role(name):
    return label("role", getattr(name, "name", name))


def resource(name):
    """A permission resource in words: a view's resource, or a menu entry by its label."""
    if name in VOCABULARIES["resource"]:
        return label("resource", name)
    appbuilder = getattr(current_app, "appbuilder", None) if has_app_context() else None
    item = appbuilder.menu.find(name) if appbuilder is not None else None
    if item is not None and item.label:
        return str(item.label)
    return name


def permission(permission_view):
    """A permission on a resource in words: "查看 · 办件"."""
    action = label("permission", permission_view.permission.name)
    return f"{action} · {resource(permission_view.view_menu.name)}"


def role_list(roles):
    """FAB role rows by their translated names, joined with "、"."""
    return "、".join(role(r.name) for r in sorted(roles, key=lambda r: r.name)) or EMPTY


def roles(user):
    return role_list(user.roles)


def permission_list(permission_views):
    """Permissions on resources, one a line (show pages keep the line breaks)."""
    return "\n".join(sorted(permission(pv) for pv in permission_views)) or EMPTY


def as_beijing(value):
    """A naive-UTC database moment (or an aware one) as an aware Beijing moment."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(TZ)


def as_utc(value):
    """An aware moment as the naive UTC the database stores."""
    return value.astimezone(UTC).replace(tzinfo=None)


def local_time(value):
    """A database moment as Beijing time to the minute: 2026-03-02 09:00."""
    if value is None:
        return EMPTY
    if not isinstance(value, datetime):
        return text(value)
    return as_beijing(value).strftime("%Y-%m-%d %H:%M")


def local_date(value):
    if value is None:
        return EMPTY
    if isinstance(value, datetime):
        return as_beijing(value).strftime("%Y-%m-%d")
    return value.isoformat()


def iso_utc(value):
    """For the API: ISO 8601 with its zone (``2026-03-02T01:00:00Z``); None stays None."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


def html_label(vocabulary, value, css=None):
    """A Bootstrap label span, for flags and statuses in pages."""
    classes = css or {}
    style = classes.get(value, "default")
    return Markup('<span class="label label-{}">{}</span>').format(
        style, escape(label(vocabulary, value))
    )


FLAG_STYLES = {"normal": "success", "warning": "warning", "overdue": "danger"}
CARD_STYLES = {"yellow": "warning", "red": "danger"}


def register_template_filters(app):
    """Jinja filters of the same functions: ``{{ case.status | label('case_status') }}``."""
    app.jinja_env.filters.update(
        label=lambda value, vocabulary: label(vocabulary, value),
        local_time=local_time,
        local_date=local_date,
        yes_no=yes_no,
        text=text,
        person=person,
        unit=unit,
        role=role,
    )
    app.jinja_env.globals.update(
        label_choices=choices,
        stage_mode=stage_mode,
        flag_html=lambda value: html_label("flag", value, FLAG_STYLES),
        card_html=lambda value: html_label("card_kind", value, CARD_STYLES),
    )
