"""SqlRepository: the Repository port over SQLite and PostgreSQL, with one set of SQL statements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from followup.domain.model import (
    CONTACT_KINDS,
    Caller,
    Direction,
    EmailAddress,
    Interaction,
    InteractionKind,
    Interview,
    InterviewKind,
    InterviewStatus,
    Link,
    Opportunity,
    OpportunityState,
    OpportunitySummary,
    Outcome,
    Person,
    PersonSummary,
    Role,
    Source,
    Stage,
)
from followup.errors import StorageError
from followup.storage.database import Database, Row
from followup.storage.schema import backup_sqlite

if TYPE_CHECKING:
    from pathlib import Path

# Fixed constants, not user input: safe to inline, and it keeps the statements short.
_CONTACT = ", ".join(f"'{k.value}'" for k in sorted(CONTACT_KINDS))
_OPP_COLUMNS = f"""
    o.id, o.company, o.title, o.url, o.source, o.location, o.decision_expected, o.notes,
    o.created_at, o.stage,
    (SELECT max(i.occurred_at) FROM interactions i
      WHERE i.opportunity_id = o.id AND i.kind IN ({_CONTACT}) AND i.occurred_at <= :now
    ) AS last_contact_at,
    (SELECT min(i.occurred_at) FROM interactions i
      WHERE i.opportunity_id = o.id AND i.kind = 'application') AS applied_at
"""
_PERSON_COLUMNS = f"""
    p.id, p.name, p.phone, p.organisation, p.title, p.timezone, p.country, p.cadence_days,
    p.in_network, p.linkedin_url, p.notes, p.created_at,
    (SELECT max(i.occurred_at) FROM interaction_people ip JOIN interactions i ON i.id = ip.interaction_id
      WHERE ip.person_id = p.id AND i.kind IN ({_CONTACT}) AND i.occurred_at <= :now
    ) AS last_contact_at
