"""The public portal (DESIGN §7): pages under ``/public/`` and ``GET /api/v1/public/progress``.

FAB views, reached without signing in through the ``Public`` role (``AUTH_ROLE_PUBLIC``),
which holds only the portal's resource (``can_read`` to read, ``can_act`` to rate);
every signed-in role holds it too (app/security/roles.py), so a clerk signed in on the
same browser reads the same pages. Forms post with FAB's CSRF token like any other.

The pages have their own layout (templates/portal/): no staff navbar, the bureau's
name, a Chinese/English switch, no script. Progress lookups and ratings share one
rate limit per client address (Flask-Limiter, the login limiter's instance).

Thin: every query is in app/portal/.
"""

from urllib.parse import urlencode

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import BaseApi, safe
from flask_appbuilder.security.decorators import protect
from flask_babel import get_locale, refresh
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from app.portal import disclosure, guides, progress, ratings, results
from app.portal.bureau import bureau_name
from app.portal.paging import page_number
from app.security.permissions import ACT, READ, Resource
from app.security.request_guards import integer_id_or_404
from app.workflow.diagram import render_svg
from app.workflow.errors import BadInput, NotAllowedNow, NotFound

LOOKUP_SCOPE = "portal-lookup"
LOOKUP_FIELDS = ("receipt_no", "code")
RATING_LEVELS = ratings.LEVEL_VALUES
ERROR_TITLES = {
    400: _l("Something in the request is not right"),
    404: _l("Page not found"),
    429: _l("Too many lookups"),
}


def portal_locale():
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def staff_login_url():
    return current_app.appbuilder.get_url_for_login


def render_error(error):
    """The portal's own error page, in the portal's layout and the reader's language."""
    code = getattr(error, "code", 500) or 500
    if isinstance(error, CSRFError):
        message = _("This form has expired. Go back, reload the page and send it again.")
    elif code == 429:
        message = error.description
    elif code == 404:
        message = _("There is no page at this address. Check it, or start from the portal's home.")
    else:
        message = _("The request could not be understood.")
    title = ERROR_TITLES.get(code, ERROR_TITLES[400])
    return render_template("portal/error.html", title=title, message=message, code=code), code


def too_many_lookups():
    return _(
        "Too many lookups from your address. Wait a minute and try again; "
        "the service window can also tell you where your application is."
    )


class PortalPage(BaseView):
    """A public page under /public/, with the portal's error pages."""

    route_base = "/public"
    class_permission_name = Resource.PORTAL

    def create_blueprint(self, appbuilder, *args, **kwargs):
        blueprint = super().create_blueprint(appbuilder, *args, **kwargs)
        for code in (400, 404, 429):
            blueprint.register_error_handler(code, render_error)
        return blueprint

    def page(self, template, status=200, **context):
        return self.render_template(template, **context), status


class PortalView(PortalPage):
    """Home, matter guides, disclosure catalog, published results, language switch."""

    default_view = "index"
    method_permission_name = {
        "index": READ,
        "guides": READ,
        "guide": READ,
        "disclosure": READ,
        "disclosure_item": READ,
        "results": READ,
        "language": READ,
    }

    @expose("/")
    @has_access
    def index(self):
        return self.page("portal/index.html", title=_l("Public services"))

    @expose("/guides")
    @has_access
    def guides(self):
        query = guides.clean_query(request.args.get("q"))
        found, more = guides.search(query) if query else (None, False)
        return self.page(
            "portal/guides.html",
            title=_l("Matter guides"),
            query=query,
            found=found,
            more=more,
            tree=None if query else guides.catalog_tree(),
        )

    @expose("/guides/<string:code>")
    @has_access
    def guide(self, code):
        matter = guides.guide(code)
        if matter is None:
            abort(404)
        diagram = (
            render_svg(matter.workflow, handler_label=guides.handler_label)
            if matter.workflow is not None
            else None
        )
        return self.page(
            "portal/guide.html",
            title=matter.name,
            matter=matter,
            breadcrumbs=guides.breadcrumbs(matter),
            diagram=diagram,
            handler_label=guides.handler_label,
            receives=guides.what_you_receive(matter),
        )

    @expose("/disclosure")
    @has_access
    def disclosure(self):
        categories = disclosure.categories()
        chosen = request.args.get("category") or None
        category = next((c for c in categories if c.code == chosen), None)
        query = guides.clean_query(request.args.get("q"))
        listing = disclosure.items(
            category.code if category else None, query, page_number(request.args.get("page"))
        )
        return self.page(
            "portal/disclosure.html",
            title=_l("Government information disclosure catalog"),
            categories=categories,
            category=category,
            query=query,
            listing=listing,
        )

    @expose("/disclosure/<int:pk>")
    @has_access
    def disclosure_item(self, pk):
        item = disclosure.item(integer_id_or_404(pk))
        if item is None:
            abort(404)
        return self.page("portal/disclosure_item.html", title=item.title, item=item)

    @expose("/results")
    @has_access
    def results(self):
        query = guides.clean_query(request.args.get("q"))
        listing = results.published(page_number(request.args.get("page")), text=query)
        return self.page(
            "portal/results.html", title=_l("Results published"), query=query, listing=listing
        )

    @expose("/language/<string:code>")
    @has_access
    def language(self, code):
        """Remember the reader's language, then go back to the portal page they were on."""
        if code not in current_app.config["LANGUAGES"]:
            abort(404)
        session["locale"] = code
        refresh()
        target = request.args.get("next", "")
        if not (target.startswith("/public") and "\\" not in target):
            target = url_for("PortalView.index")
        return redirect(target)


