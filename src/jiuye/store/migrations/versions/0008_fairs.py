"""招聘会 and 直播带岗 (issue 16, items 3 and 4): fairs, booths with their materials, featured posts,
visitors with their check-in code, intentions with their follow-up clock, the audit trail
(jiuye.fairs.models).

Revision ID: 0008_fairs
Revises: 0006_platforms
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_fairs"
down_revision = "0006_platforms"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "fair_fairs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False, index=True),
        sa.Column("series", sa.String(40), unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False, index=True),
        sa.Column("starts_at", TS, nullable=False),
        sa.Column("ends_at", TS, nullable=False),
        sa.Column("place", sa.String(100)),
        sa.Column("platform", sa.String(200)),
        sa.Column("district", sa.String(20), nullable=False, index=True),
        sa.Column("booths", sa.Integer, nullable=False),
        sa.Column("assign_mode", sa.String(12), nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("state", sa.String(12), nullable=False, index=True),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "fair_booths",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fair_id", sa.Integer, sa.ForeignKey("fair_fairs.id"), nullable=False, index=True),
        sa.Column("employer_id", sa.Integer, sa.ForeignKey("market_employers.id"), nullable=False, index=True),
        sa.Column("employer_name", sa.String(100), nullable=False),
        sa.Column("sector", sa.String(30)),
        sa.Column("contact_name", sa.String(50)),
        sa.Column("phone", sa.String(20)),
        sa.Column("materials", sa.JSON, nullable=False),
        sa.Column("posting_ids", sa.JSON, nullable=False),
        sa.Column("state", sa.String(12), nullable=False, index=True),
        sa.Column("booth_no", sa.Integer),
        sa.Column("reason", sa.Text),
        sa.Column("applied_at", TS, nullable=False),
        sa.Column("decided_at", TS),
        sa.Column("decided_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.UniqueConstraint("fair_id", "employer_id", name="uq_fair_booths_employer"),
        sa.UniqueConstraint("fair_id", "booth_no", name="uq_fair_booths_no"),
    )
    op.create_table(
        "fair_features",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fair_id", sa.Integer, sa.ForeignKey("fair_fairs.id"), nullable=False, index=True),
        sa.Column("posting_id", sa.Integer, sa.ForeignKey("market_postings.id"), nullable=False),
        sa.Column("added_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("added_at", TS, nullable=False),
        sa.UniqueConstraint("fair_id", "posting_id", name="uq_fair_features_post"),
    )
    op.create_table(
        "fair_visitors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fair_id", sa.Integer, sa.ForeignKey("fair_fairs.id"), nullable=False, index=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False, index=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), index=True),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("registered_at", TS, nullable=False),
        sa.Column("checked_in_at", TS),
        sa.Column("checked_in_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.UniqueConstraint("fair_id", "phone", name="uq_fair_visitors_phone"),
    )
    op.create_table(
        "fair_intentions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fair_id", sa.Integer, sa.ForeignKey("fair_fairs.id"), nullable=False, index=True),
        sa.Column("booth_id", sa.Integer, sa.ForeignKey("fair_booths.id"), index=True),
        sa.Column("visitor_id", sa.Integer, sa.ForeignKey("fair_visitors.id"), nullable=False, index=True),
        sa.Column("posting_id", sa.Integer, sa.ForeignKey("market_postings.id")),
        sa.Column("posting_title", sa.String(100)),
        sa.Column("note", sa.Text),
        sa.Column("recorded_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("opens_at", TS, nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("opened_at", TS),
        sa.Column("overdue_at", TS),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("outcome", sa.String(12)),
        sa.Column("outcome_note", sa.Text),
        sa.Column("followed_up_at", TS),
        sa.Column("followed_up_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("hired_on", sa.Date),
        sa.Column("check_due_on", sa.Date),
        sa.Column("still_working", sa.Boolean),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_fair_intentions_queue", "fair_intentions", ["state", "due_at"])
    op.create_table(
        "fair_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False, index=True),
        sa.Column("fair_id", sa.Integer, sa.ForeignKey("fair_fairs.id"), index=True),
        sa.Column("booth_id", sa.Integer, sa.ForeignKey("fair_booths.id")),
        sa.Column("visitor_id", sa.Integer, sa.ForeignKey("fair_visitors.id")),
        sa.Column("intention_id", sa.Integer, sa.ForeignKey("fair_intentions.id")),
        sa.Column("comment", sa.Text),
        sa.Column("data", sa.JSON),
    )


def downgrade() -> None:
    op.drop_index("ix_fair_intentions_queue", table_name="fair_intentions")
    for table in ("fair_events", "fair_intentions", "fair_visitors", "fair_features", "fair_booths", "fair_fairs"):
        op.drop_table(table)
