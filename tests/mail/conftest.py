"""A real Dovecot IMAP server for the mail adapter tests, one per test session."""

from __future__ import annotations

import contextlib
import dataclasses
import imaplib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from tests.conftest import free_port

NOBODY_UID = 65534

# A foreground Dovecot whose processes all run as nobody, plus a namespace that gives Sent and Drafts
# their SPECIAL-USE flags
# (and German-named folders the same flags, to tell discovery by flag from discovery by usual name).
DOVECOT_CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
default_internal_user = nobody
default_internal_group = nogroup
default_login_user = nobody
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
}}
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
  }}
  mailbox Drafts {{
    special_use = \\Drafts
  }}
  mailbox "Gesendete Objekte" {{
    special_use = \\Sent
  }}
  mailbox Entwürfe {{
    special_use = \\Drafts
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


@dataclass(frozen=True)
class DovecotServer:
    """Where the test Dovecot listens and who may log in (plain IMAP, loopback only)."""

    host: str
    port: int
    user: str
    password: str
    root: Path

    def add_user(self, user: str, password: str) -> DovecotServer:
        """Another mailbox on the same server, ready when this returns.

        Dovecot rereads the users file when it changes, but looks at it at most once a second: a user
        added in the same second as the last login stays unknown for a moment, so wait for it.
        """
        with (self.root / "users").open("a") as users:
            users.write(_user_line(self.root, user, password))
        deadline = time.monotonic() + 5
        while True:
            with imaplib.IMAP4(self.host, self.port, timeout=5) as conn:
                try:
                    conn.login(user, password)
                except imaplib.IMAP4.error:
                    if time.monotonic() > deadline:
                        raise
                else:
                    conn.logout()
                    return dataclasses.replace(self, user=user, password=password)
            time.sleep(0.1)

    def kick(self, user: str) -> None:
        """Close the user's connections from the server side, as an idle timeout or a restart would."""
        subprocess.run(
            ["doveadm", "-c", str(self.root / "dovecot.conf"), "kick", user],
            check=True,
            capture_output=True,
            timeout=10,
        )


def _user_line(root: Path, user: str, password: str) -> str:
    return f"{user}:{{PLAIN}}{password}:{NOBODY_UID}:{NOBODY_UID}::{root}/mail/{user}\n"


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"Dovecot is required under CI=true: {reason}")
    pytest.skip(reason)


def _wait_for_greeting(port: int, process: subprocess.Popen[bytes], root: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                if conn.recv(200).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.05)
    logs = [
        path.read_text(errors="replace")[-1000:]
        for path in (root / "dovecot.out", root / "dovecot.log")
        if path.exists()  # a Dovecot that stopped at once (a folder `nobody` cannot enter) wrote no log
    ]
    pytest.fail(f"Dovecot did not greet on port {port} within 10 s: {' '.join(logs)}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to Dovecot's process group, then wait until every process of it is gone."""
    deadline = time.monotonic() + 10
    signum: int = signal.SIGTERM
    while True:
        try:
            os.killpg(process.pid, signum)
        except ProcessLookupError:
            return
        process.poll()  # reap the master, or the group never looks empty
        signum = 0  # from now on only look whether any is left
        if time.monotonic() > deadline:
            signum, deadline = signal.SIGKILL, float("inf")
        time.sleep(0.02)


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/sbin")


@contextlib.contextmanager
def run_dovecot(binary: str, root: Path, users: dict[str, str]) -> Iterator[int]:
    """Dovecot in the foreground as `nobody`, with its own config in `root` (mail under root/mail, any
    Maildirs already written there are served), on a free loopback port; yields the port."""
    port = free_port()
    (root / "dovecot.conf").write_text(DOVECOT_CONF.format(root=root, port=port), encoding="utf-8")
    (root / "users").write_text("".join(_user_line(root, user, password) for user, password in users.items()))
    for folder in ("run", "state", "mail"):
        (root / folder).mkdir(exist_ok=True)
    subprocess.run(["chown", "-R", "nobody:nogroup", str(root)], check=True)
    root.chmod(0o755)
    # Popen(user=...) rather than `runuser -u nobody --`: runuser answers SIGTERM by waiting 2 s before it
    # kills its child (and may leave the Dovecot master behind); Dovecot alone stops in milliseconds.
    with (root / "dovecot.out").open("wb") as output:
        process = subprocess.Popen(
            [binary, "-F", "-c", str(root / "dovecot.conf")],
            start_new_session=True,
            user="nobody",
            group="nogroup",
            extra_groups=[],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_greeting(port, process, root)
        yield port
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """Dovecot in the foreground as `nobody`, with its own config, on a free loopback port."""
    binary = dovecot_binary()
    if binary is None:
        _unavailable("dovecot not installed; `make test` installs dovecot-imapd")
    if os.geteuid() != 0:
        _unavailable("the test Dovecot runs as `nobody`: run the tests as root to start it")
    # Not pytest's tmp_path: that lives under a root-only 0700 folder `nobody` cannot enter.
    root = Path(tempfile.mkdtemp(prefix="followup-dovecot-"))
    try:
        with run_dovecot(binary, root, {"alice": "s3cret"}) as port:
            yield DovecotServer(host="127.0.0.1", port=port, user="alice", password="s3cret", root=root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def reset_folders(server: DovecotServer, *create: str) -> None:
    """Delete every folder of the user but INBOX, then create `create` (empty)."""
    from imapclient import IMAPClient

    with IMAPClient(server.host, server.port, ssl=False, timeout=10) as client:
        client.login(server.user, server.password)
        names = [name for _flags, _delimiter, name in client.list_folders()]
        for name in sorted(names, reverse=True):  # children before their parents
            if name.upper() != "INBOX":
                client.delete_folder(name)
        for name in create:
            client.create_folder(name)


@pytest.fixture
def imap_folders(dovecot: DovecotServer) -> DovecotServer:
    """Alice's mailbox with just INBOX and the Sent and Drafts folders, freshly created and empty."""
    reset_folders(dovecot, "Sent", "Drafts")
    return dovecot


@pytest.fixture
def bare_folders(dovecot: DovecotServer) -> DovecotServer:
    """Alice's mailbox with INBOX only; the test creates the folders it needs."""
    reset_folders(dovecot)
    return dovecot
