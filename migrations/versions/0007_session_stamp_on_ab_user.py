"""session stamp on ab_user: ends sessions and JWTs at logout, password change, deactivation

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 03:10:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_stamp', sa.String(length=32), nullable=True))

    # A random stamp per existing user: sessions issued before this revision carry none,
    # so every user signs in again once.
    users = sa.table('ab_user', sa.column('id', sa.Integer), sa.column('session_stamp', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update().where(users.c.id == user_id).values(session_stamp=secrets.token_hex(16))
        )

    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.alter_column('session_stamp', existing_type=sa.String(length=32), nullable=False)


def downgrade():
    with op.batch_alter_table('ab_user', schema=None) as batch_op:
        batch_op.drop_column('session_stamp')
