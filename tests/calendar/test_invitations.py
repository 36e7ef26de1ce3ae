"""Tests for reading invitations (followup.calendar.invitations): real-world files from other projects
(tests/data/calendar, see SOURCES.md there), then invitations as Google Calendar and Exchange send them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup.calendar.invitations import WINDOWS_ZONES, read_invitations
from followup.domain.inbound import Attendee, Invitation

DATA = Path(__file__).parent.parent / "data" / "calendar"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def calendar(*lines: str, end: str = "\n") -> str:
    """One VCALENDAR around one VEVENT of these lines."""
    return end.join(["BEGIN:VCALENDAR", "BEGIN:VEVENT", *lines, "END:VEVENT", "END:VCALENDAR", ""])


def span(event: Invitation) -> tuple[datetime, datetime, str]:
    return event.starts_at, event.ends_at, event.timezone


def read(name: str, default_zone: str = "UTC") -> tuple[list[Invitation], list[str]]:
    path = next(DATA.glob(f"*/{name}"))
    return read_invitations(path.read_bytes(), source=name, default_zone=default_zone)


def only(name: str) -> Invitation:
    invitations, _problems = read(name)
    assert len(invitations) == 1
    return invitations[0]


# ---------------------------------------------------------------------------------------------------
# Every real-world file: how many events it gives, and how many problems it reports

EXPECTED = {
    "alarm_google_future.ics": (1, 0),
    "america_new_york_forward_reference.ics": (1, 1),  # DTSTART twice
    "bom_calendar.ics": (0, 0),
    "broken_dtstart.ics": (0, 1),
    "event_with_escaped_characters.ics": (0, 1),  # no DTSTART
    "event_with_recurrence_exdates_on_different_lines.ics": (1, 1),  # no UID
    "fuzz_testcase_vtimezone_lone_cr.ics": (0, 1),  # a lone VTIMEZONE is not a calendar
    "issue_101_icalendar_chokes_on_umlauts_in_organizer.ics": (1, 0),
    "issue_112_missing_tzinfo_on_exdate.ics": (1, 0),
    "issue_1231_recurrence.ics": (1, 0),
    "issue_165_missing_event.ics": (1, 1),  # no UID
    "issue_218_bad_tzid.ics": (1, 0),
    "issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics": (1, 1),  # no UID
    "issue_722_missing_timezones.ics": (1, 3),  # no UID; two events without DTSTART
    "issue_722_timezone_transition_ambiguity.ics": (4, 0),
    "issue_836_do_not_quote_tzid.ics": (1, 0),
    "pacific_fiji.ics": (1, 1),  # DTSTART twice
    "timezone_same_start.ics": (1, 0),
    "x_location.ics": (1, 0),
    "blank_line_mid.ics": (0, 0),
    "duration_instead_of_dtend.ics": (1, 0),
    "google_birthday.ics": (4, 0),
    "multiple_rrules.ics": (1, 0),
    "newline_junk.ics": (0, 0),
    "only_dtstart_date.ics": (1, 0),
    "rdate_exdate.ics": (1, 0),
    "recur_instances.ics": (3, 0),
    "tzid_with_gmt.ics": (0, 0),  # a DTSTART outside any VEVENT
    "unfold_properties.ics": (0, 0),  # an ATTENDEE outside any VEVENT
    "utc_negative_zero.ics": (1, 0),
}


def test_every_data_file_has_an_expectation() -> None:
    assert sorted(p.name for p in DATA.glob("*/*.ics")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_real_world_file_is_read(name: str) -> None:
    invitations, problems = read(name)
    assert (len(invitations), len(problems)) == EXPECTED[name], problems
    assert all(p.startswith(f"{name}: ") for p in problems)
    for invitation in invitations:
        assert invitation.starts_at.tzinfo is UTC
        assert invitation.ends_at >= invitation.starts_at
        assert ZoneInfo(invitation.timezone)


# ---------------------------------------------------------------------------------------------------
# Time zones in real-world files


def test_exchange_windows_zone_name_is_read_as_its_iana_zone() -> None:
    event = only("issue_836_do_not_quote_tzid.ics")  # TZID=Eastern Standard Time, 17:00 on 28 Oct 2024 (EDT)
    assert (event.starts_at, event.ends_at) == (utc(2024, 10, 28, 21), utc(2024, 10, 28, 22))
    assert event.timezone == "America/New_York"
    assert event.uid == "minimal-demo-event-est-20241028@example.com"
    assert event.method == "PUBLISH"


def test_exchange_request_with_quoted_windows_zone() -> None:
    event = only("timezone_same_start.ics")  # "Pacific Standard Time", 12:00 on 24 Feb 2017 (PST)
    assert (event.starts_at, event.ends_at) == (utc(2017, 2, 24, 20), utc(2017, 2, 24, 20, 30))
    assert event.timezone == "America/Los_Angeles"
    assert (event.method, event.summary, event.cancelled) == ("REQUEST", "Test 4", False)


def test_outlook_offset_zone_is_read_through_its_vtimezone() -> None:
    # TZID "GMT +0100 (Standard) / GMT +0200 (Daylight)"
    invitations, problems = read("issue_165_missing_event.ics")
    [event] = invitations
    assert (event.starts_at, event.ends_at) == (utc(2015, 7, 3, 8), utc(2015, 7, 3, 8, 30))  # 10:00 at +02:00
    assert event.timezone == "Etc/GMT-2"  # no place is named: the fixed zone of the day's offset
    assert (event.method, event.summary) == ("REQUEST", "Sprint 25 Daily Standup")
    assert event.uid.endswith("@followup.invalid")
    assert problems == [
        f"issue_165_missing_event.ics: event at line 20: has no UID; it was given {event.uid!r}, "
        "so a later update of it will not be recognised"
    ]


def test_outlook_offset_zone_without_vtimezone_is_a_fixed_offset() -> None:
    raw = (DATA / "ical-js" / "tzid_with_gmt.ics").read_bytes()
    dtstart = raw.splitlines()[1]  # DTSTART;TZID="(GMT +01:00)":20111028T160000, outside any VEVENT there
    data = calendar("UID:gmt", dtstart.decode())
    [event], problems = read_invitations(data.encode(), source="gmt.ics")
    assert (event.starts_at, event.timezone, problems) == (utc(2011, 10, 28, 15), "Etc/GMT-1", [])


def test_custom_vtimezone_named_after_its_place() -> None:
    event = only("pacific_fiji.ics")  # custom_Pacific/Fiji, X-LIC-LOCATION:Pacific/Fiji, 08:00 at +12:00
    assert (event.starts_at, event.timezone) == (utc(2014, 8, 28, 20), "Pacific/Fiji")
    _, problems = read("pacific_fiji.ics")
    assert problems == ["pacific_fiji.ics: event 'noend123': DTSTART appears 2 times; the first was used"]


def test_vtimezone_after_the_event_that_uses_it() -> None:
    event = only("america_new_york_forward_reference.ics")  # 08:00 EDT, the zone defined below the event
    assert (event.starts_at, event.ends_at) == (utc(2014, 8, 29, 12), utc(2014, 8, 29, 13))
    assert event.timezone == "America/New_York"


def test_dst_gap_and_overlap_of_a_custom_zone() -> None:
    invitations, _ = read("issue_722_timezone_transition_ambiguity.ics")  # +12 until 5 May 08:00, then +10
    starts = {e.uid: (e.starts_at, e.timezone) for e in invitations}
    assert starts == {
        "0": (utc(2024, 3, 2, 20), "Etc/GMT-12"),
        "1": (utc(2024, 8, 2, 22), "Etc/GMT-10"),
        "2": (utc(2024, 5, 4, 22, 0, 1), "Etc/GMT-10"),  # 08:00:01 happens once, after the change
        "3": (utc(2024, 5, 4, 19, 0, 1), "Etc/GMT-12"),  # 07:00:01 happens twice: the first (RFC 5545)
    }


def test_utc_offset_written_as_negative_zero() -> None:
    event = only("utc_negative_zero.ics")
    assert span(event) == (utc(2012, 8, 21, 21), utc(2012, 8, 21, 21, 30), "Etc/GMT")
    assert event.organizer == Attendee("calmozilla1@yahoo.com", "Sahaja Lal")


def test_tzid_that_is_no_zone_but_has_a_vtimezone() -> None:
    event = only("issue_218_bad_tzid.ics")  # TZID=UTC+11, 23:00 on 28 Feb 2017
    assert (event.starts_at, event.ends_at) == (utc(2017, 2, 28, 12), utc(2017, 2, 28, 12, 30))
    assert event.timezone == "Etc/GMT-11"
    assert event.uid == "1961094_636238800000000000"


def test_non_ascii_tzid() -> None:
    event = only("issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics")  # "(UTC-03:00) Brasília"
    assert span(event) == (utc(2017, 5, 11, 16, 30), utc(2017, 5, 11, 17), "Etc/GMT+3")


def test_iana_zones_without_vtimezone_and_events_without_dtstart() -> None:
    invitations, problems = read("issue_722_missing_timezones.ics")
    [event] = invitations  # New York start, Los Angeles end; the other two VEVENTs have no DTSTART
    assert span(event) == (utc(2014, 8, 29, 12), utc(2014, 8, 29, 15), "America/New_York")
    skipped = "has no DTSTART; the event was skipped, record it with `followup log interview`"
    assert problems[1:] == [f"issue_722_missing_timezones.ics: event at line {n}: {skipped}" for n in (9, 15)]


def test_google_export_with_iana_zone() -> None:
    event = only("x_location.ics")  # Europe/Zurich, 14:00 CEST, weekly
    assert span(event) == (utc(2016, 10, 28, 12), utc(2016, 10, 28, 12, 30), "Europe/Zurich")
    assert event.location == "Roadstar 16\n12764 Happyville\nDenmark"
    assert (event.summary, event.description) == ("Daily Sync", "Some Description")


def test_google_export_in_utc() -> None:
    event = only("alarm_google_future.ics")
    assert span(event) == (utc(2024, 10, 4, 18, 15), utc(2024, 10, 4, 19), "UTC")
    assert (event.uid, event.summary, event.sequence) == (
        "79fs7pkqvht9m5igs0vjv1sfra@google.com",
        "event with alarms",
        0,
    )


def test_bare_vevent_with_exdates_and_no_uid() -> None:
    event = only("event_with_recurrence_exdates_on_different_lines.ics")  # no VCALENDAR around it
    assert span(event) == (utc(2012, 3, 27, 8), utc(2012, 3, 27, 16), "Europe/Vienna")
    assert event.uid.endswith("@followup.invalid")
    assert event.uid == only("event_with_recurrence_exdates_on_different_lines.ics").uid  # stable


def test_folded_description_of_a_bare_vevent() -> None:
    event = only("issue_112_missing_tzinfo_on_exdate.ics")
    assert span(event) == (utc(2013, 9, 7, 16), utc(2013, 9, 7, 21), "America/New_York")
    assert event.description.startswith(
        "The Fieldhouse and Hard Rock Cafe are working with PhillyRising to provide"
    )
    assert event.location == "12th and Market Streets (weather permitting)"


# ---------------------------------------------------------------------------------------------------
# End times, all-day events, recurrences


def test_duration_instead_of_dtend() -> None:
    event = only("duration_instead_of_dtend.ics")  # 06:00 PDT, DURATION:P1D
    assert span(event) == (utc(2012, 6, 30, 13), utc(2012, 7, 1, 13), "America/Los_Angeles")


def test_all_day_event_with_only_dtstart() -> None:
    event = only("only_dtstart_date.ics")  # DTSTART;VALUE=DATE:20120630
    assert span(event) == (utc(2012, 6, 30), utc(2012, 7, 1), "UTC")
    [in_la], _ = read("only_dtstart_date.ics", default_zone="America/Los_Angeles")
    assert span(in_la) == (utc(2012, 6, 30, 7), utc(2012, 7, 1, 7), "America/Los_Angeles")


def test_recurring_event_keeps_its_first_occurrence() -> None:
    event = only("multiple_rrules.ics")  # two RRULEs from 26 Mar 2012, 11:00 PDT
    assert (event.starts_at, event.ends_at) == (utc(2012, 3, 26, 18), utc(2012, 3, 26, 18, 30))
    assert (event.sequence, event.summary) == (9, "sahaja <> frashed")
    assert event.organizer == Attendee("frashed@mozilla.com", "Faramarz Rashed")
    assert event.attendees == (Attendee("jlal@mozilla.com", "James Lal"),)
    rdate = only("rdate_exdate.ics")
    assert (rdate.uid, rdate.starts_at, rdate.ends_at) == ("123", utc(2024, 6, 9, 3), utc(2024, 6, 9, 4))


def test_overridden_occurrences_are_invitations_of_their_own() -> None:
    invitations, _ = read("recur_instances.ics")
    uid = "623c13c0-6c2b-45d6-a12b-c33ad61c4868"
    assert [(e.uid, e.sequence, e.starts_at) for e in invitations] == [
        (uid, 0, utc(2012, 10, 2, 17)),
        (f"{uid}/2012-10-02T17:00:00Z", 1, utc(2012, 10, 2, 22)),  # RECURRENCE-ID;TZID=America/Los_Angeles
        (f"{uid}/2012-11-05T18:00:00Z", 1, utc(2012, 11, 7, 4)),  # RECURRENCE-ID in UTC
    ]
    assert invitations[0].attendees[1] == Attendee("james@lightsofapollo.com", "james@lightsofapollo.com")
    assert invitations[1].description == "I HAZ CHANGED!"
    assert only("issue_1231_recurrence.ics").uid == "test-uid/2025-04-28T16:05:00Z"


def test_all_day_overrides_are_named_by_date() -> None:
    invitations, _ = read("google_birthday.ics")
    assert [(e.uid, e.starts_at, e.ends_at) for e in invitations] == [
        ("2014_BIRTHDAY_79d389868f96182e@google.com", utc(2014, 12, 10), utc(2014, 12, 11)),
        ("BIRTHDAY_79d389868f96182e@google.com/2012-12-10", utc(2012, 12, 10), utc(2012, 12, 11)),
        ("BIRTHDAY_79d389868f96182e@google.com/2013-12-10", utc(2013, 12, 10), utc(2013, 12, 11)),
        ("BIRTHDAY_79d389868f96182e@google.com/2014-12-10", utc(2014, 12, 10), utc(2014, 12, 11)),
    ]
    assert invitations[0].attendees[0].name == "Contacts"  # CN folded over two lines


# ---------------------------------------------------------------------------------------------------
# Broken and odd input


def test_broken_dtstart_skips_that_event_only() -> None:
    invitations, problems = read("broken_dtstart.ics")
    assert invitations == []
    assert problems == [
        "broken_dtstart.ics: event 'test-123': DTSTART 'INVALID-DATE' is not a date or date-time "
        "(like 20260301T100000Z); the event was skipped, record it with `followup log interview`"
    ]
    good = b"BEGIN:VEVENT\nUID:good\nDTSTART:20260301T100000Z\nEND:VEVENT\n"
    raw = (DATA / "collective-icalendar" / "broken_dtstart.ics").read_bytes()
    invitations, problems = read_invitations(
        raw.replace(b"END:VCALENDAR", good + b"END:VCALENDAR"), source="x.ics"
    )
    assert [(e.uid, e.starts_at) for e in invitations] == [("good", utc(2026, 3, 1, 10))]
    assert len(problems) == 1
    assert "'test-123'" in problems[0]


def test_event_without_dtstart_is_named_by_its_line() -> None:
    assert read("event_with_escaped_characters.ics") == (
        [],
        [
            "event_with_escaped_characters.ics: event at line 1: has no DTSTART; "
            "the event was skipped, record it with `followup log interview`"
        ],
    )


def test_non_ascii_organizer_name() -> None:
    event = only("issue_101_icalendar_chokes_on_umlauts_in_organizer.ics")
    assert event.organizer == Attendee("adm-acme@mydomain.de", "acme, ädmin")
    assert (event.location, event.starts_at, event.timezone) == ("im büro", utc(2013, 4, 16, 10), "UTC")


def test_files_with_a_bom_blank_lines_or_junk_and_no_events() -> None:
    for name in ("bom_calendar.ics", "blank_line_mid.ics", "newline_junk.ics", "unfold_properties.ics"):
        assert read(name) == ([], []), name


def test_lone_carriage_returns_and_a_lone_vtimezone() -> None:
    assert read("fuzz_testcase_vtimezone_lone_cr.ics") == (
        [],
        [
            "fuzz_testcase_vtimezone_lone_cr.ics: not iCalendar data (no BEGIN:VCALENDAR line); "
            "nothing was read: check that this is the invitation's .ics file"
        ],
    )
    old_mac = b"BEGIN:VCALENDAR\rBEGIN:VEVENT\rUID:cr\rDTSTART:20260301T100000Z\rEND:VEVENT\rEND:VCALENDAR\r"
    [event], problems = read_invitations(old_mac, source="cr.ics")
    assert (event.uid, event.starts_at, problems) == ("cr", utc(2026, 3, 1, 10), [])


def test_property_lines_outside_an_event_are_not_events() -> None:
    raw = (DATA / "ical-js" / "unfold_properties.ics").read_bytes()  # a folded ATTENDEE in the VCALENDAR
    data = raw.replace(
        b"BEGIN:VCALENDAR\n", b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20260301T100000Z\n"
    )
    data = data.replace(b"END:VCALENDAR", b"END:VEVENT\nEND:VCALENDAR")
    [event], _ = read_invitations(data, source="unfold.ics")
    assert event.attendees == (Attendee("person@foo.com", "Person"),)


@pytest.mark.parametrize(
    "data", [b"", b"hello world", b"\x89PNG\r\n\x1a\n\x00", b"<html>BEGIN:VCALENDAR</html>"]
)
def test_data_that_is_not_icalendar_gives_one_problem(data: bytes) -> None:
    invitations, problems = read_invitations(data, source="mail part 2")
    assert invitations == []
    assert problems == [
        "mail part 2: not iCalendar data (no BEGIN:VCALENDAR line); "
        "nothing was read: check that this is the invitation's .ics file"
    ]


def test_cut_off_data_and_unfolded_text_are_read() -> None:
    data = (
        b"Sent from my phone\n"
        b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:cut\nDTSTART:20260301T100000Z\n"
        b"DESCRIPTION:Agenda:\n1. intro\n2. system design\nSUMMARY:Interview\nDTEND:20260301T110000Z\n{}\n"
        b"LOCATION:Room 4"
    )
    [event], problems = read_invitations(data, source="cut.ics")
    assert (event.summary, event.location, event.ends_at) == ("Interview", "Room 4", utc(2026, 3, 1, 11))
    assert event.description == "Agenda:\n1. intro\n2. system design"
    assert problems == [
        "cut.ics: line 11: not an iCalendar line (NAME:value), ignored",
        "cut.ics: the data ends before END:VCALENDAR (cut off?); what was there was read",
    ]


def test_unknown_tzid_without_vtimezone_is_read_as_utc_and_reported() -> None:
    data = calendar("UID:mars", "DTSTART;TZID=Mars/Olympus:20260301T100000")
    [event], problems = read_invitations(data.encode(), source="mars.ics")
    assert (event.starts_at, event.timezone) == (utc(2026, 3, 1, 10), "UTC")
    assert problems == [
        "mars.ics: event 'mars': TZID 'Mars/Olympus' is not a known time zone and the file has no VTIMEZONE "
        "for it; its time was read as UTC: check it with the sender"
    ]


@pytest.mark.parametrize(
    ("tzid", "start", "zone"),
    [
        ("Europe/Berlin", utc(2026, 7, 1, 8), "Europe/Berlin"),
        ("W. Europe Standard Time", utc(2026, 7, 1, 8), "Europe/Berlin"),
        ("India Standard Time", utc(2026, 7, 1, 4, 30), "Asia/Kolkata"),
        ("AUS Eastern Standard Time", utc(2026, 7, 1), "Australia/Sydney"),
        ("/freeassociation.sourceforge.net/Tzfile/Europe/Berlin", utc(2026, 7, 1, 8), "Europe/Berlin"),
        (
            '"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"',
            utc(2026, 7, 1, 8),
            "Europe/Amsterdam",
        ),
        ('"(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi"', utc(2026, 7, 1, 4, 30), "Asia/Kolkata"),
        ('"(UTC-05:00) Eastern Time (US & Canada)"', utc(2026, 7, 1, 14), "America/New_York"),  # EDT
        ('"(UTC) Dublin, Edinburgh, Lisbon, London"', utc(2026, 7, 1, 9), "Europe/Lisbon"),
    ],
)
def test_tzid_forms_without_vtimezone(tzid: str, start: datetime, zone: str) -> None:
    data = calendar("UID:z", f"DTSTART;TZID={tzid}:20260701T100000")
    [event], problems = read_invitations(data.encode(), source="z.ics")
    assert (event.starts_at, event.timezone, problems) == (start, zone, [])


def test_times_in_a_dst_gap_and_overlap_follow_rfc_5545() -> None:
    gap = "DTSTART;TZID=Europe/Berlin:20260329T023000"  # clocks jump from 02:00 to 03:00
    overlap = "DTSTART;TZID=Europe/Berlin:20261025T023000"  # 02:30 happens twice
    starts = []
    for line in (gap, overlap):
        data = calendar("UID:d", line, "DURATION:P1DT30M")
        [event], _ = read_invitations(data.encode(), source="dst.ics")
        starts.append((event.starts_at, event.ends_at))
    # the gap time means 03:30 CEST; the overlap time its first (summer) occurrence; a day is a calendar day
    assert starts == [
        (utc(2026, 3, 29, 1, 30), utc(2026, 3, 30, 1)),
        (utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 2)),
    ]


def test_floating_times_use_the_default_zone() -> None:
    data = calendar("UID:f", "DTSTART:20260301T100000", "DTEND:20260301T104500").encode()
    [event], problems = read_invitations(data, source="f.ics", default_zone="Europe/Paris")
    assert (event.starts_at, event.ends_at, event.timezone, problems) == (
        utc(2026, 3, 1, 9),
        utc(2026, 3, 1, 9, 45),
        "Europe/Paris",
        [],
    )
    [event], problems = read_invitations(data, source="f.ics", default_zone="Mars/Base")
    assert event.starts_at == utc(2026, 3, 1, 10)
    assert problems == [
        "f.ics: event 'f': default zone 'Mars/Base' is unknown; floating times were read as UTC"
    ]


def test_bad_end_duration_and_sequence_are_reported() -> None:
    data = (
        b"BEGIN:VCALENDAR\n"
        b"BEGIN:VEVENT\nUID:a\nDTSTART:20260301T100000Z\nDTEND:20260301T090000Z\nEND:VEVENT\n"
        b"BEGIN:VEVENT\nUID:b\nDTSTART:20260301T100000Z\nDURATION:soon\nSEQUENCE:two\nEND:VEVENT\n"
        b"END:VCALENDAR\n"
    )
    invitations, problems = read_invitations(data, source="bad.ics")
    assert [(e.uid, e.ends_at, e.sequence) for e in invitations] == [
        ("a", utc(2026, 3, 1, 11), 0),
        ("b", utc(2026, 3, 1, 11), 0),
    ]
    assert problems == [
        "bad.ics: event 'a': DTEND '20260301T090000Z' is before DTSTART; the event was given one hour",
        "bad.ics: event 'b': DURATION 'soon' is not a duration (like PT45M); the event was given one hour",
        "bad.ics: event 'b': SEQUENCE 'two' is not a number; 0 was used, so updates may be missed",
    ]


def test_legacy_encodings() -> None:
    text = calendar("UID:e", "DTSTART:20260301T100000Z", "SUMMARY:Entretien été", end="\r\n")
    for encoding in ("cp1252", "utf-16", "utf-8-sig"):
        [event], problems = read_invitations(text.encode(encoding), source="e.ics")
        assert (event.summary, problems) == ("Entretien été", []), encoding


def test_windows_zone_table_agrees_with_cldr_as_icalendar_ships_it() -> None:
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON  # generated from CLDR windowsZones.xml

    assert len(WINDOWS_ZONES) >= 60
    moments = [utc(2026, month, 15, 12) + timedelta(days=day) for month in (1, 4, 7, 10) for day in (0, 1)]
    for windows, iana in WINDOWS_ZONES.items():
        cldr = WINDOWS_TO_OLSON[windows]
        # ours uses today's names (Asia/Kolkata where CLDR still says Asia/Calcutta): compare offsets
        ours = [m.astimezone(ZoneInfo(iana)).utcoffset() for m in moments]
        assert ours == [m.astimezone(ZoneInfo(cldr)).utcoffset() for m in moments], windows


# ---------------------------------------------------------------------------------------------------
# Invitations as they arrive: Google Calendar, Exchange (with an update), a cancellation

GOOGLE_REQUEST = """\
BEGIN:VCALENDAR\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
VERSION:2.0\r
CALSCALE:GREGORIAN\r
METHOD:REQUEST\r
BEGIN:VTIMEZONE\r
TZID:Europe/Berlin\r
X-LIC-LOCATION:Europe/Berlin\r
BEGIN:DAYLIGHT\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
TZNAME:CEST\r
DTSTART:19700329T020000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
BEGIN:STANDARD\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
TZNAME:CET\r
DTSTART:19701025T030000\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
DTSTART;TZID=Europe/Berlin:20261201T140000\r
DTEND;TZID=Europe/Berlin:20261201T144500\r
DTSTAMP:20261120T091512Z\r
ORGANIZER;CN=Zoë Müller:mailto:zoe.mueller@northwind.example\r
UID:3q1v9o0r8k2d6bq7n4c5m1a2b3@google.com\r
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Zoë Mül\r
 ler;X-NUM-GUESTS=0:mailto:zoe.mueller@northwind.example\r
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=\r
 TRUE;CN=Alex.Candidate@Example.com;X-NUM-GUESTS=0:mailto:Alex.Candidate@Exa\r
 mple.com\r
