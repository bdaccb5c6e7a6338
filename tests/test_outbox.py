"""The outbox: rows written in the cause's transaction, once per idempotency key."""

from flask_babel import gettext as _

from app.extensions import db
from app.models.notification import Notification
from app.models.user import BureauUser
from app.notify import outbox


def user(username):
    return db.session.query(BureauUser).filter_by(username=username).one()


def queue_overdue(recipient, key="task:1:overdue", channel="inapp", **extra):
    return outbox.queue(
        channel=channel,
        reason="overdue",
        key=key,
        recipient=recipient,
        subject=lambda: _("Overdue"),
        body="case 1",
        target=("task", 1),
        **extra,
    )


def test_a_key_is_queued_once_in_a_transaction_and_across_them(app):
    staff = user("landuse_staff")
    assert queue_overdue(staff) is not None
    assert queue_overdue(staff) is None
    db.session.commit()
    assert queue_overdue(staff) is None
    assert db.session.query(Notification).count() == 1


def test_a_rolled_back_cause_leaves_no_message(app):
    queue_overdue(user("landuse_staff"))
    db.session.rollback()
    assert db.session.query(Notification).count() == 0


def test_texts_are_rendered_in_the_recipients_language(app):
    staff = user("landuse_staff")
    assert queue_overdue(staff).subject == "超时"
    staff.locale = "en"
    assert queue_overdue(staff, key="task:2:overdue").subject == "Overdue"


def test_in_app_rows_are_delivered_by_being_written_others_wait(app):
    staff = user("landuse_staff")
    staff.email = "landuse@bureau.example"
    inapp = queue_overdue(staff)
    email = queue_overdue(staff, key="task:1:overdue:email", channel="email")
    assert (inapp.status, email.status) == ("sent", "pending")
    assert email.address == "landuse@bureau.example"


def test_no_address_no_row(app):
    staff = user("landuse_staff")
    staff.phone = None
    assert queue_overdue(staff, channel="sms") is None
    assert (
        outbox.queue(
            channel="sms",
            reason="accepted",
            key="case:1:sms",
            subject="s",
            body="b",
            address="13805140001",
        ).address
        == "13805140001"
    )
