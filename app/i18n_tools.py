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


def set_translations(path, tsv_path):
    """Fill entries from a file of ``msgid<TAB>msgstr`` lines (for translators' batches);
    returns the msgids of the file that the catalog does not have."""
    catalog = read_catalog(path)
    unknown = []
    with open(tsv_path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or "\t" not in line:
                continue
            msgid, msgstr = line.rstrip("\n").split("\t", 1)
            message = catalog.get(msgid)
            if message is None:
                unknown.append(msgid)
                continue
            message.string = msgstr
            message.flags.discard("fuzzy")
    with open(path, "wb") as handle:
        write_po(handle, catalog, sort_output=True, omit_header=False)
    return unknown


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
    if command == "fill-english":
        for po_path in paths:
            fill_english(po_path)
    elif command == "set":  # python -m app.i18n_tools set CATALOG.po FILE.tsv
        missing = set_translations(*paths)
        if missing:
            sys.exit("not in the catalog (run make translations first): " + ", ".join(missing))
    else:
        sys.exit(f"unknown command {command!r}")
