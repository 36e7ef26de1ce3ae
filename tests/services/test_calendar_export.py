"""The calendar export use case through the real app: record a search, export, parse the calendar back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component

from followup.bootstrap import App
from followup.domain.model import Direction, InteractionKind, Interview, Role
from followup.services.fields import OpportunityFields, PersonFields
from tests.conftest import NOW


def record_search(app: App) -> Interview:
    """Northwind: applied 2 Nov, interviewed by Jane on Tue 24 Nov. Contoso: applied 2 Nov, silence."""
    t = app.tracker
    t.add_opportunity(OpportunityFields(company="Northwind Traders", title="Data Engineer"))
    t.add_opportunity(OpportunityFields(company="Contoso", title="Platform Engineer"))
    t.add_person(
        PersonFields(
            name="Jane Doe",
            emails=["jane@northwind.example"],
            phone="+1 312 555 0100",
            organisation="Northwind Traders",
            title="Head of Data",
            timezone="America/Chicago",
            country="US",
        )
    )
    t.add_person(PersonFields(name="Raj Patel", emails=["raj@contoso.example"], organisation="Contoso"))
    t.link("jane", "northwind", Role.HIRING_MANAGER)
    t.link("raj", "contoso", Role.RECRUITER)
    for company in ("northwind", "contoso"):
        t.log(InteractionKind.APPLICATION, opportunity_ref=company, at="2026-11-02", direction=Direction.OUT)
    return t.log_interview(
        "northwind",
        at="2026-11-24 10:00",
        duration="45m",
        interviewer_refs=["jane"],
        notes="billing pipeline",
    )


def todos(app: App) -> dict[str, Component]:
    calendar = Calendar.from_ical(app.calendar_export.export(NOW))
    return {str(c["UID"]): c for c in calendar.walk("VTODO")}


def test_touches_and_interviews_are_exported(app: App) -> None:
    interview = record_search(app)
    feed = app.calendar_export.feed(NOW)
    calendar = Calendar.from_ical(feed.text)
    found = {str(c["UID"]): c for c in calendar.walk("VTODO")}
    assert (feed.todos, feed.events) == (len(found), 1)
    stored = {r.touch.key: r for r in app.planning.store.records()}
    assert {f"{key.replace('/', '.')}@followup" for key in stored} == set(found)

    thanks = found[f"thank-you.{interview.id}.1@followup"]
    thank_record = stored[f"thank-you/{interview.id}/1"]
    assert str(thanks["SUMMARY"]) == "Thank Jane Doe (Northwind Traders)"
    assert str(thanks["STATUS"]) == "NEEDS-ACTION"
    assert thanks.decoded("DTSTART") == thank_record.due_from
    assert thanks.decoded("DUE") == thank_record.due_by
    assert len(thanks.walk("VALARM")) == 1
    description = str(thanks["DESCRIPTION"])
    assert description.startswith(thank_record.touch.reason + "\n")
    for detail in (
        "Jane Doe",
        "Head of Data, Northwind Traders",
        "E-mail: jane@northwind.example",
        "Phone: +1 312 555 0100",
        "Opportunity: Northwind Traders — Data Engineer",
    ):
        assert f"\n{detail}\n" in description, detail
    assert description.endswith(f"\nfollowup why {thank_record.id}")

    # Contoso stays silent: a check-in with Raj is open; Northwind's was answered by the interview
    check_ins = {uid: c for uid, c in found.items() if uid.startswith("check-in.")}
    by_summary = {str(c["SUMMARY"]): str(c["STATUS"]) for c in check_ins.values()}
    assert by_summary == {
        "Check in with Raj Patel (Contoso)": "NEEDS-ACTION",
        "Check in with Jane Doe (Northwind Traders)": "CANCELLED",
    }
    for item in check_ins.values():
        assert len(item.walk("VALARM")) == (1 if str(item["STATUS"]) == "NEEDS-ACTION" else 0)

    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == interview.uid
    assert str(event["SUMMARY"]) == "Interview: Northwind Traders — Data Engineer"
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("America/Chicago"))
    assert (start.hour, start.utcoffset()) == (10, timedelta(hours=-6))
    assert str(event["DESCRIPTION"]) == (
        "Video interview\nInterviewers:\n  Jane Doe — jane@northwind.example, +1 312 555 0100"
        "\n\nbilling pipeline"
    )
    assert str(event["STATUS"]) == "CONFIRMED"


def test_exporting_twice_gives_the_same_calendar(app: App) -> None:
    record_search(app)
    assert app.calendar_export.export(NOW) == app.calendar_export.export(NOW)


def test_snoozing_raises_the_sequence_and_moves_the_start(app: App) -> None:
    interview = record_search(app)
    uid = f"thank-you.{interview.id}.1@followup"
    before = todos(app)[uid]
    record = next(r for r in app.planning.store.records() if r.touch.key == f"thank-you/{interview.id}/1")
    app.planning.snooze(str(record.id), "+3d")
    after = todos(app)[uid]
    assert after.decoded("SEQUENCE") > before.decoded("SEQUENCE")
    assert after.decoded("DTSTART") > before.decoded("DTSTART")
    # +3d is Sunday 29 Nov: the snooze lands on Monday 09:00 in Chicago, Jane's first business hour
    assert after.decoded("DTSTART") == datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    assert str(after["STATUS"]) == "NEEDS-ACTION"


def test_a_touch_marked_done_is_completed(app: App) -> None:
    record_search(app)
    pending = [r for r in app.planning.store.records() if r.is_open]
    chosen = next(r for r in pending if r.touch.kind == "check-in")
    uid = f"{chosen.touch.key.replace('/', '.')}@followup"
    sequence = todos(app)[uid].decoded("SEQUENCE")
    app.planning.done(str(chosen.id))
    item = todos(app)[uid]
    assert str(item["STATUS"]) == "COMPLETED"
    assert item.decoded("COMPLETED") == NOW
    assert item.decoded("SEQUENCE") == sequence + 1
    assert item.walk("VALARM") == []
