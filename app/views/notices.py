"""Printable notices (告知书) for the window to hand to the applicant, on the bureau's
letterhead: supplement, not accepted, extension (Art. 42), special procedure (Art. 45).

Staff pages: the case's ``can_read`` and its row scope, like the case page (a row outside
the reader's scope is not found, and recorded as denied). The letterhead and print
layout (templates/notices/print.html) are shared with any printed sheet.
"""

from flask import abort, current_app, url_for
from flask_appbuilder import BaseView, expose, has_access

from app import audit
from app.portal import notices
from app.portal.notices import NoticeKind
from app.security.permissions import READ, Resource
from app.security.request_guards import integer_id_or_404
from app.security.scope import current_user
from app.workflow import clock

ENDPOINTS = {
    NoticeKind.SUPPLEMENT: "NoticeView.supplement",
    NoticeKind.NOT_ACCEPTED: "NoticeView.not_accepted",
    NoticeKind.EXTENSION: "NoticeView.extension",
    NoticeKind.SPECIAL_PROCEDURE: "NoticeView.special_procedure",
}


def in_scope_or_404(lookup, pk):
    """``lookup(pk, user)``'s row, or 404 (recorded as a denial) when it is not in scope."""
    row = lookup(integer_id_or_404(pk), current_user())
    if row is None:
        audit.mark_denied()
        abort(404)
    return row


class NoticeView(BaseView):
    route_base = "/notices"
    class_permission_name = Resource.CASE
    method_permission_name = {
        "supplement": READ,
        "not_accepted": READ,
        "extension": READ,
        "special_procedure": READ,
    }

    def _notice(self, kind, case, template, **facts):
        return self.render_template(
            template,
            title=notices.TITLES[kind],
            notice_title=notices.TITLES[kind],
            case=case,
            applicant=case.applicant_org or case.applicant_name,
            issued_on=clock.utcnow(),
            **facts,
        )

    @expose("/supplement/<int:pk>")
    @has_access
    def supplement(self, pk):
        case = in_scope_or_404(notices.case_in_scope, pk)
        missing = notices.missing_documents(case)
        if not missing:
            abort(404)
        return self._notice(NoticeKind.SUPPLEMENT, case, "notices/supplement.html", missing=missing)

    @expose("/not-accepted/<int:pk>")
    @has_access
    def not_accepted(self, pk):
        case = in_scope_or_404(notices.case_in_scope, pk)
        if NoticeKind.NOT_ACCEPTED not in {ref.kind for ref in notices.applicable(case)}:
            abort(404)
        return self._notice(
            NoticeKind.NOT_ACCEPTED,
            case,
            "notices/not_accepted.html",
            review_days=notices.ADMINISTRATIVE_REVIEW_DAYS,
            litigation_months=notices.LITIGATION_MONTHS,
        )

    @expose("/extension/<int:pk>")
    @has_access
    def extension(self, pk):
        extension = in_scope_or_404(notices.extension_in_scope, pk)
        return self._notice(
            NoticeKind.EXTENSION, extension.case, "notices/extension.html", extension=extension
        )

    @expose("/special-procedure/<int:pk>")
    @has_access
    def special_procedure(self, pk):
        pause = in_scope_or_404(notices.special_procedure_in_scope, pk)
        return self._notice(
            NoticeKind.SPECIAL_PROCEDURE, pause.case, "notices/special_procedure.html", pause=pause
        )


def notice_links(case):
    """``[(title, url)]`` of the notices a case calls for (the case page lists them)."""
    return [
        (ref.title, url_for(ENDPOINTS[ref.kind], pk=ref.target_id))
        for ref in notices.applicable(case)
    ]


def register_notices(appbuilder):
    appbuilder.add_view_no_menu(NoticeView)
    current_app.add_template_global(notice_links, "notice_links")
