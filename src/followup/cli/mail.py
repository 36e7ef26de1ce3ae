"""`followup mail setup` and `followup mail test`: the mail servers, the passwords, and a test message."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from followup.cli.output import JSON, emit_json
from followup.cli.parsing import Arg, command, flag_pair
from followup.cli.runtime import Runtime
from followup.cli.term import echo

# Flags of `mail setup`, each the setting of the same name (`--smtp-host` → smtp_host).
_FIELDS = (
    ("from", "Your name and address", 'e.g. "Alex Morgan <alex@example.org>"'),
    ("smtp_host", "Outgoing server (SMTP)", "e.g. smtp.fastmail.com"),
    ("smtp_security", "Its security", "ssl, starttls or none"),
    ("smtp_port", "Its port", "0 for the usual one"),
    ("smtp_user", "Its login", "empty: your address"),
    ("imap_host", "Mailbox server (IMAP, for Sent and Drafts)", "empty: none"),
    ("imap_security", "Its security", "ssl, starttls or none"),
    ("imap_port", "Its port", "0 for the usual one"),
    ("imap_user", "Its login", "empty: your address"),
)


@command(
    "mail setup",
    *(Arg(f"--{name.replace('_', '-')}", dest=name.replace("from", "from_"), metavar="VALUE",
          help=f"{label} ({example})") for name, label, example in _FIELDS),
    flag_pair(
        "--save-sent-copy",
        "--no-save-sent-copy",
        "save_sent_copy",
        default=None,
        help="append each sent note to your Sent folder (for servers that do not)",
    ),
    Arg("--password-stdin", action="store_true", help="read the password (SMTP and IMAP) from stdin"),
    JSON,
)  # fmt: skip
def setup(
    runtime: Runtime, password_stdin: bool, save_sent_copy: bool | None, as_json: bool, **values: Any
) -> None:
    """Set up sending: your address, the servers, and the password (kept in the system keyring).

    Without flags on a terminal it asks for each value. Passwords never go to the config file,
    the database or any output; without a keyring, set FOLLOWUP_SMTP_PASSWORD instead.

    Examples:
      followup mail setup
      followup mail setup --from "Alex Morgan <alex@example.org>" --smtp-host smtp.example.org \\
          --smtp-security ssl --imap-host imap.example.org --password-stdin < password.txt
    """
    settings = runtime.settings()
    given = {name: values.get(name.replace("from", "from_")) for name, _, _ in _FIELDS}
    interactive = not any(v is not None for v in given.values()) and sys.stdin.isatty() and not password_stdin
    password = ""
    if interactive:
        current = {name: getattr(settings, name.replace("from", "from_")) for name, _, _ in _FIELDS}
        for name, label, example in _FIELDS:
            if name.startswith("imap_") and name != "imap_host" and not given.get("imap_host"):
                continue
            shown = current[name] if current[name] not in ("", 0) else ""
            answer = input(f"{label} ({example}) [{shown}]: ").strip()
            given[name] = answer or None
        password = getpass.getpass("Password or app password (empty: keep the stored one): ")
    elif password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    updates: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    if save_sent_copy is not None:
        updates["save_sent_copy"] = save_sent_copy
    imap = updates.get("imap_host") or settings.imap_host
    passwords = {"smtp": password, **({"imap": password} if imap else {})} if password else {}
    result = runtime.app().mail_setup.configure(updates, passwords)
    if as_json:
        emit_json({"config_file": result.config_file, "changed": list(result.changed),
                   "passwords": list(result.passwords)})  # fmt: skip
        return
    if result.changed:
        echo(f"Saved {', '.join(result.changed)} in {result.config_file}.")
    for line in result.passwords:
        echo(line + ".")
    if not (result.changed or result.passwords):
        echo("Nothing changed.")
    echo("Try it with `followup mail test`.")


@command("mail test", JSON)
def test(runtime: Runtime, as_json: bool) -> None:
    """Send a short test message to yourself with the mail settings in effect.

    Example: followup mail test
    """
    app = runtime.app()
    result = app.mail_setup.test(now=app.context.now())
    if as_json:
        emit_json({"to": result.to, "message_id": result.message_id, "sent_folder": result.sent_folder})
        return
    echo(f"Sent a test message to {result.to} ({result.message_id}).")
    if result.sent_folder is not None:
        echo(f"Mailbox login works; the message is {result.sent_folder} in your Sent folder.")


COMMANDS = [setup, test]