X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij\r
CREATED:20261120T091510Z\r
DESCRIPTION:Technical interview\\, round 2: system design.\\n\\nJoin with Goo\r
 gle Meet: https://meet.google.com/abc-defg-hij\\n\\nInvitation from Google Ca\r
 lendar: https://calendar.google.com/calendar/\r
LAST-MODIFIED:20261120T091511Z\r
LOCATION:Northwind Traders\\, Friedrichstraße 12\\, Berlin\r
SEQUENCE:0\r
STATUS:CONFIRMED\r
SUMMARY:Interview: Northwind Traders / Alex Candidate\r
TRANSP:OPAQUE\r
BEGIN:VALARM\r
ACTION:DISPLAY\r
DESCRIPTION:This is an event reminder\r
TRIGGER:-P0DT0H30M0S\r
END:VALARM\r
END:VEVENT\r
END:VCALENDAR\r
"""

EXCHANGE_REQUEST = """\
BEGIN:VCALENDAR\r
METHOD:REQUEST\r
PRODID:Microsoft Exchange Server 2010\r
VERSION:2.0\r
BEGIN:VTIMEZONE\r
TZID:W. Europe Standard Time\r
BEGIN:STANDARD\r
DTSTART:16010101T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:16010101T020000\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
ORGANIZER;CN="Smith, Raj":mailto:Raj.Smith@contoso.example\r
ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Alex Candid\r
 ate:mailto:alex.candidate@example.com\r
ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Priya Natar\r
 ajan:mailto:priya.natarajan@contoso.example\r
