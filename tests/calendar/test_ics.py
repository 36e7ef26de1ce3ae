"""Tests for the iCalendar adapter (followup.calendar.ics): render by hand-built records, parse back."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Component

from followup.calendar.ics import IcsWriter, uid_of
from followup.domain.agenda import TouchRecord
from followup.domain.model import Interview, InterviewStatus
from followup.domain.touches import Decision, Touch, TouchKind, TouchStatus
from followup.ports import CalendarEvent, CalendarTodo
from tests.conftest import NOW

CHICAGO = ZoneInfo("America/Chicago")
DUE_FROM = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def touch(key: str, **changes: object) -> Touch:
    base = Touch(
        key=key,
        kind=TouchKind.CHECK_IN,
        person_id=1,
        opportunity_id=1,
        due_from=DUE_FROM,
        due_by=DUE_FROM + timedelta(days=2),
        send_at=DUE_FROM,
        reason="No answer since your application on Mon 02 Nov",
        template="check-in",
        trigger_id=1,
        trigger_at=datetime(2026, 11, 2, 15, tzinfo=UTC),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def todo(record: TouchRecord, summary: str = "Check in with Jane Doe (Northwind Traders)") -> CalendarTodo:
    return CalendarTodo(record, summary, f"{record.touch.reason}\n\nfollowup why {record.id}")


def interview(starts: datetime, **changes: object) -> Interview:
    base = Interview(
        opportunity_id=1,
        starts_at=starts.astimezone(UTC),
        ends_at=(starts + timedelta(minutes=45)).astimezone(UTC),
        timezone="America/Chicago",
        location="https://meet.northwind.example/abc",
        notes="billing pipeline",
        uid="5f0c1e2a-0000-4000-8000-000000000001@followup",
        sequence=2,
        id=7,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def event(item: Interview, summary: str = "Interview: Northwind Traders — Data Engineer") -> CalendarEvent:
    return CalendarEvent(item, summary, "Video interview\nInterviewers:\n  Jane Doe")


def render(todos: list[CalendarTodo] = [], events: list[CalendarEvent] = []) -> Calendar:  # noqa: B006
    text = IcsWriter().render(todos, events, now=NOW)
    return Calendar.from_ical(text)


def by_uid(calendar: Calendar, name: str) -> dict[str, Component]:
    return {str(c["UID"]): c for c in calendar.walk(name)}


def test_the_calendar_names_itself() -> None:
    calendar = render()
    assert str(calendar["PRODID"]) == "-//followup//followup//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["X-WR-CALNAME"]) == "followup"
    assert calendar.walk("VTODO") == []
    assert calendar.walk("VTIMEZONE") == []  # no event, no zone rules


def test_a_pending_touch_is_a_todo_due_with_an_alarm() -> None:
    record = TouchRecord(id=12, touch=touch("check-in/3/1"), sequence=4)
    found = render([todo(record)]).walk("VTODO")
    assert len(found) == 1
    item = found[0]
    assert str(item["UID"]) == "check-in.3.1@followup"
    assert item.decoded("SEQUENCE") == 4
    assert item.decoded("DTSTART") == record.due_from
    assert item.decoded("DUE") == record.due_by
    assert item.decoded("DTSTAMP") == NOW
    assert str(item["STATUS"]) == "NEEDS-ACTION"
    assert str(item["SUMMARY"]) == "Check in with Jane Doe (Northwind Traders)"
    assert str(item["DESCRIPTION"]) == "No answer since your application on Mon 02 Nov\n\nfollowup why 12"
    assert item.decoded("PRIORITY") == 5
    assert item["CATEGORIES"].cats == ["check-in"]
    assert "COMPLETED" not in item
    alarms = item.walk("VALARM")
    assert len(alarms) == 1
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert alarms[0].decoded("TRIGGER") == timedelta(0)
    assert alarms[0]["TRIGGER"].params["RELATED"] == "START"
    assert str(alarms[0]["DESCRIPTION"]) == "Check in with Jane Doe (Northwind Traders)"


def test_every_state_has_its_status_and_only_open_ones_an_alarm() -> None:
    decided = datetime(2026, 11, 25, 18, tzinfo=UTC)
    snoozed_until = DUE_FROM + timedelta(days=3)
    records = {
        "pending": TouchRecord(1, touch("a/1")),
        "snoozed": TouchRecord(2, touch("a/2"), 1, Decision.SNOOZED, decided, snoozed_until),
        "done-by-user": TouchRecord(3, touch("a/3"), 1, Decision.DONE, decided),
        "done-in-ledger": TouchRecord(4, touch("a/4", status=TouchStatus.DONE), 1),
        "skipped": TouchRecord(5, touch("a/5"), 1, Decision.SKIPPED, decided),
        "cancelled": TouchRecord(
            6, touch("a/6", status=TouchStatus.CANCELLED, cancel_reason="no longer needed"), 1
        ),
    }
    found = by_uid(render([todo(r) for r in records.values()]), "VTODO")
    status = {name: str(found[uid_of(r.touch.key)]["STATUS"]) for name, r in records.items()}
    assert status == {
        "pending": "NEEDS-ACTION",
        "snoozed": "NEEDS-ACTION",
        "done-by-user": "COMPLETED",
        "done-in-ledger": "COMPLETED",
        "skipped": "CANCELLED",
        "cancelled": "CANCELLED",
    }
    alarms = {name: len(found[uid_of(r.touch.key)].walk("VALARM")) for name, r in records.items()}
    assert alarms == {
        "pending": 1,
        "snoozed": 1,
        "done-by-user": 0,
        "done-in-ledger": 0,
        "skipped": 0,
        "cancelled": 0,
    }
    # the user's decision time when there is one; the export's time when the ledger alone says so
    assert found["a.3@followup"].decoded("COMPLETED") == decided
    assert found["a.4@followup"].decoded("COMPLETED") == NOW
    # a snoozed touch starts when the snooze ends, and keeps the length of its window
    snoozed = found["a.2@followup"]
    assert snoozed.decoded("DTSTART") == snoozed_until
    assert snoozed.decoded("DUE") == snoozed_until + timedelta(days=2)


def test_urgent_touches_have_the_highest_priority_and_go_cold_is_included() -> None:
    urgent = TouchRecord(1, touch("thank-you/7/1", kind=TouchKind.THANK_YOU, urgent=True))
    cold = TouchRecord(2, touch("check-in/1/cold", kind=TouchKind.GO_COLD, person_id=None))
    found = by_uid(render([todo(urgent, "Thank Jane Doe"), todo(cold, "Move it to cold?")]), "VTODO")
    assert found["thank-you.7.1@followup"].decoded("PRIORITY") == 1
    assert found["thank-you.7.1@followup"]["CATEGORIES"].cats == ["thank-you"]
    assert found["check-in.1.cold@followup"]["CATEGORIES"].cats == ["go-cold"]


@pytest.mark.parametrize(
    ("key", "uid"),
    [
        ("thank-you/12/3", "thank-you.12.3@followup"),
        ("keep-in-touch/4/2026-11-02", "keep-in-touch.4.2026-11-02@followup"),
        ("odd key/é.x", "odd%20key.%C3%A9%2Ex@followup"),
        ("odd.key/x", "odd%2Ekey.x@followup"),  # "." is encoded, so it cannot collide with "/"
    ],
)
def test_uids_are_stable_safe_and_one_to_one(key: str, uid: str) -> None:
    assert uid_of(key) == uid
    assert uid_of(key) == uid_of(key)


def test_interviews_keep_their_wall_time_across_the_dst_change() -> None:
    before = interview(datetime(2026, 10, 30, 9, 0, tzinfo=CHICAGO), uid="before@followup")
    after = interview(datetime(2026, 11, 2, 9, 0, tzinfo=CHICAGO), uid="after@followup")
    text = IcsWriter().render([], [event(before), event(after)], now=NOW)
    assert "DTSTART;TZID=America/Chicago:20261030T090000" in text
    assert "DTSTART;TZID=America/Chicago:20261102T090000" in text
    calendar = Calendar.from_ical(text)
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    found = by_uid(calendar, "VEVENT")
    for uid, offset in (("before@followup", -5), ("after@followup", -6)):
        start = found[uid].decoded("DTSTART")
        assert (start.hour, start.minute) == (9, 0)
        assert start.utcoffset() == timedelta(hours=offset)
        assert found[uid].decoded("DTEND") - start == timedelta(minutes=45)
    assert found["before@followup"].decoded("DTSTART") == before.starts_at
    assert found["after@followup"].decoded("DTSTART") == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


def test_an_interview_event_carries_its_identity_and_words() -> None:
    held = interview(datetime(2026, 12, 1, 14, 0, tzinfo=CHICAGO))
    called_off = interview(
        datetime(2026, 12, 2, 14, 0, tzinfo=CHICAGO), uid="x@followup", status=InterviewStatus.CANCELLED
    )
    found = by_uid(render([], [event(held), event(called_off)]), "VEVENT")
    item = found[str(held.uid)]
    assert item.decoded("SEQUENCE") == 2
    assert str(item["SUMMARY"]) == "Interview: Northwind Traders — Data Engineer"
    assert str(item["LOCATION"]) == "https://meet.northwind.example/abc"
    assert str(item["DESCRIPTION"]) == "Video interview\nInterviewers:\n  Jane Doe"
    assert str(item["STATUS"]) == "CONFIRMED"
    assert str(found["x@followup"]["STATUS"]) == "CANCELLED"


def test_text_with_separators_and_accents_round_trips() -> None:
    summary = "Thank Zoë Łukasiewicz-Nuñez (Café, Bar; Grill)"
    description = "Ask about: tea, coffee; biscuits\nsecond line — 東京\n\nfollowup why 1"
    record = TouchRecord(1, touch("t/1"))
    place = "Rue de l'Église 3, 1000 Bruxelles; 2e étage"
    found = render(
        [CalendarTodo(record, summary, description)],
        [
            CalendarEvent(
                interview(datetime(2026, 12, 1, 9, tzinfo=CHICAGO), location=place), summary, description
            )
        ],
    )
    (item,) = found.walk("VTODO")
    assert str(item["SUMMARY"]) == summary
    assert str(item["DESCRIPTION"]) == description
    (meeting,) = found.walk("VEVENT")
    assert str(meeting["LOCATION"]) == place
    assert str(meeting["DESCRIPTION"]) == description


def test_a_line_break_in_a_name_cannot_inject_components() -> None:
    name = "Jane\r\nEND:VTODO\r\nBEGIN:VEVENT\rUID:evil\x00"
    records = [TouchRecord(1, touch("t/1")), TouchRecord(2, touch("t/2"))]
    text = IcsWriter().render([todo(r, f"Thank {name}") for r in records], [], now=NOW)
    assert text.count("\r\nEND:VTODO\r\n") == 2  # the two real ends, no injected one
    assert text.count("\r\nBEGIN:VEVENT\r\n") == 0
    calendar = Calendar.from_ical(text)
    assert len(calendar.walk("VTODO")) == 2
    assert calendar.walk("VEVENT") == []
    assert [str(t["SUMMARY"]) for t in calendar.walk("VTODO")] == [
        "Thank Jane\nEND:VTODO\nBEGIN:VEVENT\nUID:evil"
    ] * 2
    assert sorted(str(t["UID"]) for t in calendar.walk("VTODO")) == ["t.1@followup", "t.2@followup"]


def test_importing_the_adapter_does_not_load_icalendar() -> None:
    code = (
        "import sys, followup.calendar.ics, followup.services.calendar, followup.cli.export;"
        "print('icalendar' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
