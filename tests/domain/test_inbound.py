"""Reading the headers of real and broken mail: folded, 8-bit, encoded words, CRLF and LF mixed."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import getaddresses
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from followup.domain.inbound import SYNTHETIC_DOMAIN, _addresses, parse_envelope, read_headers

DATA = Path(__file__).parent.parent / "data" / "mail"


def test_the_apple_vacation_reply_keeps_its_thread_headers() -> None:
    env = parse_envelope((DATA / "sisimai-set-of-emails" / "rfc3834-03.eml").read_bytes())
    assert env.message_id == "<7e23258d-247f-479e-996d-e01f0f30af85-vac@apple.example.com>"
    assert env.in_reply_to == "<25203A4E-F90F-4A14-BF51-3E7B9D39BE8E@libsisimai.org>"
    assert env.thread_ids == ("<25203A4E-F90F-4A14-BF51-3E7B9D39BE8E@libsisimai.org>",)
    assert env.sender == "kijitora@apple.example.com"
    assert env.recipients == ("neko@libsisimai.org",)
    assert env.header("X-Apple-Action") == "VACATION"
    assert env.date == datetime(2019, 12, 17, 2, 53, 9, tzinfo=UTC)


def test_encoded_words_and_eight_bit_headers_are_decoded() -> None:
    raw = (
        b"From: =?UTF-8?Q?Ren=C3=A9e_M=C3=BCller?= <Renee@Example.ORG>\r\n"
        b"Subject: R\xc3\xa9ponse \xc3\xa0 votre candidature\n"
        b'To: a@x.example,\r\n\t"B, Person" <b@y.example>\n'
        b"Message-ID: <m1@example.org>\r\n"
        b"\r\nbody"
    )
    env = parse_envelope(raw)
    assert env.sender_name == "Renée Müller"
    assert env.sender == "renee@example.org"
    assert env.subject == "Réponse à votre candidature"
    assert env.recipients == ("a@x.example", "b@y.example")


def test_folded_references_are_all_kept_nearest_first() -> None:
    raw = b"Message-ID: <c@x>\nIn-Reply-To: <b@x>\nReferences: <a@x>\n <b@x>\nFrom: j@x.example\n\n"
    assert parse_envelope(raw).thread_ids == ("<b@x>", "<a@x>")


def test_reading_stops_at_the_body() -> None:
    raw = b"Subject: real\n\nSubject: not a header\nMessage-ID: <body@x>\n"
    fields = read_headers(raw)
    assert fields == {"subject": "real"}


def test_a_message_without_message_id_gets_a_stable_synthetic_one() -> None:
    raw = b"From: a@example.org\nSubject: hi\nDate: Mon, 2 Nov 2026 10:00:00 +0000\n\nbody one\n"
    first, again = parse_envelope(raw), parse_envelope(raw.replace(b"\n", b"\r\n"))
    assert first.synthetic_id
    assert first.message_id.endswith(f"@{SYNTHETIC_DOMAIN}>")
    assert first.message_id == again.message_id  # the same message, CRLF or LF
    other = parse_envelope(raw.replace(b"hi", b"ho"))
    assert other.message_id != first.message_id


def test_broken_headers_give_empty_fields_not_errors() -> None:
    env = parse_envelope(b"From: <<>>\nDate: Mon, 99 Foo 2026 27:61:00\nSubject: =?bogus?Q?x?=\n\n")
    assert env.sender == ""
    assert env.date is None
    assert env.subject == "=?bogus?Q?x?="


def test_encoded_words_that_cannot_be_decoded_stay_as_written() -> None:
    for subject in (b"=?utf-8?b?a?=", b"=?utf\x92?q?x?="):
        env = parse_envelope(b"Subject: " + subject + b"\nFrom: a@b.example\n\n")
        assert env.sender == "a@b.example"
        assert env.subject.startswith("=?utf")


_names = st.text(alphabet=st.sampled_from("abcdeé XYZ.'-"), max_size=12)
_addrs = st.from_regex(r"[a-z0-9.+_-]{1,8}@[a-z0-9-]{1,8}\.(example|org|co\.uk)", fullmatch=True)


@given(st.lists(st.tuples(_names, _addrs), min_size=1, max_size=4))
def test_the_quick_address_reader_agrees_with_the_standard_library(pairs: list[tuple[str, str]]) -> None:
    value = ", ".join(f"{name} <{addr}>" if name.strip() else addr for name, addr in pairs)
    assert _addresses(value) == getaddresses([value])


def test_every_signal_has_its_suggestion_kind() -> None:
    from followup.domain.inbound import Signal
    from followup.domain.suggestions import SuggestionKind

    assert {s.value for s in Signal} <= {k.value for k in SuggestionKind}


_field_names = st.sampled_from(["Subject", "subject", "FROM", "To", "Cc", "Message-ID", "References",
                                "Date", "Content-Type", "Auto-Submitted", "X-Other", "Received"])  # fmt: skip
_pieces = st.sampled_from([*'abc XYZ<>@.,;:"=?_-\t', "é", "İ", "€", "\u00a0", "=?utf-8?q?caf=C3=A9?="])
_values = st.lists(_pieces, max_size=12).map("".join)


@given(
    st.lists(st.tuples(_field_names, st.lists(_values, min_size=1, max_size=3)), max_size=8),
    st.sampled_from([b"\n", b"\r\n"]),
)
def test_reading_a_header_block_as_text_agrees_with_reading_it_field_by_field(
    fields: list[tuple[str, list[str]]], newline: bytes
) -> None:
    # the quick path decodes the block once; the reference decodes each value on its own
    from followup.domain.inbound import HEADER_FIELDS, _read_header_bytes

    lines = [f"{name}: {(newline.decode() + ' ').join(parts)}".encode() for name, parts in fields]
    raw = newline.join(lines) + newline + newline + b"body"
    reference = _read_header_bytes(b"\n" + raw[: raw.find(newline + newline)], tuple(HEADER_FIELDS))
    assert read_headers(raw) == reference


@given(
    st.lists(
        st.sampled_from([*'ab XY<>@.,;:"()\\\t', "é", "\u00a0", "jane@x.example", "Jane Doe "]), max_size=14
    )
)
@example(["Jane ", "<", "@", "x", ">"])
@example(["Jane ", "<", "a", "@", ">"])
@example(["<", "@", ">"])
@example(['"Doe, Jane" ', "<", "jane@x.example", ">"])
@example(['"Jane Doe"', "<", "jane@x.example", ">"])
@example(['"Jane <Doe>" ', "<", "jane@x.example", ">"])
@example(['"Jane" x ', "<", "jane@x.example", ">"])
@example(['"Jane', "<", "jane@x.example", ">"])
@example(["Jane", "\u00a0", "Doe ", "<", "jane@x.example", ">"])
def test_the_quickest_reading_of_a_from_field_agrees_with_the_parser(pieces: list[str]) -> None:
    from followup.domain.inbound import _first_address, _parsed_first_address

    value = "".join(pieces).strip()
    assert _first_address(value) == _parsed_first_address(value)
    assert _first_address(f"{value} <jane@x.example>") == _parsed_first_address(f"{value} <jane@x.example>")
