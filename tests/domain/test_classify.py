"""Reading message bodies and telling bounces, auto-replies, invitations, bulk and human mail apart,
against real third-party mail (tests/data/mail, sources in its SOURCES.md) and small inline messages."""

from __future__ import annotations

import base64
import importlib.util
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.domain.classify import (
    AUTO_REPLY_SUBJECTS,
    FAILURE_SUBJECTS,
    classify,
    needs_content,
    parse_content,
)
from followup.domain.inbound import Classification, Content, MailKind, parse_envelope
from followup.domain.reports import FAILURE_INTROS, Phrases

MAIL = Path(__file__).parent.parent / "data" / "mail"
SISIMAI = "sisimai-set-of-emails"


def read(name: str) -> bytes:
    return (MAIL / name).read_bytes()


def judge(raw: bytes, own: frozenset[str] = frozenset()) -> tuple[Content, Classification]:
    content = parse_content(raw)
    return content, classify(parse_envelope(raw), content, own_addresses=own)


def message(headers: str, body: str | bytes = "Hello.\n") -> bytes:
    """A message from header lines and a body, with CRLF line endings like mail on the wire."""
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    return headers.strip("\n").replace("\n", "\r\n").encode("utf-8") + b"\r\n\r\n" + data


# ---------------------------------------------------------------------------------------------------
# Real auto-replies

AUTO_REPLIES = [
    ("rfc3834-01.eml", "header Auto-Submitted: auto-replied"),
    ("rfc3834-02.eml", "header X-Auto-Response-Suppress: All and subject 'Automatic reply:'"),
    ("rfc3834-03.eml", "header X-Apple-Action: VACATION"),
    ("rfc3834-04.eml", "header X-Auto-Response-Suppress: All and subject 'Automatic reply:'"),
    ("rfc3834-05.eml", "header Auto-Submitted: auto-replied"),
    ("rfc3834-06.eml", "header Auto-Submitted: auto-replied"),
]


@pytest.mark.parametrize(("name", "because"), AUTO_REPLIES)
def test_real_auto_replies(name: str, because: str) -> None:
    raw = read(f"{SISIMAI}/{name}")
    content, verdict = judge(raw)
    assert verdict.kind is MailKind.AUTO_REPLY
    assert verdict.because == because
    assert verdict.failures == ()
    assert content.failures == ()
    assert needs_content(parse_envelope(raw))  # worth fetching even when nobody known sent it


def test_apple_vacation_answers_a_thread_but_is_no_human_reply() -> None:
    raw = read(f"{SISIMAI}/rfc3834-03.eml")
    envelope = parse_envelope(raw)
    assert envelope.in_reply_to == "<25203A4E-F90F-4A14-BF51-3E7B9D39BE8E@libsisimai.org>"
    verdict = classify(envelope, parse_content(raw))
    assert verdict.kind is MailKind.AUTO_REPLY
    # X-Apple-Criteria endDate=2020-01-10T14:59:59Z is the last moment away: back the next day
    assert verdict.returns_on == date(2020, 1, 11)


def test_exchange_out_of_office_decodes_windows_1252_quoted_printable() -> None:
    content, _ = judge(read(f"{SISIMAI}/rfc3834-04.eml"))
    assert "I will have intermittent access to email and phone" in content.text  # soft line break joined


def test_mimecast_autoresponder_from_noreply_is_an_auto_reply_not_bulk() -> None:
    content, verdict = judge(read(f"{SISIMAI}/rfc3834-06.eml"))
    assert verdict.kind is MailKind.AUTO_REPLY  # although From noreply@ and Precedence: bulk
    assert content.text.startswith("This email inbox kijitora@example.com is no longer in use.")


def test_auto_reply_return_date_comes_from_the_text_then_the_subject() -> None:
    returndates = importlib.import_module("followup.domain.returndates")
    # "returning to the office on May 5th"; subject "Away until May 5"
    raw = read(f"{SISIMAI}/rfc3834-01.eml")
    content, verdict = judge(raw)
    received = date(2005, 4, 29)
    expected = returndates.return_date(content.text, received=received) or returndates.return_date(
        "Away until May 5", received=received
    )
    assert verdict.returns_on == expected


# ---------------------------------------------------------------------------------------------------
# Real bounces: every failed recipient, exactly

