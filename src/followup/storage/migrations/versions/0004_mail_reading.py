"""Reading the mailbox: where each folder's sync stopped, suggestions to confirm, return dates of
out-of-office replies (DESIGN §5)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("interactions") as table:
        table.add_column(sa.Column("returns_on", sa.Date))
    op.create_table(
        "mail_folders",
        # `account` is "user@host": one database may read more than one mailbox.
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("folder", sa.Text, nullable=False),
        sa.Column("uidvalidity", sa.BigInteger, nullable=False),
        sa.Column("highest_uid", sa.BigInteger, nullable=False),
        sa.Column("uidnext", sa.BigInteger),
        sa.Column("highest_modseq", sa.BigInteger),
        sa.Column("synced_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("account", "folder"),
    )
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("message_id", sa.Text, nullable=False),
        sa.Column("occurred_at", UTC_TIME, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("decided_at", UTC_TIME),
        sa.Column("opportunity_id", sa.Integer, sa.ForeignKey("opportunities.id", ondelete="SET NULL")),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="SET NULL")),
        sa.Column("interview_id", sa.Integer, sa.ForeignKey("interviews.id", ondelete="SET NULL")),
        sa.Column("sender", sa.Text, nullable=False),
        sa.Column("sender_name", sa.Text, nullable=False, server_default=""),
        sa.Column("organisation", sa.Text),
        sa.Column("subject", sa.Text, nullable=False, server_default=""),
        sa.Column("snippet", sa.Text, nullable=False, server_default=""),
        sa.Column("because", sa.Text, nullable=False),
        sa.UniqueConstraint("message_id", "kind", name="uq_suggestions_message_kind"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_suggestions_status", "suggestions", ["status", "occurred_at"])


def downgrade() -> None:
    op.drop_table("suggestions")
    op.drop_table("mail_folders")
    with op.batch_alter_table("interactions") as table:
        table.drop_column("returns_on")
