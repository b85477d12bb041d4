"""公益性岗位 (issue 17 item 1): posts with places, 报名 attached to the public_welfare_post case,
placement, the monthly subsidy records and the audit trail (jiuye.welfare_posts.models).

Revision ID: 0011_welfare_posts
Revises: 0009_training
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_welfare_posts"
down_revision = "0009_training"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
TABLES = ("welfare_events", "welfare_subsidy_months", "welfare_signups", "welfare_posts")


def upgrade() -> None:
    op.create_table(
        "welfare_posts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("district", sa.String(20), nullable=False),
        sa.Column("unit", sa.String(60), nullable=False),
        sa.Column("post_type", sa.String(30), nullable=False),
        sa.Column("title", sa.String(40), nullable=False),
        sa.Column("place", sa.String(60), nullable=False),
        sa.Column("places", sa.Integer, nullable=False),
        sa.Column("filled", sa.Integer, nullable=False),
        sa.Column("duties", sa.Text),
        sa.Column("contact", sa.String(60), nullable=False),
        sa.Column("start_on", sa.Date, nullable=False),
        sa.Column("end_on", sa.Date, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("close_reason", sa.Text),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("demo", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_welfare_posts_search", "welfare_posts", ["state", "district", "end_on"])
    op.create_table(
        "welfare_signups",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("post_id", sa.Integer, sa.ForeignKey("welfare_posts.id"), nullable=False, index=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), nullable=False, index=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("phone", sa.String(20)),
        sa.Column("groups", sa.JSON, nullable=False),
        sa.Column("verdict", sa.JSON, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("term_no", sa.Integer, nullable=False),
        sa.Column("placed_on", sa.Date),
        sa.Column("term_months", sa.Integer),
        sa.Column("term_ends_on", sa.Date),
        sa.Column("term_basis", sa.Text),
        sa.Column("ended_on", sa.Date),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.UniqueConstraint("post_id", "person_id", name="uq_welfare_signups_post_person"),
    )
    op.create_table(
        "welfare_subsidy_months",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("signup_id", sa.Integer, sa.ForeignKey("welfare_signups.id"), nullable=False, index=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("wage_fen", sa.Integer),
        sa.Column("note", sa.Text),
        sa.Column("recorded_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("signup_id", "month", name="uq_welfare_subsidy_months_signup_month"),
    )
    op.create_table(
        "welfare_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("post_id", sa.Integer, sa.ForeignKey("welfare_posts.id"), index=True),
        sa.Column("signup_id", sa.Integer, sa.ForeignKey("welfare_signups.id")),
        sa.Column("comment", sa.Text),
        sa.Column("data", sa.JSON),
    )


def downgrade() -> None:
    op.drop_index("ix_welfare_posts_search", table_name="welfare_posts")
    for name in TABLES:
        op.drop_table(name)
