"""Click command groups of the console (`flask --app run ...`)."""

from app.cli.catalog import catalog_cli
from app.cli.demo import demo_cli
from app.cli.roles import roles_cli


def register_cli(app):
    for group in (roles_cli, demo_cli, catalog_cli):
        app.cli.add_command(group)
