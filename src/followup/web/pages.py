"""The pages (each with its `.json` twin) and the forms they post: a form's action runs, then the
browser goes back to the page it came from with a message (POST, redirect, GET)."""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from followup.domain.references import MAX_ID
from followup.errors import InvalidInputError, NotFoundError
from followup.web import actions, views
from followup.web.app import _back, checked_session, session_of
from followup.web.render import local_time

if TYPE_CHECKING:
    from followup.bootstrap import App
    from followup.web.render import Renderer
    from followup.web.site import Site

Make = Callable[["App", Request], dict[str, Any]]


def _int(request: Request, name: str, default: int, *, low: int = 1, high: int = 1000) -> int:
    try:
        return min(max(int(request.query_params.get(name, default)), low), high)
    except ValueError:
        return default


def page_makers(site: Site) -> dict[str, tuple[str, Make]]:
    """path → (template, how to get its data)."""

    def settings(app: App, request: Request) -> dict[str, Any]:
        jobs = site.worker.status() if site.worker is not None else []
        feed = str(request.base_url).rstrip("/") + f"/calendar/{site.feed_token}.ics"
        return views.settings(app, jobs=jobs, feed_url=feed)

    def stats(app: App, request: Request) -> dict[str, Any]:
        return views.stats(app, weeks=_int(request, "weeks", 12, high=520), charts=True)

    return {
        "/today": ("today.html", lambda app, r: views.today(app, limit=_int(r, "limit", 25))),
        "/pipeline": ("pipeline.html", lambda app, r: views.pipeline(app, limit=_int(r, "limit", 40))),
        "/opportunities/{opportunity_id:int}": (
            "opportunity.html",
            lambda app, r: views.opportunity(app, r.path_params["opportunity_id"]),
        ),
        "/people": (
            "people.html",
            lambda app, r: views.people(app, search=r.query_params.get("q"), limit=_int(r, "limit", 100)),
        ),
        "/people/{person_id:int}": (
            "person.html",
            lambda app, r: views.person(app, r.path_params["person_id"]),
        ),
        "/touches/{touch_id:int}": ("touch.html", lambda app, r: views.touch(app, r.path_params["touch_id"])),
        "/outbox": ("outbox.html", lambda app, r: views.outbox(app)),
        "/suggestions": (
            "suggestions.html",
            lambda app, r: views.suggestions(app, everything=r.query_params.get("all") == "1"),
        ),
        "/stats": ("stats.html", stats),
        "/settings": ("settings.html", settings),
        "/add": ("add.html", lambda app, r: views.add_form(app)),
    }


CACHED = frozenset({"/today", "/pipeline", "/stats"})  # the pages a busy user reloads most; cached whole


def add_page_routes(api: FastAPI, site: Site, renderer: Renderer) -> None:
    for path, (template, make) in page_makers(site).items():
        _add_page(api, site, renderer, path, template, make)
    _add_forms(api, site)


def _add_page(api: FastAPI, site: Site, renderer: Renderer, path: str, template: str, make: Make) -> None:
    async def as_html(request: Request) -> Response:
        session = session_of(request)
        if path in CACHED:
            key = f"{path}?{request.url.query}"
            hit = renderer.from_cache(session, key)
            if hit is not None:
                return hit
            return await anyio.to_thread.run_sync(
                lambda: renderer.cached_page(request, session, key, template, lambda app: make(app, request))
            )
        data = await site.run(lambda app: make(app, request))
        return renderer.page(request, template, data, session)

    async def as_json(request: Request) -> Response:
        session_of(request)
        data = await site.run(lambda app: make(app, request))
        # keys starting with "_" are for the HTML page only (rendered charts)
        return JSONResponse({k: v for k, v in data.items() if not k.startswith("_")})

    api.add_api_route(path, as_html, methods=["GET"], include_in_schema=False)
    api.add_api_route(path + ".json", as_json, methods=["GET"], include_in_schema=False)


