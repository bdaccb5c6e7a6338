"""File storage behind one interface: a folder outside the web root by default.

An S3-compatible bucket (for several machines) implements the same methods,
``save`` and ``read``; ``storage_for(app)`` picks the backend from ``STORAGE_BACKEND``.
"""

import secrets
from pathlib import Path


class LocalStorage:
    """Files in one folder, under random names only (no user input reaches a path)."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def save(self, data: bytes) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = secrets.token_hex(16)
        path = self.folder / name
        with open(path, "xb") as handle:
            handle.write(data)
        return name

    def read(self, name: str) -> bytes:
        return (self.folder / self._checked(name)).read_bytes()

    @staticmethod
    def _checked(name):
        if not name.isalnum():
            raise ValueError("not a stored file name")
        return name


def storage_for(app):
    backend = app.config.get("STORAGE_BACKEND", "local")
    if backend != "local":
        raise RuntimeError(f"unknown STORAGE_BACKEND {backend!r}")
    return LocalStorage(app.config["UPLOAD_FOLDER"])
