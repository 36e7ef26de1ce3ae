"""Tests for outbox messages as RFC 5322 bytes (followup.domain.message): nothing injected, names intact."""

from __future__ import annotations

import dataclasses
import email
import email.policy
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage

import pytest

from followup.domain.message import as_bytes
from followup.domain.outbox import OutboxMessage, OutboxState

DATE = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)

NOTE = OutboxMessage(
    touch_id=7,
    kind="thank-you",
    state=OutboxState.APPROVED,
    subject="Thank you for today's conversation about the Data Engineer role",
    body="Hi Jane,\n\nThank you for taking the time to talk with me today.\n\nBest regards,\nAlex Morgan\n",
    from_name="Alex Morgan",
    from_address="alex@example.org",
    to_name="Jane Doe",
    to_address="jane.doe@northwind.example",
    message_id="<5f2c9e@example.org>",
    date=DATE,
)


def message(**changes: object) -> OutboxMessage:
    return dataclasses.replace(NOTE, **changes)  # type: ignore[arg-type]


def parse(raw: bytes) -> EmailMessage:
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def header_lines(raw: bytes) -> list[bytes]:
    head, separator, _body = raw.partition(b"\r\n\r\n")
    assert separator, "no blank line between the headers and the body"
    return head.split(b"\r\n")


# header injection --------------------------------------------------------------------------------

HOSTILE = message(
    to_name="Eve\r\nBcc: all@example.com",
    subject="Hello\r\nBcc: x@example.com\nX-Injected: yes\x00 done",
)


def test_an_injected_bcc_never_becomes_a_header() -> None:
    parsed = parse(as_bytes(HOSTILE))

    assert parsed.get_all("Bcc") is None
    assert parsed.get_all("X-Injected") is None
    assert not any(
        line.lower().startswith((b"bcc:", b"x-injected:")) for line in header_lines(as_bytes(HOSTILE))
    )


def test_an_injected_name_leaves_exactly_the_real_recipient() -> None:
    parsed = parse(as_bytes(HOSTILE))

    assert len(parsed.get_all("To") or []) == 1
    (recipient,) = parsed["To"].addresses
    assert recipient.addr_spec == "jane.doe@northwind.example"
    assert recipient.display_name == "Eve Bcc: all@example.com"


def test_an_injected_subject_stays_one_subject_line() -> None:
    parsed = parse(as_bytes(HOSTILE))

    assert len(parsed.get_all("Subject") or []) == 1
    assert parsed["Subject"] == "Hello Bcc: x@example.com X-Injected: yes  done"


def test_no_header_line_holds_a_bare_cr_lf_or_nul() -> None:
    lines = header_lines(as_bytes(HOSTILE))

    for line in lines:
        assert b"\r" not in line
        assert b"\n" not in line
        assert b"\x00" not in line
    # a folded header continues on lines that start with white space; every other line names a header
    assert all(line[:1] in (b" ", b"\t") or b":" in line for line in lines)


@pytest.mark.parametrize("field", ["in_reply_to", "message_id"])
def test_line_breaks_in_threading_headers_are_removed(field: str) -> None:
    parsed = parse(as_bytes(message(**{field: "<a@example.org>\r\nBcc: all@example.com"})))

    assert parsed.get_all("Bcc") is None


def test_line_breaks_in_references_are_removed() -> None:
    parsed = parse(as_bytes(message(references=("<a@example.org>\nBcc: all@example.com", "<b@example.org>"))))

    assert parsed.get_all("Bcc") is None
    assert len(parsed.get_all("References") or []) == 1


# names and addresses -----------------------------------------------------------------------------


def test_utf8_display_names_round_trip() -> None:
    raw = as_bytes(message(from_name="Zoë Ångström", to_name="Jane Doe-Ñúñez"))

    parsed = parse(raw)

    assert raw.isascii()
    assert parsed["From"].addresses[0].display_name == "Zoë Ångström"
    assert parsed["From"].addresses[0].addr_spec == "alex@example.org"
    assert parsed["To"].addresses[0].display_name == "Jane Doe-Ñúñez"


def test_a_non_ascii_subject_round_trips() -> None:
    subject = "Merci pour l'entretien — rôle d'ingénieure données à Zürich, prochaine étape ?"

    assert parse(as_bytes(message(subject=subject)))["Subject"] == subject


@pytest.mark.parametrize(
    "to_address",
    [
        "jane doe@northwind.example",
        "jane.doe@northwind.example, bob@northwind.example",
        "jane.doe@northwind.example bob@northwind.example",
        "jane.doe@northwind.example;bob@northwind.example",
        "Jane Doe <jane.doe@northwind.example>",
        "jane.doe@northwind.example\r\nbob@northwind.example",
        "jane.doe",
        "@northwind.example",
        "jane.doe@",
    ],
)
def test_anything_but_one_address_is_refused(to_address: str) -> None:
    with pytest.raises(ValueError, match="not a single e-mail address"):
        as_bytes(message(to_address=to_address))


