"""What each page shows, as JSON-ready data: the HTML page renders it, its `.json` twin and the API
return it as is. Built from the services' answers and the shapes of `followup.shapes` only."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from followup.domain.model import Stage
from followup.domain.outbox import OutboxState
from followup.shapes import (
    draft_json,
    iso,
    message_json,
    move_json,
    opportunity_detail_json,
    opportunity_json,
    person_detail_json,
    person_json,
    problem_json,
    rule_json,
    suggestion_json,
    touch_json,
)

if TYPE_CHECKING:
    from followup.bootstrap import App
    from followup.domain.agenda import Move, TouchRecord
    from followup.web.worker import JobStatus

SECTION_TITLES = {
    "overdue": "Overdue",
    "today": "Due today",
    "waiting": "Waiting on others",
    "upcoming": "Coming up",
}
DRAFTS_SHOWN = 12  # notes written out in full on Today (each costs a few queries)


def today(app: App, *, limit: int = 25, days: int = 7) -> dict[str, Any]:
    """The agenda, each section's first `limit` touches with their counts; the first due notes come
    with their draft and its etiquette check, the rest with the first line of a stored note."""
    sections: dict[str, list[TouchRecord]] = {name: [] for name in SECTION_TITLES}
    counts = dict.fromkeys(SECTION_TITLES, 0)
    people: dict[int, str] = {}
    opportunities: dict[int, str] = {}
    for row in app.planning.agenda_rows(days=days):
        counts[row.section] += 1
        if len(sections[row.section]) < limit:
            sections[row.section].append(row.record)
            people.update(row.people)
            opportunities.update(row.opportunities)
    shown = [r for name in SECTION_TITLES for r in sections[name]]
    notes = app.drafting.first_lines(shown)
    drafts_left = DRAFTS_SHOWN
    out: dict[str, Any] = {}
    for name, records in sections.items():
        items = []
        for record in records:
            item = touch_json(record, people, opportunities)
            item["note"] = notes.get(record.id)
            item["draft"] = None
            if name in ("overdue", "today") and drafts_left > 0 and record.touch.channel.value != "none":
                drafts_left -= 1
                item["draft"] = draft_json(app.drafting.draft(str(record.id)))
            items.append(item)
        out[name] = {"title": SECTION_TITLES[name], "count": counts[name], "touches": items}
    return {"sections": out, "suggestions": app.suggestions.waiting(), "limit": limit}


def touch(app: App, touch_id: int) -> dict[str, Any]:
    explanation = app.planning.why(str(touch_id))
    record = explanation.record
    people, opportunities = app.planning.labels([record])
    return {
        "touch": touch_json(record, people, opportunities),
        "why": list(explanation.lines),
        "draft": draft_json(app.drafting.draft(str(touch_id)))
        if record.touch.channel.value != "none"
        else None,
    }


def pipeline(app: App, *, limit: int = 40) -> dict[str, Any]:
    """Every opportunity by stage: the board's columns, each with its count and first `limit` cards."""
    columns: dict[str, list[dict[str, Any]]] = {s.value: [] for s in Stage}
    counts = dict.fromkeys(columns, 0)
    for summary in app.browser.opportunities():
        stage = summary.state.stage.value
        counts[stage] += 1
        if len(columns[stage]) < limit:
            columns[stage].append(opportunity_json(summary))
    return {
        "stages": [{"stage": s, "count": counts[s], "opportunities": columns[s]} for s in columns],
        "limit": limit,
    }


def opportunity(app: App, opportunity_id: int) -> dict[str, Any]:
    detail = app.browser.opportunity(str(opportunity_id))
    return _conversation(
        app,
        opportunity_detail_json(detail),
        detail.names,
        app.planning.moves_of_opportunity(opportunity_id),
        app.planning.touches(opportunity_id=opportunity_id),
    )


def people(app: App, *, search: str | None = None, limit: int = 100) -> dict[str, Any]:
    found = app.browser.people(search=search or None)
    items = []
    for summary in found[:limit]:
        item = person_json(summary)
        item["move"] = move_json(app.planning.moves_of_person(summary.person.id or 0))
        items.append(item)
    return {"count": len(found), "people": items, "search": search or "", "limit": limit}


def person(app: App, person_id: int) -> dict[str, Any]:
    detail = app.browser.person(str(person_id))
    return _conversation(
        app,
        person_detail_json(detail),
        detail.names,
        app.planning.moves_of_person(person_id),
        app.planning.touches(person_id=person_id),
    )


def _conversation(
    app: App, shown: dict[str, Any], names: dict[int, str], move: Move, records: list[TouchRecord]
) -> dict[str, Any]:
    """An opportunity's or a person's page: `show --json`, whose move it is, the touches, and the
    names of everyone the page mentions."""
    return {
        **shown,
        "names": {str(k): v for k, v in names.items()},
        "move": move_json(move),
        "touches": _touches(app, records),
    }


