"""Row scope: the one place that decides which rows a user may see or act on (DESIGN §5).

Every list, show, API, export and custom page asks here, through the FAB filters
at the bottom (for declarative views) or the ``*_clause`` functions (for queries
of our own). Rules:

- Supervisor, Inspector and the director (``oversees_all``) see every case.
- The service window sees every case: it receives them all, including those not
  yet accepted (registered, awaiting a supplement), which have no task yet.
- A Leader sees cases that have or had a task in a division they oversee, and
  every task assigned to them.
- Everyone else sees cases in which their own unit has or had a task (the window
  has a task in every case).
- Every reader of a case sees its whole route (all its tasks: stages, steps,
  units, status, dates), so the window can tell an applicant where it is; an
  intermediary sees only its own agency's tasks.
- Opinions: staff, heads, leaders, the Supervisor and the Inspector read every
  opinion of the cases they see; the window and intermediaries read only the
  opinions written on their own unit's tasks (:func:`opinion_clause`).
- Admin and UnitStaff see no case at all (separation of duties; petitions only).
- Supervision notices: the Supervisor, the Inspector and the director see all; a
  leader those on the units they oversee; staff and heads those on their unit or
  that reminded them (:func:`supervision_clause`). Extension requests likewise,
  plus the requester's own (:func:`extension_request_clause`).
- Messages (the outbox): each user their own; the Admin the whole outbox
  (:func:`notification_clause`).
- Statistics (app/stats/): the Supervisor, the Inspector and the director count
  every division; a leader the divisions they oversee; a head or staff member their
  own division; everyone else none (:func:`stats_division_ids`). Petition figures
  count the petitions :func:`petition_clause` lets the user read.

Petitions (信访件, DESIGN §5, 信访工作条例 2022):

- The petition office, the director, the leader overseeing the petition office, the
  Supervisor and the Inspector see every petition (:func:`sees_every_petition`).
- A county bureau, branch or division (its UnitStaff, Staff and head) sees the
  petitions assigned to it (a reassignment away ends that); a leader those assigned
  to a division they oversee. Everyone else sees none (404).
- A report or complaint against a unit (检举控告) is never shown to that unit, even
  if it were assigned there (the engine refuses that assignment anyway).
- The petitioner's identity and contacts are for the petition office alone
  (:func:`may_see_petitioner`); other readers get the facts of the petition.
"""

from flask import current_app
from flask_appbuilder.models.filters import BaseFilter
from sqlalchemy import and_, exists, false, or_, select, true

from app.models.cases import Case, CaseReader, Opinion, Permit, Task
from app.models.notification import Notification
from app.models.petitions import AssignmentStatus, ComplaintTarget, Petition, PetitionAssignment
from app.models.supervision import ExtensionRequest, SupervisionNotice, SupervisionRecipient

ALL_SEEING_ROLES = frozenset({"Supervisor", "Inspector"})
WINDOW = "Window"
CASE_BLIND_ROLES = frozenset({"Admin", "UnitStaff", "Public"})
LEADER = "Leader"
INTERMEDIARY = "Intermediary"
# Roles that read every opinion of the cases in their scope (DESIGN §5): a countersigning
# division needs the surveys and earlier reviews; the Supervisor and Inspector read all.
OPINION_READERS = frozenset({"Staff", "DivisionHead", LEADER, "Supervisor", "Inspector"})
PETITION_OFFICE = "PetitionOffice"
# Roles that read every petition (with the director and the petition office's leader).
PETITION_READERS = frozenset({PETITION_OFFICE, "Supervisor", "Inspector"})
# Roles whose own unit handles the petitions assigned to it.
PETITION_HANDLER_ROLES = frozenset({"UnitStaff", "Staff", "DivisionHead"})


def current_user():
    """The signed-in user of this request, by session cookie or JWT; None if anonymous."""
    user = current_app.appbuilder.sm.current_user
    return user if user is not None and user.is_authenticated else None


def sees_every_case(user):
    return bool(user) and (bool(ALL_SEEING_ROLES & user.role_names) or bool(user.oversees_all))


