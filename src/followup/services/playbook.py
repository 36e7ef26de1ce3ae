"""The playbook in effect: the user's file if there is one, else the shipped default; check and init."""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib.resources import files

from followup.domain.playbook import KNOWN_TEMPLATES, Problem, default_playbook, parse_playbook
from followup.domain.touches import Playbook
from followup.errors import ConfigError, ConflictError, NotFoundError

BUILT_IN = "built-in default"


def shipped_text() -> str:
    """The default playbook file shipped with followup, comments and all."""
    return files("followup").joinpath("playbook.toml").read_text(encoding="utf-8")


def user_playbook_path(env: Mapping[str, str]) -> str:
    """FOLLOWUP_PLAYBOOK when set, else playbook.toml in the user's config folder."""
    from followup.config import user_dir

    named = env.get("FOLLOWUP_PLAYBOOK", "").strip()
    return os.path.expanduser(named) if named else os.path.join(user_dir("config"), "playbook.toml")


class PlaybookService:
    """Reads, checks and creates the user's playbook file; needs no database."""

    def __init__(
        self, path: str, *, required: bool = False, known_templates: frozenset[str] = KNOWN_TEMPLATES
    ) -> None:
        self.path = path
        self.required = required  # named by the user: a missing file is an error, not the default
        self.known_templates = known_templates

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> PlaybookService:
        return cls(user_playbook_path(env), required=bool(env.get("FOLLOWUP_PLAYBOOK", "").strip()))

    def in_effect(self) -> tuple[Playbook, list[Problem], str]:
        """The playbook the planner follows, the problems of the user's file, and where it came from."""
        if not self.required and not os.path.exists(self.path):
            return default_playbook(), [], BUILT_IN
        playbook, problems = parse_playbook(_read(self.path), known_templates=self.known_templates)
        return playbook, problems, self.path

    def target(self, path: str | None) -> str:
        """The file `check` reads: PATH, else the user's playbook, else the shipped default."""
        if path is not None:
            return path
        return self.path if self.required or os.path.exists(self.path) else BUILT_IN

    def check(self, path: str | None) -> list[Problem]:
        """The problems of a playbook file (see `target` for which one)."""
        where = self.target(path)
        text = shipped_text() if where == BUILT_IN and path is None else _read(where)
        return parse_playbook(text, known_templates=self.known_templates)[1]

    def init(self, force: bool) -> str:
        """Copy the shipped default playbook to the user's config folder, to be edited there."""
        if os.path.exists(self.path) and not force:
            raise ConflictError(
                f"{self.path} already exists; it was left as it is.",
                hint="Add --force to replace it with the default playbook (your edits are lost), "
                "or check it with: followup playbook check",
            )
        try:
            os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
            with open(self.path, "w", encoding="utf-8", newline="") as handle:
                handle.write(shipped_text())
        except OSError as exc:
            raise ConfigError(
                f"Cannot write {self.path}: {exc.strerror or exc}.",
                hint="Check the folder's permissions, or set FOLLOWUP_PLAYBOOK to another file.",
            ) from None
        return self.path


def _read(path: str) -> str:
    try:
        # utf-8-sig: editors on Windows often start a UTF-8 file with a byte-order mark
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except FileNotFoundError:
        raise NotFoundError(
            f"The playbook file {path} does not exist.",
            hint="Check the name (and FOLLOWUP_PLAYBOOK), or create the file with: followup playbook init",
        ) from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"The playbook file {path} is not UTF-8 text (line {line} holds a byte that is not).",
            hint='Save it as UTF-8 in your editor ("Save as" → encoding UTF-8).',
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"Cannot read the playbook file {path}: {exc.strerror or exc}.",
            hint="Check that it is a file you may read, or set FOLLOWUP_PLAYBOOK to another file.",
        ) from None
