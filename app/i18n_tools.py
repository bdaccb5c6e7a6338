"""Catalog helpers for `make translations` and the catalog test.

English is the source language, so the English catalog's translation of an
entry is its msgid; this fills the ones pybabel adds empty.
"""

import sys

from babel.messages.pofile import read_po, write_po


def read_catalog(path):
    with open(path, "rb") as handle:
        return read_po(handle)


def fill_english(path):
    catalog = read_catalog(path)
    for message in catalog:
        if message.id and not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with open(path, "wb") as handle:
        write_po(handle, catalog, sort_output=True, omit_header=False)


def incomplete_entries(path):
    """msgids that are untranslated or fuzzy (the header entry aside)."""
    catalog = read_catalog(path)
    bad = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            bad.append(message.id)
    return bad


if __name__ == "__main__":
    command, *paths = sys.argv[1:]
    if command != "fill-english":
        sys.exit(f"unknown command {command!r}")
    for po_path in paths:
        fill_english(po_path)
