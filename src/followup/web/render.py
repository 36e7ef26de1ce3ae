"""HTML from the page data: Jinja2 with autoescaping always on, times in the user's zone, and pages
cached whole (with the session's CSRF token put in afterwards) while no data changed."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader

from followup import __version__
from followup.domain.model import InterviewKind, Outcome, Source, Stage
from followup.web.views import SECTION_TITLES

if TYPE_CHECKING:
    from followup.bootstrap import App
    from followup.web.security import Session
    from followup.web.site import Site

NAV = (
    ("/today", "Today"),
    ("/pipeline", "Pipeline"),
    ("/people", "People"),
    ("/outbox", "Outbox"),
    ("/suggestions", "Suggestions"),
    ("/stats", "Stats"),
    ("/add", "Add"),
    ("/settings", "Settings"),
)
LOGGABLE = (
    ("email-in", "E-mail from them"), ("email-out", "E-mail to them"), ("call", "Call"),
    ("voicemail", "Voicemail"), ("meeting", "Meeting"), ("linkedin-in", "LinkedIn message from them"),
    ("linkedin-out", "LinkedIn message to them"), ("application", "Application sent"),
    ("resume-sent", "Résumé sent"), ("outcome", "Outcome"), ("note", "Note"),
)  # fmt: skip


def local_time(value: str | None, zone: tzinfo, fmt: str = "%a %d %b %H:%M") -> str:
    """An ISO time of the page data (or an action's answer) in the user's zone; "—" for none."""
    if not value:
        return "—"
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(zone).strftime(fmt)


class Renderer:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.env = Environment(
            loader=PackageLoader("followup.web", "templates"),
            autoescape=True,  # every template, every value: names and notes come from strangers' mail
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.zone = ZoneInfo(site.app.settings.tz)
        self.env.filters["local"] = self.local
        self.env.filters["day"] = lambda v: self.local(v, "%a %d %b")
        self.env.filters["zip_pairs"] = lambda values: [(v, v) for v in values]
        self.env.globals.update(
            nav=NAV,
            version=__version__,
            stages=[s.value for s in Stage],
            sources=[s.value for s in Source],
            outcomes=[o.value for o in Outcome],
            interview_kinds=[k.value for k in InterviewKind],
            loggable=LOGGABLE,
            section_titles=SECTION_TITLES,
        )
        # stands for the session's CSRF token in a cached page; replaced on the way out
        self._placeholder = "csrf-" + secrets.token_hex(16)

    def local(self, value: str | None, fmt: str = "%a %d %b %H:%M") -> str:
        return local_time(value, self.zone, fmt)

    def html(
        self, template: str, data: dict[str, Any], *, csrf: str, path: str, extra: dict[str, Any]
    ) -> str:
        return self.env.get_template(template).render(
            data=data, csrf=csrf, path=path, flashes=[], form={}, **extra
        )

    def page(
        self,
        request: Request,
        template: str,
        data: dict[str, Any],
        session: Session | None,
        status: int = 200,
    ) -> HTMLResponse:
        flashes, form = (session.flashes[:], session.form_errors) if session else ([], {})
        if session is not None:
            session.flashes.clear()
            session.form_errors = {}
        text = self.env.get_template(template).render(
            data=data,
            csrf=session.csrf if session else "",
            path=request.url.path,
            flashes=flashes,
            form=form,
            logged_in=session is not None,
        )
        return HTMLResponse(text, status_code=status)

    def cached_page(
        self,
        request: Request,
        session: Session,
        key: str,
        template: str,
        make: Callable[[App], dict[str, Any]],
    ) -> Response:
        """A page built once per data change: the same HTML for every request until the data (or
        the minute) changes. A page with a message to show is built fresh."""
        if session.flashes or session.form_errors:
            return self.page(request, template, self.site.call(make), session)

        def build(app: App) -> bytes:
            html = self.html(template, make(app), csrf=self._placeholder, path=request.url.path,
                             extra={"logged_in": True})  # fmt: skip
            return html.encode()

        return self.with_token(self.site.cached(key, build), session)

    def from_cache(self, session: Session, key: str) -> Response | None:
        """The cached page for `key` when it is good and no message waits for this session."""
        if session.flashes or session.form_errors:
            return None
        body = self.site.peek(key)
        return self.with_token(body, session) if isinstance(body, bytes) else None

    def with_token(self, body: bytes, session: Session) -> Response:
        return Response(body.replace(self._placeholder.encode(), session.csrf.encode()),
                        media_type="text/html; charset=utf-8")  # fmt: skip
