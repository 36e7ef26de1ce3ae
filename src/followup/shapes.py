"""The stable JSON shapes of what the services return: `--json`, the web's `.json` pages and the API.

One shape per kind of record, documented in docs/json.md; times are ISO-8601 in UTC with a Z.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from followup.domain.outreach import WAITING_DAYS

if TYPE_CHECKING:
    from followup.domain.agenda import Move, TouchRecord
    from followup.domain.model import Interaction, Interview, OpportunitySummary, PersonSummary
    from followup.domain.outbox import OutboxMessage
    from followup.domain.playbook import Problem
    from followup.domain.stats import Rate, Stats, Week
    from followup.domain.touches import Rule
    from followup.services.browsing import OpportunityDetail, PersonDetail
    from followup.services.drafting import DraftView
    from followup.services.importing import ImportReport
    from followup.services.readreport import Outcome, ReadReport
    from followup.services.suggesting import SuggestionView


def iso(moment: datetime | None) -> str | None:
    """ISO-8601 in UTC with a Z, the one time format of `--json`."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def opportunity_json(s: OpportunitySummary) -> dict[str, Any]:
    o = s.opportunity
    return {
        "id": o.id,
        "company": o.company,
        "title": o.title,
        "stage": s.state.stage.value,
        "url": o.url,
        "source": o.source.value if o.source else None,
        "location": o.location,
        "applied_at": iso(s.state.applied_at),
        "last_contact_at": iso(s.state.last_contact_at),
        "decision_expected": o.decision_expected.isoformat() if o.decision_expected else None,
        "notes": o.notes,
        "created_at": iso(o.created_at),
        "people": [{"id": pid, "name": name, "role": role.value} for pid, name, role in s.people],
    }


def person_json(s: PersonSummary) -> dict[str, Any]:
    p = s.person
    return {
        "id": p.id,
        "name": p.name,
        "emails": [{"address": e.address, "bad": e.bad} for e in p.emails],
        "phone": p.phone,
        "organisation": p.organisation,
        "title": p.title,
        "timezone": p.timezone,
        "country": p.country,
        "cadence_days": p.cadence_days,
        "in_network": p.in_network,
        "linkedin_url": p.linkedin_url,
        "notes": p.notes,
        "created_at": iso(p.created_at),
        "last_contact_at": iso(s.last_contact_at),
        "roles": [
            {"opportunity_id": oid, "company": company, "role": role.value} for oid, company, role in s.roles
        ],
    }


def interaction_json(e: Interaction) -> dict[str, Any]:
    return {
        "id": e.id,
        "kind": e.kind.value,
        "direction": e.direction.value,
        "occurred_at": iso(e.occurred_at),
        "recorded_at": iso(e.recorded_at),
        "opportunity_id": e.opportunity_id,
        "people": list(e.person_ids),
        "subject": e.subject,
        "notes": e.notes,
        "answered": e.answered,
        "caller": e.caller.value if e.caller else None,
        "message_id": e.message_id,
        "in_reply_to": e.in_reply_to,
        "references": list(e.references),
        "outcome": e.outcome.value if e.outcome else None,
        "stage": e.stage.value if e.stage else None,
        "interview_id": e.interview_id,
    }


def interview_json(v: Interview) -> dict[str, Any]:
    return {
        "id": v.id,
        "opportunity_id": v.opportunity_id,
        "starts_at": iso(v.starts_at),
        "ends_at": iso(v.ends_at),
        "timezone": v.timezone,
        "kind": v.kind.value,
        "location": v.location,
        "interviewers": list(v.interviewer_ids),
        "notes": v.notes,
        "uid": v.uid,
        "sequence": v.sequence,
        "status": v.status.value,
    }


def opportunity_detail_json(d: OpportunityDetail) -> dict[str, Any]:
    return {
        "opportunity": opportunity_json(d.summary),
        "people": [{"id": p.id, "name": p.name, "roles": [r.value for r in roles]} for p, roles in d.people],
        "interviews": [interview_json(v) for v in d.interviews],
        "timeline": [interaction_json(e) for e in d.ledger],
    }


