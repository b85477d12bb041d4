"""Rules parameter changes made in the staff console (who, when, old and new value, start date, source).

Revision ID: 0002_parameter_edits
Revises: 0001_cases
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0002_parameter_edits"
down_revision = "0001_cases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "parameter_edits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("parameter", sa.String(200), nullable=False, index=True),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("old_value", sa.JSON, nullable=True),
        sa.Column("replaced", sa.JSON, nullable=True),
        sa.Column("new_value", sa.JSON, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("comment", sa.Text, nullable=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("user_name", sa.String(50), nullable=False),
        sa.Column("user_role", sa.String(20), nullable=False),
        sa.Column("file", sa.String(300), nullable=False),
        sa.Column("sha256_before", sa.String(64), nullable=False),
        sa.Column("sha256_after", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("parameter_edits")
