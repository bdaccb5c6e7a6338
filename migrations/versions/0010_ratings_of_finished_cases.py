"""ratings of finished cases (好差评)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 03:57:42.183353

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=24), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('rated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("level IN ('very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied')", name='ck_case_rating_level'),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', name='uq_case_rating_case')
    )
    with op.batch_alter_table('case_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_rating_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_rating_rated_at'), ['rated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('case_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_rating_rated_at'))
        batch_op.drop_index(batch_op.f('ix_case_rating_level'))

    op.drop_table('case_rating')
