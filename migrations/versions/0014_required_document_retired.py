"""required documents can be retired: a catalog import keeps the ones cases refer to

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 07:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("required_document") as batch_op:
        batch_op.add_column(
            sa.Column("retired", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table("required_document") as batch_op:
        batch_op.drop_column("retired")
