"""The personal assistant (个人助理): the bureau directory, read by every staff user."""

from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _l

from app.models.user import BureauUser
from app.security.permissions import Resource
from app.views.base import EagerSQLAInterface, SunshineModelView


class DirectoryView(SunshineModelView):
    """通讯录: name, division, position, phone of every active colleague."""

    route_base = "/directory"
    datamodel = EagerSQLAInterface(BureauUser, eager=("division",))
    class_permission_name = Resource.DIRECTORY
    base_permissions = ["can_read"]
    base_filters = [["active", FilterEqual, True]]
    list_title = _l("Bureau directory")
    show_title = _l("Colleague")
    label_columns = {
        "display_name": _l("Name"),
        "division": _l("Division"),
        "position": _l("Position"),
        "phone": _l("Phone"),
        "email": _l("Email"),
    }
    list_columns = ["display_name", "division", "position", "phone", "email"]
    show_columns = list_columns
    search_columns = ["last_name", "first_name", "division", "position", "phone"]
    order_columns = ["position", "phone"]
    base_order = ("division_id", "asc")