def scoped_division_ids(user):
    """The units whose cases and tasks the user sees (empty for case-blind users)."""
    if user is None:
        return set()
    ids = set()
    if LEADER in user.role_names:
        ids.update(division.id for division in user.overseen_divisions)
    if user.division_id and (user.role_names - CASE_BLIND_ROLES - {LEADER}):
        ids.add(user.division_id)
    return ids


def own_task_clause(user, task=Task):
    """Tasks of the user's scoped units, or assigned to them in person."""
    if user is None:
        return false()
    conditions = [task.assignee_id == user.id]
    division_ids = scoped_division_ids(user)
    if division_ids:
        conditions.append(task.division_id.in_(division_ids))
    return or_(*conditions)


def _case_has_own_task(user, case_id_column):
    """The case in ``case_id_column`` has or had a task of the user's units or assigned to
    them: one indexed probe of ``case_reader`` (kept in step with the tasks by
    app/workflow/readers.py), equal to searching the case's tasks with
    :func:`own_task_clause`."""
    readers = [CaseReader.user_id == user.id]
    division_ids = scoped_division_ids(user)
    if division_ids:
        readers.insert(0, CaseReader.division_id.in_(sorted(division_ids)))
    return exists().where(CaseReader.case_id == case_id_column, or_(*readers))


def sees_route(user):
    """Every reader of a case sees its route, except an intermediary (its own tasks only)."""
    return user is not None and INTERMEDIARY not in user.role_names


def task_clause(user, task=Task):
    """Tasks the user sees: their own, and every task of a case they read (the route)."""
    if user is None:
        return false()
    if sees_every_case(user):
        return true()
    if not sees_route(user):
        return own_task_clause(user, task)
    if WINDOW in user.role_names:
        return true()
    # An own task's case is in scope, so "own or on a case in scope" is "on a case in scope".
    return _case_has_own_task(user, task.case_id)


def case_clause(user, case=Case):
    """Cases the user sees: those with at least one visible task."""
    return case_id_clause(user, case.id)


def case_id_clause(user, case_id_column):
    """For cases and rows hanging off a case (opinions, permits, minutes...)."""
    if user is None:
        return false()
    if sees_every_case(user) or WINDOW in user.role_names:
        return true()
    return _case_has_own_task(user, case_id_column)


def reads_every_opinion(user):
    return user is not None and bool(OPINION_READERS & user.role_names)


def opinion_clause(user, opinion=Opinion):
    """The one rule for opinions, used by the case page, the timeline, the opinion API,
    exports and minutes: every opinion of a case in scope for staff, heads, leaders,
    the Supervisor and the Inspector; only those on their own unit's tasks otherwise."""
    if user is None:
        return false()
    in_scope = case_id_clause(user, opinion.case_id)
    if reads_every_opinion(user):
        return in_scope
    own_task = select(Task.id).where(Task.id == opinion.task_id, own_task_clause(user))
    return and_(in_scope, exists(own_task))


def may_see_applicant_contacts(user):
    """Intermediaries get the facts of their task, not ID numbers or phone numbers."""
    return user is not None and "Intermediary" not in user.role_names


def supervision_clause(user, notice=SupervisionNotice):
    """Notices the user sees: all (Supervisor, Inspector, director), those on the units
    they oversee or work in, and those that reminded them."""
    if user is None:
        return false()
    if sees_every_case(user):
        return true()
    reminded = exists(
        select(SupervisionRecipient.id).where(
            SupervisionRecipient.notice_id == notice.id, SupervisionRecipient.user_id == user.id
        )
    )
    division_ids = scoped_division_ids(user)
    if not division_ids:
        return reminded
    return or_(reminded, notice.division_id.in_(division_ids))


def extension_request_clause(user, request=ExtensionRequest):
    if user is None:
        return false()
    if sees_every_case(user):
        return true()
    division_ids = scoped_division_ids(user)
    own = request.requested_by_id == user.id
    return or_(own, request.division_id.in_(division_ids)) if division_ids else own


