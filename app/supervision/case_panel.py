"""The case page's supervision panel (``supervision/_case_panel.html``): notices and
extension requests of one case, as one user may see and act on them."""

from sqlalchemy.orm import selectinload

from app.extensions import db
from app.labels import choices
from app.models.cases import TaskStatus
from app.models.supervision import ExtensionRequest, NoticeStatus, SupervisionNotice
from app.security.scope import extension_request_clause, supervision_clause
from app.supervision import extensions, notices


def for_user(case, user):
    """What the case page shows of supervision to ``user``: the notices and extension
    requests in their scope, and which forms they may use."""
    case_notices = (
        db.session.query(SupervisionNotice)
        .options(
            selectinload(SupervisionNotice.recipients),
            selectinload(SupervisionNotice.supervisor),
            selectinload(SupervisionNotice.responded_by),
        )
        .filter(SupervisionNotice.case_id == case.id, supervision_clause(user))
        .order_by(SupervisionNotice.created_at.desc())
        .all()
    )
    requests = (
        db.session.query(ExtensionRequest)
        .options(
            selectinload(ExtensionRequest.requested_by), selectinload(ExtensionRequest.decided_by)
        )
        .filter(ExtensionRequest.case_id == case.id, extension_request_clause(user))
        .order_by(ExtensionRequest.requested_at.desc())
        .all()
    )
    return {
        "notices": [
            {
                "notice": n,
                "age": notices.age_in_working_days(n),
                "may_respond": n.status == NoticeStatus.OPEN.value and notices.may_respond(n, user),
                "may_close": notices.is_supervisor(user) and n.status != NoticeStatus.CLOSED.value,
            }
            for n in case_notices
        ],
        "requests": requests,
        "may_request": extensions.may_request(case, user),
        "may_supervise": notices.is_supervisor(user)
        and any(t.status == TaskStatus.OPEN.value for t in case.tasks),
        "reasons": choices("delay_reason"),
    }
