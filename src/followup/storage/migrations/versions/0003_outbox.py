"""The outbox: each touch's note from draft to sent (DESIGN §5)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        # One note per touch; NULL for notes of no touch (none yet, kept for later kinds).
        sa.Column("touch_id", sa.Integer, sa.ForeignKey("touches.id", ondelete="CASCADE"), unique=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE")),
        sa.Column("opportunity_id", sa.Integer, sa.ForeignKey("opportunities.id", ondelete="CASCADE")),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("from_name", sa.Text, nullable=False),
        sa.Column("from_address", sa.Text, nullable=False),
        sa.Column("to_name", sa.Text, nullable=False),
        sa.Column("to_address", sa.Text, nullable=False),
        sa.Column("in_reply_to", sa.Text),
        sa.Column("refs", sa.Text, nullable=False, server_default=""),
        sa.Column("message_id", sa.Text, unique=True),
        sa.Column("date", UTC_TIME),
        sa.Column("send_after", UTC_TIME),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", UTC_TIME),
        sa.Column("last_error", sa.Text),
        sa.Column("edited", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("sent_at", UTC_TIME),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_state_send_after", "outbox", ["state", "send_after"])


def downgrade() -> None:
    op.drop_table("outbox")
