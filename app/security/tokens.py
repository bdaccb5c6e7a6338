"""JWT refusals answer as the rest of the API does: 401 ``{"message": ...}``.

flask_jwt_extended answers a malformed token 422 and every refusal ``{"msg": ...}``; the
README promises 401 with a ``message``. One loader per kind of refusal, all alike.
"""

from flask import jsonify
from flask_babel import gettext as _


def _refused(message):
    return jsonify(message=message), 401


def register_jwt_refusals(jwt_manager):
    jwt_manager.invalid_token_loader(lambda _reason: _refused(_("The token is not valid.")))
    jwt_manager.unauthorized_loader(lambda _reason: _refused(_("A token is needed.")))
    jwt_manager.expired_token_loader(lambda _header, _data: _refused(_("The token has expired.")))
    jwt_manager.revoked_token_loader(lambda _header, _data: _refused(_("The token is revoked.")))
    jwt_manager.needs_fresh_token_loader(
        lambda _header, _data: _refused(_("A fresh token is needed."))
    )
    jwt_manager.user_lookup_error_loader(
        lambda _header, _data: _refused(_("The token no longer belongs to an active session."))
    )
    jwt_manager.token_verification_failed_loader(
        lambda _header, _data: _refused(_("The token is not valid."))
    )
