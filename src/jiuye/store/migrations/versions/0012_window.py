"""Filing at the window (issue 17, item 2): the materials received / missing of each case filed by
staff, with its receipt number, and the 《就业创业证》 number recorded for a person
(jiuye.cases.window_models).

Revision ID: 0012_window
Revises: 0010_startup
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_window"
down_revision = "0010_startup"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "window_filings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, unique=True),
        sa.Column("receipt_no", sa.String(40), nullable=False, unique=True),
        sa.Column("received", sa.JSON, nullable=False),
        sa.Column("missing", sa.JSON, nullable=False),
        sa.Column("not_applicable", sa.JSON, nullable=False),
        sa.Column("office_id", sa.Integer, sa.ForeignKey("offices.id")),
        sa.Column("filed_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("filed_at", TS, nullable=False),
    )
    op.create_table(
        "employment_cards",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False, unique=True),
        sa.Column("number", sa.String(30), nullable=False, unique=True),
        sa.Column("recorded_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("employment_cards")
    op.drop_table("window_filings")
