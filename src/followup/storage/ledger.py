"""The append-only ledger of interactions, and interviews."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from followup.domain.model import (
    Caller,
    Direction,
    Interaction,
    InteractionKind,
    Interview,
    InterviewKind,
    InterviewStatus,
    Outcome,
    Stage,
)
from followup.errors import StorageError
from followup.storage.database import Database, Row
from followup.storage.sql import in_list

_ADD_PERSON = "INSERT INTO interaction_people (interaction_id, person_id) VALUES (:i, :p)"


class LedgerTables:
    """Interactions and interviews; part of SqlRepository."""

    db: Database

    # Ledger and interviews -----------------------------------------------------------------------

    def append(self, entry: Interaction) -> int:
        with self.db.transaction():
            entry_id = self.db.insert(
                """INSERT INTO interactions (kind, direction, occurred_at, recorded_at, opportunity_id,
                   interview_id, subject, notes, answered, caller, message_id, in_reply_to, refs,
                   outcome, stage, returns_on)
                   VALUES (:kind, :direction, :occurred_at, :recorded_at, :opportunity_id,
                   :interview_id, :subject, :notes, :answered, :caller, :message_id, :in_reply_to,
                   :refs, :outcome, :stage, :returns_on) RETURNING id""",
                {
                    "kind": entry.kind.value,
                    "direction": entry.direction.value,
                    "occurred_at": entry.occurred_at,
                    "recorded_at": entry.recorded_at,
                    "opportunity_id": entry.opportunity_id,
                    "interview_id": entry.interview_id,
                    "subject": entry.subject,
                    "notes": entry.notes,
                    "answered": entry.answered,
                    "caller": entry.caller.value if entry.caller else None,
                    "message_id": entry.message_id,
                    "in_reply_to": entry.in_reply_to,
                    "refs": " ".join(entry.references),
                    "outcome": entry.outcome.value if entry.outcome else None,
                    "stage": entry.stage.value if entry.stage else None,
                    "returns_on": entry.returns_on,
                },
            )
            people = list(dict.fromkeys(entry.person_ids))
            if len(people) == 1:  # the common case, without a batch's cost
                self.db.execute(_ADD_PERSON, {"i": entry_id, "p": people[0]})
            else:
                self.db.many(_ADD_PERSON, [{"i": entry_id, "p": p} for p in people])
        return entry_id

    def ledger_of_opportunity(self, opportunity_id: int) -> list[Interaction]:
        return self._ledger("i.opportunity_id = :id", {"id": opportunity_id})

    def ledger_of_person(self, person_id: int) -> list[Interaction]:
        return self._ledger(
            "i.id IN (SELECT interaction_id FROM interaction_people WHERE person_id = :id)", {"id": person_id}
        )

    def _ledger(self, where: str, params: Mapping[str, Any]) -> list[Interaction]:
        rows = self.db.all(
            f"SELECT i.* FROM interactions i WHERE {where} ORDER BY i.occurred_at, i.id", params
        )
        people: dict[int, list[int]] = defaultdict(list)
        for r in self.db.all(
            f"""SELECT ip.interaction_id, ip.person_id FROM interaction_people ip
                WHERE ip.interaction_id IN (SELECT i.id FROM interactions i WHERE {where})
                ORDER BY ip.person_id""",
            params,
        ):
            people[r["interaction_id"]].append(r["person_id"])
        return [self._interaction(r, tuple(people.get(r["id"], ()))) for r in rows]

    def _interaction(self, r: Row, person_ids: tuple[int, ...]) -> Interaction:
        occurred = self.db.dt(r["occurred_at"])
        if occurred is None:
            raise StorageError(f"Interaction {r['id']} has no time; the database is damaged.")
        return Interaction(
            id=r["id"],
            kind=InteractionKind(r["kind"]),
            direction=Direction(r["direction"]),
            occurred_at=occurred,
            recorded_at=self.db.dt(r["recorded_at"]),
            opportunity_id=r["opportunity_id"],
            interview_id=r["interview_id"],
            person_ids=person_ids,
            subject=r["subject"],
            notes=r["notes"],
            answered=None if r["answered"] is None else bool(r["answered"]),
            caller=Caller(r["caller"]) if r["caller"] else None,
            message_id=r["message_id"],
            in_reply_to=r["in_reply_to"],
            references=tuple(r["refs"].split()),
            outcome=Outcome(r["outcome"]) if r["outcome"] else None,
            stage=Stage(r["stage"]) if r["stage"] else None,
            returns_on=self.db.day(r["returns_on"]),
        )

    def add_interview(self, interview: Interview) -> int:
        with self.db.transaction():
            interview_id = self.db.insert(
                """INSERT INTO interviews (opportunity_id, starts_at, ends_at, timezone, kind, location,
                   notes, uid, sequence, status)
                   VALUES (:opportunity_id, :starts_at, :ends_at, :timezone, :kind, :location, :notes,
                   :uid, :sequence, :status) RETURNING id""",
                {
                    "opportunity_id": interview.opportunity_id,
                    "starts_at": interview.starts_at,
                    "ends_at": interview.ends_at,
                    "timezone": interview.timezone,
                    "kind": interview.kind.value,
                    "location": interview.location,
                    "notes": interview.notes,
                    "uid": interview.uid,
                    "sequence": interview.sequence,
                    "status": interview.status.value,
                },
            )
            self.db.many(
                "INSERT INTO interview_people (interview_id, person_id) VALUES (:i, :p)",
                [{"i": interview_id, "p": p} for p in dict.fromkeys(interview.interviewer_ids)],
            )
        return interview_id

    def update_interview(self, interview: Interview) -> None:
        """Rewrite an interview's times, place, status and sequence (an invitation's update)."""
        with self.db.transaction():
            self.db.execute(
                """UPDATE interviews SET starts_at = :starts_at, ends_at = :ends_at, timezone = :timezone,
                   location = :location, notes = :notes, sequence = :sequence, status = :status
                   WHERE id = :id""",
                {
                    "id": interview.id,
                    "starts_at": interview.starts_at,
                    "ends_at": interview.ends_at,
                    "timezone": interview.timezone,
                    "location": interview.location,
                    "notes": interview.notes,
                    "sequence": interview.sequence,
                    "status": interview.status.value,
                },
            )
            self.db.execute("DELETE FROM interview_people WHERE interview_id = :i", {"i": interview.id})
            self.db.many(
                "INSERT INTO interview_people (interview_id, person_id) VALUES (:i, :p)",
                [{"i": interview.id, "p": p} for p in dict.fromkeys(interview.interviewer_ids)],
            )

    def interview_with_uid(self, uid: str) -> Interview | None:
        found = self._interviews("v.uid = :uid", {"uid": uid})
        return found[0] if found else None

    def entries_with_message_ids(self, message_ids: Sequence[str]) -> list[Interaction]:
        """The ledger's e-mails with one of these Message-IDs (the thread a reply answers)."""
        if not message_ids:
            return []
        fragment, params = in_list("m", list(message_ids))
        return self._ledger(f"i.message_id IN {fragment}", params)

    def interviews_of_opportunity(self, opportunity_id: int) -> list[Interview]:
        return self._interviews("v.opportunity_id = :id", {"id": opportunity_id})

    def interviews_of_person(self, person_id: int) -> list[Interview]:
        return self._interviews(
            "v.id IN (SELECT interview_id FROM interview_people WHERE person_id = :id)", {"id": person_id}
        )

    def all_interviews(self) -> list[Interview]:
        return self._interviews("1 = 1", {})

    def _interviews(self, where: str, params: Mapping[str, Any]) -> list[Interview]:
        rows = self.db.all(f"SELECT v.* FROM interviews v WHERE {where} ORDER BY v.starts_at, v.id", params)
        people: dict[int, list[int]] = defaultdict(list)
        for r in self.db.all(
            f"""SELECT vp.interview_id, vp.person_id FROM interview_people vp
                WHERE vp.interview_id IN (SELECT v.id FROM interviews v WHERE {where})
                ORDER BY vp.person_id""",
            params,
        ):
            people[r["interview_id"]].append(r["person_id"])
        result = []
        for r in rows:
            starts, ends = self.db.dt(r["starts_at"]), self.db.dt(r["ends_at"])
            if starts is None or ends is None:
                raise StorageError(f"Interview {r['id']} has no time; the database is damaged.")
            result.append(
                Interview(
                    id=r["id"],
                    opportunity_id=r["opportunity_id"],
                    starts_at=starts,
                    ends_at=ends,
                    timezone=r["timezone"],
                    kind=InterviewKind(r["kind"]),
                    location=r["location"],
                    interviewer_ids=tuple(people.get(r["id"], ())),
                    notes=r["notes"],
                    uid=r["uid"],
                    sequence=r["sequence"],
                    status=InterviewStatus(r["status"]),
                )
            )
        return result