DSN = "multipart/report; report-type=delivery-status"
BOUNCES = [
    # file, because, failed addresses, their statuses, Message-ID of the returned message
    (f"{SISIMAI}/rfc3464-01.eml", DSN, ["userunknown@bouncehammer.jp"], ["5.1.1"],
     "<E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org>"),
    (f"{SISIMAI}/dos-crlf-rfc3464-01.eml", DSN, ["userunknown@bouncehammer.jp"], ["5.1.1"],
     "<E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org>"),
    (f"{SISIMAI}/rfc3464-03.eml", DSN, ["kijitora@example.com"], ["5.0.0"],
     "<220000000022.0000.0000000000000000222@NEKO.NYAAN>"),
    (f"{SISIMAI}/lhost-gmail-01.eml", "header X-Failed-Recipients", ["userunknown@example.jp"], [""],
     "<D992C2C3-F175-4C4D-97E2-53A90E4E5BF5@gmail.com>"),
    # multipart/report cut short: no delivery-status part, so the plain text names the recipient
    (f"{SISIMAI}/lhost-office365-01.eml", DSN, ["kijitora@example.com"], [""],
     "<FFFFFFFF.EEEEEEEE@example.ed.jp>"),
    (f"{SISIMAI}/lhost-office365-02.eml",
     "sender postmaster@example.onmicrosoft.com and subject 'Undeliverable:'",
     ["kijitora@example.onmicrosoft.com"], ["5.1.1"],
     "<c302b7e8-9b97-40ef-90eb-313cc6c25133@NYAAAAN.example.org>"),
    (f"{SISIMAI}/lhost-outlook-01.eml", DSN, ["kijitora@example.jp"], ["5.2.2"],
     "<BLU436-SMTP6645ECA6E7FEFFE86D040BBA770@phx.gbl>"),
    # Final-Recipient is the local alias r@p351355…; Original-Recipient is the address the user wrote
    (f"{SISIMAI}/lhost-postfix-01.eml", DSN, ["kijitora@example.org"], ["5.1.1"], None),
    (f"{SISIMAI}/lhost-exchange2007-01.eml", DSN, ["mikeneko@example.co.jp"], ["5.1.1"], None),
    (f"{SISIMAI}/lhost-yahoo-01.eml", "sender mailer-daemon@y.example.co.jp and subject 'Failure Notice'",
     ["kijitora@example.org"], ["5.1.1"], "<6AE6249A-E7A8-4980-862C-F499F6B8E7C5@y.example.co.jp>"),
    (f"{SISIMAI}/rhost-apple-01.eml", DSN, ["kijitora@example.jp"], ["5.1.6"],
     "<c15e793e1c6acf9fbc39d1547bbd98b4@example.com>"),
    # its text/rfc822-headers part sits behind a mistyped boundary, so the returned id is not found
    (f"{SISIMAI}/rhost-google-01.eml", DSN, ["shironeko@example.ne.jp"], ["5.2.1"], None),
    ("spamscope-mail-parser/mail_malformed_2.eml", DSN, ["abh@netpar.com.br"], ["4.2.2"],
     "<004801d1fc84$01c934ac$b247f0b7$@infospacemail.com>"),
    # multipart/report without report-type, MESSAGE/DELIVERY-STATUS in upper case, sent through a list
    ("cpython-test-email/msg_16.txt", "sender postmaster@ucla.edu and subject 'Delivery has failed'",
     ["jangel1@cougar.noc.ucla.edu"], ["5.0.0"], "<002001c144a6$8752e060$56104586@oxy.edu>"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "because", "addresses", "statuses", "original"), BOUNCES)
def test_real_bounces(
    name: str, because: str, addresses: list[str], statuses: list[str], original: str | None
) -> None:
    raw = read(name)
    content, verdict = judge(raw)
    assert verdict.kind is MailKind.BOUNCE
    assert verdict.because == because
    assert [f.address for f in verdict.failures] == addresses
    assert [f.status for f in verdict.failures] == statuses
    assert content.original_message_id == original
    assert needs_content(parse_envelope(raw))


def test_office365_report_marked_auto_replied_is_still_a_bounce() -> None:
    raw = read(f"{SISIMAI}/lhost-office365-01.eml")
    assert parse_envelope(raw).header("Auto-Submitted") == "auto-replied"
    content, verdict = judge(raw)
    assert verdict.kind is MailKind.BOUNCE
    assert "The email address wasn\u2019t found at the destination domain." in content.text  # cp1252 =92
    assert "CloseBoundaryNotFoundDefect" in content.defects


