"""SqlRepository: the Repository port over SQLite and PostgreSQL, with one set of SQL statements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from followup.domain.model import Interaction, Interview, Link, Opportunity, Person, Stage
from followup.errors import StorageError
from followup.storage.database import Database
from followup.storage.ledger import LedgerTables
from followup.storage.records import RecordTables
from followup.storage.schema import backup_sqlite
from followup.storage.sql import ROLE, STAGE, chunks, in_list

if TYPE_CHECKING:
    from pathlib import Path


class SqlRepository(RecordTables, LedgerTables):
    """The only code that knows the tables; each method is one short statement or a few."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def transaction(self) -> Any:
        return self.db.transaction()

    def write_run(self) -> Any:
        return self.db.write_run()

    def close(self) -> None:
        self.db.close()

    def revision(self) -> tuple[int, int]:
        return self.db.revision()

    def labels(
        self, *, person_ids: Iterable[int], opportunity_ids: Iterable[int]
    ) -> tuple[dict[int, str], dict[int, str]]:
        """Names of people and "Company — Title" of opportunities, for agenda lines."""
        people: dict[int, str] = {}
        opportunities: dict[int, str] = {}
        for chunk in chunks(sorted(set(person_ids))):
            fragment, params = in_list("p", chunk)
            for r in self.db.all(f"SELECT id, name FROM people WHERE id IN {fragment}", params):
                people[r["id"]] = r["name"]
        for chunk in chunks(sorted(set(opportunity_ids))):
            fragment, params = in_list("o", chunk)
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
            o_frag, o_params = self.db.id_set("o", opps)
            for row in self.db.all(
                f"""SELECT person_id AS id FROM links WHERE opportunity_id IN {o_frag}
                    UNION SELECT ip.person_id FROM interaction_people ip JOIN interactions i
                      ON i.id = ip.interaction_id WHERE i.opportunity_id IN {o_frag}""",
                o_params,
            ):
                people.add(row["id"])
            p_frag, p_params = self.db.id_set("p", people)
            for row in self.db.all(
                f"""SELECT opportunity_id AS id FROM links WHERE person_id IN {p_frag}
                    UNION SELECT i.opportunity_id FROM interaction_people ip JOIN interactions i
                      ON i.id = ip.interaction_id
                    WHERE ip.person_id IN {p_frag} AND i.opportunity_id IS NOT NULL""",
                p_params,
            ):
                opps.add(row["id"])
            o_frag, o_params = self.db.id_set("o", opps)
            params = {**o_params, **p_params}
        opp_where = "1 = 1" if everything else f"o.id IN {o_frag}"
        person_where = "1 = 1" if everything else f"p.id IN {p_frag}"
        people_found = {p.id: p for p in self._bare_people(person_where, params) if p.id}
        opps_found = {
            r["id"]: (
                Opportunity(
                    id=r["id"],
                    company=r["company"],
                    title=r["title"],
                    decision_expected=self.db.day(r["decision_expected"]),
                    created_at=self.db.dt(r["created_at"]),
                ),
                STAGE[r["stage"]],
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
            Link(r["person_id"], r["opportunity_id"], ROLE[r["role"]])
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
