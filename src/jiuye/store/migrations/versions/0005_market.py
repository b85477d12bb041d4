"""The labour market (issue 15): employers and agencies, 求职登记, posts and their review,
applications, the audit trail, the notification outbox and SMS opt-outs (jiuye.market.models).

Revision ID: 0005_market
Revises: 0004_throttle
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_market"
down_revision = "0004_throttle"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "market_employers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("enterprise_id", sa.Integer, sa.ForeignKey("enterprises.id"), nullable=False, unique=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("licence_no", sa.String(60)),
        sa.Column("contact_name", sa.String(50)),
        sa.Column("phone", sa.String(20)),
        sa.Column("district", sa.String(20), nullable=False, index=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "market_seekers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False, index=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), index=True),
        sa.Column("phone", sa.String(20)),
        sa.Column("district", sa.String(20), nullable=False, index=True),
        sa.Column("state", sa.String(12), nullable=False, index=True),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("occupation", sa.String(20), index=True),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("office_id", sa.Integer, sa.ForeignKey("offices.id")),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("registered_on", sa.Date, nullable=False, index=True),
        sa.Column("expires_on", sa.Date, nullable=False, index=True),
        sa.Column("reminded_on", sa.Date),
        sa.Column("confirmed_on", sa.Date),
        sa.Column("closed_on", sa.Date),
        sa.Column("outcome", sa.String(20)),
        sa.Column("outcome_note", sa.Text),
        sa.Column("hired_posting_id", sa.Integer),
        sa.Column("notify_matches", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "market_postings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("employer_id", sa.Integer, sa.ForeignKey("market_employers.id"), nullable=False, index=True),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("occupation_code", sa.String(20), index=True),
        sa.Column("district", sa.String(20), index=True),
        sa.Column("scope_district", sa.String(20), nullable=False, index=True),
        sa.Column("wage_min", sa.Float),
        sa.Column("wage_max", sa.Float),
        sa.Column("wage_unit", sa.String(10), nullable=False),
        sa.Column("places", sa.Integer, nullable=False),
        sa.Column("places_left", sa.Integer, nullable=False),
        sa.Column("valid_through", sa.Date, index=True),
        sa.Column("state", sa.String(12), nullable=False, index=True),
        sa.Column("flags", sa.JSON, nullable=False),
        sa.Column("review_note", sa.Text),
        sa.Column("reviewed_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("reviewed_at", TS),
        sa.Column("submitted_at", TS),
        sa.Column("published_on", sa.Date, index=True),
        sa.Column("closed_on", sa.Date),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "market_applications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("posting_id", sa.Integer, sa.ForeignKey("market_postings.id"), nullable=False, index=True),
        sa.Column("seeker_id", sa.Integer, sa.ForeignKey("market_seekers.id"), nullable=False, index=True),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("recommended_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("state", sa.String(12), nullable=False, index=True),
        sa.Column("note", sa.Text),
        sa.Column("interview_at", TS),
        sa.Column("interview_place", sa.String(200)),
        sa.Column("outcome_reason", sa.Text),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("answered_at", TS),
        sa.Column("decided_at", TS),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.UniqueConstraint("posting_id", "seeker_id", name="uq_market_applications_pair"),
    )
    op.create_table(
        "market_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False, index=True),
        sa.Column("posting_id", sa.Integer, sa.ForeignKey("market_postings.id"), index=True),
        sa.Column("seeker_id", sa.Integer, sa.ForeignKey("market_seekers.id"), index=True),
        sa.Column("application_id", sa.Integer, sa.ForeignKey("market_applications.id"), index=True),
        sa.Column("comment", sa.Text),
        sa.Column("data", sa.JSON),
    )
    op.create_table(
        "market_outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False, index=True),
        sa.Column("channel", sa.String(10), nullable=False, index=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), index=True),
        sa.Column("phone", sa.String(20), index=True),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("link", sa.String(200)),
        sa.Column("state", sa.String(10), nullable=False, index=True),
        sa.Column("reason", sa.String(30)),
        sa.Column("sender", sa.String(40)),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("sent_at", TS),
        sa.Column("error", sa.Text),
        sa.Column("read_at", TS),
        sa.Column("dedupe_key", sa.String(120), unique=True),
    )
    op.create_table(
        "market_optouts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("phone", sa.String(20), nullable=False, unique=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
    )


def downgrade() -> None:
    for table in ("market_optouts", "market_outbox", "market_events", "market_applications", "market_postings",
                  "market_seekers", "market_employers"):
        op.drop_table(table)
