"""Logout is a POST carrying the CSRF token.

FAB 5.3 logs out on ``GET /logout/``, so any foreign page (an ``<img src>``) can end a
user's session. Here ``GET /logout/`` only shows a confirmation form (a signed-out visitor
goes to the home page); the form, and the user menu's button, POST with the token, which
the app-wide CSRF protection checks before the view runs.
"""

from flask import current_app, redirect, request
from flask_appbuilder import expose
from flask_appbuilder.security import views as fab_views
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user


class AuthDBView(fab_views.AuthDBView):
    """FAB's, same class name: its endpoints (``AuthDBView.login``), permission resource
    and label stay what FAB, links and the role table know."""

    logout_template = "sunshine/logout.html"

    @expose("/logout/", methods=["GET", "POST"])
    def logout(self):
        if request.method == "GET":
            if not current_user.is_authenticated:
                return redirect(self.appbuilder.get_url_for_index)
            return self.render_template(self.logout_template, title=_l("Sign out"))
        user = self._get_authenticated_user()
        logout_user()
        if user is not None:
            self.appbuilder.sm.on_user_logout(user)
        return redirect(
            current_app.config.get("LOGOUT_REDIRECT_URL", self.appbuilder.get_url_for_index)
        )
