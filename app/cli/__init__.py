"""Click command groups of the console (`flask --app run ...`)."""

from app.cli.audit import audit_cli
from app.cli.bench import bench_cli
from app.cli.calendar import calendar_cli
from app.cli.deadlines import deadlines_cli
from app.cli.demo import demo_cli
from app.cli.roles import roles_cli


def register_cli(app):
    for group in (roles_cli, demo_cli, calendar_cli, deadlines_cli, audit_cli, bench_cli):
        app.cli.add_command(group)
