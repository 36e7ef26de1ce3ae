"""The courier: the SMTP conversation in its own thread, the outbox's records in the caller's.

The order and thread of each step are checked against a scripted session; what a server sees when the
connection breaks between DATA and the content, against a scripted SMTP server on a real socket.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator, Sequence

import pytest

from followup.domain.outbox import OutboxState
from followup.errors import DeliveryError, MailServerError, StorageError
from followup.services.courier import Parcel, deliver
from tests.services.conftest import MakeApp, apps
from tests.services.test_outbox import interviewed_at_northwind


class ScriptedSession:
    """A MailSession whose answers are given per message: "ok", "refused" or "broken"."""

    def __init__(self, answers: Sequence[str]) -> None:
        self.answers = list(answers)
        self.log: list[tuple[str, int, str]] = []  # (step, message, thread name)
        self.closed_before_content: list[int] = []

    def send(
        self, message: bytes, *, sender: str, recipients: Sequence[str], before_content: Callable[[], None]
    ) -> str:
        number = int(message)
        self.log.append(("envelope", number, threading.current_thread().name))
        answer = self.answers[number]
        if answer == "refused":
            raise DeliveryError("refused", reply="550 no", permanent=True)
        try:
            before_content()
        except BaseException:
            self.closed_before_content.append(number)
            raise
        if answer == "broken":
            raise MailServerError("broken")
        self.log.append(("content", number, threading.current_thread().name))
        return f"250 ok {number}"


def parcels(count: int) -> list[Parcel]:
    return [Parcel(lambda n=n: str(n).encode(), "me@example.org", ("you@example.org",)) for n in range(count)]


def run(session: ScriptedSession, count: int, fail_at: int | None = None) -> list[tuple[str, int, str]]:
    steps: list[tuple[str, int, str]] = []

    def before_content(i: int) -> None:
        if i == fail_at:
            raise StorageError("disk full")
        steps.append(("commit sending", i, threading.current_thread().name))

    def after(i: int, reply: str | None, error: BaseException | None) -> None:
        steps.append((f"after {reply or type(error).__name__}", i, threading.current_thread().name))

    deliver(session, parcels(count), before_content=before_content, after=after)
    return steps


def test_records_happen_in_the_callers_thread_in_order_and_the_conversation_in_its_own() -> None:
    session = ScriptedSession(["ok", "refused", "ok"])
    steps = run(session, 3)

    me = threading.current_thread().name
    assert steps == [
        ("commit sending", 0, me),
        ("after 250 ok 0", 0, me),
        ("after DeliveryError", 1, me),  # one refused message does not stop the batch
        ("commit sending", 2, me),
        ("after 250 ok 2", 2, me),
    ]
    assert {thread for _, _, thread in session.log} == {"followup-smtp"}
    assert [(step, n) for step, n, _ in session.log] == [
        ("envelope", 0), ("content", 0), ("envelope", 1), ("envelope", 2), ("content", 2),
    ]  # fmt: skip


def test_a_broken_connection_stops_the_courier() -> None:
    session = ScriptedSession(["ok", "broken", "ok"])
    steps = run(session, 3)

    assert [(s, n) for s, n, _ in steps] == [
        ("commit sending", 0), ("after 250 ok 0", 0), ("commit sending", 1), ("after MailServerError", 1),
    ]  # fmt: skip
    assert [n for step, n, _ in session.log if step == "envelope"] == [0, 1]  # the third never started


def test_a_failed_commit_stops_everything_before_the_content_goes_out() -> None:
    session = ScriptedSession(["ok", "ok", "ok"])
    with pytest.raises(StorageError, match="disk full"):
        run(session, 3, fail_at=1)

    assert session.closed_before_content == [1]
    assert [(step, n) for step, n, _ in session.log] == [("envelope", 0), ("content", 0), ("envelope", 1)]
    assert not any(t.name == "followup-smtp" for t in threading.enumerate())


# A server that hangs up after the DATA command -----------------------------------------------------


@pytest.fixture
def hangs_up_after_data() -> Iterator[int]:
    """A scripted SMTP server on a real socket: greets, accepts the envelope, closes on DATA."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        with listener:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn, conn.makefile("rb") as lines:
                conn.sendall(b"220 scripted ESMTP\r\n")
                for line in lines:
                    command = line.split(b" ", 1)[0].strip().upper()
                    if command == b"DATA":
                        return  # the connection drops before the go-ahead, and before any content
                    if command == b"EHLO":
                        conn.sendall(b"250-scripted\r\n250 8BITMIME\r\n")
                    elif command == b"QUIT":
                        conn.sendall(b"221 bye\r\n")
                        return
                    else:
                        conn.sendall(b"250 ok\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield port
    listener.close()
    thread.join(timeout=5)


@pytest.fixture
def make_app(db_url: str, hangs_up_after_data: int) -> Iterator[MakeApp]:
    yield from apps(db_url, smtp_host="127.0.0.1", smtp_port=hangs_up_after_data, smtp_security="none",
                    mail_timeout=5.0)  # fmt: skip


def test_a_connection_lost_before_the_content_puts_the_note_back_to_wait_not_in_doubt(
    make_app: MakeApp,
) -> None:
    app = make_app()
    touch = str(interviewed_at_northwind(app))
    app.drafting.approve(touch)

    report = app.outbox.send(ignore_send_time=True)

    assert report.server_error is not None
    assert report.uncertain == []
    assert report.sent == []
    message = app.outbox.message(touch)
    # `sending` was committed once DATA went out; the content never did, so it is tried again later
    assert message.state is OutboxState.APPROVED
    assert message.attempts == 1
    assert "broke" in (message.last_error or "")
    assert message.next_attempt_at is not None
