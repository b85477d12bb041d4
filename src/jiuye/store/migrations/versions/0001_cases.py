"""Cases: offices, people, enterprises, users, tokens, cases, the audit trail and attachments.

Revision ID: 0001_cases
Revises:
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_cases"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "offices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("district", sa.String(20), nullable=False, index=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("offices.id")),
        sa.Column("phone", sa.String(40)),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("id_number", sa.String(18), nullable=False, unique=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "enterprises",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("credit_code", sa.String(18), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("district", sa.String(20), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(50), nullable=False, unique=True),
        sa.Column("display_name", sa.String(50), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("district", sa.String(20)),
        sa.Column("office_id", sa.Integer, sa.ForeignKey("offices.id")),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id")),
        sa.Column("enterprise_id", sa.Integer, sa.ForeignKey("enterprises.id")),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "auth_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("revoked_at", TS),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("procedure", sa.String(60), nullable=False, index=True),
        sa.Column("policy", sa.String(60), nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("district", sa.String(20), nullable=False, index=True),
        sa.Column("office_id", sa.Integer, sa.ForeignKey("offices.id")),
        sa.Column("assigned_office_id", sa.Integer, sa.ForeignKey("offices.id"), index=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id"), index=True),
        sa.Column("enterprise_id", sa.Integer, sa.ForeignKey("enterprises.id"), index=True),
        sa.Column("applicant_user_id", sa.Integer, sa.ForeignKey("users.id"), index=True),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("state_entered_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, index=True),
        sa.Column("due_approximate", sa.Boolean, nullable=False),
        sa.Column("due_note", sa.Text),
        sa.Column("final", sa.Boolean, nullable=False, index=True),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("screening", sa.JSON, nullable=False),
        sa.Column("screening_as_of", sa.Date, nullable=False),
        sa.Column("screening_status", sa.String(30), nullable=False),
        sa.Column("amount_fen", sa.BigInteger),
        sa.Column("dedupe_key", sa.String(64), unique=True),
        sa.CheckConstraint("version >= 1", name="ck_cases_version_positive"),
        sa.CheckConstraint("person_id IS NOT NULL OR enterprise_id IS NOT NULL", name="ck_cases_has_applicant"),
    )
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("transition_no", sa.Integer),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("actor_name", sa.String(50), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("from_state", sa.String(40)),
        sa.Column("to_state", sa.String(40)),
        sa.Column("comment", sa.Text),
        sa.Column("data", sa.JSON),
        sa.UniqueConstraint("case_id", "transition_no", name="uq_case_events_transition"),
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("material", sa.Text, nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storage_path", sa.String(300), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("uploaded_at", TS, nullable=False),
    )
    # The audit trail is append-only, enforced by the database itself.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION case_events_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'case_events is append-only (审计记录只能追加，不能修改或删除)';
            END $$ LANGUAGE plpgsql
        """)
        op.execute("""CREATE TRIGGER case_events_no_update BEFORE UPDATE OR DELETE ON case_events
                      FOR EACH ROW EXECUTE FUNCTION case_events_append_only()""")
        op.execute("""CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
                      FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only()""")
    else:
        for what in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER case_events_no_{what.lower()} BEFORE {what} ON case_events
                           BEGIN SELECT RAISE(ABORT, 'case_events is append-only (审计记录只能追加，不能修改或删除)'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS case_events_no_update ON case_events")
        op.execute("DROP TRIGGER IF EXISTS case_events_no_truncate ON case_events")
        op.execute("DROP FUNCTION IF EXISTS case_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS case_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS case_events_no_delete")
    for table in ("attachments", "case_events", "cases", "auth_tokens", "users", "enterprises", "people", "offices"):
        op.drop_table(table)