def notification_clause(user, notification=Notification):
    """A user's own messages; the Admin reads the whole outbox (delivery is theirs)."""
    if user is None:
        return false()
    if "Admin" in user.role_names:
        return true()
    return notification.recipient_id == user.id


def own_messages_clause(user, notification=Notification):
    """The inbox: the user's own messages, whoever they are (the Admin's too)."""
    return false() if user is None else notification.recipient_id == user.id


def stats_division_ids(user):
    """The divisions whose figures the user may count: ``None`` for every division
    (Supervisor, Inspector, director), else a set (a leader's overseen divisions, a head's
    or staff member's own; empty for everyone else)."""
    if user is None:
        return set()
    if sees_every_case(user):
        return None
    ids = set()
    if LEADER in user.role_names:
        ids.update(division.id for division in user.overseen_divisions)
    if user.division_id and {"Staff", "DivisionHead"} & user.role_names:
        ids.add(user.division_id)
    return ids


# ---------------------------------------------------------------- petitions


def petition_office_code():
    return current_app.config.get("PETITION_OFFICE_UNIT", "petition")


def sees_every_petition(user):
    """The petition office, the Supervisor, the Inspector, the director, and the leader
    overseeing the petition office."""
    if user is None:
        return False
    if PETITION_READERS & user.role_names or user.oversees_all:
        return True
    return LEADER in user.role_names and any(
        division.code == petition_office_code() for division in user.overseen_divisions
    )


def petition_unit_ids(user):
    """The units whose assigned petitions the user sees: their own unit (UnitStaff, Staff,
    heads), and for a leader the divisions they oversee."""
    if user is None:
        return set()
    ids = set()
    if LEADER in user.role_names:
        ids.update(division.id for division in user.overseen_divisions)
    if user.division_id and PETITION_HANDLER_ROLES & user.role_names:
        ids.add(user.division_id)
    return ids


def petition_clause(user, petition=Petition):
    """Petitions the user sees (pages, lists, API, exports, the case page's list)."""
    if user is None:
        return false()
    if sees_every_petition(user):
        return true()
    unit_ids = petition_unit_ids(user)
    if not unit_ids:
        return false()
    assigned = (
        select(PetitionAssignment.id)
        .where(
            PetitionAssignment.petition_id == petition.id,
            PetitionAssignment.unit_id.in_(unit_ids),
            PetitionAssignment.status != AssignmentStatus.WITHDRAWN.value,
        )
        .exists()
    )
    accused = (
        select(ComplaintTarget.id)
        .where(ComplaintTarget.petition_id == petition.id, ComplaintTarget.unit_id.in_(unit_ids))
        .exists()
    )
    return and_(assigned, ~accused)


def may_see_petitioner(user):
    """The petitioner's name, phone, ID number, address and the letter itself: the
    petition office only."""
    return user is not None and PETITION_OFFICE in user.role_names


class _ScopeFilter(BaseFilter):
    """Base of the FAB filters: ``base_filters = [["id", CaseScopeFilter, None]]``."""

    name = "scope"
    arg_name = None

    def clause(self, user):
        raise NotImplementedError

    def apply(self, query, value):
        return query.filter(self.clause(current_user()))


class CaseScopeFilter(_ScopeFilter):
    def clause(self, user):
        return case_clause(user)


class TaskScopeFilter(_ScopeFilter):
    def clause(self, user):
        return task_clause(user)


class OpinionScopeFilter(_ScopeFilter):
    def clause(self, user):
        return opinion_clause(user)


class PermitScopeFilter(_ScopeFilter):
    def clause(self, user):
        return case_id_clause(user, Permit.case_id)


class SupervisionScopeFilter(_ScopeFilter):
    def clause(self, user):
        return supervision_clause(user)


class ExtensionRequestScopeFilter(_ScopeFilter):
    def clause(self, user):
        return extension_request_clause(user)


class NotificationScopeFilter(_ScopeFilter):
    def clause(self, user):
        return notification_clause(user)


class InboxFilter(_ScopeFilter):
    def clause(self, user):
        return own_messages_clause(user)


class PetitionScopeFilter(_ScopeFilter):
    def clause(self, user):
        return petition_clause(user)
