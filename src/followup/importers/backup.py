"""The JSON backup file: a header (format, version, schema, when) and every table's rows.

    {"format": "followup-backup", "version": 1, "schema": "0004", "exported_at": "…Z",
     "opportunities": [...], "people": [...], "links": [...], "interviews": [...],
     "interactions": [...], "touches": [...], "outbox": [...], "suggestions": [...],
     "mail_folders": [...], "meta": [...]}

The rows are checked value by value when they are restored (storage/snapshot.py); here only the
file's shape is: JSON at all, ours, a version this followup reads, a list of objects for each table.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from followup.domain.imported import Backup
from followup.errors import InvalidInputError

FORMAT = "followup-backup"
VERSION = 1
_HEADER = ("format", "version", "schema", "exported_at")
_FIX = "Give a file written by `followup export json`, unchanged."


class JsonBackups:
    """The BackupFormat port: JSON text, UTF-8, one key per table."""

    def __init__(self, tables: Sequence[str]) -> None:
        self.tables = tuple(tables)

    def encode(
        self, tables: Mapping[str, list[dict[str, Any]]], *, schema: str, exported_at: datetime
    ) -> bytes:
        stamp = exported_at.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
        document: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "schema": schema,
            "exported_at": stamp,
        }
        document.update((key, tables.get(key, [])) for key in self.tables)
        # one row a line: a diff of two backups reads as the records that changed
        parts = [f"{json.dumps(k)}: {json.dumps(document[k], ensure_ascii=False)}" for k in _HEADER]
        for key in self.tables:
            rows = ",\n  ".join(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in document[key])
            parts.append(f"{json.dumps(key)}: [\n  {rows}\n]" if rows else f"{json.dumps(key)}: []")
        return ("{\n" + ",\n".join(parts) + "\n}\n").encode("utf-8")

    def decode(self, data: bytes, source: str) -> Backup:
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise InvalidInputError(f"{source} is not UTF-8 text (byte {exc.start}).", hint=_FIX) from None
        except json.JSONDecodeError as exc:
            raise InvalidInputError(
                f"{source} is not valid JSON: {exc.msg} on line {exc.lineno}, column {exc.colno}.", hint=_FIX
            ) from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise InvalidInputError(
                f'{source} is not a followup backup (no "format": "{FORMAT}").',
                hint=_FIX + " Other programs' files come in with `followup import csv|vcard|linkedin`.",
            )
        version = document.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise InvalidInputError(f'{source}: "version" is {version!r}, not a number.', hint=_FIX)
        if version > VERSION:
            raise InvalidInputError(
                f"{source} was written by a newer followup (backup version {version}; "
                f"this one reads {VERSION}).",
                hint="Upgrade followup (pip install --upgrade followup) to read it.",
            )
        unknown = sorted(set(document) - set(_HEADER) - set(self.tables))
        if unknown:
            raise InvalidInputError(
                f"{source} holds {unknown[0]!r}, which this version of followup does not know.",
                hint="Upgrade followup, or remove that key if you added it.",
            )
        tables: dict[str, list[dict[str, Any]]] = {}
        for key in self.tables:
            rows = document.get(key, [])
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise InvalidInputError(f"{source}: {key!r} is not a list of objects.", hint=_FIX)
            tables[key] = rows
        return Backup(version, str(document.get("schema", "")), str(document.get("exported_at", "")), tables)
