"""The benchmark's table: printed, and written to docs/PERFORMANCE.md."""

import os
from datetime import UTC, datetime
from pathlib import Path

from app.bench.pages import MAX_KB, TARGETS

HEADER = (
    "page",
    "user",
    "median ms",
    "SQL",
    "KB",
    "bare FAB ms (SQL)",
    "× bare",
    "SQL floor ms",
    "× floor",
    "targets",
)


def _number(value, digits=1, suffix=""):
    return "" if value is None else f"{value:,.{digits}f}{suffix}"


def rows(results):
    for r in results:
        bare = ""
        if r.bare_ms is not None:
            bare = f"{r.bare_ms:,.1f} ({r.bare_statements})"
        yield (
            r.page.name,
            r.user or "—",
            _number(r.ms),
            str(r.statements),
            _number(r.kb) if r.page.call is None else "",
            bare,
            _number(r.bare_ratio, 2, "×"),
            _number(r.floor_ms, 2),
            _number(r.floor_ratio, 1, "×"),
            "ok" if r.within_targets else f"OVER (≤{TARGETS[r.page.kind]} SQL, ≤{MAX_KB} KB)",
        )


def text_table(results):
    table = [HEADER, *rows(results)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(results):
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows(results)]
    return "\n".join(lines)


def write_markdown(path, results, figures, backend, rounds):
    """Put this run's table into ``path`` between its backend's markers, keeping the rest
    of the file (the other backend's table, the notes written by hand)."""
    section = SECTION.format(
        backend=backend,
        when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        load=", ".join(f"{value:.1f}" for value in os.getloadavg()),
        figures=figures,
        rounds=rounds,
        table=markdown_table(results),
    )
    begin, end = f"<!-- bench:{backend} -->", f"<!-- /bench:{backend} -->"
    file = Path(path)
    text = file.read_text() if file.exists() else HEADING
    if begin in text and end in text:
        before, rest = text.split(begin, 1)
        after = rest.split(end, 1)[1]
        text = f"{before}{begin}\n{section}{end}{after}"
    else:
        text = text.rstrip() + f"\n\n{begin}\n{section}{end}\n"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text)


HEADING = """# Performance

Figures written by `flask bench run` (one section per database) and by hand below them.
"""

SECTION = """## {backend}: {figures}

`flask bench run` at {when} (load average {load} on this 2-core machine), median of
{rounds} requests per page and user, in process (Flask's test client); each request of
ours is followed by the same request to bare Flask-AppBuilder over the same tables
(`app/bench/bare.py`). "SQL floor" is the page's own statements replayed straight
through the driver. Targets: lists at most 8 statements, case page and timeline at most
15, no page over 200 KB.

{table}

"""
