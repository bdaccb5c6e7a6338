"""Translated labels for the reason codes of a due date's trace (the codes stay stable)."""

from flask_babel import lazy_gettext as _l

from app.calendar.workdays import Reason

REASON_LABELS = {
    Reason.START_NOT_COUNTED: _l("Start day (not counted)"),
    Reason.WEEKEND: _l("Weekend (skipped)"),
    Reason.HOLIDAY: _l("Public holiday (skipped)"),
    Reason.ADJUSTED_WORKDAY: _l("Adjusted workday (counted)"),
    Reason.WORKING_DAY: _l("Working day (counted)"),
    Reason.UNPUBLISHED_YEAR: _l("Calendar of this year not published yet: weekends only"),
}


def reason_label(reason):
    """The label of a reason code (a ``Reason`` or its string value)."""
    return REASON_LABELS[Reason(reason)]
