"""What a note can draw on: the person, the job, the interview, the trigger and the thread it answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup.domain.agenda import TouchRecord
from followup.domain.drafts import DraftFacts, Sender
from followup.domain.model import Interaction, InteractionKind, Interview, Outcome
from followup.domain.touches import TouchKind

if TYPE_CHECKING:
    from followup.services.planning import Planning

# Kinds whose note answers the latest e-mail of the conversation (In-Reply-To / References).
_THREADED = frozenset(
    {
        TouchKind.THANK_YOU,
        TouchKind.RESUME_CHECK,
        TouchKind.CHECK_IN,
        TouchKind.POST_INTERVIEW,
        TouchKind.FEEDBACK,
        TouchKind.REPLY_OWED,
    }
)


class NoteFacts:
    """Gathers a touch's DraftFacts from the repository (a few queries per note)."""

    def __init__(self, planning: Planning, me: Sender) -> None:
        self.planning, self.me = planning, me
        self.ctx = planning.ctx

    def facts(self, record: TouchRecord) -> DraftFacts:
        touch = record.touch
        repo, now = self.ctx.repo, self.ctx.now()
        person = repo.get_people([touch.person_id])[0] if touch.person_id is not None else None
        summary = (
            repo.get_opportunity(touch.opportunity_id, now=now) if touch.opportunity_id is not None else None
        )
        ledger = repo.ledger_of_person(touch.person_id) if touch.person_id is not None else []
        trigger = next((e for e in ledger if e.id == touch.trigger_id), None)
        if trigger is None and touch.trigger_id is not None and touch.opportunity_id is not None:
            trigger = next(
                (e for e in repo.ledger_of_opportunity(touch.opportunity_id) if e.id == touch.trigger_id),
                None,
            )
        interview = self._interview(record)
        names = (
            dict(
                zip(
                    interview.interviewer_ids,
                    (p.name for p in repo.get_people(interview.interviewer_ids)),
                    strict=False,
                )
            )
            if interview
            else {}
        )
        accepted = None
        if touch.kind is TouchKind.CLOSING and trigger is not None and trigger.outcome is Outcome.ACCEPTED:
            found = repo.get_opportunity(trigger.opportunity_id, now=now) if trigger.opportunity_id else None
            accepted = found.opportunity if found else None
        place = self.planning.place_of(touch.person_id)
        return DraftFacts(
            kind=touch.kind,
            template=touch.template,
            channel=touch.channel,
            round=touch.round,
            reason=touch.reason,
            me=self.me,
            person=person,
            opportunity=summary.opportunity if summary else None,
            stage=summary.state.stage if summary else None,
            zone=place.zone,
            interview=interview,
            interviewers=tuple(names.values()),
            trigger=trigger,
            last=ledger[-1] if ledger else None,
            thread=self._thread(record, ledger, trigger, interview),
            accepted=accepted,
        )

    def _interview(self, record: TouchRecord) -> Interview | None:
        """The interview the note is about: the one that ended at the trigger (thank-you), else the
        latest one held with this person (or on this opportunity) before now."""
        touch, repo, now = record.touch, self.ctx.repo, self.ctx.now()
        if touch.opportunity_id is None:
            return None
        held = [
            v
            for v in repo.interviews_of_opportunity(touch.opportunity_id)
            if v.starts_at <= now and v.status.value != "cancelled"
        ]
        exact = [v for v in held if v.ends_at == touch.trigger_at and touch.person_id in v.interviewer_ids]
        if exact:
            return exact[-1]
        mine = [v for v in held if touch.person_id in v.interviewer_ids]
        found = mine or held
        return found[-1] if found else None

    def _thread(
        self,
        record: TouchRecord,
        ledger: list[Interaction],
        trigger: Interaction | None,
        interview: Interview | None,
    ) -> Interaction | None:
        touch = record.touch
        if touch.kind not in _THREADED:
            return None
        if trigger is not None and trigger.message_id and trigger.kind is InteractionKind.EMAIL:
            return trigger
        emails = [
            e
            for e in ledger
            if e.kind is InteractionKind.EMAIL
            and e.message_id
            and (touch.opportunity_id is None or e.opportunity_id in (None, touch.opportunity_id))
        ]
        if touch.kind is TouchKind.THANK_YOU and interview is not None:
            # the invitation's thread: the last e-mail before the interview
            emails = [e for e in emails if e.occurred_at <= interview.starts_at]
        return emails[-1] if emails else None
