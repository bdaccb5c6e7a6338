"""`flask roles sync`: make the database's roles match the catalog in code."""

import click
from flask.cli import AppGroup

from app.security.roles import RoleCatalogError, sync_roles

roles_cli = AppGroup("roles", help="The role catalog.")


@roles_cli.command("sync")
def sync_command():
    """Create missing permissions and restore every catalog role's permissions."""
    try:
        changes = sync_roles()
    except RoleCatalogError as exc:
        raise click.ClickException(str(exc)) from None
    for role, (added, removed) in changes.items():
        click.echo(f"{role:16} +{added} -{removed}")
