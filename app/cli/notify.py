"""`flask notify deliver [--now ISO-DATETIME]`: send what the outbox holds."""

import click
from flask.cli import AppGroup

from app.cli.deadlines import moment_option
from app.notify.deliver import deliver, held_sms

notify_cli = AppGroup("notify", help="Notifications: the outbox and its delivery.")


@notify_cli.command("deliver")
@moment_option
def deliver_command(now):
    """Claim due messages with a lease, send them, record the outcome (retry or fail)."""
    outcome = deliver(now)
    click.echo(
        f"sent {outcome.sent}, retrying later {outcome.retrying}, failed {outcome.failed}; "
        f"SMS held for the quiet hours {held_sms(now)}"
    )