def test_delivery_status_fields_are_read_whole() -> None:
    content, _ = judge(read(f"{SISIMAI}/rfc3464-03.eml"))
    (failure,) = content.failures
    # Diagnostic-Code folded over two lines, "smtp;" dropped
    assert failure.diagnostic == "554 Mail from nekonyaan@example.net rejected for policy reasons."


def test_gmail_plain_text_report_names_the_recipient_without_the_header() -> None:
    raw = read(f"{SISIMAI}/lhost-gmail-01.eml").replace(b"X-Failed-Recipients:", b"X-Ignored:")
    content, verdict = judge(raw)
    subject = "Delivery Status Notification (Failure)"
    assert verdict.because == f"sender mailer-daemon@googlemail.com and subject '{subject}'"
    # the returned message below also lists mailboxfull@example.jp in its To: it did not fail
    assert [f.address for f in content.failures] == ["userunknown@example.jp"]


def test_unknown_charset_of_a_report_part_still_gives_its_text() -> None:
    content, _ = judge(read(f"{SISIMAI}/lhost-outlook-01.eml"))  # charset=unicode-1-1-utf-7
    assert "Delivery to the following recipients failed." in content.text


def test_headers_alone_name_the_failed_recipients_when_the_body_was_not_fetched() -> None:
    verdict = classify(parse_envelope(read(f"{SISIMAI}/lhost-gmail-01.eml")), None)
    assert verdict.kind is MailKind.BOUNCE
    assert [f.address for f in verdict.failures] == ["userunknown@example.jp"]


def test_own_addresses_are_never_failed_recipients() -> None:
    _, verdict = judge(read(f"{SISIMAI}/rfc3464-01.eml"), own=frozenset({"UserUnknown@bouncehammer.jp"}))
    assert verdict.kind is MailKind.BOUNCE
    assert verdict.failures == ()


def delivery_report(action: str, status: str) -> bytes:
    """A Postfix-style report whose text lists the recipient as any report does, failed or not."""
    return message(
        "From: MAILER-DAEMON@mx.acme.example\nSubject: Delayed Mail (still being retried)\n"
        'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="r"',
        "--r\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered for 4.0 hours.\r\n"
        "It will be retried until it is 5.0 days old.\r\n\r\n"
        "<ann@acme.example>: host mx.acme.example said: 451 4.3.0 try again later\r\n"
        "--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.acme.example\r\n\r\n"
        f"Final-Recipient: rfc822; ann@acme.example\r\nAction: {action}\r\nStatus: {status}\r\n--r--\r\n",
    )


@pytest.mark.parametrize(
    ("action", "status"), [("delayed", "4.3.0"), ("delivered", "2.0.0"), ("relayed", "2.0.0")]
)
def test_a_report_where_nothing_failed_is_no_bounce(action: str, status: str) -> None:
    content, verdict = judge(delivery_report(action, status))
    assert content.failures == ()  # the delivery-status part overrules the recipient line in the text
    assert verdict.kind is MailKind.AUTO_REPLY
    assert verdict.because == "multipart/report; report-type=delivery-status without a failed recipient"
    assert judge(delivery_report("failed", "5.1.1"))[1].kind is MailKind.BOUNCE


@given(cut=st.integers(min_value=0, max_value=2000))
@settings(max_examples=60, deadline=None)
def test_a_report_cut_anywhere_after_its_delivery_status_still_names_the_recipient(cut: int) -> None:
    raw = read(f"{SISIMAI}/rfc3464-01.eml")
    end_of_status = raw.index(b"Last-Attempt-Date")
    content = parse_content(raw, limit=end_of_status + cut)
    assert [f.address for f in content.failures] == ["userunknown@bouncehammer.jp"]


# ---------------------------------------------------------------------------------------------------
# Real mail that is neither


def test_ordinary_mail_with_a_japanese_subject_is_human() -> None:
    raw = read(f"{SISIMAI}/not-bounce-01.eml")
    content, verdict = judge(raw)
    assert verdict.kind is MailKind.HUMAN
    assert content.text.startswith("にゃーー")
    assert not needs_content(parse_envelope(raw))