class ProgressView(PortalPage):
    """The progress lookup (the receipt's QR code leads here) and the rating form."""

    method_permission_name = {"progress": READ, "rate": ACT}

    @expose("/progress")
    @has_access
    def progress(self):
        if not any(request.args.get(name) for name in LOOKUP_FIELDS):
            return self.page("portal/progress.html", title=_l("Follow your application"))
        return self._answer(request.args.get("receipt_no"), request.args.get("code"))

    @expose("/progress/rating", methods=["POST"])
    @has_access
    def rate(self):
        form = request.form
        receipt_no, code = form.get("receipt_no"), form.get("code")
        try:
            ratings.rate(receipt_no, code, form.get("level"), form.get("comment"))
        except BadInput as error:
            rating_errors = error.details.get("errors") or {}
            if set(rating_errors) & set(LOOKUP_FIELDS):
                return self._answer(receipt_no, code)
            return self._answer(receipt_no, code, rating_error=error.message, status=400)
        except NotAllowedNow as error:
            return self._answer(receipt_no, code, rating_error=error.message, status=409)
        except NotFound:
            return self._answer(receipt_no, code)
        flash(_("Thank you: your rating has been recorded."), "success")
        receipt_no, code = progress.clean(receipt_no, code)
        query = urlencode({"receipt_no": receipt_no, "code": code})
        return redirect(f"{url_for('ProgressView.progress')}?{query}", code=303)

    def _answer(self, receipt_no, code, rating_error=None, status=200):
        """The lookup's page: the progress, the form with its errors (400), or the one
        not-found page (404) for a wrong code and an unknown number alike."""
        title = _l("Follow your application")
        try:
            found = progress.lookup(receipt_no, code)
        except BadInput as error:
            values = {"receipt_no": receipt_no or "", "code": code or ""}
            return self.page(
                "portal/progress.html",
                400,
                title=title,
                message=error.message,
                errors=error.details.get("errors", {}),
                values=values,
            )
        except NotFound as error:
            # Nothing of the request is echoed: the page is the same for every miss.
            return self.page(
                "portal/progress.html",
                404,
                title=title,
                message=error.message,
                here=url_for("ProgressView.progress"),
            )
        return self.page(
            "portal/progress.html",
            status,
            title=title,
            found=found,
            lookup_code=progress.clean(receipt_no, code)[1],
            rating_error=rating_error,
            levels=RATING_LEVELS,
            comment=request.form.get("comment", "") if rating_error else "",
            comment_max=ratings.COMMENT_MAX_LENGTH,
        )


class PublicProgressApi(BaseApi):
    """``GET /api/v1/public/progress?receipt_no=&code=`` (DESIGN §9)."""

    resource_name = "public"
    class_permission_name = Resource.PORTAL
    method_permission_name = {"progress": READ}
    openapi_spec_tag = "Public"

    @expose("/progress", methods=["GET"])
    @protect()
    @safe
    def progress(self):
        """Where an application stands, by receipt number and query code.
        ---
        get:
          summary: Progress of an application, without personal data
          parameters:
          - {in: query, name: receipt_no, required: true, schema: {type: string}}
          - {in: query, name: code, required: true, schema: {type: string}}
          responses:
            200:
              description: status, steps done and open (name, unit, date), promised
                date, pauses by kind, rating
            400:
              description: a key is missing or too long (errors per field)
            404:
              description: no such receipt number, or a wrong query code (one answer)
            429:
              description: too many lookups from this address
        """
        try:
            found = progress.lookup(request.args.get("receipt_no"), request.args.get("code"))
        except BadInput as error:
            return self.response(400, message=error.message, errors=error.details["errors"])
        except NotFound as error:
            return self.response(404, message=error.message)
        return self.response(200, **progress.as_json(found))


def _not_a_lookup():
    """The empty lookup form costs nothing; every lookup and rating counts."""
    return request.method == "GET" and not any(request.args.get(n) for n in LOOKUP_FIELDS)


def client_address():
    """The client as the trusted proxy set-up reports it (werkzeug's ProxyFix)."""
    return request.remote_addr or "unknown"


def register_portal(appbuilder):
    """Add the portal's views and API, their shared lookup limit and template globals."""
    for view in (PortalView, ProgressView):
        appbuilder.add_view_no_menu(view)
    appbuilder.add_api(PublicProgressApi)
    limit = appbuilder.sm.limiter.shared_limit(
        current_app.config["PORTAL_LOOKUP_RATE_LIMIT"],
        scope=LOOKUP_SCOPE,
        key_func=client_address,
        exempt_when=_not_a_lookup,
        error_message=too_many_lookups,
    )
    for view in appbuilder.baseviews:
        if isinstance(view, ProgressView | PublicProgressApi):
            limit(view.blueprint)
    app = current_app
    app.add_template_global(bureau_name, "bureau_name")
    app.add_template_global(portal_locale, "portal_locale")
    app.add_template_global(staff_login_url, "staff_login_url")