"""


_END_OF_TIME = datetime(9999, 12, 31, tzinfo=UTC)
# Plain dict look-ups: calling an Enum class per row costs ~1 µs each, a visible share of a listing.
_STAGE = {s.value: s for s in Stage}
_ROLE = {r.value: r for r in Role}
_SOURCE = {s.value: s for s in Source}


def _in(name: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """An `IN (…)` list with one named parameter per value."""
    params = {f"{name}{i}": v for i, v in enumerate(values)}
    return "(" + ", ".join(f":{key}" for key in params) + ")", params


def _like(text: str) -> str:
    escaped = text.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class SqlRepository:
    """The only code that knows the tables. Every method is one short statement or a few."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def transaction(self) -> Any:
        return self.db.transaction()

    def close(self) -> None:
        self.db.close()

    # Opportunities -------------------------------------------------------------------------------

    def add_opportunity(self, opportunity: Opportunity) -> int:
        return self.db.insert(
            """INSERT INTO opportunities
               (company, title, url, source, location, decision_expected, notes, created_at, stage)
               VALUES (:company, :title, :url, :source, :location, :decision_expected, :notes,
                       :created_at, :stage) RETURNING id""",
            {**self._opportunity_values(opportunity), "stage": Stage.LEAD.value},
        )

    def update_opportunity(self, opportunity: Opportunity) -> None:
        self.db.execute(
            """UPDATE opportunities SET company = :company, title = :title, url = :url,
               source = :source, location = :location, decision_expected = :decision_expected,
               notes = :notes WHERE id = :id""",
            {**self._opportunity_values(opportunity), "id": opportunity.id},
        )

    @staticmethod
    def _opportunity_values(o: Opportunity) -> dict[str, Any]:
        return {
            "company": o.company,
            "title": o.title,
            "url": o.url,
            "source": o.source.value if o.source else None,
            "location": o.location,
            "decision_expected": o.decision_expected,
            "notes": o.notes,
            "created_at": o.created_at,
        }

    def delete_opportunity(self, opportunity_id: int) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM opportunities WHERE id = :id", {"id": opportunity_id})

    def set_stage(self, opportunity_id: int, stage: Stage) -> None:
        self.db.execute(
            "UPDATE opportunities SET stage = :stage WHERE id = :id",
            {"stage": stage.value, "id": opportunity_id},
        )

    def get_opportunity(self, opportunity_id: int, *, now: datetime) -> OpportunitySummary | None:
        rows = self._opportunities("o.id = :id", {"id": opportunity_id}, now)
        return rows[0] if rows else None

    def find_opportunities(self, text: str, *, now: datetime) -> list[OpportunitySummary]:
        where = "lower(o.company || ' ' || o.title) LIKE :pattern ESCAPE '\\'"
        return self._opportunities(where, {"pattern": _like(text)}, now)

    def list_opportunities(
        self,
        *,
        now: datetime,
        stages: Sequence[Stage] = (),
        organisation: str | None = None,
        role: Role | None = None,
        search: str | None = None,
    ) -> list[OpportunitySummary]:
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if stages:
            fragment, stage_params = _in("stage", [s.value for s in stages])
            clauses.append(f"o.stage IN {fragment}")
            params.update(stage_params)
        if organisation:
            clauses.append("lower(o.company) LIKE :org ESCAPE '\\'")
            params["org"] = _like(organisation)
        if role:
            clauses.append("EXISTS (SELECT 1 FROM links l WHERE l.opportunity_id = o.id AND l.role = :role)")
            params["role"] = role.value
        if search:
            clauses.append(
                "lower(o.company || ' ' || o.title || ' ' || o.notes || ' ' || coalesce(o.location, ''))"
                " LIKE :search ESCAPE '\\'"
            )
            params["search"] = _like(search)
        return self._opportunities(" AND ".join(clauses) or "1 = 1", params, now)

    def _opportunities(
        self, where: str, params: Mapping[str, Any], now: datetime
    ) -> list[OpportunitySummary]:
        rows = self.db.all(
            f"SELECT {_OPP_COLUMNS} FROM opportunities o WHERE {where} ORDER BY o.id",
            {**params, "now": now},
        )
        people = self._people_of_opportunities([r["id"] for r in rows])
        return [
            OpportunitySummary(
                opportunity=Opportunity(
                    id=r["id"],
                    company=r["company"],
                    title=r["title"],
                    url=r["url"],
                    source=_SOURCE[r["source"]] if r["source"] else None,
                    location=r["location"],
                    decision_expected=self.db.day(r["decision_expected"]),
                    notes=r["notes"],
                    created_at=self.db.dt(r["created_at"]),
                ),
                state=OpportunityState(
                    stage=_STAGE[r["stage"]],
                    applied_at=self.db.dt(r["applied_at"]),
                    last_contact_at=self.db.dt(r["last_contact_at"]),
                ),
                people=tuple(people.get(r["id"], ())),
            )
            for r in rows
        ]

    def _people_of_opportunities(self, ids: Sequence[int]) -> dict[int, list[tuple[int, str, Role]]]:
        found: dict[int, list[tuple[int, str, Role]]] = defaultdict(list)
        for chunk in _chunks(ids):
            fragment, params = _in("o", chunk)
            for r in self.db.all(
                f"""SELECT l.opportunity_id, p.id, p.name, l.role FROM links l
                    JOIN people p ON p.id = l.person_id
                    WHERE l.opportunity_id IN {fragment} ORDER BY l.opportunity_id, p.name, l.role""",
                params,
            ):
                found[r["opportunity_id"]].append((r["id"], r["name"], _ROLE[r["role"]]))
        return found

    # People --------------------------------------------------------------------------------------

    def add_person(self, person: Person) -> int:
        with self.transaction():
            person_id = self.db.insert(
                """INSERT INTO people (name, phone, organisation, title, timezone, country,
                   cadence_days, in_network, linkedin_url, notes, created_at)
                   VALUES (:name, :phone, :organisation, :title, :timezone, :country, :cadence_days,
                   :in_network, :linkedin_url, :notes, :created_at) RETURNING id""",
                self._person_values(person),
            )
            self._write_emails(person_id, person.emails)
        return person_id

    def update_person(self, person: Person) -> None:
        with self.transaction():
            self.db.execute(
                """UPDATE people SET name = :name, phone = :phone, organisation = :organisation,
                   title = :title, timezone = :timezone, country = :country,
                   cadence_days = :cadence_days, in_network = :in_network,
                   linkedin_url = :linkedin_url, notes = :notes WHERE id = :id""",
                {**self._person_values(person), "id": person.id},
            )
            self.db.execute("DELETE FROM person_emails WHERE person_id = :id", {"id": person.id})
            if person.id is not None:
                self._write_emails(person.id, person.emails)

    @staticmethod
    def _person_values(p: Person) -> dict[str, Any]:
        return {
            "name": p.name,
            "phone": p.phone,
            "organisation": p.organisation,
            "title": p.title,
            "timezone": p.timezone,
            "country": p.country,
            "cadence_days": p.cadence_days,
            "in_network": p.in_network,
            "linkedin_url": p.linkedin_url,
            "notes": p.notes,
            "created_at": p.created_at,
        }

    def _write_emails(self, person_id: int, emails: Sequence[EmailAddress]) -> None:
        for position, email in enumerate(emails):
            self.db.execute(
                """INSERT INTO person_emails (person_id, position, address, address_key, bad)
                   VALUES (:person_id, :position, :address, :key, :bad)""",
                {
                    "person_id": person_id,
                    "position": position,
                    "address": email.address,
                    "key": email.key,
                    "bad": email.bad,
                },
            )

    def delete_person(self, person_id: int) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM people WHERE id = :id", {"id": person_id})

    def get_person(self, person_id: int, *, now: datetime) -> PersonSummary | None:
        rows = self._people("p.id = :id", {"id": person_id}, now)
        return rows[0] if rows else None

    def get_people(self, person_ids: Sequence[int]) -> list[Person]:
        found: list[Person] = []
        for chunk in _chunks(list(person_ids)):
            fragment, params = _in("p", chunk)
            found += [s.person for s in self._people(f"p.id IN {fragment}", params, None)]
        return found

    def person_with_email(self, address: str) -> Person | None:
        row = self.db.one(
            "SELECT person_id FROM person_emails WHERE address_key = :key",
            {"key": EmailAddress(address).key},
        )
        if row is None:
            return None
        people = self.get_people([row["person_id"]])
        return people[0] if people else None

    def find_people(self, text: str, *, now: datetime) -> list[PersonSummary]:
        where = """(lower(p.name) LIKE :pattern ESCAPE '\\'
                   OR EXISTS (SELECT 1 FROM person_emails e WHERE e.person_id = p.id
                              AND e.address_key LIKE :pattern ESCAPE '\\'))"""
        return self._people(where, {"pattern": _like(text)}, now)

    def list_people(
        self,
        *,
        now: datetime,
        organisation: str | None = None,
        role: Role | None = None,
        search: str | None = None,
    ) -> list[PersonSummary]:
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if organisation:
            clauses.append("lower(coalesce(p.organisation, '')) LIKE :org ESCAPE '\\'")
            params["org"] = _like(organisation)
        if role is Role.NETWORK:
            clauses.append("p.in_network = :yes")
            params["yes"] = True
        elif role:
            clauses.append("EXISTS (SELECT 1 FROM links l WHERE l.person_id = p.id AND l.role = :role)")
            params["role"] = role.value
        if search:
            clauses.append(
                """(lower(p.name || ' ' || coalesce(p.organisation, '') || ' ' || coalesce(p.title, '')
                   || ' ' || p.notes) LIKE :search ESCAPE '\\'
                   OR EXISTS (SELECT 1 FROM person_emails e WHERE e.person_id = p.id
                              AND e.address_key LIKE :search ESCAPE '\\'))"""
            )
            params["search"] = _like(search)
        return self._people(" AND ".join(clauses) or "1 = 1", params, now)

    def _people(self, where: str, params: Mapping[str, Any], now: datetime | None) -> list[PersonSummary]:
        rows = self.db.all(
            f"SELECT {_PERSON_COLUMNS} FROM people p WHERE {where} ORDER BY p.name, p.id",
            {**params, "now": now or _END_OF_TIME},
        )
        ids = [r["id"] for r in rows]
        emails: dict[int, list[EmailAddress]] = defaultdict(list)
        roles: dict[int, list[tuple[int, str, Role]]] = defaultdict(list)
        for chunk in _chunks(ids):
            fragment, chunk_params = _in("p", chunk)
            for e in self.db.all(
                f"""SELECT person_id, address, bad FROM person_emails WHERE person_id IN {fragment}
                    ORDER BY person_id, position""",
                chunk_params,
            ):
                emails[e["person_id"]].append(EmailAddress(e["address"], bool(e["bad"])))
            for link in self.db.all(
                f"""SELECT l.person_id, o.id, o.company, l.role FROM links l
                    JOIN opportunities o ON o.id = l.opportunity_id
                    WHERE l.person_id IN {fragment} ORDER BY l.person_id, o.id, l.role""",
                chunk_params,
            ):
                roles[link["person_id"]].append((link["id"], link["company"], _ROLE[link["role"]]))
        return [
            PersonSummary(
                person=Person(
                    id=r["id"],
                    name=r["name"],
                    emails=tuple(emails.get(r["id"], ())),
                    phone=r["phone"],
                    organisation=r["organisation"],
                    title=r["title"],
                    timezone=r["timezone"],
                    country=r["country"],
                    cadence_days=r["cadence_days"],
                    in_network=bool(r["in_network"]),
                    linkedin_url=r["linkedin_url"],
                    notes=r["notes"],
                    created_at=self.db.dt(r["created_at"]),
                ),
                last_contact_at=self.db.dt(r["last_contact_at"]) if now else None,
                roles=tuple(roles.get(r["id"], ())),
            )
            for r in rows
        ]

    # Roles ---------------------------------------------------------------------------------------

    def add_link(self, link: Link) -> bool:
        params = {"p": link.person_id, "o": link.opportunity_id, "r": link.role.value}
        with self.transaction():
            exists = self.db.one(
                "SELECT 1 AS x FROM links WHERE person_id = :p AND opportunity_id = :o AND role = :r",
                params,
            )
            if exists:
                return False
            self.db.execute("INSERT INTO links (person_id, opportunity_id, role) VALUES (:p, :o, :r)", params)
        return True

    def remove_link(self, link: Link) -> bool:
        params = {"p": link.person_id, "o": link.opportunity_id, "r": link.role.value}
        with self.transaction():
            cursor = self.db.execute(
                "DELETE FROM links WHERE person_id = :p AND opportunity_id = :o AND role = :r", params
            )
            return bool(cursor.rowcount)

    def links_of_opportunity(self, opportunity_id: int) -> list[Link]:
        return self._links("opportunity_id = :id", opportunity_id)

    def links_of_person(self, person_id: int) -> list[Link]:
        return self._links("person_id = :id", person_id)

    def _links(self, where: str, key: int) -> list[Link]:
        rows = self.db.all(
            f"SELECT person_id, opportunity_id, role FROM links WHERE {where} "
            "ORDER BY opportunity_id, person_id, role",
            {"id": key},
        )
        return [Link(r["person_id"], r["opportunity_id"], Role(r["role"])) for r in rows]

    # Ledger and interviews -----------------------------------------------------------------------

    def append(self, entry: Interaction) -> int:
        with self.transaction():
            entry_id = self.db.insert(
                """INSERT INTO interactions (kind, direction, occurred_at, recorded_at, opportunity_id,
                   interview_id, subject, notes, answered, caller, message_id, in_reply_to, refs,
                   outcome, stage)
                   VALUES (:kind, :direction, :occurred_at, :recorded_at, :opportunity_id,
                   :interview_id, :subject, :notes, :answered, :caller, :message_id, :in_reply_to,
                   :refs, :outcome, :stage) RETURNING id""",
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
                },
            )
            self.db.many(
                "INSERT INTO interaction_people (interaction_id, person_id) VALUES (:i, :p)",
                [{"i": entry_id, "p": p} for p in dict.fromkeys(entry.person_ids)],
            )
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
        )

    def add_interview(self, interview: Interview) -> int:
        with self.transaction():
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

    def labels(
        self, *, person_ids: Iterable[int], opportunity_ids: Iterable[int]
    ) -> tuple[dict[int, str], dict[int, str]]:
        """Names of people and "Company — Title" of opportunities, for agenda lines."""
        people: dict[int, str] = {}
        opportunities: dict[int, str] = {}
        for chunk in _chunks(sorted(set(person_ids))):
            fragment, params = _in("p", chunk)
            for r in self.db.all(f"SELECT id, name FROM people WHERE id IN {fragment}", params):
                people[r["id"]] = r["name"]
        for chunk in _chunks(sorted(set(opportunity_ids))):
            fragment, params = _in("o", chunk)
            for r in self.db.all(
                f"SELECT id, company, title FROM opportunities WHERE id IN {fragment}", params
            ):
                opportunities[r["id"]] = f"{r['company']} — {r['title']}"
        return people, opportunities

    # Planning ------------------------------------------------------------------------------------

    def planning_data(
        self, *, opportunity_ids: Iterable[int] | None = None, person_ids: Iterable[int] | None = None
    ) -> tuple[
        dict[int, Person],
        dict[int, tuple[Opportunity, Stage]],
        list[Link],
        list[Interaction],
        list[Interview],
    ]:
        """What the planner reads: everything, or the conversations around some opportunities and people
        (their people, those people's other opportunities, and every ledger entry of either)."""
        everything = opportunity_ids is None and person_ids is None
        o_frag = p_frag = ""
        params: dict[str, Any] = {}
        if not everything:
            opps, people = set(opportunity_ids or ()), set(person_ids or ())
            o_frag, o_params = _in("o", sorted(opps) or [-1])
            p_frag, p_params = _in("p", sorted(people) or [-1])
            for row in self.db.all(
                f"""SELECT person_id AS id FROM links WHERE opportunity_id IN {o_frag}
                    UNION SELECT ip.person_id FROM interaction_people ip JOIN interactions i
                      ON i.id = ip.interaction_id WHERE i.opportunity_id IN {o_frag}""",
                o_params,
            ):
                people.add(row["id"])
            p_frag, p_params = _in("p", sorted(people) or [-1])
            for row in self.db.all(
                f"""SELECT opportunity_id AS id FROM links WHERE person_id IN {p_frag}
                    UNION SELECT i.opportunity_id FROM interaction_people ip JOIN interactions i
                      ON i.id = ip.interaction_id
                    WHERE ip.person_id IN {p_frag} AND i.opportunity_id IS NOT NULL""",
                p_params,
            ):
                opps.add(row["id"])
            o_frag, o_params = _in("o", sorted(opps) or [-1])
            params = {**o_params, **p_params}
        opp_where = "1 = 1" if everything else f"o.id IN {o_frag}"
        person_where = "1 = 1" if everything else f"p.id IN {p_frag}"
        people_found = {
            s.person.id: s.person for s in self._people(person_where, params, None) if s.person.id
        }
        opps_found = {
            r["id"]: (
                Opportunity(
                    id=r["id"],
                    company=r["company"],
                    title=r["title"],
                    decision_expected=self.db.day(r["decision_expected"]),
                    created_at=self.db.dt(r["created_at"]),
                ),
                _STAGE[r["stage"]],
            )
            for r in self.db.all(
                "SELECT o.id, o.company, o.title, o.decision_expected, o.created_at, o.stage "
                f"FROM opportunities o "
                f"WHERE {opp_where}",
                params,
            )
        }
        link_where = "1 = 1" if everything else f"l.opportunity_id IN {o_frag} OR l.person_id IN {p_frag}"
        links = [
            Link(r["person_id"], r["opportunity_id"], _ROLE[r["role"]])
            for r in self.db.all(
                f"SELECT l.person_id, l.opportunity_id, l.role FROM links l WHERE {link_where}", params
            )
        ]
        ledger_where = (
            "1 = 1"
            if everything
            else f"(i.opportunity_id IN {o_frag} OR i.id IN (SELECT interaction_id FROM interaction_people "
            f"WHERE person_id IN {p_frag}))"
        )
        ledger = self._ledger(ledger_where, params)
        interview_where = "1 = 1" if everything else f"v.opportunity_id IN {o_frag}"
        interviews = self._interviews(interview_where, params)
        return people_found, opps_found, links, ledger, interviews

    # Whole database ------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        tables = ("opportunities", "people", "links", "interactions", "interviews")
        return {t: int(self.db.scalar(f"SELECT count(*) FROM {t}")) for t in tables}

    def backup(self, target: Path) -> None:
        if self.db.dialect != "sqlite":
            raise StorageError(
                "followup backup copies SQLite databases only.",
                hint="For PostgreSQL use pg_dump, e.g. pg_dump --format=custom -f followup.dump URL.",
            )
        backup_sqlite(self.db.raw, target)


def _chunks(values: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
