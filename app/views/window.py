"""The service window's pages: receive an application, print its receipt (受理回执)."""

import io
from urllib.parse import urlencode, urljoin

import qrcode
import qrcode.image.svg
from flask import abort, current_app, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.extensions import db
from app.models.cases import Case
from app.models.catalog import Matter
from app.security.permissions import ACT, READ, Resource
from app.security.scope import case_clause, current_user
from app.views.case_actions import scans_of
from app.workflow import receipts
from app.workflow.errors import WorkflowError

# The public portal's progress lookup (DESIGN §7); the receipt's QR code points here.
PUBLIC_PROGRESS_PATH = "public/progress"

FORM_FIELDS = (
    "applicant_name",
    "applicant_org",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "project_name",
    "project_location",
    "project_area",
    "reason",
)


class WindowView(BaseView):
    route_base = "/window"
    default_view = "receive"
    class_permission_name = Resource.CASE
    method_permission_name = {"receive": ACT, "receipt": READ}

    @expose("/receive", methods=["GET", "POST"])
    @has_access
    def receive(self):
        if not receipts.may_receive(current_user()):
            abort(403)
        matters = (
            db.session.query(Matter)
            .filter(Matter.active.is_(True), Matter.workflow_id.isnot(None))
            .order_by(Matter.code)
            .all()
        )
        chosen = request.values.get("matter")
        matter = next((m for m in matters if m.code == chosen), None)
        errors, message, values = {}, None, {}
        if request.method == "POST":
            values = self._form_values(matter)
            try:
                application = receipts.parse_application(values)
                case = receipts.receive(
                    application, g.user, scans=scans_of(matter.required_documents)
                )
                return redirect(url_for("WindowView.receipt", pk=case.id))
            except receipts.InvalidApplication as error:
                errors, message = error.errors, error.message
            except WorkflowError as error:
                message = error.message
        return self.render_template(
            "sunshine/receive.html",
            matters=matters,
            matter=matter,
            values=values,
            errors=errors,
            message=message,
            labels=receipts.FIELD_LABELS,
            fields=FORM_FIELDS,
            upload_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
            title=_l("Receive an application"),
        )

    @staticmethod
    def _form_values(matter):
        values = {name: request.form.get(name) or None for name in FORM_FIELDS}
        values["matter"] = matter.code if matter else request.form.get("matter")
        values["decision"] = request.form.get("decision", "accept")
        materials = request.form.getlist("materials")
        values["materials"] = [int(m) for m in materials if m.isdigit()]
        return values

    @expose("/receipt/<int:pk>")
    @has_access
    def receipt(self, pk):
        case = (
            db.session.query(Case).filter(Case.id == pk, case_clause(current_user())).one_or_none()
        )
        if case is None:
            abort(404)
        query = urlencode({"receipt_no": case.receipt_no, "code": case.query_code})
        lookup = urljoin(request.host_url, f"{PUBLIC_PROGRESS_PATH}?{query}")
        return self.render_template(
            "sunshine/receipt.html",
            case=case,
            qr_svg=qr_svg(lookup),
            lookup=lookup,
            title=_l("Acknowledgment receipt"),
        )


def qr_svg(data):
    """An inline SVG QR code: no image files, no external service."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    # The SVG is drawn by qrcode from module coordinates; no user text is embedded.
    return Markup(svg[svg.index("<svg") :])  # noqa: S704