DESCRIPTION;LANGUAGE=en-US:Hi Alex\\,\\n\\nPlease find the invite for your ne\r
 xt round below.\\n\\n____________\\nMicrosoft Teams meeting\\n\r
UID:040000008200E00074C5B7101A82E00800000000B0D5F2E1A2F4DC01000000000000000\r
 010000000C1A8A84A1E6E5F4FBB2C3E4B5A6D7E8F\r
SUMMARY;LANGUAGE=en-US:Contoso - Interview with Raj Smith\r
DTSTART;TZID=W. Europe Standard Time:{start}\r
DTEND;TZID=W. Europe Standard Time:{end}\r
CLASS:PUBLIC\r
PRIORITY:5\r
DTSTAMP:20261102T160512Z\r
TRANSP:OPAQUE\r
STATUS:CONFIRMED\r
SEQUENCE:{sequence}\r
LOCATION;LANGUAGE=en-US:Microsoft Teams Meeting\r
X-MICROSOFT-CDO-APPT-SEQUENCE:{sequence}\r
X-MICROSOFT-CDO-OWNERAPPTID:2117962364\r
X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE\r
X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY\r
X-MICROSOFT-CDO-ALLDAYEVENT:FALSE\r
X-MICROSOFT-CDO-IMPORTANCE:1\r
X-MICROSOFT-CDO-INSTTYPE:0\r
X-MICROSOFT-DISALLOW-COUNTER:FALSE\r
BEGIN:VALARM\r
DESCRIPTION:REMINDER\r
TRIGGER;RELATED=START:-PT15M\r
ACTION:DISPLAY\r
END:VALARM\r
END:VEVENT\r
END:VCALENDAR\r
"""

GOOGLE_CANCEL = """\
BEGIN:VCALENDAR\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
VERSION:2.0\r
CALSCALE:GREGORIAN\r
METHOD:CANCEL\r
BEGIN:VEVENT\r
DTSTART:20261201T130000Z\r
DTEND:20261201T134500Z\r
DTSTAMP:20261125T081003Z\r
ORGANIZER;CN=Zoë Müller:mailto:zoe.mueller@northwind.example\r
UID:3q1v9o0r8k2d6bq7n4c5m1a2b3@google.com\r
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;CN=ale\r
 x.candidate@example.com;X-NUM-GUESTS=0:mailto:alex.candidate@example.com\r
