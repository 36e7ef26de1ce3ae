"""The JSON API under /api, described by OpenAPI at /api/openapi.json: the pages' data and the
actions of the forms, for scripts and other front ends. The session cookie logs in; every change
carries the X-CSRF-Token header."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Path, Query

from followup.domain.references import MAX_ID
from followup.web import actions, views
from followup.web.app import checked_session

if TYPE_CHECKING:
    from followup.web.site import Site

Json = dict[str, Any]
Limit = Annotated[int, Query(ge=1, le=1000)]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def add_api_routes(api: FastAPI, site: Site) -> None:
    router = APIRouter(prefix="/api", dependencies=[Depends(checked_session)])
    run = site.run

    async def changed(work: Any) -> Json:
        result: Json = await run(work)
        site.forget()
        return result

    @router.get("/today", tags=["pages"], summary="The agenda: overdue, due today, waiting, coming up")
    async def today(limit: Limit = 25, days: Annotated[int, Query(ge=1, le=365)] = 7) -> Json:
        return await run(lambda app: views.today(app, limit=limit, days=days))

    @router.get("/pipeline", tags=["pages"], summary="Opportunities by stage")
    async def pipeline(limit: Limit = 40) -> Json:
        return await run(lambda app: views.pipeline(app, limit=limit))

    @router.get("/opportunities/{opportunity_id}", tags=["pages"], summary="One opportunity")
    async def opportunity(opportunity_id: Id) -> Json:
        return await run(lambda app: views.opportunity(app, opportunity_id))

    @router.get("/people", tags=["pages"], summary="People, with whose move it is")
    async def people(q: Annotated[str | None, Query(max_length=200)] = None, limit: Limit = 100) -> Json:
        return await run(lambda app: views.people(app, search=q, limit=limit))

    @router.get("/people/{person_id}", tags=["pages"], summary="One person")
    async def person(person_id: Id) -> Json:
        return await run(lambda app: views.person(app, person_id))

    @router.get("/touches/{touch_id}", tags=["pages"], summary="One touch: why, and its note")
    async def touch(touch_id: Id) -> Json:
        return await run(lambda app: views.touch(app, touch_id))

    @router.get("/outbox", tags=["pages"], summary="Notes by state")
    async def outbox() -> Json:
        return await run(views.outbox)

    @router.get("/suggestions", tags=["pages"], summary="What the mailbox suggests")
    async def suggestions(everything: Annotated[bool, Query(alias="all")] = False) -> Json:
        return await run(lambda app: views.suggestions(app, everything=everything))

    @router.get("/stats", tags=["pages"], summary="What following up earns")
    async def stats(weeks: Annotated[int, Query(ge=1, le=520)] = 12) -> Json:
        return await run(lambda app: views.stats(app, weeks=weeks))

    @router.get("/worker", tags=["pages"], summary="The background worker's jobs")
    async def worker() -> Json:
        jobs = site.worker.status() if site.worker is not None else []
        return {"alive": bool(site.worker and site.worker.alive), "jobs": [views.job_json(j) for j in jobs]}

    @router.post("/opportunities", tags=["record"], status_code=201, summary="Add an opportunity")
    async def add_opportunity(data: actions.OpportunityIn) -> Json:
        return await changed(lambda app: actions.add_opportunity(app, data))

    @router.post("/people", tags=["record"], status_code=201, summary="Add a person")
    async def add_person(data: actions.PersonIn) -> Json:
        return await changed(lambda app: actions.add_person(app, data))

    @router.post("/interactions", tags=["record"], status_code=201, summary="Log an interaction")
    async def log(data: actions.InteractionIn) -> Json:
        return await changed(lambda app: actions.log_interaction(app, data))

    @router.post("/interviews", tags=["record"], status_code=201, summary="Log an interview")
    async def interview(data: actions.InterviewIn) -> Json:
        return await changed(lambda app: actions.log_interview(app, data))

    @router.post("/opportunities/{opportunity_id}/stage", tags=["record"], summary="Move to a stage")
    async def stage(opportunity_id: Id, data: actions.StageIn) -> Json:
        return await changed(lambda app: actions.change_stage(app, opportunity_id, data))

    @router.post("/touches/{touch_id}/snooze", tags=["touches"], summary="Snooze until a later time")
    async def snooze(touch_id: Id, data: actions.SnoozeIn) -> Json:
        return await changed(lambda app: actions.snooze(app, touch_id, data))

    @router.put("/touches/{touch_id}/draft", tags=["outbox"], summary="Save your words for a note")
    async def edit(touch_id: Id, data: actions.DraftIn) -> Json:
        return await changed(lambda app: actions.edit_draft(app, touch_id, data))

    @router.delete("/touches/{touch_id}/draft", tags=["outbox"], summary="Write the note from its template")
    async def discard(touch_id: Id) -> Json:
        return await changed(lambda app: actions.discard_draft(app, touch_id))

    @router.post("/touches/{touch_id}/approve", tags=["outbox"], summary="Approve a note for sending")
    async def approve(touch_id: Id, data: actions.ApproveIn) -> Json:
        result = await changed(lambda app: actions.approve(app, touch_id, data))
        if site.worker is not None:
            site.worker.kick("send")
        return result

    @router.post("/touches/{touch_id}/{decision}", tags=["touches"], summary="Mark done, skip or reopen")
    async def decide(touch_id: Id, decision: Literal["done", "skip", "reopen"]) -> Json:
        return await changed(lambda app: actions.decide(app, touch_id, decision))

    @router.post("/outbox/send", tags=["outbox"], summary="Send every approved note that is due")
    async def send() -> Json:
        return await changed(actions.send)

    @router.post("/outbox/{touch_id}/resend", tags=["outbox"], summary="Send an uncertain note again")
    async def resend(touch_id: Id) -> Json:
        return await changed(lambda app: actions.resend(app, touch_id))

    @router.post("/outbox/{touch_id}/mark-sent", tags=["outbox"], summary="An uncertain note did go out")
    async def mark_sent(touch_id: Id) -> Json:
        return await changed(lambda app: actions.mark_sent(app, touch_id))

    @router.post("/suggestions/{suggestion_id}/confirm", tags=["suggestions"], summary="Record a suggestion")
    async def confirm(suggestion_id: Id, data: actions.ConfirmIn) -> Json:
        return await changed(lambda app: actions.confirm_suggestion(app, suggestion_id, data))

    @router.post("/suggestions/{suggestion_id}/dismiss", tags=["suggestions"], summary="Dismiss a suggestion")
    async def dismiss(suggestion_id: Id) -> Json:
        return await changed(lambda app: actions.dismiss_suggestion(app, suggestion_id))

    api.include_router(router)
