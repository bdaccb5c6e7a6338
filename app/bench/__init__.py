"""The benchmark: bureau-scale data (seed.py), the pages measured (pages.py), how they
are measured (measure.py) and bare Flask-AppBuilder over the same tables (bare.py)."""
