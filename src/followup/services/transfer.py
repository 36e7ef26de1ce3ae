"""Bringing a job search in and taking it out: LinkedIn, spreadsheets, vCards, and the JSON backup.

Every import reads the whole file first (a file that cannot be read at all is an InvalidInputError
naming the fix), then goes row by row: a row that cannot be used is skipped with its line, field and
fix while the others go in; rows are matched against what is already there, so importing a file twice
adds nothing. Planning waits for the end of an import (Tracker.deferred) instead of following each row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import compress

from followup.domain.cells import DateOrder, month_first
from followup.domain.columns import (
    Kind,
    MapFile,
    choose_columns,
    parse_map_file,
    parse_map_option,
    recognised,
)
from followup.domain.imported import Card, ConnectionTable, PeopleColumns, RowProblem, Sheet
from followup.domain.model import DEFAULT_CADENCE_DAYS, EmailAddress, Person, Role
from followup.domain.playbook import Problem
from followup.domain.sheets import OpportunityRow, PersonRow, RowReader, date_order
from followup.domain.validation import check_cadence, check_url
from followup.errors import ConflictError, InvalidInputError
from followup.ports import BackupFormat, CardFiles, LinkedInExport, MailStore, SheetFiles, Snapshots
from followup.services.collecting import collector_paused
from followup.services.context import Context
from followup.services.importing import ImportReport, OpportunityImport, PeopleImport
from followup.services.tracking import Tracker

Progress = Callable[[int, int], object]


EXPORTS = ("opportunities", "people", "interactions")


@dataclasses.dataclass(frozen=True)
class SheetOptions:
    """How to read a spreadsheet, beyond what its headers say."""

    kind: Kind | None = None
    maps: Sequence[str] = ()  # `--map` values
    map_file: tuple[str, str] | None = None  # (its name, its text)
    dates: DateOrder | None = None
    contact_role: Role | None = None
    network: bool = False
    encoding: str | None = None


class Transfer:
    def __init__(
        self,
        context: Context,
        tracker: Tracker,
        *,
        sheets: SheetFiles,
        linkedin: LinkedInExport,
        cards: CardFiles,
        backups: BackupFormat,
        snapshots: Snapshots,
        mail_store: MailStore,
        user_country: str | None,
    ) -> None:
        self.ctx, self.tracker = context, tracker
        self.sheets, self.linkedin, self.cards = sheets, linkedin, cards
        self.backups, self.snapshots, self.mail_store = backups, snapshots, mail_store
        self.user_country = user_country

    # LinkedIn ------------------------------------------------------------------------------------

    def import_linkedin(
        self,
        data: bytes,
        source: str,
        *,
        dry_run: bool = False,
        cadence: int | None = None,
        encoding: str | None = None,
        progress: Progress | None = None,
        plan: bool = True,
    ) -> ImportReport:
        """Connections become people in your network. "Connected On" is when you last knew to be in
        touch: it is the person's `created_at`, from which the keep-in-touch cadence counts until a
        conversation is logged (your zone's midnight of that day)."""
        if cadence is not None:
            check_cadence(cadence)
        with collector_paused():  # reading makes tens of thousands of lists too
            read = self.linkedin.connections(data, source, encoding=encoding)
            report = _sheet_report(source, "linkedin", dry_run, read.sheet)
            report.skipped += read.problems
            table, created_at = self._connected_since(read.table, report)
            del read  # the file's rows as lists: freed here, not walked when the collector resumes
            people = PeopleColumns(
                table.names, table.emails, table.companies, table.positions, table.urls, created_at,
                in_network=True, cadence_days=cadence,
            )  # fmt: skip
            with self.tracker.deferred(plan=plan):
                PeopleImport(self.ctx, self.tracker, report, dry_run=dry_run).add_all(
                    table.lines, people, progress
                )
        report.rows = len(table.lines) + len(report.skipped)
        report.skipped.sort(key=lambda problem: problem.line)
        days = cadence or DEFAULT_CADENCE_DAYS
        due_before = self.ctx.now() - timedelta(days=days)
        long_ago = set(compress(table.lines, map(due_before.__gt__, created_at)))
        due = sum(1 for line in report.created_lines("person") if line in long_ago)
        if due:
            report.notes.append(
                f"{due} of the new people connected with you over {days} days ago "
                "with no conversation since: their keep-in-touch notes are due now (`followup today`). "
                "`followup skip ID` drops one; --cadence DAYS sets a slower rhythm."
            )
        return report

    def _connected_since(
        self, table: ConnectionTable, report: ImportReport
    ) -> tuple[ConnectionTable, list[datetime]]:
        """Each connection's `created_at`: the midnight (your zone) of the day you connected, or now
        when the file does not say. A day still to come leaves its row out."""
        now, zone = self.ctx.now(), self.ctx.tz
        since: dict[date | None, datetime] = {
            day: datetime.combine(day, time(0), zone).astimezone(UTC)
            for day in set(table.connected_on)
            if day is not None
        }
        future = {day for day, moment in since.items() if moment > now}
        if future:
            fix = "Correct the date, or leave the cell empty."
            for line, day in zip(table.lines, table.connected_on, strict=True):
                if day in future:
                    report.skip(RowProblem(line, "Connected On", f"{day} is in the future.", fix))
            table = table.keep([day not in future for day in table.connected_on])
        since[None] = now
        return table, list(map(since.__getitem__, table.connected_on))

    # Spreadsheets --------------------------------------------------------------------------------

    def import_sheet(
        self,
        data: bytes,
        source: str,
        options: SheetOptions,
        *,
        dry_run: bool = False,
        progress: Progress | None = None,
        plan: bool = True,
    ) -> ImportReport:
        """Opportunities or people from any spreadsheet, by its headers or a column map."""
        given, problems = self._map(options)
        wanted = {h.casefold().strip() for h in given.columns.values()}

        def score(cells: Sequence[str]) -> int:
            return recognised(cells) + sum(2 for c in cells if c.casefold().strip() in wanted)

        sheet = self.sheets.read(data, source, header_score=score, encoding=options.encoding)
        columns = choose_columns(sheet.headers, given, kind=options.kind)
        report = _sheet_report(source, "csv", dry_run, sheet)
        report.map_problems = problems
        report.columns = {f.value: sheet.headers[i] for f, i in columns.index.items()}
        report.ignored_columns = list(columns.ignored)
        order, note = date_order(
            sheet.rows, columns, given=options.dates or given.dates, default=month_first(self.user_country)
        )
        if note:
            report.notes.append(note)
        reader = RowReader(
            sheet.headers, columns, order=order, status_words=given.status, network=options.network
        )
        role = options.contact_role or given.contact_role or Role.RECRUITER
        if columns.kind is Kind.OPPORTUNITIES:
            target: OpportunityImport | PeopleImport = OpportunityImport(
                self.ctx, self.tracker, report, dry_run=dry_run, contact_role=role
            )
        else:
            target = PeopleImport(self.ctx, self.tracker, report, dry_run=dry_run)
        with self.tracker.deferred(plan=plan), collector_paused():
            for done, (line, cells) in enumerate(sheet.rows, start=1):
                row = reader.read(line, cells)
                if isinstance(row, RowProblem):
                    report.skip(row)
                elif isinstance(row, OpportunityRow) and isinstance(target, OpportunityImport):
                    target.add(row)
                elif isinstance(row, PersonRow) and isinstance(target, PeopleImport):
                    target.add(row.line, row.person)
                if progress is not None and done % 100 == 0:
                    progress(done, len(sheet.rows))
            if isinstance(target, PeopleImport):
                target.flush()
        report.rows = len(sheet.rows)
        return report

    def _map(self, options: SheetOptions) -> tuple[MapFile, list[Problem]]:
        given, problems = MapFile(), list[Problem]()
        if options.map_file is not None:
            given, problems = parse_map_file(options.map_file[1])
        columns = dict(given.columns)
        for text in options.maps:
            columns.update(parse_map_option(text))
        return dataclasses.replace(given, columns=columns), problems

    # vCards --------------------------------------------------------------------------------------

    def import_cards(
        self,
        data: bytes,
        source: str,
        *,
        dry_run: bool = False,
        network: bool = False,
        progress: Progress | None = None,
        plan: bool = True,
    ) -> ImportReport:
        """Contacts from Google, Apple, Outlook (vCard 2.1, 3.0, 4.0); `network` (or a "network"
        category, as `export vcard` writes it) puts them in your network."""
        read = self.cards.read(data, source)
        report = ImportReport(source, "vcard", dry_run)
        report.notes.append(f"vCard version {read.version}.")
        people = PeopleImport(self.ctx, self.tracker, report, dry_run=dry_run)
        with self.tracker.deferred(plan=plan), collector_paused():
            for done, row in enumerate(read.rows, start=1):
                found = row if isinstance(row, RowProblem) else _card_person(row, network)
                if isinstance(found, RowProblem):
                    report.skip(found)
                else:
                    people.add(row.line, found)
                if progress is not None and done % 1000 == 0:
                    progress(done, len(read.rows))
            people.flush()
        report.rows = len(read.rows)
        return report

    # Exports -------------------------------------------------------------------------------------

    def export_sheets(self, what: Sequence[str] = EXPORTS) -> dict[str, tuple[bytes, int]]:
        """CSV files by name ("people.csv"): UTF-8 with a byte-order mark, one row per record, times in
        your zone. Opportunities and people come back in with `import csv`."""
        from followup.services.exporting import interaction_rows, opportunity_rows, people_rows

        makers = {"opportunities": opportunity_rows, "people": people_rows, "interactions": interaction_rows}
        files: dict[str, tuple[bytes, int]] = {}
        for name in what:
            headers, rows = makers[name](self.ctx)
            files[f"{name}.csv"] = (self.sheets.write(headers, rows), len(rows))
        return files

    def export_cards(self, *, version: str = "3.0") -> tuple[bytes, int]:
        """Everyone as a vCard: their working addresses, phone, organisation, title, LinkedIn profile,
        notes; people of your network carry the category "network"."""
        people = self.ctx.repo.all_people()
        cards = [
            Card(
                line=0,
                name=p.name,
                emails=tuple(e.address for e in p.emails if not e.bad),
                phone=p.phone,
                organisation=p.organisation,
                title=p.title,
                linkedin_url=p.linkedin_url,
                notes=p.notes,
                categories=("network",) if p.in_network else (),
            )
            for p in sorted(people, key=lambda p: p.id or 0)
        ]
        return self.cards.write(cards, version=version), len(cards)

    def export_backup(self) -> tuple[bytes, dict[str, int]]:
        """Everything in the database (never a password: those are not in it) as one JSON file."""
        tables = self.snapshots.dump()
        data = self.backups.encode(tables, schema=self.snapshots.schema, exported_at=self.ctx.now())
        return data, {k: len(v) for k, v in tables.items()}

    def import_backup(
        self, data: bytes, source: str, *, merge: bool = False, dry_run: bool = False
    ) -> ImportReport:
        """An empty database becomes exactly the backup's (ids and all); a database with records in it
        takes the backup's records beside its own only with `merge`. A dry run makes the whole import
        in one transaction and rolls it back: the report says what would have come in."""
        report = ImportReport(source, "json", dry_run=dry_run)
        try:
            with self.ctx.repo.transaction():
                self._import_backup(data, source, merge, report)
                if dry_run:
                    raise _RolledBackError
        except _RolledBackError:
            pass
        return report

    def _import_backup(self, data: bytes, source: str, merge: bool, report: ImportReport) -> None:
        backup = self.backups.decode(data, source)
        if self.snapshots.is_empty():
            report.tables = self.snapshots.restore(backup.tables, source, dry_run=report.dry_run)
            report.rows = sum(report.tables.values())
            verb = "Would restore" if report.dry_run else "Restored"
            report.notes.append(f"{verb} exactly (backup of {backup.exported_at}, schema {backup.schema}).")
            return
        if not merge:
            held = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in self.snapshots.counts().items() if n)
            raise ConflictError(
                f"This database already holds records ({held}); a backup is restored into an empty one.",
                hint=(
                    "Add --merge to bring the backup's records in beside yours (matched as any import is), "
                    f"or restore into a new database: followup --db NEW.sqlite3 import json {source}"
                ),
            )
        from followup.services.merging import merge_backup

        tables = self.snapshots.check(backup.tables, source)
        # a dry run plans nothing: the records it wrote are rolled back
        with self.tracker.deferred(plan=not report.dry_run), self.ctx.repo.transaction(), collector_paused():
            merge_backup(self.ctx, self.tracker, self.mail_store, tables, report)


class _RolledBackError(Exception):
    """Raised at the end of a dry run to undo what it wrote."""


_SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}


def _sheet_report(source: str, kind: str, dry_run: bool, sheet: Sheet) -> ImportReport:
    report = ImportReport(source, kind, dry_run)
    report.encoding, report.header_line = sheet.encoding, sheet.header_line
    report.separator = _SEPARATORS.get(sheet.delimiter, repr(sheet.delimiter))
    return report


def _card_person(card: Card, network: bool) -> Person | RowProblem:
    profile = card.linkedin_url
    if profile and "://" not in profile:
        profile = "https://" + profile
    try:
        profile = check_url(profile, field="LinkedIn URL") if profile else None
    except InvalidInputError as exc:
        return RowProblem(card.line, "URL", exc.message, exc.hint or "Correct the address.")
    in_network = network or any(c.casefold() == "network" for c in card.categories)
    return Person(
        name=card.name,
        emails=tuple(EmailAddress(a) for a in card.emails),
        phone=card.phone,
        organisation=card.organisation,
        title=card.title,
        linkedin_url=profile,
        in_network=in_network,
        notes=card.notes,
    )
