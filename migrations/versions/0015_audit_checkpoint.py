"""audit anchor every N events (audit_checkpoint), append-only like the trail

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 07:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLE = "audit_checkpoint"


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":  # the function audit_append_only() comes from 0006
        op.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
            f"ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"
        )
    elif dialect == "sqlite":
        for operation in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{operation.lower()} BEFORE {operation} "
                f"ON {TABLE} BEGIN SELECT RAISE(ABORT, "
                f"'the audit trail is append-only: {operation} on {TABLE} refused'); END"
            )


def downgrade():
    op.drop_table(TABLE)