def test_a_message_forwarded_as_attachment_is_no_bounce() -> None:
    raw = read(f"{SISIMAI}/not-bounce-02.eml")
    content, verdict = judge(raw)
    assert verdict.kind is MailKind.HUMAN
    assert content.text.strip() == "it shouldn't be considered as bounce"
    assert (content.failures, content.original_message_id) == ((), None)
    assert not needs_content(parse_envelope(raw))


ODDITIES = [
    # spam: RFC 2047 GB2312 headers, a body declared GB2312 whose bytes are UTF-8
    ("spamscope-mail-parser/mail_test_12.eml", "我公司可代开各类增值税发票", ()),
    # nested multipart reusing its parent's boundary
    ("cpython-test-email/msg_15.txt", "Some removed test.", ("StartBoundaryNotFoundDefect",)),
    # no blank line between headers and body
    ("cpython-test-email/msg_35.txt", "no separating newline", ("MissingHeaderBodySeparatorDefect",)),
    # invalid Date (hour 27)
    ("cpython-test-email/msg_47.txt", "### PHARRMACY ON1INE 24/7 ###", ()),
    # multipart/signed with an over-long In-Reply-To
    ("cpython-test-email/msg_48.txt", "This is the signed contents.", ()),
]  # fmt: skip


@pytest.mark.parametrize(("name", "words", "defects"), ODDITIES)
def test_odd_real_mail_is_read_and_human(name: str, words: str, defects: tuple[str, ...]) -> None:
    content, verdict = judge(read(name))
    assert verdict.kind in {MailKind.HUMAN, MailKind.BULK}
    assert words in content.text
    assert content.defects == defects
    assert content.failures == ()


# ---------------------------------------------------------------------------------------------------
# Broken and odd MIME


def test_a_message_cut_inside_a_base64_attachment_keeps_its_text() -> None:
    attachment = base64.encodebytes(bytes(range(256)) * 40).decode("ascii")
    raw = message(
        "From: Jane <jane@acme.example>\nSubject: Your application\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b1"',
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThanks for applying, Alex.\r\n"
        '--b1\r\nContent-Type: application/pdf; name="cv.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        + attachment.replace("\n", "\r\n")
        + "--b1--\r\n",
    )
    cut = raw.index(b"Content-Transfer-Encoding: base64") + 1000 + 37  # mid-line, mid-quantum
    content = parse_content(raw, limit=cut)
    assert content.text == "Thanks for applying, Alex."  # the line break before a boundary is part of it
    assert content.defects == ("CloseBoundaryNotFoundDefect", "Truncated")
    assert (content.calendars, content.failures) == ((), ())


def test_a_real_report_cut_inside_the_returned_base64_body() -> None:
    raw = read(f"{SISIMAI}/rfc3464-01.eml")
    content = parse_content(raw, limit=raw.index(b"5aSq55yJ") + 30)
    assert [f.address for f in content.failures] == ["userunknown@bouncehammer.jp"]
    assert content.original_message_id == "<E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org>"
    assert "Truncated" in content.defects


def test_mixed_crlf_and_lf_line_endings() -> None:
    raw = (
        b"From: jane@acme.example\r\nSubject: Interview\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/alternative; boundary="x"\n\r\n'
        b"--x\nContent-Type: text/plain\r\n\nFirst line\r\nsecond line\nthird line\r\n"
        b"--x\r\nContent-Type: text/calendar; method=REQUEST\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\n"
        b"BEGIN:VCALENDAR\r\nSUMMARY:Caf=C3=A9 chat\nEND:VCALENDAR\r\n"
        b"--x--\n"
    )
    content = parse_content(raw)
    assert content.text == "First line\nsecond line\nthird line"
    assert len(content.calendars) == 1
    assert "SUMMARY:Café chat" in content.calendars[0].decode("utf-8")


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("Merci, à bientôt".encode(), "Merci, à bientôt"),  # UTF-8 bytes
        ("Merci, à bientôt".encode("windows-1252"), "Merci, à bientôt"),  # not UTF-8: Windows-1252
        (b"price \x81\x8d", "price \x81\x8d"),  # not Windows-1252 either: Latin-1 never fails
    ],
)
def test_an_unknown_charset_falls_back_without_raising(body: bytes, text: str) -> None:
    raw = message("From: jane@acme.example\nContent-Type: text/plain; charset=x-unknown", body)
    assert parse_content(raw).text == text


