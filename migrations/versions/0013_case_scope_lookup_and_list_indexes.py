"""row scope as an indexed lookup (case_reader); indexes for list orderings

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 03:55:34.815162

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_reader",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("division_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(division_id IS NULL) <> (user_id IS NULL)", name="ck_case_reader_one_reader"
        ),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["division_id"], ["division.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["ab_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "division_id", name="uq_case_reader_unit"),
        sa.UniqueConstraint("case_id", "user_id", name="uq_case_reader_user"),
    )
    op.create_index("ix_case_reader_lookup", "case_reader", ["case_id", "division_id", "user_id"])
    # Every unit that has or had a task in a case, and every person a task is assigned to.
    op.execute(
        "INSERT INTO case_reader (case_id, division_id) "
        "SELECT DISTINCT case_id, division_id FROM task WHERE division_id IS NOT NULL"
    )
    op.execute(
        "INSERT INTO case_reader (case_id, user_id) "
        "SELECT DISTINCT case_id, assignee_id FROM task WHERE assignee_id IS NOT NULL"
    )

    op.create_index("ix_case_flag_received_at", "case", ["flag", "received_at"])
    op.create_index("ix_case_promised_due_at", "case", ["promised_due_at"])
    op.create_index("ix_case_received_at", "case", ["received_at"])
    op.create_index("ix_case_status_received_at", "case", ["status", "received_at"])
    op.create_index("ix_task_division_status_due_at", "task", ["division_id", "status", "due_at"])
    op.create_index("ix_task_assignee_status_due_at", "task", ["assignee_id", "status", "due_at"])
    op.create_index("ix_task_done_by_done_at", "task", ["done_by_id", "done_at"])
    op.create_index("ix_task_status_due_at", "task", ["status", "due_at"])


def downgrade():
    for name in (
        "ix_task_status_due_at",
        "ix_task_done_by_done_at",
        "ix_task_division_status_due_at",
        "ix_task_assignee_status_due_at",
    ):
        op.drop_index(name, table_name="task")
    for name in (
        "ix_case_status_received_at",
        "ix_case_received_at",
        "ix_case_promised_due_at",
        "ix_case_flag_received_at",
    ):
        op.drop_index(name, table_name="case")
    op.drop_index("ix_case_reader_lookup", table_name="case_reader")
    op.drop_table("case_reader")
