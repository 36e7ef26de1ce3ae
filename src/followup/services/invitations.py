"""Calendar invitations, in mail or in `.ics` files: a REQUEST schedules or moves an interview, a CANCEL
cancels it. Keyed by the event's UID, so reading an invitation twice changes nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from followup.domain.inbound import Content, Envelope, Invitation
from followup.domain.matching import FREE_MAIL, Match, MatchIndex, registrable
from followup.domain.model import Interview, InterviewKind, InterviewStatus
from followup.domain.suggestions import Suggestion, SuggestionKind
from followup.services.context import Context
from followup.services.readreport import ReadReport
from followup.services.tracking import Tracker

if TYPE_CHECKING:
    from followup.services.reading import Invitations


class InvitationReading:
    """The invitation part of `Reading`, which lends it its index, the user's addresses and its helpers
    for suggestions, new people, names and dates."""

    def __init__(
        self,
        context: Context,
        tracker: Tracker,
        *,
        index: Callable[[], MatchIndex],
        own: frozenset[str],
        invitations: Invitations,
        store_suggestion: Callable[[Suggestion, ReadReport], None],
        new_person: Callable[[str, str, str | None], int],
        names: Callable[[Iterable[int]], str],
        when: Callable[[Envelope], datetime],
    ) -> None:
        self.ctx, self.tracker, self.index, self.own = context, tracker, index, own
        self.invitations = invitations
        self._store_suggestion, self._new_person, self._names, self._when = (
            store_suggestion, new_person, names, when,
        )  # fmt: skip

    def read(
        self, content: Content, where: str, match: Match | None, envelope: Envelope, report: ReadReport
    ) -> None:
        """Apply every invitation in a message's calendar parts; one without any is ignored."""
        found: list[Invitation] = []
        for data in content.calendars:
            events, problems = self.invitations(data, where)
            found += events
            report.skipped += problems
        if not found:
            report.ignored += 1
            return
        for invitation in found:
            self.apply(invitation, match, report, envelope=envelope)

    def apply(
        self,
        invitation: Invitation,
        match: Match | None,
        report: ReadReport,
        *,
        envelope: Envelope | None = None,
    ) -> None:
        """REQUEST creates or updates the interview with this UID (a lower SEQUENCE is stale); CANCEL
        cancels it. A new interview needs an opportunity: its attendees' or its sender's."""
        repo, index = self.ctx.repo, self.index()
        existing = repo.interview_with_uid(invitation.uid)
        when = f"{invitation.starts_at:%a %d %b %H:%M} UTC"
        if existing is not None:
            self._update_interview(existing, invitation, report, when)
            return
        if invitation.cancelled:
            report.ignored += 1
            return
        attendees = [a for a in (*invitation.attendees, invitation.organizer) if a is not None]
        people = [index.person(a.address) for a in attendees if a.address not in self.own]
        known = tuple(dict.fromkeys(p for p in people if p is not None))
        organisation = match.organisation if match else None
        if organisation is None:
            organisation = next(
                (o for a in attendees if (o := index.organisation(a.address.rpartition("@")[2]))), None
            )
        opportunity = (match.opportunity_id if match else None) or index.only_open(known, organisation)
        if opportunity is None:
            report.skipped.append(
                f"invitation {invitation.summary!r} ({when}): no opportunity of yours matches its "
                "people or their organisation; record it with `followup log interview`"
            )
            return
        organisation = organisation or index.company.get(opportunity)
        interviewers = list(known)
        for attendee in attendees:
            if attendee.address in self.own or index.person(attendee.address) is not None:
                continue
            domain = registrable(attendee.address.rpartition("@")[2])
            if organisation and domain not in FREE_MAIL and index.organisation(domain) == organisation:
                interviewers.append(self._new_person(attendee.name, attendee.address, organisation))
        interview = self.tracker.schedule(
            Interview(
                opportunity_id=opportunity,
                starts_at=invitation.starts_at,
                ends_at=invitation.ends_at,
                timezone=invitation.timezone,
                kind=_interview_kind(invitation),
                location=invitation.location[:300] or None,
                interviewer_ids=tuple(dict.fromkeys(interviewers)),
                notes=invitation.summary[:300],
                uid=invitation.uid,
                sequence=invitation.sequence,
            )
        )
        report.invitations += 1
        report.events.append(
            f"invitation: interview {invitation.summary!r} on {when} with "
            f"{self._names(interview.interviewer_ids) or 'nobody known yet'} "
            f"({index.company.get(opportunity)})"
        )
        if envelope is not None:
            self._store_suggestion(
                Suggestion(
                    kind=SuggestionKind.INTERVIEW,
                    message_id=envelope.message_id,
                    occurred_at=self._when(envelope),
                    sender=envelope.sender,
                    sender_name=envelope.sender_name,
                    organisation=organisation,
                    subject=envelope.subject,
                    because="text/calendar part (METHOD:REQUEST)",
                    opportunity_id=opportunity,
                    person_id=interview.interviewer_ids[0] if interview.interviewer_ids else None,
                    interview_id=interview.id,
                ),
                report,
            )

    def _update_interview(
        self, existing: Interview, invitation: Invitation, report: ReadReport, when: str
    ) -> None:
        status = InterviewStatus.CANCELLED if invitation.cancelled else InterviewStatus.SCHEDULED
        updated = dataclasses.replace(
            existing,
            starts_at=invitation.starts_at,
            ends_at=invitation.ends_at,
            timezone=invitation.timezone,
            location=invitation.location[:300] or existing.location,
            sequence=max(existing.sequence, invitation.sequence),
            status=status,
        )
        if invitation.sequence < existing.sequence or updated == existing:
            report.known += 1
            return
        self.tracker.reschedule(updated)
        report.invitations += 1
        what = "cancelled" if invitation.cancelled else f"moved to {when}"
        report.events.append(f"invitation update: interview {invitation.summary!r} {what}")


def _interview_kind(invitation: Invitation) -> InterviewKind:
    text = f"{invitation.location} {invitation.description}".lower()
    if any(w in text for w in ("zoom.us", "meet.google", "teams.microsoft", "webex", "whereby", "video")):
        return InterviewKind.VIDEO
    if any(w in text for w in ("phone", "call you", "dial")):
        return InterviewKind.PHONE
    return InterviewKind.ONSITE if invitation.location else InterviewKind.VIDEO
