"""Flask-AppBuilder's own strings that its Chinese catalog leaves untranslated.

FAB 5.3 ships ``translations/zh`` and its BabelManager loads it before our
``translations/`` (``BABEL_TRANSLATION_DIRECTORIES``), entry by entry, so our catalog only
has to add what FAB's lacks. These calls exist for ``pybabel extract`` (``make
translations``): the msgids are FAB's, exactly as its templates and views pass them to
``gettext``; the Chinese lives in our catalog. Nothing imports this module at run time.

Found by extracting FAB's sources and comparing with its zh catalog; checked by
``tests/test_fab_messages.py``.
"""

from flask_babel import lazy_gettext as _l

FAB_MESSAGES = (
    # appbuilder/general/lib.html: buttons' screen-reader text and the delete confirmation
    _l("Add"),
    _l("Edit"),
    _l("Show"),
    _l("Are you sure you want to delete this item?"),
    # search filters (models/sqla/filters.py, models/generic/filters.py)
    _l("In"),
    _l("Not In"),
    _l("Contains (insensitive)"),
    _l("Start with"),
    # security views and forms
    _l("List Groups"),
    _l("Show Group"),
    _l("Add Group"),
    _l("Edit Group"),
    _l("Groups"),
    _l("Edit User Information"),
    _l("User information changed"),
    _l("The user's password for authentication"),
    _l("It's not a good policy to remove a user, just make it inactive"),
    _l("User(s) exists in the role, cannot delete"),
    _l("User(s) exists in the group, cannot delete"),
    _l("Either select a role or a group"),
    # forms and database errors
    _l("Not a valid choice"),
    _l("Database Error"),
)
