"""Opportunities, people, roles, the interaction ledger and interviews."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "opportunities",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("company", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("location", sa.Text),
        sa.Column("decision_expected", sa.Date),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", UTC_TIME, nullable=False),
        # A projection of the ledger, recomputed in the same transaction as every ledger write.
        sa.Column("stage", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_opportunities_stage", "opportunities", ["stage"])
    op.create_table(
        "people",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("phone", sa.Text),
        sa.Column("organisation", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("timezone", sa.Text),
        sa.Column("country", sa.Text),
        sa.Column("cadence_days", sa.Integer),
        sa.Column("in_network", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("linkedin_url", sa.Text),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "person_emails",
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("address_key", sa.Text, nullable=False, unique=True),
        sa.Column("bad", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("person_id", "position"),
    )
    op.create_table(
        "links",
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column(
            "opportunity_id",
            sa.Integer,
            sa.ForeignKey("opportunities.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("role", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("person_id", "opportunity_id", "role"),
    )
    op.create_index("ix_links_opportunity", "links", ["opportunity_id"])
    op.create_table(
        "interviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "opportunity_id",
            sa.Integer,
            sa.ForeignKey("opportunities.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("starts_at", UTC_TIME, nullable=False),
        sa.Column("ends_at", UTC_TIME, nullable=False),
        sa.Column("timezone", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("location", sa.Text),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("uid", sa.Text, nullable=False, unique=True),
        sa.Column("sequence", sa.Integer, nullable=False, server_default="0"),
        sa.Column("status", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_interviews_opportunity", "interviews", ["opportunity_id"])
    op.create_table(
        "interview_people",
        sa.Column(
            "interview_id", sa.Integer, sa.ForeignKey("interviews.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.PrimaryKeyConstraint("interview_id", "person_id"),
    )
    op.create_table(
        "interactions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("direction", sa.Text, nullable=False),
        sa.Column("occurred_at", UTC_TIME, nullable=False),
        sa.Column("recorded_at", UTC_TIME, nullable=False),
        sa.Column("opportunity_id", sa.Integer, sa.ForeignKey("opportunities.id", ondelete="CASCADE")),
        sa.Column("interview_id", sa.Integer, sa.ForeignKey("interviews.id", ondelete="SET NULL")),
        sa.Column("subject", sa.Text),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("answered", sa.Boolean),
        sa.Column("caller", sa.Text),
        sa.Column("message_id", sa.Text),
        sa.Column("in_reply_to", sa.Text),
        sa.Column("refs", sa.Text, nullable=False, server_default=""),
        sa.Column("outcome", sa.Text),
        sa.Column("stage", sa.Text),
        sqlite_autoincrement=True,
    )
    # Covers "last contact" and "applied" of an opportunity without reading the rows themselves.
    op.create_index("ix_interactions_opportunity", "interactions", ["opportunity_id", "kind", "occurred_at"])
    op.create_index("ix_interactions_message_id", "interactions", ["message_id"])
    op.create_table(
        "interaction_people",
        sa.Column(
            "interaction_id",
            sa.Integer,
            sa.ForeignKey("interactions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.PrimaryKeyConstraint("interaction_id", "person_id"),
    )
    op.create_index("ix_interaction_people_person", "interaction_people", ["person_id"])


def downgrade() -> None:
    for table in (
        "interaction_people",
        "interactions",
        "interview_people",
        "interviews",
        "links",
        "person_emails",
        "people",
        "opportunities",
    ):
        op.drop_table(table)
