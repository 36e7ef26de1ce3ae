"""A real SMTP server for the tests (aiosmtpd in a thread), with TLS certificates made by trustme.

Imported by the test modules that use it: the fixtures are registered under their `name=`.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from typing import Any, Literal

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.conftest import free_port

USER = "alice"
PASSWORD = "app-pass-123"

Mode = Literal["starttls", "ssl", "plain"]


@dataclass(frozen=True)
class TlsCerts:
    server_context: ssl.SSLContext
    client_context: ssl.SSLContext
    ca: trustme.CA


@dataclass(frozen=True)
class Received:
    """One message as the server got it, after the dot-unstuffing."""

    sender: str
    recipients: list[str]
    content: bytes
    message_id: str | None
    mail_options: list[str]
    authenticated_as: str | None


@dataclass
class _Handler:
    reject_recipient: str | None = None
    data_reply: str | None = None
    mail_gate: threading.Event | None = None
    rcpt_probe: Callable[[int], bool] | None = None
    rcpts: int = 0
    probed: list[bool] = field(default_factory=list)
    messages: list[Received] = field(default_factory=list)
    peers: set[Any] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_EHLO(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        # STARTTLS starts a new aiosmtpd session (and a second EHLO) on the same TCP connection,
        # so connections are told apart by the client's address and port.
        with self.lock:
            self.peers.add(session.peer)
        session.host_name = hostname
        return responses

    async def handle_MAIL(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.mail_gate is not None:  # answer MAIL only once the client says so (or after 5 s)
            opened = await asyncio.get_running_loop().run_in_executor(None, self.mail_gate.wait, 5.0)
            self.mail_gate.clear()
            if not opened:
                return "451 4.3.0 The client never said go"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.rcpt_probe is not None:  # answer the n-th RCPT once probe(n) holds (or after 5 s)
            self.rcpts += 1
            number, deadline = self.rcpts, time.monotonic() + 5.0
            while not (held := self.rcpt_probe(number)) and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            self.probed.append(held)
        if address == self.reject_recipient:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.data_reply:
            return self.data_reply
        content: bytes = envelope.original_content
        headers = BytesHeaderParser().parsebytes(content)
        auth = session.auth_data
        received = Received(
            sender=envelope.mail_from,
            recipients=list(envelope.rcpt_tos),
            content=content,
            message_id=headers["Message-ID"],
            mail_options=list(envelope.mail_options),
            authenticated_as=auth.login.decode() if isinstance(auth, LoginPassword) else None,
        )
        with self.lock:
            self.messages.append(received)
            number = len(self.messages)
        return f"250 2.0.0 Ok: queued as TEST{number}"


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    # handled=False lets aiosmtpd answer and remember auth_data on the session.
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


class SmtpServer:
    """aiosmtpd on 127.0.0.1 and a free port; records what it receives."""

    def __init__(
        self, mode: Mode, certs: TlsCerts | None = None, *, auth: bool = True, smtputf8: bool = True
    ) -> None:
        self.mode = mode
        self.handler = _Handler()
        # aiosmtpd's ready check connects to the port it was given, so port 0 cannot work.
        self.port = free_port()
        kwargs: dict[str, Any] = {"enable_SMTPUTF8": smtputf8}
        if auth:
            kwargs["authenticator"] = _authenticate
        if mode == "starttls":
            assert certs is not None
            kwargs.update(tls_context=certs.server_context, require_starttls=True)
        elif mode == "ssl":
            assert certs is not None
            # aiosmtpd counts only STARTTLS as TLS: without this it would not offer AUTH.
            kwargs.update(ssl_context=certs.server_context, auth_require_tls=False)
        else:
            # Without TLS, AUTH is offered only when the test asks for it.
            kwargs.update(auth_require_tls=not auth)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def messages(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.messages)

    @property
    def connections(self) -> int:
        """How many connections said EHLO (the controller's own ready check does not)."""
        with self.handler.lock:
            return len(self.handler.peers)

    def reject(self, recipient: str) -> None:
        """Answer RCPT TO this address with 550."""
        self.handler.reject_recipient = recipient

    def fail_data(self, reply: str = "451 4.3.0 Temporary failure, try again later") -> None:
        """Answer every message content with this reply instead of accepting it."""
        self.handler.data_reply = reply


@pytest.fixture(scope="session", name="tls_certs")
def tls_certs_fixture() -> TlsCerts:
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(server_context)
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    return TlsCerts(server_context, client_context, ca)


def _serve(mode: Mode, certs: TlsCerts | None) -> Iterator[SmtpServer]:
    server = SmtpServer(mode, certs).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(name="smtp_starttls")
def smtp_starttls_fixture(tls_certs: TlsCerts) -> Iterator[SmtpServer]:
    yield from _serve("starttls", tls_certs)


@pytest.fixture(name="smtp_ssl")
def smtp_ssl_fixture(tls_certs: TlsCerts) -> Iterator[SmtpServer]:
    yield from _serve("ssl", tls_certs)


@pytest.fixture(name="smtp_plain")
def smtp_plain_fixture() -> Iterator[SmtpServer]:
    yield from _serve("plain", None)
