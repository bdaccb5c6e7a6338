"""Base classes for our views and APIs: collapsed permissions, explicit columns,
domain rules shown as form errors (pages) or 400 JSON (API)."""

from flask_appbuilder import ModelRestApi, ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy.orm import selectinload

from app.catalog.validation import CatalogError
from app.extensions import db
from app.security.permissions import MODEL_VIEW_METHODS, REST_API_METHODS


class SunshineModelView(ModelView):
    """A ModelView whose permissions are ``can_read``/``can_write`` on its resource."""

    method_permission_name = MODEL_VIEW_METHODS
    page_size = 25


class SunshineModelRestApi(ModelRestApi):
    """A ModelRestApi sharing its resource's ``can_read``/``can_write`` with the HTML view."""

    method_permission_name = REST_API_METHODS
    max_page_size = 100
    allow_browser_login = True


class EagerSQLAInterface(SQLAInterface):
    """Loads the named relationships of a list with one query each (``selectinload``),
    so an MVC list page runs the same number of statements for 5 rows or 500."""

    def __init__(self, obj, eager=(), session=None):
        super().__init__(obj, session)
        self.eager = tuple(eager)

    def apply_all(self, query, *args, **kwargs):
        query = super().apply_all(query, *args, **kwargs)
        return query.options(*(selectinload(getattr(self.obj, name)) for name in self.eager))


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
