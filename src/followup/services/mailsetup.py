"""Mail setup: the servers in the config file, the passwords in the keyring, and a test message."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from typing import TYPE_CHECKING

from followup.config import Settings, default_config_file, write_settings
from followup.domain.message import as_bytes
from followup.domain.outbox import OutboxMessage, OutboxState, message_id
from followup.errors import ConfigError
from followup.ports import FolderRole

if TYPE_CHECKING:
    from datetime import datetime

    from followup.ports import Mailbox, MailSender, SecretStore


@dataclass(frozen=True)
class SetupResult:
    config_file: str
    changed: tuple[str, ...]  # the setting names written
    passwords: tuple[str, ...]  # "SMTP password stored in the system keyring (…)"


@dataclass(frozen=True)
class TestResult:
    to: str
    message_id: str
    sent_folder: str | None  # "found" / "not found yet" when IMAP is set up


class MailSetup:
    def __init__(
        self,
        settings: Settings,
        secrets: SecretStore,
        *,
        sender: Callable[[], MailSender],
        mailbox: Callable[[], Mailbox | None],
    ) -> None:
        self.settings, self.secrets = settings, secrets
        self._sender, self._mailbox = sender, mailbox

    def configure(self, values: Mapping[str, str | int | bool], passwords: Mapping[str, str]) -> SetupResult:
        """Write the given settings to the config file and the passwords to the keyring. Every value
        is checked first, so a bad one leaves both untouched."""
        from followup.config import SETTINGS

        by_name = {s.name: s for s in SETTINGS}
        checked: dict[str, str | int | bool] = {}
        for name, value in values.items():
            if value in ("", None):
                continue
            try:
                by_name[name].type(str(value))
            except KeyError:
                raise ConfigError(f"Unknown setting {name!r}.") from None
            checked[name] = value
        if "from" in checked and not parseaddr(str(checked["from"]))[1]:
            raise ConfigError(
                f"{checked['from']!r} has no e-mail address.",
                hint='Give it as "Your Name <you@example.com>".',
            )
        stored = tuple(
            f"{name.upper()} password stored in {self.secrets.set(name, value)}"
            for name, value in passwords.items()
            if value
        )
        path = self.settings.config_file or default_config_file()
        if checked:
            write_settings(path, checked)
        return SetupResult(path, tuple(checked), stored)

    def test(self, *, now: datetime) -> TestResult:
        """Send a short message to yourself over the configured server; with IMAP set up, log in too."""
        name, address = parseaddr(self.settings.from_)
        if not address:
            raise ConfigError(
                "Your own address is not set.",
                hint='Run `followup mail setup --from "Name <you@example.com>"`.',
            )
        mid = message_id(secrets.token_hex(12), address)
        message = OutboxMessage(
            touch_id=None,
            kind="test",
            state=OutboxState.APPROVED,
            subject="followup test message",
            body="This is a test message from followup: your outgoing mail settings work.\n",
            from_name=self.settings.name or name,
            from_address=address,
            to_name=self.settings.name or name,
            to_address=address,
            message_id=mid,
            date=now,
        )
        with self._sender().session() as session:
            session.send(as_bytes(message), sender=address, recipients=[address], before_content=lambda: None)
        found: str | None = None
        mailbox = self._mailbox()
        if mailbox is not None:
            try:
                found = "found" if mailbox.contains(FolderRole.SENT, mid) else "not there (yet)"
            finally:
                mailbox.close()
        return TestResult(address, mid, found)
