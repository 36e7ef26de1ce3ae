"""Sending mail over SMTP: one connection per batch, each transaction spelled out by hand."""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress

from followup.errors import ConfigError, DeliveryError, MailServerError
from followup.mail import is_loopback

DEFAULT_PORTS: dict[str, int] = {"ssl": 465, "starttls": 587, "none": 25}
_SETTINGS_HINT = "Check smtp_host, smtp_port and smtp_security (ssl usually uses port 465, starttls 587)."
_LOGIN_HINT = (
    "Check smtp_user and the password. Many providers (Gmail, Outlook, iCloud) accept only an app "
    "password for SMTP; run `followup mail setup` to store a new one."
)
# smtplib.data() normalises line ends only for str messages; bare LFs in bytes are refused by many
# servers (and are the stuff of SMTP smuggling), so bytes get the same treatment here.
_EOL = re.compile(rb"(?:\r\n|\n|\r(?!\n))")
_PLAIN_ADDRESS = re.compile(r"[^\s<>()\[\]\\,;:@\"]+@[^\s<>()\[\]\\,;:@\"]+")
_LEADING_DOT = re.compile(rb"(?m)^\.")  # what smtplib._quote_periods does


def _reply_text(code: int, reply: bytes | str) -> str:
    return f"{code} {reply if isinstance(reply, str) else reply.decode('utf-8', 'replace')}"


_CAUSES: tuple[tuple[type[OSError], str], ...] = (
    (TimeoutError, "no answer in time"),
    (ConnectionRefusedError, "connection refused"),
    (socket.gaierror, "unknown host name"),
)