def person_detail_json(d: PersonDetail) -> dict[str, Any]:
    return {
        "person": person_json(d.summary),
        "opportunities": [
            {**opportunity_json(o), "roles": [r.value for r in roles]} for o, roles in d.opportunities
        ],
        "interviews": [interview_json(v) for v in d.interviews],
        "timeline": [interaction_json(e) for e in d.ledger],
    }


def move_json(move: Move) -> dict[str, Any]:
    return {
        "who": move.who,
        "what": move.what,
        "since": iso(move.since),
        "next_nudge": iso(move.next_nudge),
        "touch_id": move.touch_id,
    }


def touch_json(r: TouchRecord, people: dict[int, str], opportunities: dict[int, str]) -> dict[str, Any]:
    t = r.touch
    return {
        "id": r.id,
        "key": t.key,
        "kind": t.kind.value,
        "state": r.state,
        "person": {"id": t.person_id, "name": people.get(t.person_id)} if t.person_id is not None else None,
        "opportunity": (
            {"id": t.opportunity_id, "title": opportunities.get(t.opportunity_id)}
            if t.opportunity_id is not None
            else None
        ),
        "due_from": iso(r.due_from),
        "due_by": iso(r.due_by),
        "send_at": iso(max(t.send_at, r.due_from)),
        "reason": t.reason,
        "template": t.template,
        "channel": t.channel.value,
        "urgent": t.urgent,
        "round": t.round,
        "trigger_at": iso(t.trigger_at),
        "snoozed_until": iso(r.snoozed_until),
        "cancel_reason": t.cancel_reason,
        "sequence": r.sequence,
    }


def message_json(m: OutboxMessage) -> dict[str, Any]:
    return {
        "touch": m.touch_id,
        "kind": m.kind,
        "state": m.state.value,
        "to": {"name": m.to_name, "address": m.to_address},
        "subject": m.subject,
        "message_id": m.message_id,
        "date": iso(m.date),
        "send_after": iso(m.send_after),
        "attempts": m.attempts,
        "next_attempt_at": iso(m.next_attempt_at),
        "last_error": m.last_error,
        "sent_at": iso(m.sent_at),
        "edited": m.edited,
    }


def draft_json(view: DraftView) -> dict[str, Any]:
    d = view.draft
    return {
        "touch": view.record.id,
        "kind": view.record.touch.kind.value,
        "state": view.state,
        "channel": view.record.touch.channel.value,
        "template": view.record.touch.template,
        "to": {"name": d.to_name, "address": d.to_address} if d else None,
        "subject": d.subject if d else None,
        "body": d.body if d else None,
        "in_reply_to": d.in_reply_to if d else None,
        "references": list(d.references) if d else [],
        "send_after": iso(view.send_after),
        "message_id": view.message.message_id if view.message else None,
        "findings": [
            {"severity": f.severity.value, "code": f.code, "message": f.message, "hint": f.hint}
            for f in view.findings
        ],
        "problem": str(view.problem) if view.problem else None,
    }


def report_json(report: ReadReport) -> dict[str, Any]:
    return {
        "read": report.read,
        "logged": report.logged,
        "auto_replies": report.auto_replies,
        "bounces": report.bounces,
        "invitations": report.invitations,
        "suggestions": report.suggestions,
        "known": report.known,
        "ignored": report.ignored,
        "events": report.events,
        "cancelled": report.cancelled,
        "skipped": report.skipped,
        **({"trace": [_outcome_json(o) for o in report.outcomes]} if report.outcomes else {}),
    }


def _outcome_json(o: Outcome) -> dict[str, str]:
    return {
        "where": o.where,
        "message_id": o.message_id,
        "kind": o.kind,
        "because": o.because,
        "effect": o.effect,
    }


def suggestion_json(view: SuggestionView) -> dict[str, Any]:
    s = view.suggestion
    return {
        "id": s.id,
        "kind": s.kind.value,
        "status": s.status.value,
        "description": view.line,
        "because": s.because,
        "opportunity": {"id": s.opportunity_id, "label": view.opportunity} if s.opportunity_id else None,
        "person": {"id": s.person_id, "name": view.person} if s.person_id else None,
        "from": {"name": s.sender_name, "address": s.sender},
        "organisation": s.organisation,
        "subject": s.subject,
        "snippet": s.snippet,
        "received_at": iso(s.occurred_at),
        "decided_at": iso(s.decided_at),
        "interview": s.interview_id,
    }


