"""The composition root: the one place that picks adapters (from Settings) and builds the services."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from followup.clock import SystemClock
from followup.config import Settings
from followup.services.context import Context
from followup.storage.database import Database, DatabaseLocation
from followup.storage.repository import SqlRepository
from followup.storage.schema import ensure_schema

if TYPE_CHECKING:
    from followup.domain.inbound import Invitation
    from followup.domain.playbook import Problem
    from followup.mail.imap import ImapMailbox
    from followup.ports import Clock, Mailbox, MailFiles, MailReader, MailSender, MailStore, SecretStore
    from followup.services.browsing import Browser
    from followup.services.calendar import CalendarExport
    from followup.services.drafting import Drafting
    from followup.services.mailsetup import MailSetup
    from followup.services.mailsync import MailSync
    from followup.services.maintenance import Maintenance
    from followup.services.outbox import Outbox
    from followup.services.planning import Planning
    from followup.services.reading import Reading
    from followup.services.stats import Statistics
    from followup.services.suggesting import Suggestions
    from followup.services.tracking import Tracker
    from followup.services.transfer import Transfer

_Imap = TypeVar("_Imap", bound="ImapMailbox")


class App:
    """The services of one run, over one open database. Each service is built (and its module
    imported) on first use, so a command pays only for what it calls."""

    def __init__(
        self,
        settings: Settings,
        context: Context,
        location: DatabaseLocation,
        migration_backup: str | None,
        db: Database,
    ) -> None:
        self.settings = settings
        self.context = context
        self.location = location
        self.migration_backup = migration_backup
        self.db = db
        self.playbook_problems: list[Problem] = []
        self.playbook_source = ""
        self.before_full_plan: Callable[[], object] | None = None
        self._closed = False

    @cached_property
    def tracker(self) -> Tracker:
        from followup.services.tracking import Tracker

        # Every ledger write re-plans the conversations it touches, in the same transaction.
        return Tracker(
            self.context,
            on_change=lambda opps, people: self.planning.replan(opportunity_ids=opps, person_ids=people),
            on_defer=lambda opps, people: self.planning.defer(opps, people),  # noqa: PLW0108 - lazy
            on_flush=lambda: self.planning.replan_stale(),  # noqa: PLW0108 - built on first use
        )

    @cached_property
    def planning(self) -> Planning:
        import os

        from followup.calendar.holidays import HolidaysLibrary
        from followup.domain.calendar import BusinessCalendar
        from followup.services.planning import Planning
        from followup.services.playbook import PlaybookService
        from followup.storage.touches import SqlTouchStore

        playbook, self.playbook_problems, self.playbook_source = PlaybookService.from_environment(
            os.environ
        ).in_effect()
        planning = Planning(
            self.context,
            SqlTouchStore(self.db),
            BusinessCalendar(HolidaysLibrary()),
            playbook,
            user_country=self.settings.country,
        )
        planning.before_full_plan = self.before_full_plan
        return planning

    @cached_property
    def browser(self) -> Browser:
        from followup.services.browsing import Browser

        return Browser(self.context)

    @cached_property
    def calendar_export(self) -> CalendarExport:
        from followup.calendar.ics import IcsWriter
        from followup.services.calendar import CalendarExport

        return CalendarExport(self.context, self.planning, IcsWriter())

    @cached_property
    def drafting(self) -> Drafting:
        from followup.mail.templates import JinjaTemplates
        from followup.services.drafting import Drafting, sender_from_settings
        from followup.storage.outbox import SqlOutboxStore

        s = self.settings
        me = sender_from_settings(s.name, s.from_, s.signature, s.phone, s.links)
        return Drafting(self.planning, SqlOutboxStore(self.db), JinjaTemplates(s.templates), me)

    @cached_property
    def outbox(self) -> Outbox:
        from followup.services.outbox import Outbox
        from followup.storage.outbox import SqlOutboxStore

        return Outbox(
            self.context,
            SqlOutboxStore(self.db),
            self.tracker,
            sender=self.mail_sender,
            mailbox=self.mailbox,
            retries=self.settings.send_retries,
            save_sent_copy=self.settings.save_sent_copy,
        )

    @cached_property
    def mail_setup(self) -> MailSetup:
        from followup.services.mailsetup import MailSetup

        return MailSetup(self.settings, self.secrets, sender=self.mail_sender, mailbox=self.mailbox)

    @cached_property
    def secrets(self) -> SecretStore:
        import os

        from followup.mail.secrets import EnvKeyringSecrets

        return EnvKeyringSecrets(os.environ, account=_address(self.settings.from_))

    def mail_sender(self) -> MailSender:
        """The outgoing server from the settings; ConfigError when none is set up."""
        from followup.errors import ConfigError
        from followup.mail.smtp import SmtpSender

        s = self.settings
        if not s.smtp_host:
            raise ConfigError(
                "No outgoing mail server is set up.",
                hint="Run `followup mail setup`, or set FOLLOWUP_SMTP_HOST (and FOLLOWUP_SMTP_SECURITY, "
                "FOLLOWUP_SMTP_USER, FOLLOWUP_SMTP_PASSWORD). `send --to-drafts-folder` needs only IMAP.",
            )
        password = self.secrets.get("smtp")
        # without a login name, the address logs in, but only when there is a password to log in with
        user = s.smtp_user or (_address(s.from_) if password else "")
        return SmtpSender(s.smtp_host, s.smtp_port, s.smtp_security, user, password, timeout=s.mail_timeout)

    def mailbox(self) -> Mailbox | None:
        """The mailbox server from the settings, or None when none is set up."""
        from followup.mail.imap import ImapMailbox

        return self._imap(ImapMailbox) if self.settings.imap_host else None

    def _imap(self, kind: type[_Imap]) -> _Imap:
        """An IMAP adapter (the outbox's Mailbox or the sync's MailReader) over the settings' server."""
        s = self.settings
        return kind(
            s.imap_host,
            s.imap_port,
            s.imap_security,
            s.imap_user or _address(s.from_),
            self.secrets.get("imap") or "",
            sent_folder=s.imap_sent_folder,
            drafts_folder=s.imap_drafts_folder,
            timeout=s.mail_timeout,
        )

    @cached_property
    def reading(self) -> Reading:
        from followup.calendar.invitations import read_invitations
        from followup.services.reading import Reading, own_addresses

        s = self.settings

        def invitations(data: bytes, source: str) -> tuple[list[Invitation], list[str]]:
            return read_invitations(data, source=source, default_zone=self.context.tz.key)

        return Reading(
            self.context,
            self.mail_store,
            self.planning.store,
            self.tracker,
            own_addresses=own_addresses(s.from_, s.imap_user),
            invitations=invitations,
        )

    @cached_property
    def mail_store(self) -> MailStore:
        from followup.storage.mail import SqlMailStore

        return SqlMailStore(self.db)

    @cached_property
    def suggestions(self) -> Suggestions:
        from followup.services.suggesting import Suggestions

        return Suggestions(self.context, self.mail_store, self.tracker)

    @cached_property
    def mail_sync(self) -> MailSync:
        from followup.services.mailsync import MailSync

        return MailSync(
            self.context, self.mail_store, self.tracker, self.reading, window_days=self.settings.sync_days
        )

    def mail_reader(self) -> MailReader:
        """The mailbox to read, from the settings; ConfigError when none is set up."""
        from followup.errors import ConfigError
        from followup.mail.imapread import ImapReader

        if not self.settings.imap_host:
            raise ConfigError(
                "No mailbox server is set up.",
                hint="Run `followup mail setup`, or set FOLLOWUP_IMAP_HOST (and FOLLOWUP_IMAP_SECURITY, "
                "FOLLOWUP_IMAP_USER, FOLLOWUP_IMAP_PASSWORD). `followup import mbox FILE` needs no server.",
            )
        return self._imap(ImapReader)

    @cached_property
    def mail_files(self) -> MailFiles:
        from followup.mail.files import MailFolderFiles

        return MailFolderFiles()

    @cached_property
    def stats(self) -> Statistics:
        from followup.calendar.holidays import HolidaysLibrary
        from followup.domain.calendar import BusinessCalendar
        from followup.services.stats import Statistics

        return Statistics(
            self.context, BusinessCalendar(HolidaysLibrary()), user_country=self.settings.country
        )

    @cached_property
    def transfer(self) -> Transfer:
        from followup.importers.backup import JsonBackups
        from followup.importers.delimited import DelimitedSheets
        from followup.importers.linkedin import LinkedInConnections
        from followup.importers.vcard import VobjectCards
        from followup.services.transfer import Transfer
        from followup.storage.snapshot import TABLE_KEYS, SqlSnapshots

        return Transfer(
            self.context,
            self.tracker,
            sheets=DelimitedSheets(),
            linkedin=LinkedInConnections(),
            cards=VobjectCards(),
            backups=JsonBackups(TABLE_KEYS),
            snapshots=SqlSnapshots(self.db),
            mail_store=self.mail_store,
            user_country=self.settings.country,
        )

    @cached_property
    def maintenance(self) -> Maintenance:
        from followup.services.maintenance import Maintenance

        return Maintenance(self.context, location=self.location.display)

    def close(self) -> None:
        if not self._closed:
            self.context.repo.close()
            self._closed = True


def _address(value: str) -> str:
    from email.utils import parseaddr

    return parseaddr(value)[1]


def build(settings: Settings, *, clock: Clock | None = None) -> App:
    """Open (and if needed create or migrate) the database and wire the services to it."""
    location = DatabaseLocation.parse(settings.db)
    db = Database(location)
    try:
        backup = ensure_schema(db)
    except BaseException:
        db.close()
        raise
    context = Context(repo=SqlRepository(db), clock=clock or SystemClock(), tz=ZoneInfo(settings.tz))
    return App(settings, context, location, backup, db)
