"""Cases at chosen moments, users by name, and the outbox as the tests read it."""

from datetime import datetime

from app.extensions import db
from app.models.cases import Task
from app.models.notification import Notification
from app.models.user import BureauUser
from app.workflow import receipts

MONDAY_10AM = datetime(2026, 3, 2, 2, 0)  # Beijing 10:00, Monday 2 March 2026
# GD-01's stage 2 (landuse, 3 working days) opens at receipt: due Thursday 5 March 23:59.
THURSDAY_9AM = datetime(2026, 3, 5, 1, 0)  # warning
FRIDAY_9AM = datetime(2026, 3, 6, 1, 0)  # overdue by 1 working day
NEXT_THURSDAY_9AM = datetime(2026, 3, 12, 1, 0)  # overdue by 5 working days


def user(username):
    return db.session.query(BureauUser).filter_by(username=username).one()


def receive(matter, at=MONDAY_10AM, phone="13805140001", **fields):
    data = {
        "matter": matter.code,
        "applicant_name": "王五",
        "applicant_phone": phone,
        "decision": "accept",
        "materials": [d.id for d in matter.required_documents],
        **fields,
    }
    return receipts.receive(receipts.parse_application(data), user("window1"), at=at)


def open_task(case):
    return db.session.query(Task).filter_by(case_id=case.id, status="open").one()


def messages(**filters):
    query = db.session.query(Notification).filter_by(**filters)
    return query.order_by(Notification.id).all()


def recipients(reason, channel="inapp"):
    return sorted(m.recipient.username for m in messages(reason=reason, channel=channel))
