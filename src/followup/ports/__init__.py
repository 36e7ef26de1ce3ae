"""The roles the services depend on; adapters in storage/, mail/, calendar/ and importers/ fill them.

Split by concept (storage, mail, files); every role is importable from here.
"""

from followup.ports.files import (
    BackupFormat,
    CalendarEvent,
    CalendarTodo,
    CalendarWriter,
    CardFiles,
    LinkedInExport,
    SheetFiles,
    Templates,
)
from followup.ports.mail import (
    FolderRole,
    FolderStatus,
    Mailbox,
    MailFile,
    MailFiles,
    MailReader,
    MailSender,
    MailSession,
    MailStore,
    SecretStore,
)
from followup.ports.storage import (
    Clock,
    OutboxStore,
    Repository,
    Snapshots,
    TouchStore,
)

__all__ = [
    "BackupFormat",
    "CalendarEvent",
    "CalendarTodo",
    "CalendarWriter",
    "CardFiles",
    "Clock",
    "FolderRole",
    "FolderStatus",
    "LinkedInExport",
    "MailFile",
    "MailFiles",
    "MailReader",
    "MailSender",
    "MailSession",
    "MailStore",
    "Mailbox",
    "OutboxStore",
    "Repository",
    "SecretStore",
    "SheetFiles",
    "Snapshots",
    "Templates",
    "TouchStore",
]
