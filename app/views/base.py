"""Base classes for our views and APIs: collapsed permissions, explicit columns, strict
input, domain rules shown as form errors (pages) or 400 JSON (API)."""

import logging
import sys

import sqlalchemy.orm
from flask import current_app, g, request
from flask_appbuilder import ModelRestApi, ModelView
from flask_appbuilder.api import expose
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from marshmallow import fields
from sqlalchemy import func, select
from sqlalchemy.exc import DataError, SQLAlchemyError
from werkzeug.exceptions import BadRequest

from app.catalog.validation import CatalogError
from app.extensions import db
from app.labels import iso_utc
from app.security.permissions import MODEL_VIEW_METHODS, REST_API_METHODS
from app.security.request_guards import MAX_PAGE, integer_pk_limit, is_valid_pk
from app.views.checkboxes import UntickedIsFalseMixin
from app.views.labelled import LabelledViewMixin
from app.views.openapi import undescribed

log = logging.getLogger(__name__)

UTC_FORMAT = "iso_utc"

# FAB's MVC ``/download/<filename>`` serves any file of UPLOAD_FOLDER by name, outside every
# record's scope (and answers 500 when UPLOAD_FOLDER is unset). No view of ours uses FAB's
# FileColumn: attachments are served by their own scoped views. The route is not registered.
UNSCOPED_ROUTES = frozenset({"download"})


class SunshineModelView(LabelledViewMixin, UntickedIsFalseMixin, ModelView):
    """A ModelView whose permissions are ``can_read``/``can_write`` on its resource, whose
    values, titles and search filters read as labels (:mod:`app.views.labelled`)."""

    method_permission_name = MODEL_VIEW_METHODS
    exclude_route_methods = UNSCOPED_ROUTES
    page_size = 25


class ShowItemMixin:
    """Hands the shown record to the show template as ``widgets["item"]``
    (FAB's show widget keeps only formatted values)."""

    def _get_show_widget(self, pk, item, **kwargs):
        widgets = super()._get_show_widget(pk, item, **kwargs)
        widgets["item"] = item
        return widgets


FAB_DATABASE_ERROR = "Database exception occurred"
REFUSED_BY_DATABASE = _l(
    "The database refused the record: a value that must be unique is already taken, "
    "or a required or referenced value is missing."
)


class ApiBadRequest(BadRequest):
    """Raised inside FAB's ``@safe`` API methods, which answer ``{"message": str(error)}``."""

    def __str__(self):
        return str(self.description)


def answer_times_in_utc(schema, seen=None):
    """Serialise the schema's (and nested schemas') datetimes with ``labels.iso_utc``."""
    seen = seen if seen is not None else set()
    if schema is None or id(schema) in seen:
        return
    seen.add(id(schema))
    for field in schema.fields.values():
        if isinstance(field, fields.DateTime) and not isinstance(field, fields.Date):
            field.SERIALIZATION_FUNCS = {**field.SERIALIZATION_FUNCS, UTC_FORMAT: iso_utc}
            field.format = UTC_FORMAT
        elif isinstance(field, fields.Nested):
            answer_times_in_utc(field.schema, seen)
        elif isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            answer_times_in_utc(field.inner.schema, seen)


class SunshineModelRestApi(ModelRestApi):
    """A ModelRestApi sharing its resource's ``can_read``/``can_write`` with the HTML view.

    Stricter than FAB 5.3 on input: page arguments out of range answer 400 (FAB sends a
    negative page to the database as a negative offset); a relation in a POST/PUT payload
    must be the id of an existing row (FAB creates a new related row from a nested object
    or an unknown id); ``GET /<pk>`` with a malformed id answers 404 (FAB: 405).
    """

    method_permission_name = REST_API_METHODS
    max_page_size = 100
    allow_browser_login = True
    # Dotted columns (``division.code``) must not drop rows whose relation is null.
    list_outer_default_load = True
    show_outer_default_load = True

    def _init_model_schemas(self):
        """Times are answered in UTC with their zone (``...Z``), as every API of ours does;
        FAB's schemas give naive ``isoformat()``."""
        super()._init_model_schemas()
        for schema in (self.list_model_schema, self.show_model_schema):
            answer_times_in_utc(schema)

    def _get_field_info(self, field, filter_rel_field, page=None, page_size=None):
        """FAB translates a missing label or description as ``gettext("")``: the catalog's
        header. A field without one gets an empty string."""
        info = super()._get_field_info(field, filter_rel_field, page=page, page_size=page_size)
        given = {"label": self.label_columns, "description": self.description_columns}
        for key, texts in given.items():
            if not texts.get(field.name):
                info[key] = ""
        return info

    def get_list_headless(self, **kwargs):
        """FAB's list; a count that stopped at the cap is said so: ``count_capped``."""
        response = super().get_list_headless(**kwargs)
        if g.pop("count_capped", False) and response.status_code == 200:
            body = response.get_json()
            body["count_capped"] = True
            response.set_data(current_app.json.dumps(body))
        return response

    @undescribed
    @expose("/<pk>", methods=["GET"])
    def get_malformed_pk(self, pk, **kwargs):
        """FAB routes GET on ``<int:pk>`` only; other ids reach this route (and 404)."""
        return self.get(pk, **kwargs)

    def _sanitize_page_args(self, page, page_size):
        ceiling = self.max_page_size or current_app.config["FAB_API_MAX_PAGE_SIZE"]
        if page is not None and not 0 <= page <= MAX_PAGE:
            raise ApiBadRequest(_("The page number must be between 0 and %(max)d.", max=MAX_PAGE))
        if page_size is not None and not 1 <= page_size <= ceiling:
            raise ApiBadRequest(_("The page size must be between 1 and %(max)d.", max=ceiling))
        return super()._sanitize_page_args(page, page_size)

    def post_headless(self):
        errors = self.related_payload_errors(self.add_columns)
        if errors:
            return self.response_400(message=errors)
        try:
            return super().post_headless()
        except SQLAlchemyError:
            # FAB 5.3 re-raises the database error of an insert (a 500); edits and deletes
            # answer 422. Inserts do the same here.
            self.datamodel.session.rollback()
            return self.response_422(message=FAB_DATABASE_ERROR)

    def response_500(self, message=None):
        """FAB's ``@safe`` answers every exception with a 500 before any error handler
        runs: a value the database or its driver cannot hold (out of range, wrong type)
        is the client's error, answered 400 with a message, the transaction rolled back."""
        if isinstance(sys.exc_info()[1], DataError | OverflowError | RecursionError):
            db.session.rollback()
            log.info("refused a value: %r", sys.exc_info()[1])
            return self.response_400(message=_("A value is out of range or of the wrong type."))
        return super().response_500(message=message)

    def response_422(self, message=None):
        """FAB puts the database's error (SQL and values) in the message; say why instead."""
        if isinstance(message, str) and message.startswith(FAB_DATABASE_ERROR):
            log.info("database refused a change: %s", message)
            message = str(REFUSED_BY_DATABASE)
        return super().response_422(message=message)

    def put_headless(self, pk):
        errors = self.related_payload_errors(self.edit_columns)
        if errors:
            return self.response_400(message=errors)
        return super().put_headless(pk)

    def related_payload_errors(self, columns):
        """{column: message} for relations given as anything but ids of existing rows."""
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            return {}
        errors = {}
        for name in columns:
            if name in payload and self.datamodel.is_relation(name):
                message = self._related_value_error(name, payload[name])
                if message:
                    errors[name] = [message]
        return errors

    def _related_value_error(self, name, value):
        if value is None:
            return None
        many = self.datamodel.is_relation_many_to_many(
            name
        ) or self.datamodel.is_relation_one_to_many(name)
        ids = value if many and isinstance(value, list) else [value]
        related = self.datamodel.get_related_interface(name)
        limit = integer_pk_limit(related) or 2**63 - 1
        for related_id in ids:
            if isinstance(related_id, bool) or not isinstance(related_id, int | str):
                return _("Give the id of an existing record, not an object.")
            if not is_valid_pk(related_id, limit) or related.get(related_id) is None:
                return _("No record with id %(id)s.", id=related_id)
        return None


