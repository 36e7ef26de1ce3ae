"""What every command shares: settings from the global options, the services built once, confirmation."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from followup.cli import term

if TYPE_CHECKING:
    from followup.bootstrap import App
    from followup.config import Settings


class Runtime:
    """Settings from the global options, and the services, built on first use."""

    def __init__(self, db: str | None) -> None:
        self.db = db  # --db; FOLLOWUP_DB and the config file are read by Settings
        self._app: App | None = None

    def settings(self) -> Settings:
        from followup.config import Settings

        return Settings.load(overrides={"db": self.db})

    def app(self) -> App:
        if self._app is None:
            from followup.bootstrap import build

            self._app = build(self.settings())
            self._app.before_full_plan = _tell_planning
            if self._app.migration_backup:
                term.echo(
                    f"The database was upgraded; a copy of the old one is at {self._app.migration_backup}",
                    err=True,
                )
        return self._app

    def close(self) -> None:
        if self._app is not None:
            self._app.close()


def _tell_planning() -> None:
    if sys.stderr.isatty():
        term.echo(
            "Planning every follow-up (the playbook or the database is new; this happens once)…", err=True
        )


def confirm(question: str, *, yes: bool) -> None:
    """Ask before destroying anything; `--yes` answers for scripts. No terminal means no."""
    from followup.errors import AbortedError

    if yes:
        return
    if not sys.stdin.isatty():
        raise AbortedError("Not deleting without confirmation.", hint="Add --yes to confirm.")
    if not term.confirm(question):
        raise AbortedError("Nothing was deleted.")
