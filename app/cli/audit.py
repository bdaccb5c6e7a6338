"""`flask audit verify` and `flask audit anchor`: the discipline office's checks."""

import click
from flask.cli import AppGroup
from tqdm import tqdm

from app.audit.service import anchor_today, trail_length, verify_trail

audit_cli = AppGroup("audit", help="The tamper-evident audit trail.")


def echo_verification(result):
    if result.ok:
        click.echo(f"ok: {result.checked} events checked, {result.anchors_checked} anchors match")
        return
    broken = result.first_broken
    where = f"anchor of {broken.anchor_day}" if broken.anchor_day else "event"
    expected = f" (expected seq {broken.expected_seq})" if broken.expected_seq else ""
    click.echo(
        f"BROKEN at {where} seq {broken.seq}: {broken.reason}{expected}; "
        f"{result.checked} events checked before it",
        err=True,
    )


@audit_cli.command("verify")
@click.option("--chunk-size", default=5000, show_default=True, help="Events per query.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def verify_command(chunk_size, quiet):
    """Check every event's hash, link and sequence number, and every anchor."""
    with tqdm(total=trail_length(), unit="event", disable=quiet, leave=False) as bar:
        result = verify_trail(chunk_size=chunk_size, progress=bar.update)
    echo_verification(result)
    if not result.ok:
        raise SystemExit(1)


@audit_cli.command("anchor")
def anchor_command():
    """Write today's anchor (UTC day): the head of the chain, once a day."""
    row, created = anchor_today()
    state = "written" if created else "already written today"
    click.echo(f"anchor {row.day} {state}: seq {row.seq} hash {row.hash}")
