"""Applicant accounts: phone, and whether staff have verified the identity at a window.

Self-registered accounts start unverified (they see only the cases they filed themselves); accounts
that existed before this revision were created by staff or by `jiuye demo-data` and count as verified.

Revision ID: 0003_user_identity
Revises: 0002_parameter_edits
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_user_identity"
down_revision = "0002_parameter_edits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("phone", sa.String(20), nullable=True))
        batch.add_column(sa.Column("identity_verified_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("identity_verified_by", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_users_identity_verified_by", "users", ["identity_verified_by"], ["id"])
    op.execute("UPDATE users SET identity_verified_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("fk_users_identity_verified_by", type_="foreignkey")
        batch.drop_column("identity_verified_by")
        batch.drop_column("identity_verified_at")
        batch.drop_column("phone")
