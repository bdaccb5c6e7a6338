"""`flask catalog import FILE` and `flask catalog export FILE.xlsx`.

The file format is described in :mod:`app.catalog.spreadsheet`.
"""

from pathlib import Path

import click
from flask.cli import AppGroup

from app.catalog.spreadsheet import SpreadsheetError, read_rows, write_workbook
from app.catalog.transfer import ImportFailed, export_records, import_records

catalog_cli = AppGroup("catalog", help="Import and export the matter and disclosure catalogs.")


@catalog_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path):
    """Upsert matters (with their documents) and disclosure items from an XLSX or CSV
    file; nothing is written when any row is bad."""
    try:
        rows = read_rows(path)
    except SpreadsheetError as error:
        raise click.ClickException(str(error)) from None

    def progress(items):
        with click.progressbar(
            items, label=f"importing {path.name}", file=click.get_text_stream("stderr")
        ) as bar:
            yield from bar

    try:
        report = import_records(rows, progress=progress)
    except ImportFailed as failure:
        for error in failure.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(
            f"{len(failure.errors)} problem(s) in {path.name}: nothing was imported"
        ) from None
    click.echo(
        f"imported {report.matters} matters, {report.documents} required documents "
        f"and {report.disclosure_items} disclosure items"
    )


@catalog_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_command(path):
    """Write the whole catalog to an XLSX file that `catalog import` reads back."""
    if path.suffix.lower() != ".xlsx":
        raise click.ClickException(f"{path.name}: the export file must end in .xlsx")
    records = export_records()
    write_workbook(records, path)
    click.echo(f"exported {len(records)} rows to {path}")