DESCRIPTION:This event has been cancelled.\r
SEQUENCE:2\r
STATUS:CANCELLED\r
SUMMARY:Interview: Northwind Traders / Alex Candidate\r
TRANSP:OPAQUE\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_google_calendar_request() -> None:
    [event], problems = read_invitations(GOOGLE_REQUEST.encode(), source="invite.ics")
    assert problems == []
    assert event == Invitation(
        uid="3q1v9o0r8k2d6bq7n4c5m1a2b3@google.com",
        sequence=0,
        method="REQUEST",
        cancelled=False,
        starts_at=utc(2026, 12, 1, 13),  # 14:00 CET
        ends_at=utc(2026, 12, 1, 13, 45),
        timezone="Europe/Berlin",
        summary="Interview: Northwind Traders / Alex Candidate",
        location="Northwind Traders, Friedrichstraße 12, Berlin",
        description=(
            "Technical interview, round 2: system design.\n\nJoin with Google Meet: "
            "https://meet.google.com/abc-defg-hij\n\nInvitation from Google Calendar: https://calendar.google.com/calendar/"
        ),
        organizer=Attendee("zoe.mueller@northwind.example", "Zoë Müller"),
        attendees=(
            Attendee("zoe.mueller@northwind.example", "Zoë Müller"),
            Attendee("alex.candidate@example.com", "Alex.Candidate@Example.com"),
        ),
    )
    # as a mail client may hand it over: with a byte order mark and blank lines
    [same], problems = read_invitations(
        b"\xef\xbb\xbf" + GOOGLE_REQUEST.replace("\r\n", "\n\n").encode(), source="x"
    )
    assert (same, problems) == (event, [])


