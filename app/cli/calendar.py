"""`flask calendar load-official`: the official calendar of the chinesecalendar package."""

import click
from flask.cli import AppGroup

from app.calendar.official import load_official, official_years
from app.extensions import db

calendar_cli = AppGroup("calendar", help="Working-day calendar.")


@calendar_cli.command("load-official")
@click.option(
    "--replace-admin",
    is_flag=True,
    help="Also overwrite the years the Admin published by hand.",
)
def load_official_command(replace_admin):
    """Load every year the installed chinesecalendar covers; running it again changes nothing."""
    click.echo(echo_official_load(replace_admin))


def echo_official_load(replace_admin=False):
    result = load_official(db.session, replace_admin=replace_admin)
    years = official_years()
    lines = [
        f"official calendar {years.start}-{years.stop - 1}: "
        f"{len(result.changed)} years loaded or updated, {len(result.unchanged)} unchanged"
    ]
    if result.kept_admin:
        kept = ", ".join(map(str, result.kept_admin))
        lines.append(f"kept the Admin's lists of {kept} (use --replace-admin to overwrite)")
    return "\n".join(lines)
