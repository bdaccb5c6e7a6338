"""`flask deadlines scan [--now ISO-DATETIME]`: flag warnings and overdue work."""

from datetime import datetime

import click
from flask.cli import AppGroup

from app.petitions.deadlines import scan as scan_petitions
from app.workflow.clock import as_naive_utc, utcnow
from app.workflow.deadlines import scan

deadlines_cli = AppGroup("deadlines", help="Time limits.")


def _moment(_ctx, _param, value):
    if value is None:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use an ISO date-time, e.g. 2026-03-02T09:00+08:00") from None
    if moment.tzinfo is None:
        raise click.BadParameter("give a time zone, e.g. 2026-03-02T09:00+08:00")
    return as_naive_utc(moment)


moment_option = click.option(
    "--now", callback=_moment, help="Evaluate as of this moment (ISO, with zone)."
)


@deadlines_cli.command("scan")
@moment_option
def scan_command(now):
    """Set warning/overdue flags on open tasks and active cases; expire permits; issue
    yellow and red cards; queue the reminders of the notification policy."""
    result = scan(now)
    cards = result.cards
    queued = ", ".join(f"{reason} {n}" for reason, n in result.reminders.items())
    click.echo(
        f"flags changed: {result.tasks} tasks, {result.cases} cases; "
        f"permits expired: {result.permits_expired}; "
        f"cards: {cards.yellow} yellow, {cards.red_cases + cards.red_divisions} red; "
        f"messages queued: {queued}"
    )
    click.echo(scan_petitions(now))