def exchange(start: str, end: str, sequence: int) -> bytes:
    return EXCHANGE_REQUEST.format(start=start, end=end, sequence=sequence).encode()


def test_exchange_request_and_its_update() -> None:
    [first], problems = read_invitations(
        exchange("20261110T093000", "20261110T103000", 0), source="invite.ics"
    )
    assert problems == []
    assert first.uid == (
        "040000008200E00074C5B7101A82E00800000000B0D5F2E1A2F4DC01000000000000000010000000C1A8A84A1E6E5F4FBB2C3E4B5A6D7E8F"
    )
    assert (first.method, first.sequence, first.cancelled) == ("REQUEST", 0, False)
    assert span(first) == (utc(2026, 11, 10, 8, 30), utc(2026, 11, 10, 9, 30), "Europe/Berlin")
    assert (first.summary, first.location) == (
        "Contoso - Interview with Raj Smith",
        "Microsoft Teams Meeting",
    )
    assert first.description.startswith("Hi Alex,\n\nPlease find the invite for your next round below.")
    assert first.organizer == Attendee("raj.smith@contoso.example", "Smith, Raj")
    assert first.attendees == (
        Attendee("alex.candidate@example.com", "Alex Candidate"),
        Attendee("priya.natarajan@contoso.example", "Priya Natarajan"),
    )
    # moved to a summer date: the same UID, a higher SEQUENCE, the time read in summer time
    [update], problems = read_invitations(
        exchange("20270415T140000", "20270415T150000", 1), source="update.ics"
    )
    assert problems == []
    assert (update.uid, update.sequence) == (first.uid, 1)
    assert span(update) == (utc(2027, 4, 15, 12), utc(2027, 4, 15, 13), "Europe/Berlin")


def test_cancellation() -> None:
    [event], problems = read_invitations(GOOGLE_CANCEL.encode(), source="cancel.ics")
    assert problems == []
    assert (event.uid, event.method, event.cancelled, event.sequence) == (
        "3q1v9o0r8k2d6bq7n4c5m1a2b3@google.com",
        "CANCEL",
        True,
        2,
    )
    assert span(event) == (utc(2026, 12, 1, 13), utc(2026, 12, 1, 13, 45), "UTC")
    assert event.organizer == Attendee("zoe.mueller@northwind.example", "Zoë Müller")
    # a cancelled occurrence sent as METHOD:REQUEST still counts as cancelled
    request = GOOGLE_CANCEL.replace("METHOD:CANCEL", "METHOD:REQUEST").encode()
    [still], _ = read_invitations(request, source="cancel.ics")
    assert (still.method, still.cancelled) == ("REQUEST", True)
