"""What keeps a local web app that can send mail in the user's name safe from other web pages.

- DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 reaches this server with
  `Host: evil.example`; every Host but the allowed names is refused before any route runs.
- No session, no data: the server prints a one-time login link; opening it sets an HttpOnly,
  SameSite=Strict session cookie, which other sites' pages never send along.
- CSRF: every state-changing request carries the session's token (a hidden form field or the
  X-CSRF-Token header), compared in constant time.
- A Content-Security-Policy without inline scripts or styles, and headers that forbid framing and
  MIME sniffing, on every response.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

COOKIE = "followup_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def is_loopback(host: str) -> bool:
    """Whether binding to `host` keeps the server on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(bind: str, extra: Iterable[str]) -> frozenset[str]:
    """The names a request's Host may carry (without the port): loopback names, the bound address
    and the names given with --allow-host."""
    names = {*LOOPBACK_NAMES, *(n.strip().lower() for n in extra if n.strip())}
    if bind not in ("0.0.0.0", "::"):  # noqa: S104 - a wildcard bind names no host
        names.add(bind.lower())
    return frozenset(names)


def host_name(value: str) -> str:
    """`example.org:8000` → `example.org`; `[::1]:8000` → `[::1]`."""
    value = value.strip().lower()
    if value.startswith("["):
        return value.split("]", 1)[0] + "]"
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class HostGuard:
    """Refuses any request whose Host header is not allowed (DNS rebinding), and adds the security
    headers to every response, errors included."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app, self.hosts = app, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = host_name(Headers(scope=scope).get("host", ""))
        if host not in self.hosts:
            response = PlainTextResponse(
                f"Host {host!r} is not allowed. Open followup at http://127.0.0.1, or start it with "
                f"`followup serve --allow-host {host or 'NAME'}`.",
                status_code=421,
                headers={"content-security-policy": CSP},
            )
            await response(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(h for h in HEADERS if h[0] not in present),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


@dataclass
class Session:
    id: str
    csrf: str
    flashes: list[tuple[str, str]] = field(default_factory=list)  # (kind, text) for the next page
    form_errors: dict[str, Any] = field(default_factory=dict)  # the last refused form, to show again


class Sessions:
    """The one-time login token and the sessions opened with it (in memory: a restart of the server
    asks for a new login, which is what a printed one-time link means)."""

    def __init__(self, login_token: str | None = None) -> None:
        self.login_token: str | None = login_token or secrets.token_urlsafe(24)
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def login(self, token: str) -> Session | None:
        """A new session for the right token, which is then spent; None otherwise."""
        with self._lock:
            expected = self.login_token
            if expected is None or not hmac.compare_digest(token.encode(), expected.encode()):
                return None
            self.login_token = None
            session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32))
            self._sessions[session.id] = session
            return session

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self._lock:
            return self._sessions.get(session_id)

    def new_login_token(self) -> str:
        """Another one-time token (a second browser, a lost cookie), printed by the server."""
        with self._lock:
            self.login_token = secrets.token_urlsafe(24)
            return self.login_token


def csrf_ok(session: Session, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), session.csrf.encode())
