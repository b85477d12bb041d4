"""创业服务 (issue 18 items 4–6): the 创业项目库 (projects, founders' interest), 孵化基地 admission
(applications, reviews with conflict-of-interest declarations, tenancies) and their audit trail
(jiuye.startup.models).

Revision ID: 0010_startup
Revises: 0006_platforms
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_startup"
down_revision = "0006_platforms"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
USERS = "users.id"


def upgrade() -> None:
    op.create_table(
        "startup_projects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey(USERS), nullable=False, index=True),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey(USERS), nullable=False),
        sa.Column("title", sa.String(60), nullable=False),
        sa.Column("mode", sa.String(30), nullable=False),
        sa.Column("sector", sa.String(30), nullable=False, index=True),
        sa.Column("district", sa.String(20), nullable=False, index=True),
        sa.Column("place", sa.String(100), nullable=False),
        sa.Column("investment_yuan", sa.Integer, nullable=False, index=True),
        sa.Column("offer", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("contact_name", sa.String(30), nullable=False),
        sa.Column("contact_phone", sa.String(20), nullable=False),
        sa.Column("state", sa.String(12), nullable=False, index=True),
        sa.Column("return_reason", sa.Text),
        sa.Column("reviewed_by_id", sa.Integer, sa.ForeignKey(USERS)),
        sa.Column("published_at", TS),
        sa.Column("demo", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "startup_interests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("startup_projects.id"), nullable=False, index=True),
        sa.Column("founder_id", sa.Integer, sa.ForeignKey(USERS), nullable=False, index=True),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("state", sa.String(12), nullable=False, index=True),
        sa.Column("due_at", TS, nullable=False, index=True),
        sa.Column("contacted_at", TS),
        sa.Column("reminded_at", TS),
        sa.Column("result", sa.Text),
        sa.Column("handled_by_id", sa.Integer, sa.ForeignKey(USERS)),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "startup_applications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("founder_id", sa.Integer, sa.ForeignKey(USERS), nullable=False, index=True),
        sa.Column("base_key", sa.String(40), nullable=False, index=True),
        sa.Column("district", sa.String(20), nullable=False, index=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("startup_projects.id")),
        sa.Column("business_name", sa.String(60), nullable=False),
        sa.Column("plan_summary", sa.Text, nullable=False),
        sa.Column("plan_file", sa.String(200)),
        sa.Column("has_employment_card", sa.Boolean, nullable=False),
        sa.Column("has_training_certificate", sa.Boolean, nullable=False),
        sa.Column("first_business", sa.Boolean, nullable=False),
        sa.Column("business_registration_date", sa.Date),
        sa.Column("planned_jobs", sa.Integer, nullable=False),
        sa.Column("months_requested", sa.Integer, nullable=False),
        sa.Column("state", sa.String(12), nullable=False, index=True),
        sa.Column("decided_on", sa.Date),
        sa.Column("decision_reason", sa.Text),
        sa.Column("decided_by_id", sa.Integer, sa.ForeignKey(USERS)),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "startup_reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("application_id", sa.Integer, sa.ForeignKey("startup_applications.id"), nullable=False, index=True),
        sa.Column("reviewer_id", sa.Integer, sa.ForeignKey(USERS), nullable=False, index=True),
        sa.Column("conflict", sa.Boolean),
        sa.Column("conflict_note", sa.Text),
        sa.Column("declared_at", TS),
        sa.Column("score", sa.Integer),
        sa.Column("comment", sa.Text),
        sa.Column("scored_at", TS),
    )
    op.create_table(
        "startup_tenancies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("application_id", sa.Integer, sa.ForeignKey("startup_applications.id"), nullable=False, unique=True),
        sa.Column("founder_id", sa.Integer, sa.ForeignKey(USERS), nullable=False, index=True),
        sa.Column("base_key", sa.String(40), nullable=False, index=True),
        sa.Column("entered_on", sa.Date, nullable=False),
        sa.Column("planned_exit_on", sa.Date, nullable=False),
        sa.Column("exited_on", sa.Date),
        sa.Column("exit_kind", sa.String(12)),
        sa.Column("jobs_created", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "startup_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey(USERS)),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("project_id", sa.Integer, index=True),
        sa.Column("application_id", sa.Integer, index=True),
        sa.Column("data", sa.JSON),
    )


def downgrade() -> None:
    for name in ("startup_events", "startup_tenancies", "startup_reviews", "startup_applications",
                 "startup_interests", "startup_projects"):
        op.drop_table(name)