# Forms ------------------------------------------------------------------------------------------


def from_form(model: type[BaseModel], form: dict[str, list[str]]) -> Any:
    """A form's fields as the action's input: empty fields are "not given", lists come from repeated
    fields or commas, a checkbox is on or absent. A refused value names its field."""
    values: dict[str, Any] = {}
    for name, spec in model.model_fields.items():
        given = [v for v in form.get(name, []) if v.strip()]
        if typing.get_origin(spec.annotation) is list:
            values[name] = [part.strip() for v in given for part in v.split(",") if part.strip()]
        elif spec.annotation in (bool, bool | None):
            if name in form:
                values[name] = form[name][-1] in ("on", "true", "1", "yes")
        elif given:
            values[name] = given[-1]
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first.get("loc") else None
        raise InvalidInputError(
            f"{(field or 'value').replace('_', ' ').capitalize()}: {first['msg']}.", field=field
        ) from None


FormAction = Callable[["Site", "App", Any, dict[str, int]], tuple[str, str | None]]


def _add_forms(api: FastAPI, site: Site) -> None:
    for path, model, act in FORMS:
        api.add_api_route(path, _form_route(site, model, act), methods=["POST"], include_in_schema=False)


def _form_route(site: Site, model: type[BaseModel] | None, act: FormAction) -> Callable[..., Any]:
    async def handle(request: Request) -> Response:
        session = await checked_session(request)
        raw = await request.form()
        form: dict[str, list[str]] = {}
        for key, value in raw.multi_items():
            form.setdefault(key, []).append(str(value))
        data = from_form(model, form) if model is not None else None
        ids = {k: int(v) for k, v in request.path_params.items()}
        if any(not 0 < v <= MAX_ID for v in ids.values()):
            raise NotFoundError("There is no such record.", hint="Go back and pick one from the list.")
        message, goto = await site.run(lambda app: act(site, app, data, ids))
        site.forget()
        session.flashes.append(("ok", message))
        return RedirectResponse(goto or _back(raw.get("next")), status_code=303)

    return handle


def _opp_added(site: Site, app: App, data: Any, ids: dict[str, int]) -> tuple[str, str | None]:
    o = actions.add_opportunity(app, data)
    return f"Added {o['company']} — {o['title']}.", f"/opportunities/{o['id']}"


def _person_added(site: Site, app: App, data: Any, ids: dict[str, int]) -> tuple[str, str | None]:
    p = actions.add_person(app, data)
    return f"Added {p['name']}.", f"/people/{p['id']}"


def _logged(site: Site, app: App, data: Any, ids: dict[str, int]) -> tuple[str, str | None]:
    e = actions.log_interaction(app, data)
    return f"Logged the {data.kind}.", (
        f"/opportunities/{e['opportunity_id']}" if e["opportunity_id"] else None
    )


def _interview(site: Site, app: App, data: Any, ids: dict[str, int]) -> tuple[str, str | None]:
    v = actions.log_interview(app, data)
    return "Logged the interview.", f"/opportunities/{v['opportunity_id']}"


def _staged(site: Site, app: App, data: Any, ids: dict[str, int]) -> tuple[str, str | None]:
    done = actions.change_stage(app, ids["opportunity_id"], data)
    return f"Moved to {done['stage']}.", None


def _decided(decision: typing.Literal["done", "skip", "reopen"]) -> FormAction:
    def act(site: Site, app: App, data: Any, ids: dict[str, int]) -> tuple[str, str | None]:
        actions.decide(app, ids["touch_id"], decision)
        return f"Touch {ids['touch_id']}: {decision}.", None

    return act


def _snoozed(site: Site, app: App, data: Any, ids: dict[str, int]) -> tuple[str, str | None]:
    t = actions.snooze(app, ids["touch_id"], data)
    return f"Touch {t['id']} snoozed until {app_time(app, t['snoozed_until'])}.", None