def test_the_sender_address_is_checked_too() -> None:
    with pytest.raises(ValueError, match="not a single e-mail address"):
        as_bytes(message(from_address="alex@example.org, eve@example.com"))


# fixed at approval -------------------------------------------------------------------------------


def test_message_id_date_and_threading_headers_are_as_given() -> None:
    sent = message(
        date=datetime(2026, 11, 26, 9, 30, tzinfo=timezone(timedelta(hours=-6))),
        in_reply_to="<c@northwind.example>",
        references=("<a@northwind.example>", "<b@example.org>", "<c@northwind.example>"),
    )

    parsed = parse(as_bytes(sent))

    assert parsed["Message-ID"] == "<5f2c9e@example.org>"
    assert parsed["Date"] == "Thu, 26 Nov 2026 09:30:00 -0600"
    assert parsed["Date"].datetime == sent.date
    assert parsed["In-Reply-To"] == "<c@northwind.example>"
    assert parsed["References"] == "<a@northwind.example> <b@example.org> <c@northwind.example>"
    assert parsed["MIME-Version"] == "1.0"


def test_no_date_or_message_id_is_invented() -> None:
    parsed = parse(as_bytes(message(date=None, message_id=None)))

    assert parsed.get_all("Date") is None
    assert parsed.get_all("Message-ID") is None
    assert parsed.get_all("In-Reply-To") is None
    assert parsed.get_all("References") is None


# body --------------------------------------------------------------------------------------------


def test_an_ascii_body_is_sent_as_is() -> None:
    raw = as_bytes(NOTE)
    parsed = parse(raw)

    assert parsed["Content-Transfer-Encoding"] == "7bit"
    assert parsed.get_content_type() == "text/plain"
    assert b"Thank you for taking the time to talk with me today." in raw


def test_a_non_ascii_body_is_quoted_printable_and_decodes_back_exactly() -> None:
    body = (
        "Hi Zoë,\n\n"
        "Merci pour l'entretien d'aujourd'hui — j'ai beaucoup apprécié notre échange sur la migration "
        "de Kafka vers Flink, et sur l'astreinte. Grüße aus Köln, 東京 and 🙂.\n\n"
        "Best regards,\nAlex Morgan\n"
    )

    raw = as_bytes(message(body=body))
    parsed = parse(raw)

    assert raw.isascii()
    assert parsed["Content-Transfer-Encoding"] == "quoted-printable"
    assert parsed.get_content_charset() == "utf-8"
    # on the wire every line ends in CRLF; the words are exactly the ones written
    assert parsed.get_content().replace("\r\n", "\n") == body


def test_crlf_in_the_body_is_not_doubled() -> None:
    parsed = parse(as_bytes(message(body="Hi Jane,\r\n\r\nThank you.\r\n")))

    assert parsed.get_content().replace("\r\n", "\n") == "Hi Jane,\n\nThank you.\n"


# the direct writer against the email package --------------------------------------------------

from email.header import decode_header, make_header  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from followup.domain.message import clean_header, compose  # noqa: E402

_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=120)


@settings(max_examples=300, deadline=None)
@given(
    to_name=_TEXT,
    from_name=_TEXT,
    subject=_TEXT,
    body=st.text(st.characters(blacklist_categories=("Cs",)), max_size=600),
    references=st.lists(
        st.from_regex(r"<[a-z0-9.]{1,40}@[a-z]{1,20}\.example>", fullmatch=True), max_size=12
    ),
)
def test_the_direct_writer_says_what_the_email_package_says(
    to_name: str, from_name: str, subject: str, body: str, references: list[str]
) -> None:
    note = message(
        to_name=to_name,
        from_name=from_name,
        subject=subject,
        body=body,
        in_reply_to=references[-1] if references else None,
        references=tuple(references),
    )
    raw = as_bytes(note)
    fast, slow = parse(raw), parse(compose(note).as_bytes(policy=email.policy.SMTP))
    assert raw.isascii()
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    for name in ("Date", "MIME-Version"):
        assert str(fast[name]) == str(slow[name]), name
    # the words come back exactly as written, read by RFC 2047's rules (the email package's own
    # folding may lose a space, and its display-name parser keeps the folding between encoded words)
    assert fast["Subject"] == clean_header(subject)
    legacy = email.message_from_bytes(raw, policy=email.policy.compat32)
    for header, name in (("From", from_name), ("To", to_name)):
        if clean_header(name).isascii():
            assert fast[header].addresses[0].display_name == clean_header(name), header
        else:
            decoded = str(make_header(decode_header(legacy[header])))
            assert decoded.rsplit(" <", 1)[0] == clean_header(name), header
    for name in ("Message-ID", "In-Reply-To", "References"):  # lists of ids: where they fold is free
        assert str(fast[name]).split() == str(slow[name]).split(), name
    assert fast.get_content_type() == slow.get_content_type() == "text/plain"
    assert fast.get_content_charset() == "utf-8"
    assert fast.get_content().replace("\r\n", "\n") == slow.get_content().replace("\r\n", "\n")
    assert fast["To"].addresses[0].addr_spec == "jane.doe@northwind.example"
