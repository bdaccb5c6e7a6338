"""The landing page: what a signed-in user needs first."""

from flask import g, redirect, url_for
from flask_appbuilder import IndexView, expose


class HomeView(IndexView):
    index_template = "sunshine/home.html"

    @expose("/")
    def index(self):
        if not g.user or not g.user.is_authenticated:
            return redirect(url_for(f"{self.appbuilder.sm.auth_view.endpoint}.login"))
        return self.render_template(self.index_template, appbuilder=self.appbuilder)
