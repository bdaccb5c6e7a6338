"""Statistics that count themselves (DESIGN §3–5): case and petition figures computed in
the database with grouped statements, a constant number of them whatever the data.

- :mod:`app.stats.filters`: the filters of a request, checked (400 on a bad one) and
  narrowed to the user's scope (app/security/scope.py ``stats_division_ids``);
- :mod:`app.stats.workdays`: working days between two moments, as an SQL expression
  against the calendar table;
- :mod:`app.stats.cases`, :mod:`app.stats.petitions`: one function per figure;
- :mod:`app.stats.tables`: the figures as labelled tables (dashboards and exports);
- :mod:`app.stats.spreadsheet`: every figure as XLSX, filters in the header row;
- :mod:`app.stats.panels`: the home page's headline figures (leaders, Supervisor).
"""
