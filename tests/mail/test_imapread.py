"""The UID sets the reader sends: short, and naming exactly the UIDs asked for."""

from __future__ import annotations

import imaplib
import io
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup.mail.imapread import _fetch_literals, _uid_set


def _expand(text: str) -> set[int]:
    found: set[int] = set()
    for part in text.split(","):
        low, _, high = part.partition(":")
        found.update(range(int(low), int(high or low) + 1))
    return found


def test_runs_become_ranges() -> None:
    assert _uid_set([10, 9, 7, 4, 3, 2, 1]) == "1:4,7,9:10"
    assert _uid_set([5]) == "5"


@given(st.lists(st.integers(1, 2_000), min_size=1, max_size=500))
def test_the_set_names_exactly_the_uids(uids: list[int]) -> None:
    text = _uid_set(uids)
    assert _expand(text) == set(uids)
    assert text.count(",") < len(set(uids))


class ScriptedServer:
    """What `_fetch_literals` needs of an imaplib connection (send, readline, read), over given bytes."""

    def __init__(self, answer: bytes) -> None:
        self.sent = b""
        self._answer = io.BytesIO(answer)

    def send(self, data: bytes) -> None:
        self.sent += data

    def readline(self) -> bytes:
        return self._answer.readline()

    def read(self, size: int) -> bytes:
        return self._answer.read(size)


def _answer(tag: bytes, *lines: bytes) -> bytes:
    return b"".join(lines) + tag + b" OK Fetch completed.\r\n"


def test_literals_are_read_with_the_lines_around_them_and_other_answers_passed_over() -> None:
    first, second = b"Subject: one\r\n\r\n", b"Subject: two {3}\r\n\r\n"  # braces inside a literal
    tag = _next_tag()
    server = ScriptedServer(
        _answer(tag,
                b"* 1 FETCH (UID 7 BODY[HEADER.FIELDS (SUBJECT)] {%d}\r\n" % len(first), first, b")\r\n",
                b"* 3 EXISTS\r\n",  # mail arriving meanwhile
                b"* 2 FETCH (BODY[HEADER.FIELDS (SUBJECT)] {%d}\r\n" % len(second), second, b" UID 9)\r\n")
    )  # fmt: skip

    found = _fetch_literals(server, "UID FETCH 7:9 (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])")

    assert server.sent == tag + b" UID FETCH 7:9 (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])\r\n"
    assert [data for _, data, _ in found] == [first, second]
    assert [(b"UID 7" in before, b"UID 9" in after) for before, _, after in found] == [
        (True, False),
        (False, True),
    ]


def test_a_refused_fetch_and_a_dropped_connection_are_errors() -> None:
    tag = _next_tag()
    refused = ScriptedServer(tag + b" NO [SERVERBUG] Internal error\r\n")
    with pytest.raises(imaplib.IMAP4.error, match="FETCH failed: \\[SERVERBUG\\] Internal error"):
        _fetch_literals(refused, "UID FETCH 1 (UID)")
    dropped = ScriptedServer(b"* 1 FETCH (UID 1 BODY[] {100}\r\nonly part of it")
    with pytest.raises(imaplib.IMAP4.abort, match="closed the connection"):
        _fetch_literals(dropped, "UID FETCH 1 (UID BODY[])")


def _next_tag() -> bytes:
    """The tag the next command will carry (the counter is the module's)."""
    import followup.mail.imapread as module

    number = next(module._TAGS)
    module._TAGS = itertools.count(number)
    return f"FU{number}".encode()


def test_a_body_sent_as_a_quoted_string_is_left_for_the_general_parser() -> None:
    from followup.mail.imapread import _by_uid

    tag = _next_tag()
    server = ScriptedServer(
        _answer(tag, b'* 1 FETCH (UID 4 BODY[]<0> "short")\r\n',
                b"* 2 FETCH (UID 5 BODY[]<0> {4}\r\n", b"long", b")\r\n")
    )  # fmt: skip

    found = _by_uid(_fetch_literals(server, "UID FETCH 4:5 (UID BODY.PEEK[]<0.262144>)"))

    assert found == {5: b"long"}  # UID 4 is missing: `contents` fetches it again with imapclient
