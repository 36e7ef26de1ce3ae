"""Tests for what a note's template sees and the editable text of a draft (followup.domain.drafts)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.domain.drafts import (
    EDIT_HELP,
    Draft,
    DraftFacts,
    Sender,
    as_text,
    context,
    first_name,
    from_text,
    reply_subject,
    thread_headers,
    topics,
)
from followup.domain.model import (
    Direction,
    EmailAddress,
    Interaction,
    InteractionKind,
    Interview,
    Opportunity,
    Outcome,
    Person,
    Stage,
)
from followup.domain.touches import Channel, TouchKind
from followup.errors import InvalidInputError

# Thursday 26 November 2026, 22:00 UTC: 16:00 in Chicago, the same calendar day.
NOW = datetime(2026, 11, 26, 22, 0, tzinfo=UTC)
CHICAGO = "America/Chicago"

ME = Sender(
    "Alex Morgan", "alex@example.org", "Data engineer", "+1 312 555 0142", ("https://alexmorgan.dev",)
)
JANE = Person(
    name="Jane Doe",
    emails=(EmailAddress("old@northwind.example", bad=True), EmailAddress("jane.doe@northwind.example")),
    organisation="Northwind Traders",
    title="Engineering Manager",
    timezone=CHICAGO,
    id=1,
)
ROLE = Opportunity(
    company="Northwind Traders", title="Data Engineer", url="https://northwind.example/jobs/7", id=1
)


def interview(starts_at: datetime, notes: str = "") -> Interview:
    return Interview(
        opportunity_id=1,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        timezone=CHICAGO,
        notes=notes,
        interviewer_ids=(1,),
    )


def facts(**changes: object) -> DraftFacts:
    base: dict[str, object] = {
        "kind": TouchKind.THANK_YOU,
        "template": "thank-you",
        "channel": Channel.EMAIL,
        "round": 1,
        "reason": "interview ended",
        "me": ME,
        "person": JANE,
        "opportunity": ROLE,
        "stage": Stage.INTERVIEWING,
        "zone": CHICAGO,
    }
    base.update(changes)
    return DraftFacts(**base)  # type: ignore[arg-type]


# topics ------------------------------------------------------------------------------------------


def test_topics_drops_the_lead_verb_and_keeps_the_order_written() -> None:
    assert topics("Discussed the Kafka migration; on-call rota") == ["the Kafka migration", "on-call rota"]


@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        (
            "Discussed the Kafka migration to Flink; on-call rota; team of six",
            ["the Kafka migration to Flink", "on-call rota", "team of six"],
        ),
        ("We talked about the roadmap. Covered hiring plans", ["the roadmap", "hiring plans"]),
        (
            "Topics: data contracts, and the dbt models - on-call",
            ["data contracts", "the dbt models", "on-call"],
        ),
        ("• hiring plan\n• budget for Q3", ["hiring plan", "budget for Q3"]),
        ("API design; SQL tuning", ["API design", "SQL tuning"]),
    ],
)
def test_topics_split_on_semicolons_lines_sentences_commas_and_dashes(
    notes: str, expected: list[str]
) -> None:
    assert topics(notes) == expected


def test_topics_leave_out_questions() -> None:
    notes = "Discussed the Kafka migration\nWhat is the team size?\non-call rota"

    assert topics(notes) == ["the Kafka migration", "on-call rota"]


def test_topics_leave_out_tiny_fragments() -> None:
    assert topics("ok; CI; the on-call rota; n/a") == ["the on-call rota"]


def test_topics_leave_out_fragments_too_long_to_quote() -> None:
    rambling = "the part where we went over every single service they run and how each one is deployed today"

    assert topics(f"on-call rota; {rambling}") == ["on-call rota"]


def test_topics_drop_duplicates_whatever_their_case() -> None:
    assert topics("Topics: on-call rota\non-call rota\nOn-call rota") == ["on-call rota"]


def test_topics_lower_only_words_that_read_on_in_a_sentence() -> None:
    assert topics("The roadmap; Discussed the Flink jobs") == ["the roadmap", "the Flink jobs"]


def test_topics_keep_the_capitals_of_names() -> None:
    assert topics("Discussed Kafka Streams; Flink") == ["Kafka Streams", "Flink"]


def test_topics_drop_questions_wherever_they_stand() -> None:
    assert topics("Talked about the roadmap. What is the team size? Latency budgets") == [
        "the roadmap",
        "Latency budgets",
    ]


@pytest.mark.parametrize("notes", ["", "   ", "\n\n", "ok"])
def test_topics_of_empty_notes_are_empty(notes: str) -> None:
    assert topics(notes) == []


# first_name --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dr. Amara Okafor", "Amara"),
        ("Jane Doe", "Jane"),
        ("Prof Ada Lovelace", "Ada"),
        ("Ms. Jane-Marie Dupont", "Jane-Marie"),
        ("Cher", "Cher"),
        ("Dr.", "Dr."),
        ("", ""),
    ],
)
def test_first_name_skips_a_title(name: str, expected: str) -> None:
    assert first_name(name) == expected


# context -----------------------------------------------------------------------------------------

CONTEXT_KEYS = {
    "me": {"name", "first_name", "email", "signature", "phone", "links"},
    "person": {"name", "first_name", "title", "organisation", "email", "phone"},
    "opportunity": {"company", "title", "url", "stage"},
    "interview": {"date", "day", "when", "kind", "topics", "topic", "interviewers"},
    "last": {"kind", "date", "subject", "inbound", "outcome"},
    "trigger": {"kind", "date", "subject", "inbound", "outcome"},
    "touch": {"kind", "round", "reason", "today"},
    "referrer": None,
    "accepted": {"company", "title"},
}


def keys_of(ctx: dict[str, object]) -> dict[str, set[str] | None]:
    return {key: set(value) if isinstance(value, dict) else None for key, value in ctx.items()}


def test_context_has_every_key_when_everything_is_known() -> None:
    email = Interaction(InteractionKind.EMAIL, NOW - timedelta(days=3), Direction.IN, subject="Next steps")
    full = facts(
        interview=interview(NOW - timedelta(hours=3), "Discussed the Kafka migration"),
        interviewers=("Jane Doe", "Sam Lee"),
        trigger=email,
        last=email,
        referrer="Priya Shah",
        accepted=ROLE,
    )

    assert keys_of(context(full, now=NOW)) == CONTEXT_KEYS


def test_context_has_every_key_with_none_where_nothing_is_known() -> None:
    bare = facts(me=Sender("", ""), person=None, opportunity=None, stage=None)

    ctx = context(bare, now=NOW)

    assert keys_of(ctx) == CONTEXT_KEYS
    for group in ("person", "opportunity", "last", "trigger", "accepted"):
        assert set(ctx[group].values()) == {None}, group
    assert ctx["me"] == {
        "name": None,
        "first_name": None,
        "email": None,
        "signature": None,
        "phone": None,
        "links": [],
    }
    assert ctx["interview"] == {
        "date": None,
        "day": None,
        "when": None,
        "kind": None,
        "topics": [],
        "topic": None,
        "interviewers": [],
    }
    assert ctx["referrer"] is None


def test_context_describes_the_person_the_role_and_the_user() -> None:
    ctx = context(facts(), now=NOW)

    assert ctx["person"] == {
        "name": "Jane Doe",
        "first_name": "Jane",
        "title": "Engineering Manager",
        "organisation": "Northwind Traders",
        "email": "jane.doe@northwind.example",  # the first address that did not bounce
        "phone": None,
    }
    assert ctx["opportunity"] == {
        "company": "Northwind Traders",
        "title": "Data Engineer",
        "url": "https://northwind.example/jobs/7",
        "stage": "interviewing",
    }
    assert ctx["me"]["first_name"] == "Alex"
    assert ctx["me"]["links"] == ["https://alexmorgan.dev"]
    assert ctx["touch"] == {
        "kind": "thank-you",
        "round": 1,
        "reason": "interview ended",
        "today": "Thursday, 26 November",
    }


def test_context_describes_the_trigger_in_the_recipient_zone() -> None:
    # Monday 23 November 03:00 UTC is still Sunday evening in Chicago
    outcome = Interaction(
        InteractionKind.OUTCOME,
        datetime(2026, 11, 23, 3, 0, tzinfo=UTC),
        Direction.IN,
        outcome=Outcome.REJECTED,
    )

    trigger = context(facts(trigger=outcome), now=NOW)["trigger"]

    assert trigger == {
        "kind": "outcome",
        "date": "Sunday, 22 November",
        "subject": None,
        "inbound": True,
        "outcome": "rejected",
    }


def test_context_takes_the_first_interview_topic() -> None:
    notes = "Discussed the Kafka migration to Flink; on-call rota; team of six"

    found = context(facts(interview=interview(NOW - timedelta(hours=3), notes)), now=NOW)["interview"]

    assert found["topic"] == "the Kafka migration to Flink"
    assert found["topics"] == ["the Kafka migration to Flink", "on-call rota", "team of six"]
    assert found["date"] == "Thursday, 26 November"
    assert found["kind"] == "video"


@pytest.mark.parametrize(
    ("starts_at", "day", "when"),
    [
        (datetime(2026, 11, 26, 15, 0, tzinfo=UTC), "today", "today"),
        (datetime(2026, 11, 25, 20, 0, tzinfo=UTC), "yesterday", "yesterday"),
        (datetime(2026, 11, 23, 16, 0, tzinfo=UTC), "Monday", "on Monday"),
        (datetime(2026, 11, 20, 16, 0, tzinfo=UTC), "Friday", "on Friday"),
        (datetime(2026, 11, 19, 16, 0, tzinfo=UTC), "Thursday, 19 November", "on Thursday, 19 November"),
        (datetime(2026, 11, 16, 16, 0, tzinfo=UTC), "Monday, 16 November", "on Monday, 16 November"),
    ],
)
def test_interview_day_is_relative_to_now(starts_at: datetime, day: str, when: str) -> None:
    found = context(facts(interview=interview(starts_at)), now=NOW)["interview"]

    assert (found["day"], found["when"]) == (day, when)


def test_interview_day_counts_in_the_recipient_zone_when_utc_has_moved_on() -> None:
    # 03:00 UTC on Friday is 21:00 on Thursday in Chicago; the interview was at 13:00 Chicago time.
    now = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    held = interview(datetime(2026, 11, 26, 19, 0, tzinfo=UTC))

    in_chicago = context(facts(interview=held), now=now)["interview"]
    in_utc = context(facts(interview=held, zone="UTC"), now=now)["interview"]

    assert (in_chicago["day"], in_chicago["when"]) == ("today", "today")
    assert (in_utc["day"], in_utc["when"]) == ("yesterday", "yesterday")


def test_interview_day_counts_in_the_recipient_zone_when_it_is_ahead_of_utc() -> None:
    # 16:00 UTC on Thursday is already 01:00 on Friday in Tokyo; the interview was at 23:00 Tokyo time.
    now = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)
    held = interview(datetime(2026, 11, 26, 14, 0, tzinfo=UTC))

    in_tokyo = context(facts(interview=held, zone="Asia/Tokyo"), now=now)["interview"]
    in_utc = context(facts(interview=held, zone="UTC"), now=now)["interview"]

    assert (in_tokyo["day"], in_tokyo["date"]) == ("yesterday", "Thursday, 26 November")
    assert (in_utc["day"], in_utc["date"]) == ("today", "Thursday, 26 November")


# threading ---------------------------------------------------------------------------------------


def email(**changes: object) -> Interaction:
    base: dict[str, object] = {
        "kind": InteractionKind.EMAIL,
        "occurred_at": NOW - timedelta(days=1),
        "direction": Direction.IN,
        "subject": "Next steps",
    }
    base.update(changes)
    return Interaction(**base)  # type: ignore[arg-type]


def test_thread_headers_are_empty_without_a_thread() -> None:
    assert thread_headers(None) == (None, ())


def test_thread_headers_are_empty_when_the_thread_has_no_message_id() -> None:
    assert thread_headers(email(in_reply_to="<a@northwind.example>")) == (None, ())


def test_thread_headers_answer_the_message_and_extend_its_references() -> None:
    thread = email(
        message_id="<c@northwind.example>",
        in_reply_to="<b@example.org>",
        references=("<a@northwind.example>", "<b@example.org>"),
    )

    assert thread_headers(thread) == (
        "<c@northwind.example>",
        ("<a@northwind.example>", "<b@example.org>", "<c@northwind.example>"),
    )


def test_thread_headers_fall_back_to_in_reply_to_when_references_are_missing() -> None:
    thread = email(message_id="<c@northwind.example>", in_reply_to="<b@example.org>")

    assert thread_headers(thread) == ("<c@northwind.example>", ("<b@example.org>", "<c@northwind.example>"))


def test_thread_headers_of_a_first_message_reference_only_it() -> None:
    assert thread_headers(email(message_id="<a@northwind.example>")) == (
        "<a@northwind.example>",
        ("<a@northwind.example>",),
    )


def test_thread_headers_keep_the_last_twenty_references() -> None:
    older = tuple(f"<{n}@northwind.example>" for n in range(25))
    thread = email(message_id="<new@northwind.example>", references=older)

    in_reply_to, references = thread_headers(thread)

    assert in_reply_to == "<new@northwind.example>"
    assert len(references) == 20
    assert references == (*older[-19:], "<new@northwind.example>")


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Next steps", "Re: Next steps"),
        ("Re: Next steps", "Re: Next steps"),
        ("RE: Next steps", "RE: Next steps"),
        ("re : Next steps", "re : Next steps"),
        ("  Re:Next steps", "  Re:Next steps"),
        ("Fwd: Next steps", "Re: Fwd: Next steps"),
        ("Regarding the role", "Re: Regarding the role"),
    ],
)
def test_reply_subject_adds_re_once(subject: str, expected: str) -> None:
    assert reply_subject(subject) == expected


# the editable text -------------------------------------------------------------------------------


def test_as_text_starts_with_the_help_then_the_subject() -> None:
    text = as_text("Thank you", "Hi Jane,\n\nThanks.\n\n\n")

    assert text == f"{EDIT_HELP}\nSubject: Thank you\n\nHi Jane,\n\nThanks.\n"


def test_from_text_reads_back_what_as_text_wrote() -> None:
    body = "Hi Jane,\n\nThank you for today.\n\nBest regards,\nAlex Morgan\n"

    assert from_text(as_text("Thank you for today's conversation", body)) == (
        "Thank you for today's conversation",
        body,
    )


def test_from_text_ignores_comment_lines_and_blank_lines_above_the_subject() -> None:
    text = "# my notes\n\n   \nsubject:  Next steps  \n# ignored too\n\nHi Jane,\n\nA question.\n\n"

    assert from_text(text) == ("Next steps", "Hi Jane,\n\nA question.\n")


@pytest.mark.parametrize("text", ["", "# only help\n", "Hi Jane,\n\nSubject: late\n", "Subj: short\n\nHi\n"])
def test_from_text_requires_a_subject_line_at_the_top(text: str) -> None:
    with pytest.raises(InvalidInputError, match="no 'Subject:' line") as raised:
        from_text(text)

    assert raised.value.hint is not None
    assert "Subject:" in raised.value.hint


_LINE = st.text(
    st.characters(whitelist_categories=("L", "N", "Zs"), whitelist_characters=".,'!?-"), max_size=40
)


@given(subject=_LINE, lines=st.lists(_LINE, max_size=8))
def test_edit_round_trip_keeps_subject_and_body(subject: str, lines: list[str]) -> None:
    body = "\n".join(lines)

    assert from_text(as_text(subject, body)) == (subject.strip(), body.rstrip().lstrip("\n") + "\n")


# first_line --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Hi Jane,\n\nThank you for today.\n", "Thank you for today."),
        ("  Dear Dr. Okafor,\n\n\n  I am writing about the role.\n", "I am writing about the role."),
        ("Good morning Jane,\nA quick question.\n", "A quick question."),
        ("Thank you for today.\nBest,\nAlex\n", "Thank you for today."),
        (
            "Hi Jane, this is Alex Morgan calling to thank you for talking with me today.\n",
            "Hi Jane, this is Alex Morgan calling to thank you for talking with me today.",
        ),
        (
            "Hi Jane, thank you so much for the time you took today to walk me through it.\nBest,\n",
            "Hi Jane, thank you so much for the time you took today to walk me through it.",
        ),
        ("Hi Jane,\n", "Hi Jane,"),
        ("", ""),
        ("\n  \n", ""),
    ],
)
def test_first_line_skips_a_short_greeting(body: str, expected: str) -> None:
    assert Draft("Subject", body, "Jane Doe", "jane@northwind.example", "thank-you").first_line == expected
