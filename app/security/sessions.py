"""Sessions and JWTs end when they should.

FAB 5.3 keeps a signed client-side session valid after logout, and a JWT valid until it
expires. Each user carries a ``session_stamp`` (rotated at logout, password change and
deactivation, see ``app/models/user.py``); login copies it into the session and into every
JWT, and the user loaders refuse a session or token whose stamp is no longer the user's.
A session also ends ``PERMANENT_SESSION_LIFETIME`` after login, however active it is.
"""

import time

from flask import current_app, session

STAMP_KEY = "_stamp"
SIGNED_IN_AT_KEY = "_signed_in_at"
JWT_STAMP_CLAIM = "stamp"


def remember_login(_app, user, **_extra):
    """Receiver of Flask-Login's ``user_logged_in`` signal."""
    session[STAMP_KEY] = user.session_stamp
    session[SIGNED_IN_AT_KEY] = int(time.time())
    session.permanent = True


def session_is_current(user):
    if session.get(STAMP_KEY) != user.session_stamp:
        return False
    age = time.time() - session.get(SIGNED_IN_AT_KEY, 0)
    return age <= current_app.permanent_session_lifetime.total_seconds()


def refresh_session_stamp(user):
    """After the signed-in user changed their own password, keep this session (only this one)."""
    session[STAMP_KEY] = user.session_stamp


def token_is_current(user, jwt_data):
    return jwt_data.get(JWT_STAMP_CLAIM) == user.session_stamp
