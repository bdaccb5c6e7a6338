"""The home page's messages panel (app/workbench.py): unread in-app messages."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from app import workbench
from app.extensions import db
from app.labels import label, local_time
from app.models.notification import Channel, Notification

FEW = 5


@workbench.panel(order=30)
def unread_messages(user):
    query = db.session.query(Notification).filter(
        Notification.recipient_id == user.id,
        Notification.channel == Channel.INAPP.value,
        Notification.read_at.is_(None),
    )
    count = query.count()
    if not count:
        return None
    rows = [
        workbench.Row(
            text=m.subject,
            url=url_for("InboxView.show", pk=m.id),
            note=f"{label('notification_reason', m.reason)} · {local_time(m.created_at)}",
        )
        for m in query.order_by(Notification.created_at.desc()).limit(FEW)
    ]
    return workbench.Panel(
        key="messages",
        title=str(_l("Unread messages")),
        count=count,
        rows=rows,
        url=url_for("InboxView.list"),
        style="info",
    )
