"""Test databases: one migrated and seeded template per run, a fresh copy per test.

SQLite: the template is a file, copied for each test. PostgreSQL (when
TEST_DATABASE_URL is set): the template is a database, cloned with
``CREATE DATABASE ... TEMPLATE``, which takes a fraction of a migration's time.
"""

import os
import shutil
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def on_postgres():
    return bool(TEST_DATABASE_URL)


class SqliteDatabases:
    def __init__(self, folder):
        self.folder = folder
        self.template = folder / "template.db"

    def template_url(self):
        return f"sqlite:///{self.template}"

    def fresh_url(self):
        path = self.folder / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def empty_url(self):
        return f"sqlite:///{self.folder / uuid.uuid4().hex}.db"

    def restore(self, url):
        """Put the template's content back into ``url`` (its engine must be disposed)."""
        shutil.copyfile(self.template, make_url(url).database)

    def drop(self, url):
        path = make_url(url).database
        if path and os.path.exists(path):
            os.remove(path)


class PostgresDatabases:
    def __init__(self, url):
        self.url = make_url(url)
        self.prefix = f"{self.url.database}_{uuid.uuid4().hex[:6]}"
        self.server = create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        self.template_name = f"{self.prefix}_tmpl"
        self._create(self.template_name)

    def _create(self, name, template=None):
        suffix = f' TEMPLATE "{template}"' if template else ""
        with self.server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))

    def template_url(self):
        return self.url.set(database=self.template_name).render_as_string(hide_password=False)

    def fresh_url(self):
        name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
        self._create(name, template=self.template_name)
        return self.url.set(database=name).render_as_string(hide_password=False)

    def empty_url(self):
        name = f"{self.prefix}_{uuid.uuid4().hex[:8]}"
        self._create(name)
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop(self, url):
        name = make_url(url).database
        with self.server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def restore(self, url):
        """Recreate ``url`` from the template (its engine must be disposed)."""
        self.drop(url)
        self._create(make_url(url).database, template=self.template_name)

    def close(self):
        self.drop(self.template_url())
        self.server.dispose()
