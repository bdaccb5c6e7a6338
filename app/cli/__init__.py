"""Click command groups of the console (`flask --app run ...`)."""

from app.cli.audit import audit_cli
from app.cli.bench import bench_cli
from app.cli.calendar import calendar_cli
from app.cli.catalog import catalog_cli
from app.cli.deadlines import deadlines_cli
from app.cli.demo import demo_cli
from app.cli.notify import notify_cli
from app.cli.roles import roles_cli


def register_cli(app):
    groups = (
        roles_cli,
        demo_cli,
        catalog_cli,
        calendar_cli,
        deadlines_cli,
        notify_cli,
        audit_cli,
        bench_cli,
    )
    for group in groups:
        app.cli.add_command(group)