def test_html_only_mail_becomes_plain_text() -> None:
    html = (
        "<html><head><title>Hi</title><style>p {color: red}</style></head><body>"
        "<p>Dear&nbsp;Alex,</p>\n\n\n<p>We&#39;d like to  meet you &amp; the team.</p>"
        "<script>track()</script><div>Best,<br>Jane</div></body></html>"
    )
    raw = message("From: jane@acme.example\nContent-Type: text/html; charset=utf-8", html)
    assert parse_content(raw).text == "Dear Alex,\n\nWe'd like to meet you & the team.\n\nBest,\nJane"


@pytest.mark.parametrize(
    "headers",
    [
        # UTF-8
        b"X-Failed-Recipients: j\xc3\xb6rg@acme.example\nContent-Type: text/plain; name=r\xc3\xa9s.txt",
        # Latin-1, also in the charset parameter
        b'X-Failed-Recipients: j\xf6rg@acme.example\nContent-Type: text/plain; charset="\xe9"',
        # an RFC 2231 file name whose charset is 8-bit garbage
        b"X-Failed-Recipients: j\xf6rg@acme.example\nContent-Type: text/plain\n"
        b"Content-Disposition: inline; filename*=x\xff''a.ics",
    ],
)
def test_eight_bit_bytes_in_mime_headers_do_not_raise(headers: bytes) -> None:
    content = parse_content(b"From: jane@acme.example\n" + headers + b"\n\nHallo")
    assert content.text == "Hallo"
    assert [f.address for f in content.failures] == ["j\u00f6rg@acme.example"]


@given(raw=st.binary(max_size=3000))
@settings(max_examples=200, deadline=None)
def test_parse_content_never_raises(raw: bytes) -> None:
    assert isinstance(parse_content(raw), Content)


# Lines that broken MIME is made of: boundaries, part headers, report fields, encoded words, stray bytes.
MIME_PIECES = [
    b"--a\r\n", b"--a--\r\n", b"\r\n", b"Content-Type: message/delivery-status\r\n",
    b"Content-Type: text/calendar\r\n", b"Content-Transfer-Encoding: base64\r\n",
    b"Content-Type: message/rfc822\r\n", b"Final-Recipient: rfc822; a@b.example\r\n",
    b"Action: failed\r\n", b"=?utf-8?b?w6k=?=\r\n", b"\xff\xfe\r\n", b"Content-Type: text/html\r\n",
]  # fmt: skip


@given(
    prefix=st.sampled_from([b"", b'Content-Type: multipart/report; boundary="a"\r\n\r\n--a\r\n']),
    pieces=st.lists(st.sampled_from(MIME_PIECES), max_size=40),
)
@settings(max_examples=200, deadline=None)
def test_parse_content_never_raises_on_broken_mime(prefix: bytes, pieces: list[bytes]) -> None:
    assert isinstance(parse_content(prefix + b"".join(pieces)), Content)


# ---------------------------------------------------------------------------------------------------
# Rules, one inline message each


def verdict_of(headers: str, body: str = "Hello.\n", own: frozenset[str] = frozenset()) -> Classification:
    return judge(message(headers, body), own)[1]


@pytest.mark.parametrize(
    ("headers", "because"),
    [
        ("From: bob@acme.example\nSubject: Out of Office: Interview", "subject 'Out of Office:'"),
        ("From: bob@acme.example\nSubject: Abwesenheitsnotiz: Bewerbung", "subject 'Abwesenheitsnotiz:'"),
        ("From: bob@acme.example\nSubject: Réponse automatique : CV", "subject 'Réponse automatique :'"),
        ("From: bob@acme.example\nSubject: Re: CV\nX-Autoreply: yes", "header X-Autoreply: yes"),
        (
            "From: bob@acme.example\nSubject: Nyaan\nX-Auto-Response-Suppress: All\n"
            "X-MS-Exchange-Inbox-Rules-Loop: bob@acme.example",
            "header X-MS-Exchange-Inbox-Rules-Loop and X-Auto-Response-Suppress",
        ),
        (
            "From: bob@acme.example\nSubject: Read: Interview\n"
            "Content-Type: multipart/report; report-type=disposition-notification; boundary=z",
            "multipart/report; report-type=disposition-notification",
        ),
        ("From: jobs@ats.example\nSubject: Your application\nAuto-Submitted: auto-generated",
         "header Auto-Submitted: auto-generated"),
    ],
)  # fmt: skip
def test_auto_reply_rules(headers: str, because: str) -> None:
    verdict = verdict_of(headers)
    assert (verdict.kind, verdict.because) == (MailKind.AUTO_REPLY, because)


