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
"""

from flask import current_app
from flask_appbuilder.models.filters import BaseFilter
from sqlalchemy import and_, exists, false, or_, select, true

from app.models.cases import Case, CaseReader, Opinion, Permit, Task

ALL_SEEING_ROLES = frozenset({"Supervisor", "Inspector"})
WINDOW = "Window"
CASE_BLIND_ROLES = frozenset({"Admin", "UnitStaff", "Public"})
LEADER = "Leader"
INTERMEDIARY = "Intermediary"
# Roles that read every opinion of the cases in their scope (DESIGN §5): a countersigning
# division needs the surveys and earlier reviews; the Supervisor and Inspector read all.
OPINION_READERS = frozenset({"Staff", "DivisionHead", LEADER, "Supervisor", "Inspector"})


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
