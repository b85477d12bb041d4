"""打工直通车 (issue 16, item 1): the station registry, sign-ups with their follow-up clock and path,
contact attempts, group sign-ups and the audit trail (jiuye.platforms.models).

Revision ID: 0006_platforms
Revises: 0005_market
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_platforms"
down_revision = "0005_market"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "dagong_stations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(40), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("district", sa.String(20), nullable=False, index=True),
        sa.Column("town", sa.String(50)),
        sa.Column("village", sa.String(50)),
        sa.Column("master_name", sa.String(50)),
        sa.Column("phone", sa.String(20)),
        sa.Column("terminal", sa.String(100)),
        sa.Column("demo", sa.Boolean, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("master_user_id", sa.Integer, sa.ForeignKey("users.id"), unique=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "dagong_groups",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("station_id", sa.Integer, sa.ForeignKey("dagong_stations.id"), nullable=False, index=True),
        sa.Column("posting_id", sa.Integer, sa.ForeignKey("market_postings.id"), nullable=False, index=True),
        sa.Column("posting_title", sa.String(100), nullable=False),
        sa.Column("employer_name", sa.String(100)),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("departure_at", TS, nullable=False),
        sa.Column("departure_place", sa.String(100), nullable=False),
        sa.Column("escort_name", sa.String(50), nullable=False),
        sa.Column("escort_phone", sa.String(20), nullable=False),
        sa.Column("contact_name", sa.String(50)),
        sa.Column("contact_phone", sa.String(20)),
        sa.Column("note", sa.Text),
        sa.Column("state", sa.String(12), nullable=False, index=True),
        sa.Column("departed_at", TS),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "dagong_signups",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("station_id", sa.Integer, sa.ForeignKey("dagong_stations.id"), index=True),
        sa.Column("posting_id", sa.Integer, sa.ForeignKey("market_postings.id"), nullable=False, index=True),
        sa.Column("posting_title", sa.String(100), nullable=False),
        sa.Column("employer_name", sa.String(100)),
        sa.Column("district", sa.String(20), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False, index=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), index=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("client_token", sa.String(64), unique=True),
        sa.Column("note", sa.Text),
        sa.Column("group_id", sa.Integer, sa.ForeignKey("dagong_groups.id"), index=True),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("due_at", TS, nullable=False),
        sa.Column("contacted_at", TS),
        sa.Column("escalated_at", TS),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("recommended_at", TS),
        sa.Column("recommended_posting_id", sa.Integer, sa.ForeignKey("market_postings.id")),
        sa.Column("market_seeker_id", sa.Integer),
        sa.Column("market_application_id", sa.Integer),
        sa.Column("departed_at", TS),
        sa.Column("started_on", sa.Date),
        sa.Column("followup_due_on", sa.Date, index=True),
        sa.Column("followed_up_at", TS),
        sa.Column("still_working", sa.Boolean),
        sa.Column("close_reason", sa.String(20)),
        sa.Column("closed_at", TS),
        sa.Column("outcome_note", sa.Text),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_dagong_signups_queue", "dagong_signups", ["district", "state", "due_at"])
    op.create_index("ix_dagong_signups_clock", "dagong_signups", ["state", "due_at"])
    op.create_table(
        "dagong_contacts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("signup_id", sa.Integer, sa.ForeignKey("dagong_signups.id"), nullable=False, index=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("by_user_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("channel", sa.String(12), nullable=False),
        sa.Column("result", sa.String(16), nullable=False),
        sa.Column("note", sa.Text),
    )
    op.create_table(
        "dagong_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False, index=True),
        sa.Column("station_id", sa.Integer, sa.ForeignKey("dagong_stations.id"), index=True),
        sa.Column("signup_id", sa.Integer, sa.ForeignKey("dagong_signups.id"), index=True),
        sa.Column("group_id", sa.Integer, sa.ForeignKey("dagong_groups.id"), index=True),
        sa.Column("comment", sa.Text),
        sa.Column("data", sa.JSON),
    )


def downgrade() -> None:
    op.drop_index("ix_dagong_signups_clock", table_name="dagong_signups")
    op.drop_index("ix_dagong_signups_queue", table_name="dagong_signups")
    for table in ("dagong_events", "dagong_contacts", "dagong_signups", "dagong_groups", "dagong_stations"):
        op.drop_table(table)
