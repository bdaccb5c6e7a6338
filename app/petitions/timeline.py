"""A petition's timeline: every step, oldest first, for the page and the API.

Nothing here names the petitioner: events carry the petition's own facts, and every free
text goes through :func:`~app.petitions.protection.shield` for the reader. Links to other
petitions appear only when the reader may see them.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.labels import iso_utc
from app.models.petitions import Petition
from app.petitions.protection import shield
from app.security.scope import petition_clause
from app.workflow.timeline_chart import Line, Step


def events(petition, user):
    """Dicts ``{"at", "event", "by", ...details}`` (``at`` naive UTC), oldest first."""
    show = shield(petition, user)
    found = [_event(petition.registered_at, "registered", petition.registered_by)]
    if petition.decided_at:
        found.append(
            _event(
                petition.decided_at,
                {"accept": "accepted", "not_accept": "not_accepted", "transfer": "transferred"}[
                    petition.decision
                ],
                petition.decided_by,
                reason=show(petition.decision_reason),
                transfer_to=petition.transfer_to,
                handle_due=petition.handle_due if petition.decision == "accept" else None,
            )
        )
    for assignment in petition.assignments:
        found.append(
            _event(
                assignment.assigned_at,
                "assigned",
                assignment.assigned_by,
                unit=assignment.unit,
                lead=assignment.lead,
                due_at=assignment.due_at,
                instructions=show(assignment.instructions),
            )
        )
        if assignment.withdrawn_at:
            found.append(
                _event(
                    assignment.withdrawn_at,
                    "withdrawn",
                    assignment.withdrawn_by,
                    unit=assignment.unit,
                    reason=show(assignment.withdrawal_reason),
                )
            )
    for feedback in petition.feedback:
        found.append(
            _event(
                feedback.submitted_at,
                "feedback",
                feedback.submitted_by,
                unit=feedback.unit,
                lead=feedback.lead,
                text=show(feedback.text),
            )
        )
    for review in petition.reviews:
        found.append(
            _event(
                review.reviewed_at,
                "reviewed",
                review.reviewed_by,
                decision=review.decision,
                reason=show(review.reason),
            )
        )
    for extension in petition.extensions:
        found.append(
            _event(
                extension.approved_at,
                "extended",
                extension.approved_by,
                days=extension.days,
                reason=show(extension.reason),
                new_due=extension.new_due,
            )
        )
    if petition.closed_at:
        found.append(
            _event(
                petition.closed_at,
                "closed",
                petition.closed_by,
                result=show(petition.result),
                satisfaction=petition.satisfaction,
            )
        )
    for follow_up in petition.follow_ups:
        found.append(_event(follow_up.opened_at, "follow_up_opened", due_at=follow_up.due_at))
        if follow_up.done_at:
            found.append(
                _event(
                    follow_up.done_at,
                    "follow_up_done",
                    follow_up.done_by,
                    outcome=show(follow_up.outcome),
                    satisfaction=follow_up.satisfaction,
                )
            )
    found += _links(petition, user)
    found.sort(key=lambda event: event["at"])  # stable: ties keep their causal order
    return found


def _links(petition, user):
    earlier_ids = [link.earlier_id for link in petition.links if link.earlier_id]
    visible = set()
    if earlier_ids:
        visible = set(
            db.session.scalars(
                select(Petition.id).where(Petition.id.in_(earlier_ids), petition_clause(user))
            )
        )
    found = []
    for link in petition.links:
        if link.earlier_id and link.earlier_id in visible:
            found.append(
                _event(link.linked_at, "linked_repeat", link.linked_by, earlier=link.earlier.number)
            )
        elif link.case_id:
            found.append(
                _event(link.linked_at, "linked_case", link.linked_by, case=link.case.receipt_no)
            )
    return found


def _event(at, event, by=None, **details):
    return {"at": at, "event": event, "by": by, **details}


def as_json(found):
    """The API's form: moments as ISO UTC with Z, people by username, units by code."""
    result = []
    for event in found:
        row = {}
        for key, value in event.items():
            if key in ("at", "due_at", "handle_due", "new_due"):
                row[key] = iso_utc(value)
            elif key == "by":
                row[key] = value.username if value is not None else None
            elif key == "unit":
                row[key] = value.code if value is not None else None
            else:
                row[key] = value
        result.append(row)
    return result


def chart_rows(petition):
    """The petition's periods and assignments as rows of a timeline chart
    (:func:`app.workflow.timeline_chart.chart_of`), with its handling due lines."""
    rows = [
        Step(
            id=0,
            stage_position=1,
            name=_("Acceptance period"),
            division=None,
            opened_at=petition.registered_at,
            due_at=petition.accept_due,
            done_at=petition.decided_at,
            status="done" if petition.decided_at else "open",
        )
    ]
    if petition.accepted_at and petition.handle_due:
        first_due = petition.extensions[0].previous_due if petition.extensions else None
        rows.append(
            Step(
                id=-1,
                stage_position=2,
                name=_("Handling period"),
                division=None,
                opened_at=petition.accepted_at,
                due_at=first_due or petition.handle_due,
                done_at=petition.closed_at,
                status="done" if petition.closed_at else "open",
            )
        )
    for assignment in petition.assignments:
        withdrawn = assignment.withdrawn_at is not None
        rows.append(
            Step(
                id=assignment.id,
                stage_position=3,
                name=_("Lead unit") if assignment.lead else _("Co-handling unit"),
                division=assignment.unit,
                opened_at=assignment.assigned_at,
                due_at=assignment.due_at,
                done_at=assignment.answered_at,
                status="cancelled" if withdrawn else ("done" if assignment.answered_at else "open"),
                ended_at=assignment.withdrawn_at,
            )
        )
    lines = []
    if petition.handle_due:
        if petition.extensions:
            lines.append(Line(petition.extensions[0].previous_due))
            lines += [Line(extension.new_due, extension) for extension in petition.extensions]
        else:
            lines.append(Line(petition.handle_due))
    return rows, lines
