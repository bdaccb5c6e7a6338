"""`flask demo seed`: the demo organisation of DESIGN §8."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.cli.calendar import echo_official_load
from app.demo.catalog_seed import seed_catalog
from app.demo.petition_seed import seed_petition_categories
from app.demo.seed import seed_organisation
from app.extensions import db
from app.models.user import BureauUser

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("seed")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Seed only when the database has no user yet (used by `make run`).",
)
def seed_command(if_empty):
    """Create the demo units, users and catalog and load the official calendar; running it
    again changes nothing."""
    if if_empty and db.session.query(BureauUser.id).first() is not None:
        click.echo("users exist: demo seed skipped")
        return
    try:
        units, users = seed_organisation(current_app.config["DEMO_PASSWORD"])
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"demo organisation: {units} units and {users} users created")
    click.echo(echo_official_load())
    templates, matters, items = seed_catalog()
    click.echo(
        f"demo catalog: {templates} workflow templates, {matters} matters and "
        f"{items} disclosure items created"
    )
    click.echo(f"petition categories: {seed_petition_categories()} created")
