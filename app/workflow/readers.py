"""Keeps the row-scope lookup table (``case_reader``) in step with the tasks, in the
flush that writes the tasks: the same transaction, whatever opened them.

:mod:`app.security.scope` reads the table to answer "may this user see this case" with
one indexed probe instead of searching the case's tasks. A task opened for a unit adds
the unit; a task given to a person (a leader's signature, a colleague) adds the person;
a task taken from a person removes them unless another task of the case is still
theirs. Tasks are never deleted, so a unit, once in, stays.
"""

from sqlalchemy import delete, event, exists, inspect, select
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models.cases import CaseReader, Task

INSERT_IGNORING_DUPLICATES = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
readers = CaseReader.__table__


def register_case_readers(session=db.session):
    if not event.contains(session, "after_flush", after_flush):
        event.listen(session, "after_flush", after_flush)


def after_flush(session, _flush_context):
    units, people, dropped = set(), set(), set()
    for task in session.new:
        if isinstance(task, Task):
            if task.division_id is not None:
                units.add((task.case_id, task.division_id))
            if task.assignee_id is not None:
                people.add((task.case_id, task.assignee_id))
    for task in session.dirty:
        if isinstance(task, Task):
            _changed_assignee(task, people, dropped)
    rows = [
        *({"case_id": c, "division_id": d, "user_id": None} for c, d in sorted(units)),
        *({"case_id": c, "division_id": None, "user_id": u} for c, u in sorted(people)),
    ]
    connection = session.connection()
    if rows:
        insert = INSERT_IGNORING_DUPLICATES[connection.dialect.name]
        connection.execute(insert(readers).on_conflict_do_nothing(), rows)
    for case_id, user_id in dropped - people:
        _drop_if_no_task(connection, case_id, user_id)


def _changed_assignee(task, people, dropped):
    state = inspect(task)
    relation, column = state.attrs.assignee.history, state.attrs.assignee_id.history
    if not (relation.has_changes() or column.has_changes()):
        return
    if task.assignee_id is not None:
        people.add((task.case_id, task.assignee_id))
    previous = [user.id for user in relation.deleted if user is not None]
    previous += [user_id for user_id in column.deleted if user_id is not None]
    dropped.update((task.case_id, user_id) for user_id in previous if user_id != task.assignee_id)


def _drop_if_no_task(connection, case_id, user_id):
    still_assigned = exists(
        select(Task.id).where(Task.case_id == case_id, Task.assignee_id == user_id)
    )
    connection.execute(
        delete(readers).where(
            readers.c.case_id == case_id, readers.c.user_id == user_id, ~still_assigned
        )
    )
