"""Looking after the database: where it is, what it holds, a consistent backup copy."""

from __future__ import annotations

from pathlib import Path

from followup.errors import InvalidInputError
from followup.services.context import Context


class Maintenance:
    def __init__(self, context: Context, *, location: str) -> None:
        self.ctx = context
        self.location = location  # for display: passwords already removed

    def counts(self) -> dict[str, int]:
        return self.ctx.repo.counts()

    def backup(self, target: Path) -> Path:
        target = target.expanduser()
        if target.is_dir():
            raise InvalidInputError(
                f"{target} is a folder.", hint="Give a file name, e.g. followup-backup.sqlite3."
            )
        if not target.parent.exists():
            raise InvalidInputError(
                f"The folder {target.parent} does not exist.", hint="Create it first or choose another path."
            )
        self.ctx.repo.backup(target)
        return target
