"""Domain models. Importing this package registers every table on FAB's metadata."""

from app.models.org import Division, DivisionKind, leader_oversight  # noqa: F401
from app.models.user import BureauUser  # noqa: F401
