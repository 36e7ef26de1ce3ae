"""Settings, declared once (name, type, default, help) and read from a TOML file and FOLLOWUP_* variables."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from followup.errors import ConfigError, InvalidInputError


def user_dir(kind: str) -> str:
    """The user's data, config or cache folder for followup.

    On Linux and the BSDs this is the XDG rule that platformdirs applies too, written out because
    importing platformdirs costs ~10 ms, a large share of a `followup list` (docs/storage.md).
    Plain os.path rather than pathlib on this path for the same reason (pathlib pulls in urllib).
    """
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        variable, fallback = _XDG[kind]
        base = os.environ.get(variable, "").strip()
        root = base if base.startswith("/") else os.path.join(os.path.expanduser("~"), fallback)
        return os.path.join(root, "followup")
    import platformdirs

    finder = {
        "data": platformdirs.user_data_dir,
        "config": platformdirs.user_config_dir,
        "cache": platformdirs.user_cache_dir,
    }[kind]
    return str(finder("followup", appauthor=False))


_XDG = {
    "data": ("XDG_DATA_HOME", ".local/share"),
    "config": ("XDG_CONFIG_HOME", ".config"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
}


def default_config_file() -> str:
    return os.path.join(user_dir("config"), "config.toml")


def default_database() -> str:
    return os.path.join(user_dir("data"), "followup.sqlite3")


def system_timezone() -> str:
    """The machine's zone name (TZ, else /etc/localtime), falling back to UTC."""
    name = os.environ.get("TZ", "").lstrip(":")
    if (name and "/" in name) or name == "UTC":
        return name
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:
        return "UTC"
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else "UTC"


@dataclass(frozen=True)
class Setting:
    """One setting: its name, how to read it, its default and its help text."""

    name: str
    type: Callable[[str], Any]
    default: Callable[[], Any]
    help: str

    @property
    def env(self) -> str:
        return f"FOLLOWUP_{self.name.upper()}"


def _check_tz(value: str) -> str:
    from followup.domain.validation import check_timezone

    return check_timezone(value)


def _check_country(value: str) -> str:
    from followup.domain.validation import check_country

    return check_country(value)


