"""Who is "the handler", "the head", "the overseeing leader" of a unit's work.

SQL clauses (for the set-based scan) and the same rules as queries (for one
task at a time: a supervision notice, an extension request):

- the handler of a task is its assignee; an unassigned task's handlers are the
  unit's staff (Staff, Window, Intermediary users of the task's unit);
- the heads are the unit's DivisionHead users;
- the overseeing leaders are the leaders who oversee (分管) the unit; a unit no
  deputy oversees falls to the director (``oversees_all``);
- the supervision post is every Supervisor user.
"""

from flask_appbuilder.security.sqla.models import Role, assoc_user_role
from sqlalchemy import and_, exists, or_, select

from app.extensions import db
from app.models.org import leader_oversight
from app.models.user import BureauUser

STAFF_ROLES = ("Staff", "Window", "Intermediary")
HEAD_ROLE = "DivisionHead"
LEADER_ROLE = "Leader"
SUPERVISOR_ROLE = "Supervisor"


def has_role(user, *names):
    """SQL: ``user`` (a BureauUser alias) holds one of the roles ``names``."""
    return exists(
        select(assoc_user_role.c.user_id)
        .join(Role, Role.id == assoc_user_role.c.role_id)
        .where(assoc_user_role.c.user_id == user.id, Role.name.in_(names))
    )


def unit_staff_clause(user, division_id):
    return and_(user.division_id == division_id, has_role(user, *STAFF_ROLES))


def handler_clause(user, assignee_id, division_id):
    """SQL: ``user`` handles a task with that assignee (column) and unit."""
    return or_(
        user.id == assignee_id,
        and_(assignee_id.is_(None), unit_staff_clause(user, division_id)),
    )


def head_clause(user, division_id):
    return and_(user.division_id == division_id, has_role(user, HEAD_ROLE))


def leader_clause(user, division_id):
    """SQL: ``user`` oversees the unit; the director when no deputy does."""
    oversees = exists(
        select(leader_oversight.c.user_id).where(
            leader_oversight.c.user_id == user.id, leader_oversight.c.division_id == division_id
        )
    )
    overseen_by_someone = exists(
        select(leader_oversight.c.user_id).where(leader_oversight.c.division_id == division_id)
    )
    return and_(
        has_role(user, LEADER_ROLE),
        or_(oversees, and_(user.oversees_all.is_(True), ~overseen_by_someone)),
    )


def supervisor_clause(user):
    return has_role(user, SUPERVISOR_ROLE)


# ---------------------------------------------------------------- one task at a time


def _users(condition):
    return (
        db.session.query(BureauUser)
        .filter(BureauUser.active.is_(True), condition)
        .order_by(BureauUser.id)
        .all()
    )


def handlers_of(task):
    if task.assignee_id is not None:
        return [task.assignee] if task.assignee.active else []
    if task.division_id is None:
        return []
    return _users(unit_staff_clause(BureauUser, task.division_id))


def heads_of(division_id):
    if division_id is None:
        return []
    return _users(head_clause(BureauUser, division_id))


def leaders_of(division_id):
    if division_id is None:
        return []
    return _users(leader_clause(BureauUser, division_id))


def supervisors():
    return _users(supervisor_clause(BureauUser))