COUNT_CAP = 1000


class CappedCount(int):
    """A list's count that stopped at :data:`COUNT_CAP`: compares and pages as the cap,
    reads "more than 1,000" wherever a page shows it."""

    def __str__(self):
        return _("more than %(count)s", count=format_decimal(int(self)))

    def __html__(self):
        return escape(str(self))


class EagerSQLAInterface(SQLAInterface):
    """The datamodel of our lists and APIs.

    - ``eager``: relationships (dotted for a chain, e.g. ``"case.matter"``) loaded with the
      page (a single related row joined, a collection in one query of its own), so a page
      runs as many statements for 5 rows as for 500;
    - counts stop at :data:`COUNT_CAP` + 1 rows: a page past the cap says "more than
      1,000" (:class:`CappedCount`) instead of counting 100,000 rows in scope each time.
    """

    count_cap = COUNT_CAP

    def __init__(self, obj, eager=(), session=None):
        super().__init__(obj, session)
        self.eager = tuple(eager)

    def apply_all(self, query, *args, **kwargs):
        query = super().apply_all(query, *args, **kwargs)
        return query.options(*(self._loader(path) for path in self.eager))

    def _loader(self, path):
        model, loader = self.obj, None
        for name in path.split("."):
            attribute = getattr(model, name)
            # A single related row joins the page's own statement; a collection takes one
            # more query. Either way the count does not depend on the rows on the page.
            how = "selectinload" if attribute.property.uselist else "joinedload"
            loader = getattr(sqlalchemy.orm if loader is None else loader, how)(attribute)
            model = attribute.property.mapper.class_
        return loader

    def query_count(self, query, filters=None, select_columns=None):
        inner = self._apply_inner_all(
            query, filters, select_columns=select_columns, aliases_mapping={}
        )
        rows = inner.limit(self.count_cap + 1).subquery()
        count = self.session.execute(select(func.count()).select_from(rows)).scalar_one()
        if count > self.count_cap:
            g.count_capped = True
            return CappedCount(self.count_cap)
        return count


def checked_form(form_class, check):
    """``form_class`` whose ``validate`` also runs ``check(form)`` (a list of
    :class:`~app.catalog.validation.Problem`) and shows each problem on its field."""

    class CheckedForm(form_class):
        def validate(self, extra_validators=None):
            if not super().validate(extra_validators=extra_validators):
                return False
            problems = check(self)
            for problem in problems:
                field = self._fields.get(problem.field) or next(iter(self._fields.values()))
                field.errors = [*field.errors, str(problem.message)]
            return not problems

    CheckedForm.__name__ = form_class.__name__
    return CheckedForm


class RuleCheckedApi(SunshineModelRestApi):
    """A REST API whose ``pre_add``/``pre_update`` may raise :class:`CatalogError`:
    the request answers 400 ``{"message": ...}`` and nothing is written."""

    def _checked(self, call, *args):
        try:
            return call(*args)
        except CatalogError as error:
            db.session.rollback()
            return self.response_400(message=str(error))

    def post_headless(self):
        return self._checked(super().post_headless)

    def put_headless(self, pk):
        return self._checked(super().put_headless, pk)

    def delete_headless(self, pk):
        return self._checked(super().delete_headless, pk)
