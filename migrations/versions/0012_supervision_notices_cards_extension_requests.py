"""supervision notices (督办) with their recipients, supervision cards (黄牌/红牌), extension requests

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 03:56:03.442860

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('card',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('cause', sa.String(length=16), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('division_id', sa.Integer(), nullable=True),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("cause IN ('task_overdue', 'case_overdue', 'repeated_yellow')", name='ck_card_cause'),
    sa.CheckConstraint("kind IN ('yellow', 'red')", name='ck_card_kind'),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['division_id'], ['division.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key', name='uq_card_key')
    )
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_card_division_month', ['division_id', 'month', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_task_id'), ['task_id'], unique=False)

    op.create_table('extension_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('division_id', sa.Integer(), nullable=True),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('extension_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'approved', 'refused')", name='ck_extension_request_status'),
    sa.CheckConstraint('days > 0', name='ck_extension_request_days'),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['division_id'], ['division.id'], ),
    sa.ForeignKeyConstraint(['extension_id'], ['extension.id'], ),
    sa.ForeignKeyConstraint(['requested_by_id'], ['ab_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('extension_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extension_request_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_extension_request_status'), ['status'], unique=False)

    op.create_table('supervision_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('division_id', sa.Integer(), nullable=True),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('delay_reason', sa.String(length=24), nullable=True),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('responded_by_id', sa.Integer(), nullable=True),
    sa.Column('responded_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('close_note', sa.Text(), nullable=True),
    sa.CheckConstraint("delay_reason IN ('awaiting_applicant', 'awaiting_department', 'field_survey', 'complex_case', 'staff_absence', 'system_fault', 'other')", name='ck_supervision_notice_delay_reason'),
    sa.CheckConstraint("status IN ('open', 'answered', 'closed')", name='ck_supervision_notice_status'),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['closed_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['division_id'], ['division.id'], ),
    sa.ForeignKeyConstraint(['responded_by_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['supervisor_id'], ['ab_user.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('supervision_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_notice_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_notice_division_id'), ['division_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_notice_status'), ['status'], unique=False)
        batch_op.create_index('ix_supervision_notice_target', ['target_type', 'target_id'], unique=False)

    op.create_table('supervision_recipient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.CheckConstraint("role IN ('handler', 'head')", name='ck_supervision_recipient_role'),
    sa.ForeignKeyConstraint(['notice_id'], ['supervision_notice.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('notice_id', 'user_id', name='uq_supervision_recipient')
    )
    with op.batch_alter_table('supervision_recipient', schema=None) as batch_op:
        batch_op.create_index('ix_supervision_recipient_user', ['user_id', 'notice_id'], unique=False)



def downgrade():
    with op.batch_alter_table('supervision_recipient', schema=None) as batch_op:
        batch_op.drop_index('ix_supervision_recipient_user')

    op.drop_table('supervision_recipient')
    with op.batch_alter_table('supervision_notice', schema=None) as batch_op:
        batch_op.drop_index('ix_supervision_notice_target')
        batch_op.drop_index(batch_op.f('ix_supervision_notice_status'))
        batch_op.drop_index(batch_op.f('ix_supervision_notice_division_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_notice_case_id'))

    op.drop_table('supervision_notice')
    with op.batch_alter_table('extension_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_extension_request_status'))
        batch_op.drop_index(batch_op.f('ix_extension_request_case_id'))

    op.drop_table('extension_request')
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_task_id'))
        batch_op.drop_index('ix_card_division_month')
        batch_op.drop_index(batch_op.f('ix_card_case_id'))

    op.drop_table('card')
