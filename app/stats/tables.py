"""The figures as labelled tables: what a dashboard shows beside each chart and what a
spreadsheet holds, from the same numbers the API returns (no second count).

A :class:`Table` has a title, columns (header and kind: text, count, rate, days), rows
of plain values, and how to chart it (the column of the categories and the columns
of the series). Labels come from app/labels.py in the reader's language.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.labels import label, local_time

TEXT, COUNT, RATE, DAYS = "text", "count", "rate", "days"
YELLOW, RED = "#f0ad4e", "#d9534f"


@dataclass
class Column:
    header: str
    kind: str = COUNT
    color: str | None = None  # a series colour where it means something (cards)


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list
    chart: str = "bar"  # bar, line, pie or "" (no chart: a list)
    series: list = field(default_factory=list)  # indexes of the charted columns

    @property
    def chart_data(self):
        """``{"type", "categories", "series": [{"name", "data"}]}`` for app/static/js/stats.js."""
        leading = 1
        while leading < len(self.columns) and self.columns[leading].kind == TEXT:
            leading += 1  # a period and a unit name one bar together
        return {
            "type": self.chart,
            "categories": [" ".join(str(v) for v in row[:leading]) for row in self.rows],
            "series": [
                {
                    "name": str(self.columns[i].header),
                    "data": [row[i] for row in self.rows],
                    "rate": self.columns[i].kind == RATE,
                    "color": self.columns[i].color,
                }
                for i in self.series
            ],
        }


def _division(row):
    return row.get("name") or row.get("division") or "—"


# ---------------------------------------------------------------- cases


def monthly(figures):
    return Table(
        "monthly",
        _l("Cases received, accepted and finished per month"),
        [
            Column(_l("Month"), TEXT),
            Column(_l("Cases received")),
            Column(_l("Cases accepted")),
            Column(_l("Cases finished")),
        ],
        [[r["month"], r["received"], r["accepted"], r["finished"]] for r in figures["monthly"]],
        chart="line",
        series=[1, 2, 3],
    )


def on_time_by_division(figures):
    return Table(
        "on_time_by_division",
        _l("On-time completion by division"),
        [
            Column(_l("Division"), TEXT),
            Column(_l("Cases finished")),
            Column(_l("On time")),
            Column(_l("On-time rate"), RATE),
        ],
        [
            [_division(r), r["finished"], r["on_time"], r["rate"]]
            for r in figures["on_time_by_division"]
        ],
        series=[3],
    )


def on_time_by_matter(figures):
    return Table(
        "on_time_by_matter",
        _l("On-time completion by matter"),
        [
            Column(_l("Matter"), TEXT),
            Column(_l("Cases finished")),
            Column(_l("On time")),
            Column(_l("On-time rate"), RATE),
        ],
        [
            [f"{r['matter']} {r['name']}", r["finished"], r["on_time"], r["rate"]]
            for r in figures["on_time_by_matter"]
        ],
        series=[3],
    )


def working_days(figures):
    return Table(
        "working_days",
        _l("Working days used against the promised limit"),
        [
            Column(_l("Matter"), TEXT),
            Column(_l("Cases finished")),
            Column(_l("Average working days used"), DAYS),
            Column(_l("Average promised working days"), DAYS),
        ],
        [
            [f"{r['matter']} {r['name']}", r["cases"], r["average_used"], r["average_promised"]]
            for r in figures["working_days"]
        ],
        series=[2, 3],
    )


def slowest_steps(figures):
    return Table(
        "slowest_steps",
        _l("Slowest steps"),
        [
            Column(_l("Step"), TEXT),
            Column(_l("Unit"), TEXT),
            Column(_l("Tasks done")),
            Column(_l("Average working days used"), DAYS),
            Column(_l("Limit (working days)"), DAYS),
            Column(_l("Done late")),
        ],
        [
            [
                r["step"],
                r["division_name"] or "—",
                r["tasks"],
                r["average_used"],
                r["limit"],
                r["late"],
            ]
            for r in figures["slowest_steps"]
        ],
        series=[3, 4],
    )


def overdue_by_division(figures):
    return Table(
        "overdue_by_division",
        _l("Overdue by division"),
        [
            Column(_l("Unit"), TEXT),
            Column(_l("Tasks open past due")),
            Column(_l("Tasks done late")),
            Column(_l("Cases past the promised limit")),
        ],
        [
            [_division(r), r["open_overdue"], r["done_late"], r["cases_late"]]
            for r in figures["overdue_by_division"]
        ],
        series=[1, 2, 3],
    )


def delay_by_reason(figures):
    return Table(
        "delay_by_reason",
        _l("Delay reasons"),
        [Column(_l("Reason"), TEXT), Column(_l("Answers"))],
        [
            [label("delay_reason", r["reason"]), r["count"]]
            for r in figures["delay_reasons"]["by_reason"]
        ],
        chart="pie",
        series=[1],
    )


def delay_by_division(figures):
    return Table(
        "delay_by_division",
        _l("Delay reasons by unit"),
        [Column(_l("Unit"), TEXT), Column(_l("Answers"))],
        [[_division(r), r["count"]] for r in figures["delay_reasons"]["by_division"]],
        series=[1],
    )


def delay_by_handler(figures):
    return Table(
        "delay_by_handler",
        _l("Delay reasons by handler"),
        [Column(_l("Handler"), TEXT), Column(_l("Answers"))],
        [[r["name"], r["count"]] for r in figures["delay_reasons"]["by_handler"]],
        series=[1],
    )


def _cards(figures, by, key, title):
    return Table(
        key,
        title,
        [
            Column(_l("Period"), TEXT),
            Column(_l("Unit"), TEXT),
            Column(_l("Yellow cards"), color=YELLOW),
            Column(_l("Red cards"), color=RED),
        ],
        [[r["period"], _division(r), r["yellow"], r["red"]] for r in figures["cards"][by]],
        series=[2, 3],
    )


def cards_by_month(figures):
    return _cards(figures, "by_month", "cards_by_month", _l("Cards per division and month"))


def cards_by_quarter(figures):
    return _cards(figures, "by_quarter", "cards_by_quarter", _l("Cards per division and quarter"))


def _satisfaction(rows, key, title):
    return Table(
        key,
        title,
        [Column(_l("Rating"), TEXT), Column(_l("Count"))],
        [[label("satisfaction", r["level"]), r["count"]] for r in rows],
        chart="pie",
        series=[1],
    )


def case_ratings(figures):
    return _satisfaction(figures["satisfaction"], "satisfaction", _l("Applicants' ratings"))


CASE_TABLES = {
    f.__name__: f
    for f in (
        monthly,
        on_time_by_division,
        on_time_by_matter,
        working_days,
        slowest_steps,
        overdue_by_division,
        delay_by_reason,
        delay_by_division,
        delay_by_handler,
        cards_by_month,
        cards_by_quarter,
        case_ratings,
    )
}


# ---------------------------------------------------------------- petitions


def petitions_by_month(figures):
    return Table(
        "petitions_by_month",
        _l("Petitions received per month"),
        [Column(_l("Month"), TEXT), Column(_l("Petitions"))],
        [[r["month"], r["count"]] for r in figures["by_month"]],
        chart="line",
        series=[1],
    )


def petitions_by_status(figures):
    return Table(
        "petitions_by_status",
        _l("Petitions by status"),
        [Column(_l("Status"), TEXT), Column(_l("Petitions"))],
        [[label("petition_status", r["status"]), r["count"]] for r in figures["by_status"]],
        series=[1],
    )


def petitions_by_unit(figures):
    return Table(
        "petitions_by_unit",
        _l("Petitions by unit assigned"),
        [Column(_l("Unit"), TEXT), Column(_l("Petitions"))],
        [[r["name"], r["count"]] for r in figures["by_unit"]],
        series=[1],
    )


def petitions_by_category(figures):
    return Table(
        "petitions_by_category",
        _l("Petitions by category"),
        [Column(_l("Category"), TEXT), Column(_l("Petitions"))],
        [[r["name"], r["count"]] for r in figures["by_category"]],
        chart="pie",
        series=[1],
    )


def petitions_by_channel(figures):
    return Table(
        "petitions_by_channel",
        _l("Petitions by channel"),
        [Column(_l("Channel"), TEXT), Column(_l("Petitions"))],
        [[label("petition_channel", r["channel"]), r["count"]] for r in figures["by_channel"]],
        chart="pie",
        series=[1],
    )


MEASURE_LABELS = {
    "acceptance": _l("Receipt to acceptance"),
    "feedback": _l("Receipt to the unit's answer"),
    "closing": _l("Receipt to closing"),
}


def petition_working_days(figures):
    days = figures["working_days"]
    return Table(
        "petition_working_days",
        _l("Working days from receipt"),
        [
            Column(_l("Measure"), TEXT),
            Column(_l("Petitions")),
            Column(_l("Average"), DAYS),
            Column(_l("Median"), DAYS),
        ],
        [
            [MEASURE_LABELS[m], days[m]["count"], days[m]["average"], days[m]["median"]]
            for m in MEASURE_LABELS
        ],
        series=[2, 3],
    )


def petition_on_time(figures):
    acceptance, closing = figures["on_time"]["acceptance"], figures["on_time"]["closing"]
    return Table(
        "petition_on_time",
        _l("On-time acceptance and closing"),
        [
            Column(_l("Measure"), TEXT),
            Column(_l("Petitions")),
            Column(_l("On time")),
            Column(_l("On-time rate"), RATE),
        ],
        [
            [
                _l("Acceptance decided"),
                acceptance["decided"],
                acceptance["on_time"],
                acceptance["rate"],
            ],
            [_l("Closed"), closing["closed"], closing["on_time"], closing["rate"]],
        ],
        series=[3],
    )


def petition_satisfaction(figures):
    return _satisfaction(
        figures["satisfaction"], "petition_satisfaction", _l("Petitioners' satisfaction")
    )


def petition_repeats(figures):
    repeats = figures["repeats"]
    return Table(
        "petition_repeats",
        _l("Repeat petitions"),
        [Column(_l("Petitions"), COUNT), Column(_l("Repeats")), Column(_l("Repeat rate"), RATE)],
        [[repeats["petitions"], repeats["repeats"], repeats["rate"]]],
        chart="",
    )


def petition_overdue(figures):
    return Table(
        "petition_overdue",
        _l("Overdue petitions"),
        [
            Column(_l("Number"), TEXT),
            Column(_l("Status"), TEXT),
            Column(_l("Category"), TEXT),
            Column(_l("Received"), TEXT),
            Column(_l("Due"), TEXT),
        ],
        [
            [
                r["number"],
                label("petition_status", r["status"]),
                r["category"],
                local_time(r["received_at"]),
                local_time(r["due_at"]),
            ]
            for r in figures["overdue"]
        ],
        chart="",
    )


PETITION_TABLES = {
    f.__name__: f
    for f in (
        petitions_by_month,
        petitions_by_status,
        petitions_by_unit,
        petitions_by_category,
        petitions_by_channel,
        petition_working_days,
        petition_on_time,
        petition_satisfaction,
        petition_repeats,
        petition_overdue,
    )
}


def tables(builders, figures, names=None):
    return [builders[name](figures) for name in (names or builders)]
