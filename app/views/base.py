"""Base classes for our views and APIs: collapsed permissions, explicit columns."""

from flask_appbuilder import ModelRestApi, ModelView

from app.security.permissions import MODEL_VIEW_METHODS, REST_API_METHODS


class SunshineModelView(ModelView):
    """A ModelView whose permissions are ``can_read``/``can_write`` on its resource."""

    method_permission_name = MODEL_VIEW_METHODS
    page_size = 25


class ShowItemMixin:
    """Hands the shown record to the show template as ``widgets["item"]``
    (FAB's show widget keeps only formatted values)."""

    def _get_show_widget(self, pk, item, **kwargs):
        widgets = super()._get_show_widget(pk, item, **kwargs)
        widgets["item"] = item
        return widgets


class SunshineModelRestApi(ModelRestApi):
    """A ModelRestApi sharing its resource's ``can_read``/``can_write`` with the HTML view."""

    method_permission_name = REST_API_METHODS
    max_page_size = 100
    allow_browser_login = True
    # Dotted columns (``division.code``) must not drop rows whose relation is null.
    list_outer_default_load = True
    show_outer_default_load = True
