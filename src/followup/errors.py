"""The error hierarchy: every failure a user can meet, with its message, exit code and HTTP status.

This module is pure (standard library only) so the domain may raise these errors too.
"""

from __future__ import annotations


class FollowupError(Exception):
    """Base of every error `followup` reports to a user; never shown with a traceback."""

    exit_code = 1
    http_status = 500

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class InvalidInputError(FollowupError):
    """A value given by the user (flag, field, file line) cannot be accepted; `field` names the value
    when one is to blame ("email", "time zone"), so a form can show the message beside it."""

    exit_code = 2
    http_status = 422

    def __init__(self, message: str, *, hint: str | None = None, field: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.field = field


class InvalidDateError(InvalidInputError):
    """A date or time the parser does not understand."""


class TemplateError(InvalidInputError):
    """A note template cannot be rendered: the message names the file, the line and the value."""


class NotFoundError(FollowupError):
    """A reference (id or name fragment) matched nothing."""

    exit_code = 3
    http_status = 404


class AmbiguousReferenceError(FollowupError):
    """A name fragment matched several records; the message lists them."""

    exit_code = 4
    http_status = 409


class ConflictError(FollowupError):
    """The change would break a rule of the data (e.g. an address that belongs to someone else)."""

    exit_code = 5
    http_status = 409


class StorageError(FollowupError):
    """The database cannot be opened, read or written."""

    exit_code = 6
    http_status = 503


class SchemaTooNewError(StorageError):
    """The database was written by a newer version of followup."""


class NotADatabaseError(StorageError):
    """The file named as the database is not an SQLite database."""


class ConfigError(FollowupError):
    """A setting or the configuration file is wrong."""

    exit_code = 7
    http_status = 500


class MailServerError(FollowupError):
    """The mail server cannot be reached, refuses the login or the connection broke; `content_sent`
    when it broke after a message's content went out (the server may have accepted it)."""

    exit_code = 8
    http_status = 502
    content_sent = False


class DeliveryError(FollowupError):
    """The mail server refused one message; `reply` keeps its answer, `permanent` says whether
    retrying can help (a 5xx reply) or not."""

    exit_code = 9
    http_status = 502

    def __init__(self, message: str, *, reply: str, permanent: bool, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.reply = reply
        self.permanent = permanent


class AbortedError(FollowupError):
    """The user declined a confirmation."""

    exit_code = 10
    http_status = 400


EXIT_CODES: dict[int, str] = {
    0: "success",
    1: "unexpected failure",
    2: "invalid input (a flag, a field, a date, a file line)",
    3: "not found (no record matches the reference)",
    4: "ambiguous reference (several records match; the message lists them)",
    5: "conflict (e.g. the e-mail address belongs to someone else)",
    6: "storage problem (database missing, locked, not a database, too new)",
    7: "configuration problem",
    8: "mail server problem (cannot connect, login refused, connection lost)",
    9: "a message was refused or could not be sent (see `followup outbox`)",
    10: "aborted at a confirmation prompt",
}