def _edited(site: Site, app: App, data: Any, ids: dict[str, int]) -> tuple[str, str | None]:
    actions.edit_draft(app, ids["touch_id"], data)
    return f"Saved your words for touch {ids['touch_id']}.", None


def _discarded(site: Site, app: App, data: Any, ids: dict[str, int]) -> tuple[str, str | None]:
    actions.discard_draft(app, ids["touch_id"])
    return f"Touch {ids['touch_id']}'s note is written from its template again.", None


def _approved(site: Site, app: App, data: Any, ids: dict[str, int]) -> tuple[str, str | None]:
    d = actions.approve(app, ids["touch_id"], data)
    if site.worker is not None:
        site.worker.kick("send")
    message = f"Approved touch {ids['touch_id']}; it goes out {app_time(app, d['send_after'])}."
    if not app.settings.smtp_host:
        message += (
            " No outgoing mail server is set up yet: run `followup mail setup` (or `followup send"
            " --to-drafts-folder` to send it from your own mail program)."
        )
    return message, None


def _sent(site: Site, app: App, data: Any, ids: dict[str, int]) -> tuple[str, str | None]:
    r = actions.send(app)
    parts = [f"{len(r['sent'])} sent"]
    parts += [f"{len(r[k])} {k}" for k in ("retrying", "failed", "uncertain") if r[k]]
    parts += [f"{r['waiting']} waiting for their time"] if r["waiting"] else []
    return ", ".join(parts) + (f"; {r['server_error']}" if r["server_error"] else "") + ".", None


def _resent(site: Site, app: App, data: Any, ids: dict[str, int]) -> tuple[str, str | None]:
    actions.resend(app, ids["touch_id"])
    return f"Touch {ids['touch_id']} goes out again.", None


def _marked(site: Site, app: App, data: Any, ids: dict[str, int]) -> tuple[str, str | None]:
    actions.mark_sent(app, ids["touch_id"])
    return f"Touch {ids['touch_id']} is marked sent.", None


def _confirmed(site: Site, app: App, data: Any, ids: dict[str, int]) -> tuple[str, str | None]:
    r = actions.confirm_suggestion(app, ids["suggestion_id"], data)
    return f"Confirmed: {r['done']}.", None


def _dismissed(site: Site, app: App, data: Any, ids: dict[str, int]) -> tuple[str, str | None]:
    actions.dismiss_suggestion(app, ids["suggestion_id"])
    return f"Suggestion {ids['suggestion_id']} dismissed.", None


def app_time(app: App, value: str | None) -> str:
    """An ISO time of an action's answer, for its message: in the user's zone."""
    return local_time(value, app.context.tz)


_TOUCH = "/touches/{touch_id:int}"
FORMS: list[tuple[str, type[BaseModel] | None, FormAction]] = [
    ("/opportunities", actions.OpportunityIn, _opp_added),
    ("/people", actions.PersonIn, _person_added),
    ("/interactions", actions.InteractionIn, _logged),
    ("/interviews", actions.InterviewIn, _interview),
    ("/opportunities/{opportunity_id:int}/stage", actions.StageIn, _staged),
    (f"{_TOUCH}/done", None, _decided("done")),
    (f"{_TOUCH}/skip", None, _decided("skip")),
    (f"{_TOUCH}/reopen", None, _decided("reopen")),
    (f"{_TOUCH}/snooze", actions.SnoozeIn, _snoozed),
    (f"{_TOUCH}/draft", actions.DraftIn, _edited),
    (f"{_TOUCH}/discard", None, _discarded),
    (f"{_TOUCH}/approve", actions.ApproveIn, _approved),
    ("/outbox/send", None, _sent),
    ("/outbox/{touch_id:int}/resend", None, _resent),
    ("/outbox/{touch_id:int}/mark-sent", None, _marked),
    ("/suggestions/{suggestion_id:int}/confirm", actions.ConfirmIn, _confirmed),
    ("/suggestions/{suggestion_id:int}/dismiss", None, _dismissed),
]
