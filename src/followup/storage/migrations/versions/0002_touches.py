"""Touches the planner proposed, the user's decisions on them, and planning metadata."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "touches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        # The planner's identity for the situation ("check-in/12/1"): re-planning finds the same row,
        # so short ids, decisions and calendar UIDs stay stable.
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE")),
        sa.Column("opportunity_id", sa.Integer, sa.ForeignKey("opportunities.id", ondelete="CASCADE")),
        sa.Column("due_from", UTC_TIME, nullable=False),
        sa.Column("due_by", UTC_TIME, nullable=False),
        sa.Column("send_at", UTC_TIME, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("template", sa.Text, nullable=False),
        sa.Column("trigger_id", sa.Integer),
        sa.Column("trigger_at", UTC_TIME, nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("round", sa.Integer, nullable=False, server_default="1"),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("cancel_reason", sa.Text),
        sa.Column("how", sa.Text, nullable=False, server_default=""),
        # Raised whenever the due time changes, so a subscribed calendar updates its copy.
        sa.Column("sequence", sa.Integer, nullable=False, server_default="0"),
        sa.Column("planned_at", UTC_TIME, nullable=False),
        sa.Column("decision", sa.Text),
        sa.Column("decided_at", UTC_TIME),
        sa.Column("snoozed_until", UTC_TIME),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_touches_status_due", "touches", ["status", "due_from"])
    op.create_index("ix_touches_person", "touches", ["person_id"])
    op.create_index("ix_touches_opportunity", "touches", ["opportunity_id"])
    op.create_table(
        "meta",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("meta")
    op.drop_table("touches")
