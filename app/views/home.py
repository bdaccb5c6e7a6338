"""The home page (工作台): who the user is, then the panels every area contributes
(app/workbench.py) for them: to do, due soon, overdue, tasks to assign..."""

from flask import g, redirect, url_for
from flask_appbuilder import IndexView, expose

from app import workbench
from app.workflow import panels  # noqa: F401  (registers the case engine's panels)


class HomeView(IndexView):
    index_template = "sunshine/home.html"

    @expose("/")
    def index(self):
        if not g.user or not g.user.is_authenticated:
            return redirect(url_for(f"{self.appbuilder.sm.auth_view.endpoint}.login"))
        return self.render_template(
            self.index_template, appbuilder=self.appbuilder, panels=workbench.panels_for(g.user)
        )