@pytest.mark.parametrize(
    "headers",
    [
        "From: bob@acme.example\nSubject: Re: CV\nAuto-Submitted: no",
        "From: bob@acme.example\nSubject: Re: CV\nX-Auto-Response-Suppress: All",  # Outlook sets it widely
        "From: bob@acme.example\nSubject: Re: CV\nX-Autoreply: no",
    ],
)
def test_markers_that_say_no_are_human(headers: str) -> None:
    assert verdict_of(headers).kind is MailKind.HUMAN


@pytest.mark.parametrize(
    ("headers", "because"),
    [
        ("From: news@acme.example\nSubject: Jobs\nList-Id: <jobs.acme.example>", "header List-Id"),
        ("From: news@acme.example\nSubject: Jobs\nList-Unsubscribe: <mailto:u@acme.example>",
         "header List-Unsubscribe"),
        ("From: news@acme.example\nSubject: Jobs\nPrecedence: Bulk", "header Precedence: bulk"),
        ("From: no-reply@ats.example\nSubject: Your application", "sender no-reply@ats.example"),
        ("From: DoNotReply@ats.example\nSubject: Your application", "sender donotreply@ats.example"),
    ],
)  # fmt: skip
def test_bulk_rules(headers: str, because: str) -> None:
    verdict = verdict_of(headers)
    assert (verdict.kind, verdict.because) == (MailKind.BULK, because)


def test_mail_from_your_own_address_is_never_bulk() -> None:
    verdict = verdict_of("From: Alex <Alex@home.example>\nSubject: Notes\nPrecedence: bulk",
                         own=frozenset({"alex@home.example"}))  # fmt: skip
    assert (verdict.kind, verdict.because) == (MailKind.HUMAN, "sender is one of your own addresses")


def test_a_calendar_part_makes_an_invitation_even_from_a_no_reply_sender() -> None:
    ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    raw = message(
        "From: calendar-notification@google.example\nReply-To: no-reply@google.example\n"
        'Subject: Invitation: Interview\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="m"',
        "--m\r\nContent-Type: text/plain\r\n\r\nYou have been invited.\r\n"
        '--m\r\nContent-Type: application/ics; name="invite.ics"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        + base64.b64encode(ics.encode()).decode()
        + "\r\n--m--\r\n",
    )
    content, verdict = judge(raw)
    assert content.calendars == (ics.encode(),)
    assert (verdict.kind, verdict.because) == (MailKind.INVITATION, "text/calendar part")


def test_a_calendar_inside_a_forwarded_message_is_not_the_senders_invitation() -> None:
    raw = message(
        "From: bob@acme.example\nSubject: Fwd: old invite\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="m"',
        "--m\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n--m\r\nContent-Type: message/rfc822\r\n\r\n"
        "From: carol@acme.example\r\nContent-Type: text/calendar\r\n\r\n"
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n--m--\r\n",
    )
    content, verdict = judge(raw)
    assert content.calendars == ()
    assert verdict.kind is MailKind.HUMAN


def test_headers_alone_classify_an_invitation() -> None:
    envelope = parse_envelope(message("From: bob@acme.example\nContent-Type: text/calendar; method=REQUEST"))
    assert classify(envelope, None).kind is MailKind.INVITATION


