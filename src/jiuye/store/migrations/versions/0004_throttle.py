"""Throttle counters (login failures, registrations, application submits) shared by every worker
process: one row per key ("login:account:<name>", "login:address:<ip>", …).

Revision ID: 0004_throttle
Revises: 0003_user_identity
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_throttle"
down_revision = "0003_user_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "throttle",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("throttle")
