"""Meaningful permission names: FAB's per-method permissions collapsed per resource.

Every view and API of ours names its resource with ``class_permission_name`` and
maps its methods onto three actions: ``read``, ``write`` (edit the record) and
``act`` (run a workflow action). FAB prefixes them: ``can_read`` etc.
"""

READ = "read"
WRITE = "write"
ACT = "act"

MODEL_VIEW_METHODS = {
    "list": READ,
    "show": READ,
    "download": READ,
    "api": READ,
    "api_read": READ,
    "api_get": READ,
    "api_column_add": WRITE,
    "api_column_edit": WRITE,
    "api_create": WRITE,
    "api_update": WRITE,
    "api_delete": WRITE,
    "add": WRITE,
    "edit": WRITE,
    "delete": WRITE,
    "action": WRITE,
    "action_post": WRITE,
}

REST_API_METHODS = {
    "get": READ,
    "get_list": READ,
    "info": READ,
    "post": WRITE,
    "put": WRITE,
    "delete": WRITE,
}


def perm(action):
    """The FAB permission name for one of our actions."""
    return f"can_{action}"


class Resource:
    """Resource names shared by a resource's HTML view and its REST API."""

    DIVISION = "Division"
    USER = "User"
    DIRECTORY = "DirectoryEntry"
    CASE = "Case"
    TIMELINE = "CaseTimeline"  # a case's timeline page (read)
    PROGRESS = "CaseProgress"  # the progress table 办理情况表 (read; its export too)
    TASK = "Task"
    DIVISION_QUEUE = "DivisionQueue"  # a head's unassigned open tasks of the division
    OPINION = "Opinion"
    PERMIT = "Permit"
    CALENDAR = "CalendarDay"
    CALENDAR_YEAR = "CalendarYear"
    CALENDAR_PASTE = "CalendarPaste"  # publishing a year's pasted list (write only)
    AUDIT = "AuditEvent"
    MATTER = "Matter"
    WORKFLOW = "Workflow"
    DISCLOSURE = "Disclosure"
    SUPERVISION = "SupervisionNotice"  # read; write: issue and close (Supervisor); act: answer
    EXTENSION_REQUEST = "ExtensionRequest"  # read; act: ask (handlers); write: decide (leaders)
    CARDS = "SupervisionCards"  # the cards table
    NOTIFICATION = "Notification"  # a user's own messages; act: mark as read
    OUTBOX = "Outbox"  # the whole outbox (Admin); write: retry
    PROFILE = "Profile"  # the user's contacts, language and channels
    PORTAL = "Portal"  # the public portal: read its pages, act = rate a case
    PETITION = "Petition"
    PETITION_CATEGORY = "PetitionCategory"
    CASE_STATS = "CaseStatistics"  # case figures, dashboards and exports (read)
    PETITION_STATS = "PetitionStatistics"  # petition figures, dashboard and export (read)
