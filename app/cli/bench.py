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

from app.audit import actions, chain
from app.models.audit import AuditAnchor, AuditEvent

bench_cli = AppGroup("bench", help="Benchmarks on scratch databases.")

AUDIT_TABLES = (AuditEvent.__table__, AuditAnchor.__table__)


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
        started = time.perf_counter()
        result = chain.verify(connection, chunk_size=chunk_size)
        elapsed = time.perf_counter() - started
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
def audit_bench(count, database_url, batch_size, chunk_size, keep):
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