def _touches(app: App, records: Iterable[TouchRecord]) -> list[dict[str, Any]]:
    records = list(records)
    people, opportunities = app.planning.labels(records)
    return [touch_json(r, people, opportunities) for r in records]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
OUTBOX_ORDER = (
    OutboxState.UNCERTAIN,
    OutboxState.FAILED,
    OutboxState.DRAFT,
    OutboxState.APPROVED,
    OutboxState.SENDING,
    OutboxState.SENT,
)


def outbox(app: App, *, sent_limit: int = 50) -> dict[str, Any]:
    messages = app.outbox.messages()
    groups: dict[str, list[dict[str, Any]]] = {s.value: [] for s in OUTBOX_ORDER}
    for m in sorted(messages, key=lambda m: m.send_after or m.date or m.sent_at or _EPOCH, reverse=True):
        if m.state.value in groups:
            groups[m.state.value].append({**message_json(m), "body": m.body})
    groups[OutboxState.SENT.value] = groups[OutboxState.SENT.value][:sent_limit]
    return {"states": [{"state": s.value, "messages": groups[s.value]} for s in OUTBOX_ORDER]}


def suggestions(app: App, *, everything: bool = False) -> dict[str, Any]:
    return {"suggestions": [suggestion_json(v) for v in app.suggestions.pending(everything=everything)]}


def settings(app: App, *, jobs: list[JobStatus], feed_url: str) -> dict[str, Any]:
    s = app.settings
    playbook = app.planning.playbook
    return {
        "you": {"from": s.from_, "name": s.name, "timezone": s.tz, "country": s.country},
        "database": app.location.display,
        "mail": {
            "sending": {"host": s.smtp_host or None, "port": s.smtp_port, "security": s.smtp_security},
            "reading": {"host": s.imap_host or None, "port": s.imap_port, "security": s.imap_security},
        },
        "playbook": {
            "source": app.playbook_source,
            "rules": [rule_json(rule) for rule in playbook.rules.values()],
            "problems": [problem_json(p) for p in app.playbook_problems],
        },
        "worker": [job_json(j) for j in jobs],
        "calendar_feed": feed_url,
    }


def job_json(job: JobStatus) -> dict[str, Any]:
    return {
        "name": job.name,
        "enabled": job.enabled,
        "why_not": job.why_not or None,
        "every_seconds": job.every,
        "runs": job.runs,
        "last_run": iso(job.last_run),
        "last_result": job.last_result or None,
        "last_error": job.last_error or None,
        "next_run": iso(job.next_run),
    }


def add_form(app: App, *, known: int = 500) -> dict[str, Any]:
    """What the quick-add forms offer to pick from: the open opportunities and the people (the most
    recent `known` of each; any other is found by typing its id or a part of its name)."""
    opportunities = [
        {"id": s.opportunity.id, "label": f"{s.opportunity.company} — {s.opportunity.title}"}
        for s in app.browser.opportunities()
        if not s.state.stage.is_closed
    ]
    people = [{"id": s.person.id, "label": s.person.name} for s in app.browser.people()]
    return {"opportunities": opportunities[-known:], "people": people[-known:]}


def stats(app: App, *, weeks: int = 12, charts: bool = False) -> dict[str, Any]:
    """`followup stats`; with `charts`, the page's SVG charts too (under "_charts": page only)."""
    from followup.shapes import stats_json

    figures = app.stats.compute(weeks=weeks)
    data = stats_json(figures)
    if charts:
        from followup.web.charts import funnel_chart, rate_chart, weekly_chart

        r = figures.responses
        shown = {
            "channel": [x for x in r.by_channel if x.outreaches],
            "source": [x for x in r.by_source if x.outreaches],
            "stage": [x for x in r.by_stage if x.outreaches],
        }
        f = figures.follow_up
        data["_charts"] = {
            "follow_up": _drawn(
                rate_chart(
                    [f.with_follow_up, f.without_follow_up],
                    title="Answered, with and without a follow-up",
                    names=["with a follow-up", "without"],
                    ident="follow-up",
                )
            ),
            **{
                f"by_{name}": _drawn(rate_chart(rows, title=f"Response rate by {name}", ident=f"by-{name}"))
                for name, rows in shown.items()
            },
            "funnel": _drawn(funnel_chart(figures.funnel)),
            "weekly": _drawn(weekly_chart(figures.weekly)),
        }
    return data


def _drawn(svg: str) -> Any:
    """A chart's SVG, to go into the page as is: the chart functions escape every text they draw."""
    from markupsafe import Markup

    return Markup(svg)  # noqa: S704 - escaped by web/charts.py, pinned by its tests
