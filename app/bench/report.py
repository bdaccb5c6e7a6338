"""The benchmark's table: printed, and written to docs/PERFORMANCE.md."""

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
    from datetime import UTC, datetime
    from pathlib import Path

    text = MARKDOWN.format(
        when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        figures=figures,
        backend=backend,
        rounds=rounds,
        table=markdown_table(results),
    )
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text)


MARKDOWN = """# Performance

Written by `flask bench run` ({when}), {backend}, {figures}; median of {rounds} requests
per page and user, in process (Flask's test client), each request of ours followed by the
same request to bare Flask-AppBuilder over the same tables (`app/bench/bare.py`).
"SQL floor" is the page's own statements replayed straight through the driver.

{table}
"""