def _choice(*allowed: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value.lower() not in allowed:
            raise InvalidInputError(
                f"{value!r} is not one of {', '.join(allowed)}.", hint=f"Use one of: {', '.join(allowed)}."
            )
        return value.lower()

    return check


def _port(value: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise InvalidInputError(f"{value!r} is not a port number.", hint="Use a number from 1 to 65535.")
    return int(value)


def _count(value: str) -> int:
    if not value.isdigit():
        raise InvalidInputError(f"{value!r} is not a whole number.", hint="Use a number such as 5.")
    return int(value)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if seconds <= 0:
        raise InvalidInputError(f"{value!r} is not a number of seconds.", hint="Use a number such as 30.")
    return seconds


def _flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise InvalidInputError(f"{value!r} is not true or false.", hint="Use true or false.")


def default_templates_folder() -> str:
    return os.path.join(user_dir("config"), "templates")


SETTINGS: tuple[Setting, ...] = (
    Setting("db", str, default_database, "Database: an SQLite file path or a postgresql:// URL."),
    Setting("tz", _check_tz, system_timezone, "Your time zone (IANA name, e.g. Europe/Berlin)."),
    Setting("country", _check_country, lambda: "US", "Your country (ISO code), for public holidays."),
    Setting("name", str, lambda: "", "Your name, as it signs your notes."),
    Setting("from", str, lambda: "", 'Your address for sending: "Name <address>".'),
    Setting("signature", str, lambda: "", "The lines under your name in every note (e.g. a title)."),
    Setting("phone", str, lambda: "", "Your phone number, offered in notes and voicemail scripts."),
    Setting("links", str, lambda: "", "Links for your notes (portfolio, LinkedIn), separated by spaces."),
    Setting("templates", str, default_templates_folder, "A folder of your own note templates (NAME.txt)."),
    Setting("smtp_host", str, lambda: "", "Outgoing mail server (e.g. smtp.gmail.com)."),
    Setting("smtp_port", _port, lambda: 0, "Its port; 0 picks 465 for ssl, 587 for starttls, 25 for none."),
    Setting(
        "smtp_security",
        _choice("ssl", "starttls", "none"),
        lambda: "starttls",
        "ssl (implicit TLS), starttls, or none (only to a server on this machine).",
    ),
    Setting("smtp_user", str, lambda: "", "Login for the outgoing server; empty: your address."),
    Setting("imap_host", str, lambda: "", "Mailbox server (e.g. imap.gmail.com)."),
    Setting("imap_port", _port, lambda: 0, "Its port; 0 picks 993 for ssl, 143 for starttls and none."),
    Setting(
        "imap_security",
        _choice("ssl", "starttls", "none"),
        lambda: "ssl",
        "ssl (implicit TLS), starttls, or none (only to a server on this machine).",
    ),
    Setting("imap_user", str, lambda: "", "Login for the mailbox server; empty: your address."),
    Setting("imap_sent_folder", str, lambda: "", "The Sent folder's name; empty: found by its special use."),
    Setting("imap_drafts_folder", str, lambda: "", "The Drafts folder's name; empty: found by use."),
    Setting(
        "save_sent_copy",
        _flag,
        lambda: False,
        "Append a copy of each sent note to the Sent folder (for servers that do not do it).",
    ),
    Setting("send_retries", _count, lambda: 5, "Attempts before a failing message is shown as failed."),
    Setting("mail_timeout", _seconds, lambda: 30.0, "Seconds to wait for a mail server before giving up."),
    Setting("sync_days", _count, lambda: 180, "How far back the first mailbox sync reads, in days."),
    Setting(
        "sync_every", _seconds, lambda: 900.0, "Seconds between mailbox syncs by `followup serve`'s worker."
    ),
    Setting(
        "send_every",
        _seconds,
        lambda: 60.0,
        "Seconds between looks for due notes by `followup serve`'s worker.",
    ),
)


@dataclass(frozen=True)
class Settings:
    """The settings in effect for one run."""

    db: str
    tz: str
    country: str
    name: str = ""
    from_: str = ""
    signature: str = ""
    phone: str = ""
    links: str = ""
    templates: str = ""
    smtp_host: str = ""
    smtp_port: int = 0
    smtp_security: str = "starttls"
    smtp_user: str = ""
    imap_host: str = ""
    imap_port: int = 0
    imap_security: str = "ssl"
    imap_user: str = ""
    imap_sent_folder: str = ""
    imap_drafts_folder: str = ""
    save_sent_copy: bool = False
    send_retries: int = 5
    mail_timeout: float = 30.0
    sync_days: int = 180
    sync_every: float = 900.0
    send_every: float = 60.0
    config_file: str | None = None

    @classmethod
    def load(
        cls,
        *,
        env: Mapping[str, str] | None = None,
        config_file: str | None = None,
        overrides: Mapping[str, str | None] | None = None,
    ) -> Settings:
        """Defaults, then the config file, then FOLLOWUP_* variables, then command-line flags."""
        env = os.environ if env is None else env
        path = config_file or env.get("FOLLOWUP_CONFIG") or default_config_file()
        from_file = _read_file(path)
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            raw: Any = None
            origin = ""
            for candidate, where in (
                ((overrides or {}).get(setting.name), f"--{setting.name}"),
                (env.get(setting.env), setting.env),
                (from_file.get(setting.name), f"{path}: {setting.name}"),
            ):
                if candidate not in (None, ""):
                    raw, origin = candidate, where
                    break
            values[_field(setting.name)] = (
                setting.default() if raw is None else _convert(setting, raw, origin)
            )
        return cls(**values, config_file=path)


def _field(name: str) -> str:
    return "from_" if name == "from" else name


def _convert(setting: Setting, raw: Any, origin: str) -> Any:
    try:
        return setting.type(str(raw))
    except InvalidInputError as exc:
        raise ConfigError(f"{origin}: {exc.message}", hint=exc.hint) from None


def _read_file(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read the configuration file {path}: {exc}") from None
    import tomllib  # only when there is a file to read

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}", hint='Fix the TOML syntax, e.g. tz = "Europe/Berlin".') from None
    known = {s.name for s in SETTINGS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting {unknown[0]!r}.",
            hint="Known settings: " + ", ".join(sorted(known)) + ".",
        )
    return data


def write_settings(path: str, updates: Mapping[str, str | int | bool]) -> None:
    """Set some settings in the TOML file, keeping its other lines and comments; written to a side
    file and renamed, so a failure never leaves half a file."""
    import json
    import re

    known = {s.name for s in SETTINGS}
    unknown = sorted(set(updates) - known)
    if unknown:
        raise ConfigError(
            f"Unknown setting {unknown[0]!r}.", hint="Known settings: " + ", ".join(sorted(known))
        )
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        lines = []
    pending = dict(updates)
    for i, line in enumerate(lines):
        match = re.match(r"\s*([A-Za-z_]+)\s*=", line)
        if match and match.group(1) in pending:
            key = match.group(1)
            lines[i] = f"{key} = {_toml(pending.pop(key), json)}"
    lines += [f"{key} = {_toml(value, json)}" for key, value in pending.items()]
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = f"{path}.part"
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


def _toml(value: str | int | bool, json: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return str(json.dumps(value, ensure_ascii=False))  # a JSON string is a valid TOML basic string
