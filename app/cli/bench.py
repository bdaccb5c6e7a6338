"""`flask bench ...`: measurements on scratch databases (never the app's own)."""

import os
import resource
import shutil
import tempfile
import time
import tracemalloc

import click
from flask.cli import AppGroup
from sqlalchemy import create_engine, event
from sqlalchemy.engine import make_url

from app.audit import actions, chain
from app.bench import bare, database, pages, report, seed
from app.models.audit import AuditAnchor, AuditCheckpoint, AuditEvent
from app.security.roles import sync_roles
from app.workflow import deadlines

bench_cli = AppGroup("bench", help="Benchmarks on scratch databases.")

AUDIT_TABLES = (AuditEvent.__table__, AuditAnchor.__table__, AuditCheckpoint.__table__)


def synthetic_events(count, start=0):
    """Events shaped like the console's: Division updates by a handful of users."""
    for n in range(start, start + count):
        yield {
            "created_at": chain.utcnow(),
            "user_id": n % 40 + 1,
            "username": f"user{n % 40 + 1}",
            "ip": f"10.0.{n % 256}.{n % 200 + 1}",
            "action": actions.UPDATE,
            "target_type": "Division",
            "target_id": str(n % 5000 + 1),
            "before": {"name": f"处室 {n}", "active": True},
            "after": {"name": f"处室 {n + 1}", "active": n % 7 != 0},
            "details": None,
        }


def scratch_engine(database_url):
    engine = create_engine(database_url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def fast_scratch_sqlite(dbapi_connection, _record):
            dbapi_connection.execute("PRAGMA synchronous=OFF")

    return engine


def fill(engine, count, batch_size):
    """Append ``count`` chained events, one transaction per batch."""
    done = 0
    with click.progressbar(length=count, label="appending") as bar:
        while done < count:
            size = min(batch_size, count - done)
            with engine.begin() as connection:
                chain.append(connection, synthetic_events(size, done))
            done += size
            bar.update(size)


def measure_verification(engine, chunk_size, trace):
    with engine.connect() as connection:
        if trace:
            tracemalloc.start()
        started, cpu_started = time.perf_counter(), time.process_time()
        result = chain.verify(connection, chunk_size=chunk_size)
        elapsed = time.perf_counter() - started
        click.echo(f"  CPU time of the verification: {time.process_time() - cpu_started:.1f} s")
        peak = tracemalloc.get_traced_memory()[1] if trace else None
        if trace:
            tracemalloc.stop()
    return result, elapsed, peak


def max_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@bench_cli.command("audit")
@click.option("--events", "count", default=100_000, show_default=True, type=click.IntRange(1))
@click.option("--database-url", help="An empty scratch database (default: a temp SQLite file).")
@click.option("--batch-size", default=10_000, show_default=True, type=click.IntRange(1))
@click.option("--chunk-size", default=5000, show_default=True, type=click.IntRange(1))
@click.option("--keep", is_flag=True, help="Keep the scratch tables afterwards.")
@click.option("--no-trace", is_flag=True, help="Skip the second, traced verification.")
def audit_bench(count, database_url, batch_size, chunk_size, keep, no_trace):
    """Append N chained events in batches, then verify them as `flask audit verify` does."""
    folder = None
    if not database_url:
        folder = tempfile.mkdtemp(prefix="sunshine-bench-")
        database_url = f"sqlite:///{os.path.join(folder, 'audit.db')}"
    engine = scratch_engine(database_url)
    try:
        for table in AUDIT_TABLES:
            table.create(engine)  # fails loudly on a database that already has a trail
        started = time.perf_counter()
        fill(engine, count, batch_size)
        click.echo(f"appended {count} events in {time.perf_counter() - started:.1f} s")
        rss_before = max_rss_mib()
        result, elapsed, _ = measure_verification(engine, chunk_size, trace=False)
        click.echo(
            f"verified {result.checked} events ok={result.ok} in {elapsed:.1f} s "
            f"({result.checked / elapsed:,.0f} events/s); "
            f"ru_maxrss {rss_before:.0f} MiB before, {max_rss_mib():.0f} MiB after"
        )
        if no_trace:
            return
        _, traced_elapsed, peak = measure_verification(engine, chunk_size, trace=True)
        click.echo(
            f"tracemalloc peak during verification: {peak / 2**20:.1f} MiB "
            f"(traced run {traced_elapsed:.1f} s)"
        )
    finally:
        if not keep:
            for table in reversed(AUDIT_TABLES):
                table.drop(engine, checkfirst=True)
        engine.dispose()
        if folder and not keep:
            shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- bureau-scale data


def database_option(function):
    return click.option(
        "--database-url",
        help="The benchmark database (default: instance/bench.db, a SQLite file).",
    )(function)


@bench_cli.command("seed")
@click.option("--cases", "count", default=100_000, show_default=True, type=click.IntRange(1))
@database_option
@click.option("--batch-size", default=2000, show_default=True, type=click.IntRange(1))
@click.option(
    "--on-app-database", is_flag=True, help="Allow writing into the console's own database."
)
def seed_command(count, database_url, batch_size, on_app_database):
    """Add N cases over the demo matters at realistic stages, with their tasks, opinions,
    permits and audit trail, to a benchmark database (schema and demo data made if new)."""
    url = database_url or database.default_url()
    try:
        database.check_not_app_database(url, on_app_database)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from None
    app = database.bench_app(url)
    started = time.perf_counter()
    database.prepare(app)
    engine = database.fast_engine(url)
    with app.app_context(), engine.connect() as connection:
        with click.progressbar(length=count, label=f"seeding {count} cases") as bar:
            world = seed.seed(connection, count, batch_size, progress=bar.update)
        result = deadlines.scan(world.now)
    database.analyze(engine)
    engine.dispose()
    click.echo(
        f"{count} cases in {time.perf_counter() - started:.0f} s; the deadline scan flagged "
        f"{result.tasks} tasks and {result.cases} cases"
    )


@bench_cli.command("run")
@database_option
@click.option("--rounds", default=9, show_default=True, type=click.IntRange(1))
@click.option("--no-bare", is_flag=True, help="Skip bare Flask-AppBuilder.")
@click.option(
    "--output",
    default="docs/PERFORMANCE.md",
    show_default=True,
    help="Where to write the table ('-' for nowhere).",
)
@click.option(
    "--only",
    "only",
    multiple=True,
    help="Measure only the pages whose name contains this text (repeatable, any case); "
    "the report file is then left alone.",
)
def run_command(database_url, rounds, no_bare, output, only):
    """Open every benchmarked page as each benchmark user, beside bare FAB: median ms,
    SQL statements, KB, the ratio to bare FAB and to the page's own SQL replayed raw."""
    chosen = pages.named(only) if only else None
    if chosen == []:
        raise click.UsageError(f"no benchmarked page's name contains {', '.join(only)}")
    url = database_url or database.default_url()
    app = database.bench_app(url)
    bare_app = None if no_bare else bare.bare_app(url, app.config["SECRET_KEY"])
    with app.app_context():
        sync_roles()  # views added since the data was seeded get their permissions
        figures = database.figures()
    click.echo(f"{figures} on {make_url(url).get_backend_name()}")
    results = pages.run(
        app,
        bare_app,
        pages=chosen,
        rounds=rounds,
        progress=lambda p: click.echo(f"  {p.name}", err=True),
    )
    click.echo(report.text_table(results))
    if only:
        click.echo("--only: a partial run; the database's section of the report is left as it is")
    elif output != "-":
        report.write_markdown(output, results, figures, make_url(url).get_backend_name(), rounds)
        click.echo(f"written to {output}")
