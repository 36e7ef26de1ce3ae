"""The follow-ups of the playbook, one function per row of DESIGN §3: when each is due, and when it stops."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from followup.domain.calendar import SendWindow
from followup.domain.model import (
    CLOSED_STAGES,
    Interaction,
    InteractionKind,
    Interview,
    InterviewStatus,
    Outcome,
    Role,
    Stage,
)
from followup.domain.scheduling import (
    FIND_ADDRESS_RULE,
    NOON,
    TALK,
    Scheduler,
    is_heard,
    is_inbound_human,
    is_outbound_talk,
    on_day,
    zone,
)
from followup.domain.touches import Channel, Rule, Touch, TouchKind


def thank_you(s: Scheduler) -> Iterable[Touch]:
    rule = s.playbook.rule(TouchKind.THANK_YOU)
    if rule is None:
        return
    for interview in s.data.interviews:
        if interview.status is InterviewStatus.CANCELLED:
            continue
        for pid in interview.interviewer_ids:
            person = s.data.people.get(pid)
            place, window = s.place(pid), rule.hours
            ended = interview.ends_at
            local = ended.astimezone(zone(place.zone))
            late = rule.late_after is not None and local.time() >= rule.late_after
            day = s.cal.local_day(ended, place)
            if late or not s.cal.is_business_day(day, place):
                next_day = s.cal.add_business_days(day, 1, place)
                by_noon = SendWindow(window.start, NOON) if window.start < NOON else window
                deadline = s.cal.window(next_day, place, by_noon)[1]
                how = [
                    f"interview ended {local:%a %H:%M} their time, after {rule.late_after}: "
                    "by noon the next business day"
                ]
            else:
                deadline = s.cal.window(day, place, window)[1]
                how = [f"interview ended {local:%a %H:%M} their time: by the end of that business day"]
            channel, template = Channel.EMAIL, rule.template
            if person is not None and person.primary_email is None and person.phone:
                channel, template = Channel.VOICEMAIL, rule.alternate_template or rule.template
            touch = s.touch(
                rule,
                key=f"thank-you/{interview.id}/{pid}",
                person_id=pid,
                opportunity_id=interview.opportunity_id,
                trigger=None,
                trigger_at=ended,
                due_day=day if s.cal.is_business_day(day, place) else s.cal.add_business_days(day, 0, place),
                reason=f"Interview with {s.name(pid)} ended at {local:%H:%M} their time — thank them by "
                f"{deadline.astimezone(zone(place.zone)):%a %H:%M}",
                how=how,
                channel=channel,
                template=template,
                due_by=deadline,
            )
            done = s.talked_after(pid, ended, outbound=True)
            closed = _closed_before(s, interview)
            yield s.settle(touch, done=done, cancel=None if done else closed)


def _closed_before(s: Scheduler, interview: Interview) -> str | None:
    """Why no thank-you is due: the opportunity ended before the interview would have taken place."""
    for entry in s.by_opportunity.get(interview.opportunity_id, ()):
        if entry.occurred_at >= interview.starts_at:
            break
        if entry.kind is InteractionKind.OUTCOME and entry.outcome in {
            Outcome.REJECTED,
            Outcome.FILLED,
            Outcome.WITHDRAWN,
        }:
            return f"{s.company(interview.opportunity_id)} was {entry.outcome} before the interview"
    return None


def resume_check(s: Scheduler) -> Iterable[Touch]:
    rule = s.playbook.rule(TouchKind.RESUME_CHECK)
    if rule is None:
        return
    for entry in s.ledger:
        if entry.kind not in {InteractionKind.RESUME_SENT, InteractionKind.APPLICATION}:
            continue
        for pid in entry.person_ids:
            due_day = s.day_after(entry.occurred_at, rule.delay, pid)
            touch = s.touch(
                rule,
                key=f"resume-check/{entry.id}/{pid}",
                person_id=pid,
                opportunity_id=entry.opportunity_id,
                trigger=entry,
                trigger_at=entry.occurred_at,
                due_day=due_day,
                reason=f"Your résumé went to {s.name(pid)} on {on_day(entry.occurred_at, '%a %d %b')} — "
                f"ask if they have "
                "any questions",
                how=[f"résumé sent {entry.occurred_at.date()}; {rule.delay} business days later: {due_day}"],
            )
            talk = s.talked_after(pid, entry.occurred_at)
            if talk is not None and not is_outbound_talk(talk):
                yield s.settle(
                    touch, cancel=f"{s.name(pid)} got in touch on {on_day(talk.occurred_at, '%d %b')}"
                )
            else:
                yield s.settle(touch, done=talk)


def rounds(
    s: Scheduler,
    rule: Rule,
    *,
    prefix: str,
    opportunity_id: int,
    start: datetime,
    first_day: date,
    heard: Interaction | None,
    closed: str | None,
    reason: str,
    how: list[str],
) -> list[Touch]:
    """Up to `max_unanswered` nudges `repeat` business days apart; a reply or a closed stage ends them."""
    pid = s.contact(opportunity_id)
    sent = [
        e for e in s.by_opportunity.get(opportunity_id, ()) if e.occurred_at > start and is_outbound_talk(e)
    ]
    touches: list[Touch] = []
    day, anchor = first_day, start
    for n in range(1, rule.max_unanswered + 1):
        touch = s.touch(
            rule,
            key=f"{prefix}/{n}",
            person_id=pid,
            opportunity_id=opportunity_id,
            trigger=None,
            trigger_at=anchor,
            due_day=day,
            reason=reason if n == 1 else f"{reason} (nudge {n} of {rule.max_unanswered})",
            how=[*how, f"nudge {n}: due {day}"],
            round_=n,
            channel=Channel.EMAIL if pid is not None else Channel.NONE,
        )
        # a nudge counts as sent when a message went out no earlier than two days before it was due
        made = next((e for e in sent if e.occurred_at >= touch.due_from - timedelta(days=2)), None)
        if made is not None and (heard is None or made.occurred_at < heard.occurred_at):
            touches.append(s.settle(touch, done=made))
            sent = [e for e in sent if e.occurred_at > made.occurred_at]
            anchor = made.occurred_at
            day = s.day_after(made.occurred_at, rule.repeat, pid)
            continue
        if heard is not None:
            who = s.name(heard.person_ids[0]) if heard.person_ids else s.company(opportunity_id)
            what = "replied" if is_heard(heard) else f"logged {heard.kind}"
            touches.append(
                s.settle(
                    touch, cancel=f"reply received: {who} {what} on {on_day(heard.occurred_at, '%d %b')}"
                )
            )
        elif closed is not None:
            touches.append(s.settle(touch, cancel=closed))
        else:
            touches.append(touch)
        return touches
    if heard is None and closed is None and touches:
        last = touches[-1]
        touches.append(
            dataclasses.replace(
                s.touch(
                    rule,
                    key=f"{prefix}/cold",
                    person_id=pid,
                    opportunity_id=opportunity_id,
                    trigger=None,
                    trigger_at=anchor,
                    due_day=day,
                    reason=f"{rule.max_unanswered} nudges to {s.company(opportunity_id)} unanswered — "
                    f"move it to cold? (followup stage {opportunity_id} cold)",
                    how=[*how, f"after {rule.max_unanswered} unanswered nudges: propose cold on {day}"],
                    kind=TouchKind.GO_COLD,
                    channel=Channel.NONE,
                ),
                round=last.round + 1,
            )
        )
    return touches


def check_in(s: Scheduler) -> Iterable[Touch]:
    rule = s.playbook.rule(TouchKind.CHECK_IN)
    if rule is None:
        return
    for oid, entries in s.by_opportunity.items():
        applied = next((e for e in entries if e.kind is InteractionKind.APPLICATION), None)
        if applied is None:
            continue
        pid = s.contact(oid)
        first_day = s.day_after(applied.occurred_at, rule.delay, pid)
        yield from rounds(
            s,
            rule,
            prefix=f"check-in/{oid}",
            opportunity_id=oid,
            start=applied.occurred_at,
            first_day=first_day,
            heard=s.first_heard(oid, applied.occurred_at),
            closed=s.closed(oid, frozenset({Stage.APPLIED, Stage.LEAD})),
            reason=f"Applied to {s.company(oid)} on {on_day(applied.occurred_at, '%a %d %b')} "
            f"and nothing heard — check in with {s.name(pid)}",
            how=[f"applied {applied.occurred_at.date()}; {rule.delay} business days of silence: {first_day}"],
        )


def post_interview(s: Scheduler) -> Iterable[Touch]:
    rule = s.playbook.rule(TouchKind.POST_INTERVIEW)
    if rule is None:
        return
    latest: dict[int, Interview] = {}
    for interview in s.data.interviews:
        if interview.status is InterviewStatus.SCHEDULED and (
            interview.opportunity_id not in latest
            or interview.ends_at > latest[interview.opportunity_id].ends_at
        ):
            latest[interview.opportunity_id] = interview
    for oid, interview in latest.items():
        found = s.data.opportunities.get(oid)
        pid = s.contact(oid) or (interview.interviewer_ids[0] if interview.interviewer_ids else None)
        decision = found[0].decision_expected if found else None
        if decision is not None:
            first_day = s.cal.add_business_days(decision, rule.after_decision, s.place(pid))
            how = [
                f"they expected to decide on {decision}; "
                f"{rule.after_decision} business days later: {first_day}"
            ]
        else:
            thanked = next(
                (
                    e
                    for e in s.by_opportunity.get(oid, ())
                    if e.occurred_at > interview.ends_at and is_outbound_talk(e)
                ),
                None,
            )
            base = thanked.occurred_at if thanked else interview.ends_at
            first_day = s.day_after(base, rule.delay, pid)
            how = [
                f"thank-you {'sent' if thanked else 'due'} {base.date()}; "
                f"{rule.delay} business days later: "
                f"{first_day}"
            ]
        heard = next(
            (
                e
                for e in s.by_opportunity.get(oid, ())
                if e.occurred_at > interview.ends_at and (is_heard(e) or e.kind is InteractionKind.OUTCOME)
            ),
            None,
        )
        yield from rounds(
            s,
            rule,
            prefix=f"post-interview/{oid}/{interview.id}",
            opportunity_id=oid,
            start=interview.ends_at,
            first_day=first_day,
            heard=heard,
            closed=s.closed(oid, frozenset({Stage.SCREENING, Stage.INTERVIEWING, Stage.APPLIED, Stage.LEAD})),
            reason=f"No decision from {s.company(oid)} since the interview on "
            f"{on_day(interview.ends_at, '%a %d %b')} — ask {s.name(pid)} how it stands",
            how=how,
        )


_LOST = frozenset({Outcome.REJECTED, Outcome.FILLED})
_LOST_STAGES = frozenset({Stage.REJECTED, Stage.FILLED})


def feedback(s: Scheduler) -> Iterable[Touch]:
    rule = s.playbook.rule(TouchKind.FEEDBACK)
    if rule is None:
        return
    for oid, entries in s.by_opportunity.items():
        if s.stage(oid) not in _LOST_STAGES:
            continue
        outcome = next(
            (e for e in reversed(entries) if e.kind is InteractionKind.OUTCOME and e.outcome in _LOST),
            None,
        )
        if outcome is None:
            continue
        links = s.roles.get(oid, [])
        by_role = {
            link.role: link.person_id for link in sorted(links, key=lambda x: x.person_id, reverse=True)
        }
        pid = (
            (outcome.person_ids[0] if outcome.person_ids else None)
            or by_role.get(Role.HIRING_MANAGER)
            or (by_role.get(Role.RECRUITER))
        )
        due_day = s.day_after(outcome.occurred_at, rule.delay, pid)
        touch = s.touch(
            rule,
            key=f"feedback/{oid}/{outcome.id}",
            person_id=pid,
            opportunity_id=oid,
            trigger=outcome,
            trigger_at=outcome.occurred_at,
            due_day=due_day,
            reason=f"{s.company(oid)}: {outcome.outcome} — thank {s.name(pid)}, ask what would have made "
            "the difference, and stay in touch",
            how=[f"outcome {outcome.occurred_at.date()}; {rule.delay} business day(s) later: {due_day}"],
            channel=Channel.EMAIL if pid is not None else Channel.NONE,
        )
        yield s.settle(touch, done=s.talked_after(pid, outcome.occurred_at, outbound=True) if pid else None)


def reply_owed(s: Scheduler) -> Iterable[Touch]:
    rule = s.playbook.rule(TouchKind.REPLY_OWED)
    if rule is None:
        return
    for pid, entries in s.by_person.items():
        last = next((e for e in reversed(entries) if is_inbound_human(e)), None)  # their last word
        if last is None:
            continue
        place = s.place(pid)
        deadline = s.cal.end_of_business_day(
            s.day_after(last.occurred_at, rule.delay, pid), place, rule.hours
        )
        touch = s.touch(
            rule,
            key=f"reply-owed/{pid}/{last.id}",
            person_id=pid,
            opportunity_id=last.opportunity_id,
            trigger=last,
            trigger_at=last.occurred_at,
            due_day=s.cal.add_business_days(s.cal.local_day(last.occurred_at, place), 0, place),
            reason=f"{s.name(pid)} wrote on {on_day(last.occurred_at, '%a %d %b')}"
            + (f" (“{last.subject}”)" if last.subject else "")
            + " — reply by the end of the next business day",
            how=[f"{last.kind} from them {last.occurred_at:%Y-%m-%d %H:%M} UTC"],
            due_by=deadline,
        )
        answer = next(
            (
                e
                for e in entries
                if e.occurred_at > last.occurred_at
                and (is_outbound_talk(e) or (e.kind is InteractionKind.CALL and e.answered))
            ),
            None,
        )
        closed = last.opportunity_id is not None and s.stage(last.opportunity_id) in {
            Stage.REJECTED,
            Stage.FILLED,
            Stage.WITHDRAWN,
            Stage.COLD,
        }
        if answer is None and closed and last.opportunity_id is not None:
            # a closed opportunity's last word needs no answer; the feedback note covers what is left
            yield s.settle(
                touch, cancel=f"{s.company(last.opportunity_id)} is {s.stage(last.opportunity_id)}"
            )
        else:
            yield s.settle(touch, done=answer)


def keep_in_touch(s: Scheduler) -> Iterable[Touch]:
    rule = s.playbook.rule(TouchKind.KEEP_IN_TOUCH)
    if rule is None:
        return
    for pid, person in s.data.people.items():
        if not person.in_network:
            continue
        talks = [
            e for e in s.by_person.get(pid, ()) if e.kind in TALK or e.kind is InteractionKind.RESUME_SENT
        ]
        last = talks[-1].occurred_at if talks else person.created_at
        if last is None:
            continue
        cadence = person.cadence_days or (
            rule.cadence_days_interviewed if pid in s.interviewed else rule.cadence_days
        )
        place = s.place(pid)
        due_day = s.cal.add_business_days(s.cal.local_day(last + timedelta(days=cadence), place), 0, place)
        yield s.touch(
            rule,
            key=f"keep-in-touch/{pid}/{s.cal.local_day(last, place)}",
            person_id=pid,
            opportunity_id=None,
            trigger=talks[-1] if talks else None,
            trigger_at=last,
            due_day=due_day,
            reason=f"Last in touch with {person.name} on {on_day(last, '%d %b %Y')} — share news, an article "
            "or a milestone",
            how=[f"last contact {last.date()}; every {cadence} days: {due_day}"],
        )


def closing(s: Scheduler) -> Iterable[Touch]:
    rule = s.playbook.rule(TouchKind.CLOSING)
    if rule is None:
        return
    accepted = [e for e in s.ledger if e.kind is InteractionKind.OUTCOME and e.outcome is Outcome.ACCEPTED]
    if not accepted:
        return
    offer = accepted[-1]
    for oid in sorted(s.data.opportunities):
        if oid == offer.opportunity_id or s.stage(oid) in CLOSED_STAGES:
            continue
        pid = s.contact(oid)
        due_day = s.day_after(offer.occurred_at, rule.delay, pid)
        touch = s.touch(
            rule,
            key=f"closing/{oid}/{offer.id}",
            person_id=pid,
            opportunity_id=oid,
            trigger=offer,
            trigger_at=offer.occurred_at,
            due_day=due_day,
            reason=f"You accepted an offer — withdraw from {s.company(oid)} gracefully",
            how=[f"offer accepted {offer.occurred_at.date()}: {due_day}"],
            channel=Channel.EMAIL if pid is not None else Channel.NONE,
        )
        done = next(
            (
                e
                for e in s.by_opportunity.get(oid, ())
                if e.occurred_at > offer.occurred_at and is_outbound_talk(e)
            ),
            None,
        )
        yield s.settle(touch, done=done)
    helpers = sorted(
        {link.person_id for link in s.data.links if link.role in {Role.REFERRER, Role.REFERENCE}}
    )
    for pid in helpers:
        due_day = s.day_after(offer.occurred_at, rule.delay, pid)
        touch = s.touch(
            rule,
            key=f"closing-thanks/{pid}/{offer.id}",
            person_id=pid,
            opportunity_id=offer.opportunity_id,
            trigger=offer,
            trigger_at=offer.occurred_at,
            due_day=due_day,
            reason=f"You accepted an offer — thank {s.name(pid)} for their help",
            how=[f"offer accepted {offer.occurred_at.date()}: {due_day}"],
            template=rule.alternate_template or rule.template,
        )
        yield s.settle(touch, done=s.talked_after(pid, offer.occurred_at, outbound=True))


def find_address(s: Scheduler) -> Iterable[Touch]:
    """Mail to someone bounced: find a correct address (a task, not a note). Settled once the person
    has an address that has not bounced, or wrote to the user since."""
    bounced = {pid for e in s.ledger if e.kind is InteractionKind.BOUNCE for pid in e.person_ids}
    for pid, entries in s.by_person.items():
        if pid not in bounced:
            continue
        last = next(e for e in reversed(entries) if e.kind is InteractionKind.BOUNCE)
        what = f" ({last.notes})" if last.notes else ""
        touch = s.touch(
            FIND_ADDRESS_RULE,
            key=f"find-address/{pid}/{last.id}",
            person_id=pid,
            opportunity_id=last.opportunity_id,
            trigger=last,
            trigger_at=last.occurred_at,
            due_day=s.day_after(last.occurred_at, 0, pid),
            reason=f"Mail to {s.name(pid)} bounced on {on_day(last.occurred_at, '%a %d %b')}{what} — find a "
            f"correct address (followup edit person {pid} --email …)",
            how=[f"bounce received {last.occurred_at:%Y-%m-%d %H:%M} UTC"],
            channel=Channel.NONE,
        )
        person = s.data.people.get(pid)
        usable = person.primary_email if person is not None else None
        heard = next((e for e in entries if e.occurred_at > last.occurred_at and is_inbound_human(e)), None)
        if heard is not None:
            yield s.settle(touch, done=heard)
        elif usable is not None:
            yield s.settle(touch, cancel=f"{s.name(pid)} has an address that has not bounced: {usable}")
        else:
            yield touch
