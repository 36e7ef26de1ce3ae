"""One SMTP connection working in step with the outbox: the conversation of the next note runs in its
own thread while the caller records the last one.

A note costs the server four round trips (MAIL, RCPT, DATA, the content) and the outbox a few commits
(`sending` before the content, then `sent` with its ledger entry). Done one after the other, each
waits for the other. Here the courier's thread only talks to the server and the caller's thread alone
touches the database, so the outbox's order is kept exactly:

- a note's `before_content` (commit `sending`) runs in the caller's thread while the courier waits,
  after the server said go ahead to DATA and before the content goes out;
- a note's `after` (commit `sent`, or record the failure) runs in the caller's thread once the server
  answered, while the courier already opens the next note's envelope;
- events reach the caller in the order they happen, so a note's `after` always comes before the
  next note's `before_content`.

The courier stops after a failure of the connection (anything but a DeliveryError, which concerns one
message), and whenever the caller raises: a courier waiting at `before_content` is told to give up,
which closes the connection before the content, so the server delivers nothing.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from followup.errors import DeliveryError

if TYPE_CHECKING:
    from followup.ports import MailSession


@dataclass(frozen=True)
class Parcel:
    """One message for the courier: its bytes (made in the courier's thread) and envelope."""

    content: Callable[[], bytes]
    sender: str
    recipients: Sequence[str]


class _GiveUpError(Exception):
    """Told to a courier waiting at `before_content` when the caller stopped."""


_READY, _DONE, _END = "ready", "done", "end"


def deliver(
    session: MailSession,
    parcels: Sequence[Parcel],
    *,
    before_content: Callable[[int], None],
    after: Callable[[int, str | None, BaseException | None], None],
) -> None:
    """Send the parcels in order over `session`. `before_content(i)` and `after(i, reply, error)` run in
    the calling thread (see the module's text); an exception they raise stops the courier and is raised
    here once its thread has ended."""
    events: queue.SimpleQueue[tuple[str, int, str | None, BaseException | None]] = queue.SimpleQueue()
    answers: queue.SimpleQueue[bool] = queue.SimpleQueue()
    stopping = threading.Event()

    def courier() -> None:
        try:
            for index, parcel in enumerate(parcels):
                if stopping.is_set():
                    return

                def ready(index: int = index) -> None:
                    events.put((_READY, index, None, None))
                    if not answers.get():
                        raise _GiveUpError

                try:
                    reply = session.send(
                        parcel.content(),
                        sender=parcel.sender,
                        recipients=parcel.recipients,
                        before_content=ready,
                    )
                except BaseException as exc:  # handed to the caller's thread, which decides
                    events.put((_DONE, index, None, exc))
                    if not isinstance(exc, DeliveryError):
                        return
                else:
                    events.put((_DONE, index, reply, None))
        finally:
            events.put((_END, -1, None, None))

    thread = threading.Thread(target=courier, name="followup-smtp", daemon=True)
    thread.start()
    try:
        while True:
            kind, index, reply, error = events.get()
            if kind == _END:
                return
            if kind == _READY:
                try:
                    before_content(index)
                except BaseException:
                    answers.put(False)
                    raise
                answers.put(True)
            else:
                after(index, reply, error)
    finally:
        stopping.set()
        answers.put(False)  # a courier still waiting at before_content gives up (else this is unread)
        thread.join()