@pytest.mark.parametrize(
    ("report", "addresses"),
    [
        # sendmail
        ("   ----- The following addresses had permanent fatal errors -----\n<Ann@Acme.example>\n"
         "    (reason: 550 5.1.1 User unknown)\n\n   ----- Transcript of session follows -----\n",
         ["ann@acme.example"]),
        # Postfix, with the alias it expanded to
        ("I'm sorry to have to inform you that your message could not\nbe delivered to one or more "
         "recipients.\n\n"
         "<ann@mx.acme.example> (expanded from <ann@acme.example>): user unknown\n", ["ann@acme.example"]),
        # qmail
        ("Hi. This is the qmail-send program at mx.acme.example.\nI'm afraid I wasn't able to deliver your "
         "message to the following addresses.\n\n<ann@acme.example>:\n550 5.1.1 no mailbox here\n\n"
         "--- Below this line is a copy of the message.\n\nTo: <bob@acme.example>\n", ["ann@acme.example"]),
        # Office 365, newer wording
        ("Your message to ann@acme.example couldn't be delivered.\nann wasn't found at acme.example.\n",
         ["ann@acme.example"]),
        # a human mentioning an address: no introducing phrase, no failure
        ("Please write to\n<ann@acme.example>\nthanks\n", []),
    ],
)  # fmt: skip
def test_provider_plain_text_reports(report: str, addresses: list[str]) -> None:
    content = parse_content(message("From: MAILER-DAEMON@mx.example\nSubject: Returned mail", report))
    assert [f.address for f in content.failures] == addresses


def test_sendmail_reason_gives_status_and_diagnostic() -> None:
    report = "----- The following addresses had permanent fatal errors -----\n<ann@acme.example>\n" \
        "    (reason: 550 5.1.1 User unknown)\n"  # fmt: skip
    (failure,) = parse_content(message("From: MAILER-DAEMON@mx.example", report)).failures
    assert (failure.status, failure.diagnostic) == ("5.1.1", "(reason: 550 5.1.1 User unknown)")


def test_a_human_forwarding_a_bounce_is_not_a_bounce() -> None:
    body = "Can you check this?\n\nDelivery has failed to these recipients or groups:\n\nann@acme.example\n"
    verdict = verdict_of("From: bob@acme.example\nSubject: FW: Undeliverable: CV", body)
    assert verdict.kind is MailKind.HUMAN


def test_a_mailer_daemon_without_failure_words_needs_its_body() -> None:
    envelope = parse_envelope(message("From: MAILER-DAEMON@mx.example\nSubject: Postmaster notify"))
    assert needs_content(envelope)
    assert classify(envelope, None).kind is MailKind.HUMAN  # nothing failed that the headers show
    report = "Your message could not be delivered.\n\n<ann@acme.example>: host mx said: 550 5.1.1 unknown\n"
    assert classify(envelope, parse_content(message("From: x@y.example", report))).because == (
        "sender mailer-daemon@mx.example and failed recipients in the report"
    )


REJECTION = ("Your application", "Unfortunately we have decided not to move forward with your application.")


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        ("From: jane@acme.example", MailKind.HUMAN),
        ("From: no-reply@ats.example", MailKind.BULK),  # applicant tracking systems send from no-reply
        ("From: jobs@ats.example\nAuto-Submitted: auto-generated", MailKind.AUTO_REPLY),  # a notification
    ],
)
def test_employer_signals_are_kept_for_people_lists_and_notifications(headers: str, kind: MailKind) -> None:
    signals = importlib.import_module("followup.domain.signals")
    subject, text = REJECTION
    verdict = verdict_of(f"{headers}\nSubject: {subject}", text)
    assert verdict.kind is kind
    assert verdict.signals == signals.employer_signals(subject, text)
    assert verdict.signals  # the plumbing is only tested if the phrase tables find something


def test_an_out_of_office_carries_no_signals() -> None:
    subject, text = REJECTION
    verdict = verdict_of(f"From: jane@acme.example\nAuto-Submitted: auto-replied\nSubject: {subject}", text)
    assert (verdict.kind, verdict.signals) == (MailKind.AUTO_REPLY, ())


_TABLES = (AUTO_REPLY_SUBJECTS, FAILURE_SUBJECTS, FAILURE_INTROS)
_WORDS = sorted({w for table in _TABLES for phrase in table for w in phrase.split()} | {"the", "a", "Re:"})


@settings(max_examples=300)
@given(
    st.sampled_from(range(len(_TABLES))),
    st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from([" ", "  ", "\n", "\t"]), st.booleans()),
             max_size=12),
)  # fmt: skip
def test_a_phrase_tables_quick_test_never_hides_a_phrase(
    table: int, words: list[tuple[str, str, bool]]
) -> None:
    text = "".join((w.upper() if upper else w) + space for w, space, upper in words)
    phrases = Phrases(_TABLES[table])
    found, reference = phrases.search(text), phrases.pattern.search(text)
    assert (found and found.span()) == (reference and reference.span())
