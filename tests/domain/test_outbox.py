"""Tests for the outbox rules: retry back-off, when a note is ready, Message-IDs (followup.domain.outbox)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from followup.domain.outbox import BACKOFF, MAX_BACKOFF, OutboxMessage, OutboxState, backoff, message_id

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)

APPROVED = OutboxMessage(
    touch_id=7,
    kind="thank-you",
    state=OutboxState.APPROVED,
    subject="Thank you for today's conversation",
    body="Hi Jane,\n\nThank you.\n",
    from_name="Alex Morgan",
    from_address="alex@example.org",
    to_name="Jane Doe",
    to_address="jane.doe@northwind.example",
    message_id="<abc@example.org>",
    date=NOW - timedelta(hours=1),
)


def message(**changes: object) -> OutboxMessage:
    return dataclasses.replace(APPROVED, **changes)  # type: ignore[arg-type]


# back-off ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [
        (1, timedelta(minutes=1)),
        (2, timedelta(minutes=5)),
        (3, timedelta(minutes=30)),
        (4, timedelta(hours=2)),
        (5, timedelta(hours=6)),
        (50, timedelta(hours=6)),
    ],
)
def test_backoff_after_each_failed_attempt(attempts: int, wait: timedelta) -> None:
    assert backoff(attempts) == wait


def test_backoff_grows_and_stops_at_the_cap() -> None:
    waits = [backoff(n) for n in range(1, 12)]

    assert waits == sorted(waits)
    assert waits[0] < waits[-1] == MAX_BACKOFF
    assert max(waits) == MAX_BACKOFF
    assert all(wait <= MAX_BACKOFF for wait in BACKOFF)


# ready -------------------------------------------------------------------------------------------


def test_an_approved_message_without_send_time_is_ready() -> None:
    assert APPROVED.ready(NOW)


@pytest.mark.parametrize("state", sorted(set(OutboxState) - {OutboxState.APPROVED}))
def test_only_approved_messages_are_ready(state: OutboxState) -> None:
    assert not message(state=state).ready(NOW)
    assert not message(state=state).ready(NOW, ignore_send_time=True)


def test_a_message_waits_for_its_send_time() -> None:
    later = message(send_after=NOW + timedelta(minutes=1))

    assert not later.ready(NOW)
    assert later.ready(NOW + timedelta(minutes=1))
    assert message(send_after=NOW - timedelta(hours=1)).ready(NOW)


def test_ignoring_the_send_time_sends_it_now() -> None:
    assert message(send_after=NOW + timedelta(days=2)).ready(NOW, ignore_send_time=True)


def test_a_message_waits_for_its_back_off() -> None:
    retry = message(attempts=2, next_attempt_at=NOW + timedelta(minutes=5))

    assert not retry.ready(NOW)
    assert retry.ready(NOW + timedelta(minutes=5))
    assert message(attempts=2, next_attempt_at=NOW - timedelta(seconds=1)).ready(NOW)


def test_ignoring_the_send_time_does_not_skip_the_back_off() -> None:
    retry = message(send_after=NOW + timedelta(days=1), next_attempt_at=NOW + timedelta(minutes=5))

    assert not retry.ready(NOW, ignore_send_time=True)
    assert retry.ready(NOW + timedelta(minutes=5), ignore_send_time=True)


# Message-ID --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("alex@example.org", "<f00d@example.org>"),
        ("alex.morgan+jobs@mail.example.org", "<f00d@mail.example.org>"),
        ("Alex Morgan <alex@example.org>", "<f00d@example.org>"),
        ("alex@example.org ", "<f00d@example.org>"),
        ("", "<f00d@followup.invalid>"),
    ],
)
def test_message_id_takes_the_domain_of_the_address(address: str, expected: str) -> None:
    assert message_id("f00d", address) == expected
