"""Training (issue 18, items 1-3): providers and their approvals, courses, training wishes,
enrolments, one-time sign-in codes and the attendance sheet, the league's digital 职业培训券, the subsidy
claims opened at completion, and the audit trail (jiuye.training.models).

Revision ID: 0009_training
Revises: 0007_gig
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_training"
down_revision = "0007_gig"  # relinked at the merge (one chain: 0006 → 0008 → 0010 → 0012 → 0007 → 0009)
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
TABLES = ("training_events", "training_claims", "training_attendance", "training_codes", "training_enrolments",
          "training_vouchers", "training_wishes", "training_courses", "training_providers")


def upgrade() -> None:
    op.create_table(
        "training_providers",
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('name', sa.String(100), nullable=False, unique=True),
        sa.Column('kind', sa.String(24), nullable=False),
        sa.Column('district', sa.String(20), nullable=False, index=True),
        sa.Column('credit_code', sa.String(18), unique=True),
        sa.Column('address', sa.String(200)),
        sa.Column('phone', sa.String(40)),
        sa.Column('approvals', sa.JSON, nullable=False),
        sa.Column('state', sa.String(12), nullable=False, index=True),
        sa.Column('approved_by_id', sa.Integer, sa.ForeignKey('users.id')),
        sa.Column('approved_at', TS),
        sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), unique=True),
        sa.Column('demo', sa.Boolean, nullable=False),
        sa.Column('sources', sa.JSON, nullable=False),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('version', sa.Integer, nullable=False),
    )
    op.create_table(
        "training_courses",
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('provider_id', sa.Integer, sa.ForeignKey('training_providers.id'), nullable=False, index=True),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('title', sa.String(100), nullable=False),
        sa.Column('occupation_code', sa.String(20), index=True),
        sa.Column('occupation_name', sa.String(60)),
        sa.Column('level', sa.String(20), nullable=False),
        sa.Column('category', sa.String(4), nullable=False),
        sa.Column('hours', sa.Integer, nullable=False),
        sa.Column('days', sa.Integer, nullable=False),
        sa.Column('start_on', sa.Date, nullable=False),
        sa.Column('end_on', sa.Date, nullable=False),
        sa.Column('district', sa.String(20), nullable=False),
        sa.Column('place', sa.String(200), nullable=False),
        sa.Column('seats', sa.Integer, nullable=False),
        sa.Column('enrolled', sa.Integer, nullable=False),
        sa.Column('price_fen', sa.Integer, nullable=False),
        sa.Column('subsidised', sa.Boolean, nullable=False),
        sa.Column('contact', sa.String(100), nullable=False),
        sa.Column('state', sa.String(12), nullable=False),
        sa.Column('opened_at', TS),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('version', sa.Integer, nullable=False),
    )
    op.create_index('ix_training_courses_search', 'training_courses', ['state', 'district', 'start_on'])
    op.create_table(
        "training_wishes",
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), nullable=False, index=True),
        sa.Column('person_id', sa.Integer, sa.ForeignKey('people.id')),
        sa.Column('kind', sa.String(12), nullable=False),
        sa.Column('district', sa.String(20), nullable=False, index=True),
        sa.Column('occupation_code', sa.String(20)),
        sa.Column('note', sa.Text),
        sa.Column('phone', sa.String(20)),
        sa.Column('state', sa.String(12), nullable=False, index=True),
        sa.Column('provider_id', sa.Integer, sa.ForeignKey('training_providers.id')),
        sa.Column('course_id', sa.Integer, sa.ForeignKey('training_courses.id')),
        sa.Column('answer', sa.Text),
        sa.Column('answered_at', TS),
        sa.Column('created_at', TS, nullable=False),
    )
    op.create_table(
        "training_vouchers",
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('number', sa.String(20), nullable=False, unique=True),
        sa.Column('person_id', sa.Integer, sa.ForeignKey('people.id'), nullable=False, index=True),
        sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), index=True),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('course_kind', sa.String(20), nullable=False),
        sa.Column('district', sa.String(20), nullable=False),
        sa.Column('state', sa.String(10), nullable=False, index=True),
        sa.Column('issued_on', sa.Date, nullable=False, index=True),
        sa.Column('expires_on', sa.Date, nullable=False),
        sa.Column('used_on', sa.Date),
        sa.Column('closed_on', sa.Date),
        sa.Column('issued_by_id', sa.Integer, sa.ForeignKey('users.id')),
    )
    op.create_table(
        "training_enrolments",
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('course_id', sa.Integer, sa.ForeignKey('training_courses.id'), nullable=False, index=True),
        sa.Column('person_id', sa.Integer, sa.ForeignKey('people.id'), nullable=False, index=True),
        sa.Column('user_id', sa.Integer, sa.ForeignKey('users.id'), index=True),
        sa.Column('phone', sa.String(20)),
        sa.Column('profile', sa.JSON, nullable=False),
        sa.Column('voucher_id', sa.Integer, sa.ForeignKey('training_vouchers.id')),
        sa.Column('paid_by_learner', sa.Boolean, nullable=False),
        sa.Column('state', sa.String(12), nullable=False, index=True),
        sa.Column('result', sa.String(10)),
        sa.Column('certificate_kind', sa.String(30)),
        sa.Column('certificate_no', sa.String(60)),
        sa.Column('completed_on', sa.Date),
        sa.Column('created_at', TS, nullable=False),
        sa.Column('version', sa.Integer, nullable=False),
        sa.UniqueConstraint('course_id', 'person_id', name='uq_training_enrolment'),
    )
    op.create_table(
        "training_codes",
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('course_id', sa.Integer, sa.ForeignKey('training_courses.id'), nullable=False, index=True),
        sa.Column('day', sa.Date, nullable=False),
        sa.Column('code', sa.String(12), nullable=False),
        sa.Column('expires_at', TS, nullable=False),
        sa.Column('created_at', TS, nullable=False),
    )
    op.create_table(
        "training_attendance",
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('enrolment_id', sa.Integer, sa.ForeignKey('training_enrolments.id'), nullable=False, index=True),
        sa.Column('course_id', sa.Integer, sa.ForeignKey('training_courses.id'), nullable=False, index=True),
        sa.Column('day', sa.Date, nullable=False),
        sa.Column('at', TS, nullable=False),
        sa.Column('method', sa.String(10), nullable=False),
        sa.Column('latitude', sa.Float),
        sa.Column('longitude', sa.Float),
        sa.Column('location_consent', sa.Boolean, nullable=False),
        sa.Column('by_user_id', sa.Integer, sa.ForeignKey('users.id')),
        sa.UniqueConstraint('enrolment_id', 'day', name='uq_training_attendance_day'),
    )
    op.create_table(
        "training_claims",
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('enrolment_id', sa.Integer, sa.ForeignKey('training_enrolments.id'), nullable=False, index=True),
        sa.Column('person_id', sa.Integer, sa.ForeignKey('people.id'), nullable=False, index=True),
        sa.Column('policy', sa.String(60), nullable=False),
        sa.Column('payee', sa.String(10), nullable=False),
        sa.Column('state', sa.String(20), nullable=False, index=True),
        sa.Column('case_id', sa.Integer, sa.ForeignKey('cases.id')),
        sa.Column('amount_fen', sa.Integer),
        sa.Column('screening_status', sa.String(20)),
        sa.Column('reason', sa.Text),
        sa.Column('flags', sa.JSON, nullable=False),
        sa.Column('paid', sa.Boolean, nullable=False),
        sa.Column('year', sa.Integer, nullable=False, index=True),
        sa.Column('occupation_code', sa.String(20)),
        sa.Column('level', sa.String(20)),
        sa.Column('created_at', TS, nullable=False),
        sa.UniqueConstraint('enrolment_id', 'policy', name='uq_training_claim'),
    )
    op.create_table(
        "training_events",
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('at', TS, nullable=False),
        sa.Column('actor_id', sa.Integer, sa.ForeignKey('users.id')),
        sa.Column('actor_role', sa.String(20), nullable=False),
        sa.Column('kind', sa.String(30), nullable=False, index=True),
        sa.Column('provider_id', sa.Integer, sa.ForeignKey('training_providers.id'), index=True),
        sa.Column('course_id', sa.Integer, sa.ForeignKey('training_courses.id'), index=True),
        sa.Column('enrolment_id', sa.Integer, sa.ForeignKey('training_enrolments.id')),
        sa.Column('comment', sa.Text),
        sa.Column('data', sa.JSON),
    )


def downgrade() -> None:
    op.drop_index("ix_training_courses_search", table_name="training_courses")
    for name in TABLES:
        op.drop_table(name)
