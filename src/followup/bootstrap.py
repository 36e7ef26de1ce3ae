"""The composition root: the one place that picks adapters (from Settings) and builds the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from followup.clock import SystemClock
from followup.config import Settings
from followup.ports import Clock
from followup.services.browsing import Browser
from followup.services.context import Context
from followup.services.maintenance import Maintenance
from followup.services.tracking import Tracker
from followup.storage.database import Database, DatabaseLocation
from followup.storage.repository import SqlRepository
from followup.storage.schema import ensure_schema


@dataclass
class App:
    settings: Settings
    context: Context
    tracker: Tracker
    browser: Browser
    maintenance: Maintenance
    location: DatabaseLocation
    migration_backup: str | None = None
    _closed: bool = field(default=False, repr=False)

    def close(self) -> None:
        if not self._closed:
            self.context.repo.close()
            self._closed = True


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
    return App(
        settings=settings,
        context=context,
        tracker=Tracker(context),
        browser=Browser(context),
        maintenance=Maintenance(context, location=location.display),
        location=location,
        migration_backup=backup,
    )