def _reason(exc: OSError) -> str:
    """A short description of why a socket or SMTP call failed."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply_text(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"its certificate cannot be verified ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({exc.reason or exc})"
    known = next((text for kind, text in _CAUSES if isinstance(exc, kind)), None)
    return known or str(exc) or type(exc).__name__


def _path(address: str) -> str:
    """The <address> of a MAIL or RCPT command: a plain address as it is (the common case, without the
    cost of parsing it), anything else as smtplib quotes it."""
    if _PLAIN_ADDRESS.fullmatch(address):
        return f"<{address}>"
    return smtplib.quoteaddr(address)


def _dot_stuffed(message: bytes) -> bytes:
    data = _LEADING_DOT.sub(b"..", _EOL.sub(b"\r\n", message))
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


class SmtpSession:
    """One open connection to the server (a MailSession): sends messages one after the other."""

    def __init__(self, client: smtplib.SMTP, where: str) -> None:
        self._client = client
        self._where = where

    def send(
        self,
        message: bytes,
        *,
        sender: str,
        recipients: Sequence[str],
        before_content: Callable[[], None],
        meanwhile: Callable[[], None] | None = None,
    ) -> str:
        if not recipients:
            raise DeliveryError("The message has no recipients.", reply="", permanent=True)
        client = self._client
        if client.sock is None:
            raise MailServerError(
                f"The connection to the mail server {self._where} was closed after an earlier failure.",
                hint="Start a new session to send the remaining messages.",
            )
        options = self._options(message, sender, recipients)
        try:
            if "SMTPUTF8" in options:
                client.command_encoding = "utf-8"
            client.putcmd("mail", f"FROM:{_path(sender)}{''.join(' ' + o for o in options)}")
        except OSError as exc:
            raise self._broken(exc, content_sent=False) from exc
        self._meanwhile(meanwhile)  # while the server's answer to MAIL is on its way
        try:
            self._expect(client.getreply(), (250,), f"refused the sender {sender}")
            for recipient in recipients:
                client.putcmd("rcpt", f"TO:{_path(recipient)}")
                self._meanwhile(meanwhile)
                self._expect(client.getreply(), (250, 251), f"refused the recipient {recipient}")
            client.putcmd("data")
        except OSError as exc:
            raise self._broken(exc, content_sent=False) from exc
        try:
            before_content()  # while the server's answer to DATA is on its way
        except BaseException:
            # The server never sees the final dot, so it delivers nothing.
            client.close()
            raise
        try:
            self._expect(client.getreply(), (354,), "refused to take the message (DATA)")
        except OSError as exc:
            raise self._broken(exc, content_sent=False) from exc
        try:
            client.send(_dot_stuffed(message))
        except OSError as exc:
            raise self._broken(exc, content_sent=True) from exc
        self._meanwhile(meanwhile)  # while the server's answer to the content is on its way
        try:
            code, reply = client.getreply()
        except OSError as exc:
            raise self._broken(exc, content_sent=True) from exc
        self._expect((code, reply), (250,), "refused the message")
        return _reply_text(code, reply)

    def _meanwhile(self, meanwhile: Callable[[], None] | None) -> None:
        if meanwhile is None:
            return
        try:
            meanwhile()
        except BaseException:
            self._client.close()  # a mail transaction was begun: nothing was delivered, nothing more is
            raise

    def _options(self, message: bytes, sender: str, recipients: Sequence[str]) -> list[str]:
        options: list[str] = []
        if not (sender.isascii() and all(r.isascii() for r in recipients)):
            if not self._client.has_extn("smtputf8"):
                raise DeliveryError(
                    f"The mail server {self._where} does not accept non-ASCII addresses (no SMTPUTF8).",
                    reply="",
                    permanent=True,
                    hint="Use an ASCII form of the address, or a server that supports SMTPUTF8.",
                )
            options.append("SMTPUTF8")
        if not message.isascii() and self._client.has_extn("8bitmime"):
            options.append("BODY=8BITMIME")
        return options

    def _expect(self, answer: tuple[int, bytes], good: tuple[int, ...], what: str) -> None:
        code, reply = answer
        if code in good:
            return
        with suppress(OSError):
            self._client.rset()
        text = _reply_text(code, reply)
        raise DeliveryError(
            f"The mail server {self._where} {what}: {text}", reply=text, permanent=code >= 500
        )

    def _broken(self, exc: OSError, *, content_sent: bool) -> MailServerError:
        self._client.close()
        if content_sent:
            broken = MailServerError(
                f"The connection to the mail server {self._where} broke while sending: {_reason(exc)}",
                hint="The server may have accepted the message; check your Sent folder before resending.",
            )
            broken.content_sent = True
            return broken
        return MailServerError(
            f"The connection to the mail server {self._where} broke: {_reason(exc)}",
            hint="Nothing was delivered; try again later.",
        )


class SmtpSender:
    """The outgoing mail server reached with smtplib (a MailSender)."""

    def __init__(
        self,
        host: str,
        port: int,
        security: str,
        user: str | None,
        password: str | None,
        *,
        timeout: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
        local_hostname: str | None = None,
    ) -> None:
        if security not in DEFAULT_PORTS:
            raise ConfigError(
                f"Unknown smtp_security {security!r}.", hint="Set smtp_security to ssl, starttls or none."
            )
        if security == "none" and not is_loopback(host):
            raise ConfigError(
                f"smtp_security is none: the password and your notes would travel in clear text to {host}.",
                hint="Set smtp_security to ssl (port 465) or starttls (port 587); "
                "none is allowed only to localhost.",
            )
        self.host = host
        self.port = port or DEFAULT_PORTS[security]
        self.security = security
        self.user = user
        self._password = password
        self._timeout = timeout
        self._ssl_context = ssl_context
        self._local_hostname = local_hostname
        self._where = f"{host}:{self.port}"

    @contextmanager
    def session(self) -> Iterator[SmtpSession]:
        client = self._connect()
        try:
            yield SmtpSession(client, self._where)
        finally:
            with suppress(OSError):
                client.quit()
            client.close()

    def _connect(self) -> smtplib.SMTP:
        if self.user and not self._password:
            raise ConfigError(
                f"No SMTP password is stored for {self.user}.",
                hint="Run `followup mail setup`, or set FOLLOWUP_SMTP_PASSWORD in the environment.",
            )
        try:
            if self.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, self._local_hostname, timeout=self._timeout, context=self._context()
                )
            else:
                client = smtplib.SMTP(self.host, self.port, self._local_hostname, timeout=self._timeout)
        except OSError as exc:
            raise self._failure("Cannot connect to", exc) from exc
        try:
            self._secure(client)
            self._login(client)
        except BaseException:
            client.close()
            raise
        return client

    def _context(self) -> ssl.SSLContext:
        # Made only when needed: loading the system's CAs takes tens of milliseconds.
        return self._ssl_context or ssl.create_default_context()

    def _secure(self, client: smtplib.SMTP) -> None:
        try:
            client.ehlo_or_helo_if_needed()
            if self.security != "starttls":
                return
            if not client.has_extn("starttls"):
                raise MailServerError(
                    f"The mail server {self._where} does not offer STARTTLS: the connection "
                    "cannot be encrypted.",
                    hint="Check smtp_port (587 usually offers STARTTLS) or set smtp_security to ssl.",
                )
            client.starttls(context=self._context())
            client.ehlo()
        except OSError as exc:
            raise self._failure("Cannot secure the connection to", exc) from exc

    def _login(self, client: smtplib.SMTP) -> None:
        if not (self.user and self._password):
            return
        if self.security == "none" and not client.has_extn("auth"):
            return
        try:
            client.login(self.user, self._password)
        except smtplib.SMTPAuthenticationError as exc:
            raise MailServerError(
                f"The mail server {self._where} refused the login of {self.user}: {self._scrub(exc)}",
                hint=_LOGIN_HINT,
            ) from None
        except OSError as exc:
            raise self._failure(f"Cannot log in as {self.user} to", exc) from None

    def _failure(self, action: str, exc: OSError) -> MailServerError:
        return MailServerError(
            f"{action} the mail server {self._where}: {self._scrub(exc)}", hint=_SETTINGS_HINT
        )

    def _scrub(self, exc: OSError) -> str:
        # A server reply could echo what it was given; the password never leaves this object.
        reason = _reason(exc)
        return reason.replace(self._password, "***") if self._password else reason
