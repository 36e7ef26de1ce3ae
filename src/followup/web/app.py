"""The FastAPI application: security first (web/security.py), then the pages (HTML and their `.json`
twins), the form actions, the JSON API under /api and the calendar feed. Routes call services only,
through `Site.run`, one request at a time on the database."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from followup import __version__
from followup.errors import FollowupError, InvalidInputError, NotFoundError
from followup.web.render import Renderer
from followup.web.security import COOKIE, CSRF_FIELD, CSRF_HEADER, SAFE_METHODS, HostGuard, Session, csrf_ok

if TYPE_CHECKING:
    from followup.web.site import Site


class NotLoggedInError(FollowupError):
    """A request without the session cookie (or with an unknown one)."""

    http_status = 401


class CsrfError(FollowupError):
    """A state-changing request without the session's CSRF token."""

    http_status = 403


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.endswith(".json")


def session_of(request: Request) -> Session:
    site: Site = request.app.state.site
    session = site.sessions.get(request.cookies.get(COOKIE))
    if session is None:
        raise NotLoggedInError(
            "You are not logged in.",
            hint="Open the login link that `followup serve` printed (it works once).",
        )
    return session


async def checked_session(request: Request) -> Session:
    """The session, and for anything but a read, its CSRF token from the header or the form."""
    session = session_of(request)
    if request.method not in SAFE_METHODS:
        given = request.headers.get(CSRF_HEADER)
        if given is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            given = str((await request.form()).get(CSRF_FIELD) or "")
        if not csrf_ok(session, given):
            raise CsrfError(
                "This request did not carry the page's security token.",
                hint="Reload the page and try again.",
            )
    return session


def error_json(exc: FollowupError) -> dict[str, Any]:
    return {
        "error": {
            "type": type(exc).__name__,
            "status": exc.http_status,
            "message": exc.message,
            "hint": exc.hint,
            "field": getattr(exc, "field", None),
        }
    }


def create_app(site: Site, *, hosts: frozenset[str]) -> FastAPI:
    """The application for one Site; `hosts` are the Host names it answers to."""
    api = FastAPI(
        title="followup",
        version=__version__,
        description="The JSON API of followup: the same services as the command line.",
        docs_url=None,  # the interactive docs load scripts from a CDN, which the CSP forbids
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    api.state.site = site
    renderer = Renderer(site)
    api.state.renderer = renderer

    @api.exception_handler(FollowupError)
    async def on_error(request: Request, exc: FollowupError) -> Response:
        if wants_json(request):
            return JSONResponse(error_json(exc), status_code=exc.http_status)
        if isinstance(exc, NotLoggedInError):
            return renderer.page(request, "login.html", {"problem": exc.message}, session=None, status=401)
        if request.method not in SAFE_METHODS and not isinstance(exc, CsrfError):
            # a form: back where it came from, with the message beside the field it names
            session = site.sessions.get(request.cookies.get(COOKIE))
            if session is not None:
                form = await request.form()
                session.flashes.append(("error", _message(exc)))
                session.form_errors = {
                    "form": str(form.get("form") or ""),
                    "field": form_field(getattr(exc, "field", None)),
                    "message": _message(exc),
                    "kept": {k: str(v) for k, v in form.items() if k != CSRF_FIELD},
                }
                return RedirectResponse(_back(form.get("next")), status_code=303)
        session = site.sessions.get(request.cookies.get(COOKIE))
        return renderer.page(
            request, "error.html", {"error": error_json(exc)["error"]}, session, status=exc.http_status
        )

    @api.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"field": ".".join(str(p) for p in e.get("loc", ())[1:]) or None, "message": e.get("msg", "")}
            for e in exc.errors()
        ]
        first = problems[0] if problems else {"field": None, "message": "invalid request"}
        error = InvalidInputError(
            f"{first['field'] or 'The request'}: {first['message']}",
            hint="See /api/openapi.json for what this request takes.",
            field=first["field"],
        )
        body = error_json(error)
        body["error"]["problems"] = problems
        return JSONResponse(body, status_code=422)

    @api.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        error = FollowupError(str(exc.detail))
        error.http_status = exc.status_code
        if wants_json(request) or exc.status_code == 405:
            return JSONResponse(error_json(error), status_code=exc.status_code)
        session = site.sessions.get(request.cookies.get(COOKIE))
        return renderer.page(
            request, "error.html", {"error": error_json(error)["error"]}, session, status=exc.status_code
        )

    @api.exception_handler(Exception)
    async def on_bug(request: Request, exc: Exception) -> Response:
        error = FollowupError(
            f"Unexpected error: {type(exc).__name__}.",
            hint="This is a bug in followup; the server's output has the details for a report.",
        )
        return JSONResponse(error_json(error), status_code=500)

    @api.get("/login", include_in_schema=False)
    async def login(request: Request, token: str = "") -> Response:
        if site.sessions.get(request.cookies.get(COOKIE)) is not None:
            return RedirectResponse("/today", status_code=303)
        session = site.sessions.login(token)
        if session is None:
            return renderer.page(
                request, "login.html", {"problem": "This login link is not valid (any more)."}, None, 401
            )
        response = RedirectResponse("/today", status_code=303)
        response.set_cookie(COOKIE, session.id, httponly=True, samesite="strict", path="/")
        return response

    @api.get("/", include_in_schema=False)
    async def home(request: Request) -> Response:
        session_of(request)
        return RedirectResponse("/today", status_code=303)

    @api.get("/calendar/{token}.ics", include_in_schema=False)
    async def feed(token: str) -> Response:
        if not hmac.compare_digest(token.encode(), site.feed_token.encode()):
            raise NotFoundError("There is no such calendar.")
        text = await site.run(lambda app: app.calendar_export.export(app.context.now()))
        return Response(
            text, media_type="text/calendar; charset=utf-8", headers={"cache-control": "no-store"}
        )

    from followup.web.api import add_api_routes
    from followup.web.pages import add_page_routes

    add_page_routes(api, site, renderer)
    add_api_routes(api, site)

    from importlib.resources import files

    api.mount("/static", StaticFiles(directory=str(files("followup.web") / "static")), name="static")
    api.add_middleware(HostGuard, hosts=hosts)  # outside every route and error handler
    return api


# The services name a refused value the way a person reads it; the forms name their inputs.
_FORM_FIELDS = {
    "email": "emails",
    "time zone": "timezone",
    "cadence": "cadence_days",
    "LinkedIn URL": "linkedin_url",
    "role title": "title",
    "place or link": "location",
    "URL": "url",
}


def form_field(field: str | None) -> str:
    """The form input a service's error is about ("" when it names none)."""
    if not field:
        return ""
    return _FORM_FIELDS.get(field, field.lower().replace(" ", "_"))


def _message(exc: FollowupError) -> str:
    return exc.message + (f" {exc.hint}" if exc.hint else "")


def _back(target: object) -> str:
    """A form's `next`: only a path on this site (never `//elsewhere`), else Today."""
    text = str(target or "")
    if text.startswith("/") and not text.startswith("//") and "\\" not in text:
        return text
    return "/today"
