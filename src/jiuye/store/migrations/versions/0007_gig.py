"""零工市场 (issue 16, item 2): workers' availability, short jobs, matches with both sides'
confirmations, wage-arrears reports and the audit trail (jiuye.gig.models).

Revision ID: 0007_gig
Revises: 0012_window
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_gig"
down_revision = "0012_window"  # relinked at the merge (one chain: 0006 → 0008 → 0010 → 0012 → 0007)
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "gig_workers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("occupation_code", sa.String(20), nullable=False, index=True),
        sa.Column("occupation_text", sa.String(50), nullable=False),
        sa.Column("district", sa.String(20), nullable=False, index=True),
        sa.Column("town", sa.String(50)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("available_from", sa.Date, nullable=False),
        sa.Column("available_to", sa.Date, nullable=False),
        sa.Column("daily_rate_fen", sa.Integer, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("state", sa.String(12), nullable=False, index=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "gig_jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("poster_user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("poster_kind", sa.String(12), nullable=False),
        sa.Column("poster_name", sa.String(100), nullable=False),
        sa.Column("poster_phone", sa.String(20), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("occupation_code", sa.String(20), nullable=False, index=True),
        sa.Column("occupation_text", sa.String(50), nullable=False),
        sa.Column("district", sa.String(20), nullable=False, index=True),
        sa.Column("town", sa.String(50)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("start_on", sa.Date, nullable=False),
        sa.Column("end_on", sa.Date, nullable=False),
        sa.Column("pay_type", sa.String(8), nullable=False),
        sa.Column("pay_fen", sa.Integer, nullable=False),
        sa.Column("piece_unit", sa.String(20)),
        sa.Column("people_needed", sa.Integer, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("state", sa.String(12), nullable=False, index=True),
        sa.Column("filled_at", TS),
        sa.Column("created_at", TS, nullable=False, index=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_gig_jobs_board", "gig_jobs", ["state", "district", "created_at"])
    op.create_table(
        "gig_matches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("job_id", sa.Integer, sa.ForeignKey("gig_jobs.id"), nullable=False, index=True),
        sa.Column("worker_id", sa.Integer, sa.ForeignKey("gig_workers.id"), nullable=False, index=True),
        sa.Column("started_by", sa.String(8), nullable=False),
        sa.Column("state", sa.String(12), nullable=False, index=True),
        sa.Column("worker_accepted_at", TS),
        sa.Column("poster_accepted_at", TS),
        sa.Column("closed_at", TS),
        sa.Column("days_worked", sa.Integer),
        sa.Column("worker_worked_at", TS),
        sa.Column("poster_worked_at", TS),
        sa.Column("worker_paid_at", TS),
        sa.Column("poster_paid_at", TS),
        sa.Column("unpaid_at", TS),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.UniqueConstraint("job_id", "worker_id", name="uq_gig_matches_job_worker"),
    )
    op.create_table(
        "gig_arrears",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("match_id", sa.Integer, sa.ForeignKey("gig_matches.id"), nullable=False, unique=True),
        sa.Column("district", sa.String(20), nullable=False, index=True),
        sa.Column("job_title", sa.String(100), nullable=False),
        sa.Column("days", sa.Integer),
        sa.Column("amount_fen", sa.Integer),
        sa.Column("note", sa.Text),
        sa.Column("reported_at", TS, nullable=False),
        sa.Column("reported_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), index=True),
        sa.Column("case_error", sa.Text),
        sa.Column("escalated_at", TS),
        sa.Column("handled", sa.Boolean, nullable=False),
    )
    op.create_table(
        "gig_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False, index=True),
        sa.Column("job_id", sa.Integer, sa.ForeignKey("gig_jobs.id"), index=True),
        sa.Column("worker_id", sa.Integer, sa.ForeignKey("gig_workers.id"), index=True),
        sa.Column("match_id", sa.Integer, sa.ForeignKey("gig_matches.id"), index=True),
        sa.Column("comment", sa.Text),
        sa.Column("data", sa.JSON),
    )


def downgrade() -> None:
    for table in ("gig_events", "gig_arrears", "gig_matches"):
        op.drop_table(table)
    op.drop_index("ix_gig_jobs_board", table_name="gig_jobs")
    op.drop_table("gig_jobs")
    op.drop_table("gig_workers")
