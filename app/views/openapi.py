"""The OpenAPI description: for every signed-in role, of what that role may call.

FAB's ``/api/v1/_openapi`` is the Admin's alone and describes every operation to whoever
reads it; its routes whose docstring lists no parameters (our actions: ``/case/{pk}/decide``,
``/case/{pk}/attachments/{attachment_id}``...) declare no path parameters, so no client
generator or fuzzer can call them. Here an operation is described only when the reader's
roles hold its permission, and every ``{name}`` of a path is declared (an integer where the
route takes ``<int:name>``). Routes marked ``undescribed`` (a route that only exists to answer
404 to a malformed id) are left out, so they do not replace the documented one.
"""

import re

from flask import current_app
from flask_appbuilder.api import BaseApi, expose, protect, safe
from flask_appbuilder.api.manager import OpenApi, SwaggerView

ROUTE_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
OPENAPI_RESOURCE = "OpenApi"


def undescribed(func):
    """Keep a route out of the OpenAPI description."""
    func._undescribed = True
    return func


def may_call(view, method_name, func) -> bool:
    """The signed-in user's roles hold the permission ``protect`` checks for this method."""
    base = getattr(func, "_permission_name", None)
    if base is None:
        return True  # not behind ``protect`` (the login, the public portal's lookups)
    name = (view.method_permission_name or {}).get(method_name, base)
    permission = f"can_{name}"
    sm = current_app.appbuilder.sm
    if permission not in view.base_permissions:
        return False
    return sm.is_item_public(permission, view.class_permission_name) or sm.has_access(
        permission, view.class_permission_name
    )


def path_parameters(url):
    """The path parameters of a Flask route, as OpenAPI declares them."""
    return [
        {
            "in": "path",
            "name": name,
            "required": True,
            "schema": {"type": "integer" if converter == "int" else "string"},
        }
        for converter, name in ROUTE_PARAMETER.findall(url)
    ]


def declare_path_parameters(operation, url):
    parameters = operation.setdefault("parameters", [])
    declared = {p.get("name") for p in parameters if isinstance(p, dict) and p.get("in") == "path"}
    parameters.extend(p for p in path_parameters(url) if p["name"] not in declared)


ERROR_RESPONSES = {
    "400": "Bad input (a message, and errors per field)",
    "401": "Not signed in, or a missing, malformed or expired token",
    "403": "The reader's roles do not allow this",
    "404": "No such record, or not one the reader may see",
    "409": "Not possible in the record's current state",
    "413": "The body is too large",
    "422": "The record could not be processed",
    "429": "Too many requests",
}
ANSWERED_BY = {
    "get": ("400", "401", "403", "404"),
    "post": ("400", "401", "403", "404", "409", "413", "422", "429"),
    "put": ("400", "401", "403", "404", "409", "413", "422"),
    "delete": ("400", "401", "403", "404", "409", "422"),
}


def declare_error_responses(operation, method):
    """The error answers every operation of ours can give (FAB's docstrings name a few)."""
    responses = operation.setdefault("responses", {})
    for code in ANSWERED_BY.get(method, ()):
        if code not in responses and int(code) not in responses:  # YAML keys are numbers
            responses[code] = {"description": ERROR_RESPONSES[code]}


def describe_view(view, api_spec, allowed=may_call):
    """FAB's ``BaseApi.add_api_spec``, keeping only what ``allowed`` lets through."""
    view.add_apispec_components(api_spec)
    for method_name in dir(view):
        func = getattr(view, method_name)
        if not hasattr(func, "_urls") or getattr(func, "_undescribed", False):
            continue
        if view.include_route_methods is not None and method_name not in view.include_route_methods:
            continue
        if method_name in view.exclude_route_methods or not allowed(view, method_name, func):
            continue
        for url, methods in func._urls:
            operations = {}
            path = view.path_helper(path=url, operations=operations)
            view.operation_helper(path=path, operations=operations, methods=methods, func=func)
            for method in methods:
                operation = operations.setdefault(method.lower(), {"responses": {}})
                declare_path_parameters(operation, url)
                declare_error_responses(operation, method.lower())
                operation["tags"] = [view.openapi_spec_tag or view.__class__.__name__]
            api_spec.path(path=path, operations=operations)


def describe(version, allowed=may_call):
    """The OpenAPI description of ``version`` as a dict, or None for an unknown version."""
    api_spec = OpenApi._create_api_spec(version)
    views = [
        view
        for view in current_app.appbuilder.baseviews
        if isinstance(view, BaseApi) and view.version == version
    ]
    for view in views:
        describe_view(view, api_spec, allowed)
    return api_spec.to_dict() if views else None


class SunshineOpenApi(OpenApi):
    class_permission_name = OPENAPI_RESOURCE

    @expose("/<version>/_openapi")
    @protect()
    @safe
    def get(self, version):
        """The OpenAPI description of what the reader may call
        ---
        get:
          description: >-
            The OpenAPI description of the operations the signed-in user's roles allow
          parameters:
          - in: path
            schema:
              type: string
            name: version
            required: true
          responses:
            200:
              description: The OpenAPI description
              content:
                application/json:
                  schema:
                    type: object
            401:
              $ref: '#/components/responses/401'
            404:
              $ref: '#/components/responses/404'
        """
        description = describe(version)
        if description is None:
            return self.response_404()
        return self.response(200, **description)


def register_openapi(appbuilder):
    """In place of FAB's OpenAPI view (``FAB_ADD_OPENAPI_VIEWS`` is off)."""
    if current_app.config.get("FAB_API_SWAGGER_UI", False):
        appbuilder.add_api(SunshineOpenApi)
        appbuilder.add_view_no_menu(SwaggerView)
