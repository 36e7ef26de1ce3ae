"""The tables of records: opportunities (with their derived stage), people and their addresses, roles."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any

from followup.domain.imported import PeopleColumns
from followup.domain.model import (
    CONTACT_KINDS,
    EmailAddress,
    Link,
    Opportunity,
    OpportunityState,
    OpportunitySummary,
    Person,
    PersonSummary,
    Role,
    Stage,
)
from followup.storage.database import Database
from followup.storage.sql import END_OF_TIME, ROLE, SOURCE, STAGE, chunks, in_list, like

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
_BARE_PERSON_COLUMNS = """
    p.id, p.name, p.phone, p.organisation, p.title, p.timezone, p.country, p.cadence_days,
    p.in_network, p.linkedin_url, p.notes, p.created_at"""
_PERSON_COLUMNS = f"""{_BARE_PERSON_COLUMNS},
    (SELECT max(i.occurred_at) FROM interaction_people ip JOIN interactions i ON i.id = ip.interaction_id
      WHERE ip.person_id = p.id AND i.kind IN ({_CONTACT}) AND i.occurred_at <= :now
    ) AS last_contact_at
"""

_PERSON_FIELDS = (
    "name", "phone", "organisation", "title", "timezone", "country", "cadence_days", "in_network",
    "linkedin_url", "notes", "created_at",
)  # fmt: skip


class RecordTables:
    """Opportunities, people and roles; part of SqlRepository."""

    db: Database

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
        with self.db.transaction():
            self.db.execute("DELETE FROM opportunities WHERE id = :id", {"id": opportunity_id})

    def set_stage(self, opportunity_id: int, stage: Stage) -> None:
        self.db.execute(
            "UPDATE opportunities SET stage = :stage WHERE id = :id",
            {"stage": stage.value, "id": opportunity_id},
        )

    def stage_of(self, opportunity_id: int) -> Stage | None:
        value = self.db.scalar("SELECT stage FROM opportunities WHERE id = :id", {"id": opportunity_id})
        return STAGE[value] if value is not None else None

    def get_opportunity(self, opportunity_id: int, *, now: datetime) -> OpportunitySummary | None:
        rows = self._opportunities("o.id = :id", {"id": opportunity_id}, now)
        return rows[0] if rows else None

    def find_opportunities(self, text: str, *, now: datetime) -> list[OpportunitySummary]:
        where = "lower(o.company || ' ' || o.title) LIKE :pattern ESCAPE '\\'"
        return self._opportunities(where, {"pattern": like(text)}, now)

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
            fragment, stage_params = in_list("stage", [s.value for s in stages])
            clauses.append(f"o.stage IN {fragment}")
            params.update(stage_params)
        if organisation:
            clauses.append("lower(o.company) LIKE :org ESCAPE '\\'")
            params["org"] = like(organisation)
        if role:
            clauses.append("EXISTS (SELECT 1 FROM links l WHERE l.opportunity_id = o.id AND l.role = :role)")
            params["role"] = role.value
        if search:
            clauses.append(
                "lower(o.company || ' ' || o.title || ' ' || o.notes || ' ' || coalesce(o.location, ''))"
                " LIKE :search ESCAPE '\\'"
            )
            params["search"] = like(search)
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
                    source=SOURCE[r["source"]] if r["source"] else None,
                    location=r["location"],
                    decision_expected=self.db.day(r["decision_expected"]),
                    notes=r["notes"],
                    created_at=self.db.dt(r["created_at"]),
                ),
                state=OpportunityState(
                    stage=STAGE[r["stage"]],
                    applied_at=self.db.dt(r["applied_at"]),
                    last_contact_at=self.db.dt(r["last_contact_at"]),
                ),
                people=tuple(people.get(r["id"], ())),
            )
            for r in rows
        ]

    def _people_of_opportunities(self, ids: Sequence[int]) -> dict[int, list[tuple[int, str, Role]]]:
        found: dict[int, list[tuple[int, str, Role]]] = defaultdict(list)
        for chunk in chunks(ids):
            fragment, params = in_list("o", chunk)
            for r in self.db.all(
                f"""SELECT l.opportunity_id, p.id, p.name, l.role FROM links l
                    JOIN people p ON p.id = l.person_id
                    WHERE l.opportunity_id IN {fragment} ORDER BY l.opportunity_id, p.name, l.role""",
                params,
            ):
                found[r["opportunity_id"]].append((r["id"], r["name"], ROLE[r["role"]]))
        return found

    # People --------------------------------------------------------------------------------------

    def add_person(self, person: Person) -> int:
        with self.db.transaction():
            person_id = self.db.insert(
                """INSERT INTO people (name, phone, organisation, title, timezone, country,
                   cadence_days, in_network, linkedin_url, notes, created_at)
                   VALUES (:name, :phone, :organisation, :title, :timezone, :country, :cadence_days,
                   :in_network, :linkedin_url, :notes, :created_at) RETURNING id""",
                self._person_values(person),
            )
            self._write_emails(person_id, person.emails)
        return person_id

    def add_people(self, people: Sequence[Person]) -> list[int]:
        """Many people at once (an import), in one statement per table; their ids in order."""
        values = attrgetter(*_PERSON_FIELDS)
        with self.db.transaction():
            ids = self.db.insert_many(
                "people", _PERSON_FIELDS, [values(p) for p in people], times=("created_at",)
            )
            self._add_emails(
                [
                    (pid, i, e)
                    for pid, person in zip(ids, people, strict=True)
                    for i, e in enumerate(person.emails)
                ]
            )
        return ids

    def add_people_columns(self, people: PeopleColumns) -> list[int]:
        """Many people at once, column by column (an import's bulk); their ids in order."""
        count = len(people.names)
        columns = {
            "name": people.names,
            "organisation": people.organisations,
            "title": people.titles,
            "linkedin_url": people.linkedin_urls,
            "created_at": people.created_at,
            "in_network": [people.in_network] * count,
            "cadence_days": [people.cadence_days] * count,
        }
        with self.db.transaction():
            ids = self.db.insert_columns("people", columns, times=("created_at",))
            self._add_emails(
                [(pid, 0, EmailAddress(a)) for pid, a in zip(ids, people.emails, strict=True) if a]
            )
        return ids

    def all_people(self) -> list[Person]:
        """Every person with their addresses: two plain reads, no last contact or roles (an import
        matches against tens of thousands)."""
        emails: dict[int, list[EmailAddress]] = defaultdict(list)
        for rows in self.db.batches(
            "SELECT person_id, address, bad FROM person_emails ORDER BY person_id, position", size=5000
        ):
            for e in rows:
                emails[e["person_id"]].append(EmailAddress(e["address"], bool(e["bad"])))
        found: list[Person] = []
        dt = self.db.dt
        for rows in self.db.batches(
            f"SELECT id, {', '.join(_PERSON_FIELDS)} FROM people ORDER BY id", size=5000
        ):
            found += [_person(r, emails, dt) for r in rows]
        return found

    def update_person(self, person: Person) -> None:
        with self.db.transaction():
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
        self._add_emails([(person_id, position, email) for position, email in enumerate(emails)])

    def _add_emails(self, rows: Sequence[tuple[int, int, EmailAddress]]) -> None:
        """(person id, position, address) rows of person_emails, in one statement for an import's many."""
        self.db.insert_columns(
            "person_emails",
            {
                "person_id": [pid for pid, _, _ in rows],
                "position": [position for _, position, _ in rows],
                "address": [e.address for _, _, e in rows],
                "address_key": [e.key for _, _, e in rows],
                "bad": [e.bad for _, _, e in rows],
            },
            keyed=False,
        )

    def delete_person(self, person_id: int) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM people WHERE id = :id", {"id": person_id})

    def get_person(self, person_id: int, *, now: datetime) -> PersonSummary | None:
        rows = self._people("p.id = :id", {"id": person_id}, now)
        return rows[0] if rows else None

    def get_people(self, person_ids: Sequence[int]) -> list[Person]:
        found: list[Person] = []
        for chunk in chunks(list(person_ids)):
            fragment, params = in_list("p", chunk)
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
        return self._people(where, {"pattern": like(text)}, now)

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
            params["org"] = like(organisation)
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
            params["search"] = like(search)
        return self._people(" AND ".join(clauses) or "1 = 1", params, now)

    def _people(self, where: str, params: Mapping[str, Any], now: datetime | None) -> list[PersonSummary]:
        rows = self.db.all(
            f"SELECT {_PERSON_COLUMNS} FROM people p WHERE {where} ORDER BY p.name, p.id",
            {**params, "now": now or END_OF_TIME},
        )
        ids = [r["id"] for r in rows]
        emails: dict[int, list[EmailAddress]] = defaultdict(list)
        roles: dict[int, list[tuple[int, str, Role]]] = defaultdict(list)
        for chunk in chunks(ids):
            fragment, chunk_params = in_list("p", chunk)
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
                roles[link["person_id"]].append((link["id"], link["company"], ROLE[link["role"]]))
        return [
            PersonSummary(
                person=_person(r, emails, self.db.dt),
                last_contact_at=self.db.dt(r["last_contact_at"]) if now else None,
                roles=tuple(roles.get(r["id"], ())),
            )
            for r in rows
        ]

    def _bare_people(self, where: str, params: Mapping[str, Any]) -> list[Person]:
        """People and their addresses only (what planning reads): no last contact, no roles."""
        rows = self.db.all(f"SELECT {_BARE_PERSON_COLUMNS} FROM people p WHERE {where} ORDER BY p.id", params)
        emails: dict[int, list[EmailAddress]] = defaultdict(list)
        for e in self.db.all(
            "SELECT person_id, address, bad FROM person_emails "
            f"WHERE person_id IN (SELECT p.id FROM people p WHERE {where}) ORDER BY person_id, position",
            params,
        ):
            emails[e["person_id"]].append(EmailAddress(e["address"], bool(e["bad"])))
        dt = functools.lru_cache(maxsize=4096)(self.db.dt)  # an import's people share a few days
        return [_person(r, emails, dt) for r in rows]

    # Roles ---------------------------------------------------------------------------------------

    def add_link(self, link: Link) -> bool:
        params = {"p": link.person_id, "o": link.opportunity_id, "r": link.role.value}
        with self.db.transaction():
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
        with self.db.transaction():
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


def _person(r: Any, emails: Mapping[int, Sequence[EmailAddress]], dt: Callable[[Any], Any]) -> Person:
    """A person from a row of the people table and the addresses read for it."""
    return Person(
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
        created_at=dt(r["created_at"]),
    )