def problem_json(problem: Problem) -> dict[str, Any]:
    return {"line": problem.line, "where": problem.where, "message": problem.message, "fix": problem.fix}


def rule_json(rule: Rule) -> dict[str, Any]:
    start, end = rule.send_window
    return {
        "kind": rule.kind.value,
        "trigger": rule.trigger,
        "template": rule.template,
        "alternate_template": rule.alternate_template,
        "delay": rule.delay,
        "window": rule.window,
        "repeat": rule.repeat,
        "max_unanswered": rule.max_unanswered,
        "urgent": rule.urgent,
        "enabled": rule.enabled,
        "send_window": f"{start:%H:%M}-{end:%H:%M}",
        "late_after": f"{rule.late_after:%H:%M}" if rule.late_after is not None else None,
        "after_decision": rule.after_decision,
        "cadence_days": rule.cadence_days,
        "cadence_days_interviewed": rule.cadence_days_interviewed,
    }


def _fraction(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def rate_json(r: Rate) -> dict[str, Any]:
    return {
        "key": r.key,
        "outreaches": r.outreaches,
        "answered": r.answered,
        "unanswered": r.unanswered,
        "waiting": r.waiting,
        "rate": _fraction(r.rate),
    }


def week_json(w: Week) -> dict[str, Any]:
    return {
        "week": w.label,
        "start": w.start.isoformat(),
        "outbound": w.outbound,
        "inbound": w.inbound,
        "applications": w.applications,
        "interviews": w.interviews,
    }


def stats_json(s: Stats) -> dict[str, Any]:
    f, t = s.follow_up, s.thank_you
    return {
        "as_of": iso(s.now),
        "since": s.since.isoformat() if s.since else None,
        "weeks": len(s.weekly),
        "waiting_days": WAITING_DAYS,
        "responses": {
            "overall": rate_json(s.responses.overall),
            "by_source": [rate_json(r) for r in s.responses.by_source],
            "by_channel": [rate_json(r) for r in s.responses.by_channel],
            "by_stage": [rate_json(r) for r in s.responses.by_stage],
        },
        "follow_up": {
            "responses": f.responses,
            "after_follow_up": f.after_follow_up,
            "share": _fraction(f.share),
            "median_days_with": _days(f.median_days_with),
            "median_days_without": _days(f.median_days_without),
            "with_follow_up": rate_json(f.with_follow_up),
            "without_follow_up": rate_json(f.without_follow_up),
        },
        "funnel": [
            {"step": step.step, "count": step.count, "conversion": _fraction(step.conversion)}
            for step in s.funnel
        ],
        "thank_you": {
            "due": t.due,
            "on_time": t.on_time,
            "late": t.late,
            "missing": t.missing,
            "share": _fraction(t.share),
        },
        "weekly": [week_json(w) for w in s.weekly],
    }


def import_report_json(r: ImportReport) -> dict[str, Any]:
    return {
        "file": r.file,
        "format": r.format,
        "dry_run": r.dry_run,
        "rows": r.rows,
        "created": r.counts("created"),
        "updated": r.counts("updated"),
        "unchanged": r.unchanged,
        "skipped": [
            {"line": p.line, "field": p.field, "message": p.message, "fix": p.fix} for p in r.skipped
        ],
        "changes": [
            {
                "line": c.line,
                "action": c.action,
                "kind": c.kind,
                "id": c.id,
                "label": c.label,
                "because": c.because,
            }
            for c in r.changes
        ],
        "notes": r.notes,
        "map_problems": [
            {"line": p.line, "where": p.where, "message": p.message, "fix": p.fix} for p in r.map_problems
        ],
        "encoding": r.encoding,
        "separator": r.separator,
        "header_line": r.header_line,
        "columns": r.columns,
        "ignored_columns": r.ignored_columns,
        "restored": r.tables,
    }
