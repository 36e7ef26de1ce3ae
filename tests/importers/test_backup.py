"""The backup file's shape: ours, a version this followup reads, tables of objects; else why not."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from followup.errors import InvalidInputError
from followup.importers.backup import JsonBackups

TABLES = ("people", "meta")


def test_written_and_read_back() -> None:
    backups = JsonBackups(TABLES)
    rows = {"people": [{"id": 1, "name": "Jürgen"}, {"id": 2, "name": "Raj"}], "meta": []}
    data = backups.encode(rows, schema="0004", exported_at=datetime(2026, 11, 26, 15, 0, 0, 123, tzinfo=UTC))
    text = data.decode()
    assert text.splitlines()[1:6] == [
        '"format": "followup-backup",',
        '"version": 1,',
        '"schema": "0004",',
        '"exported_at": "2026-11-26T15:00:00Z",',
        '"people": [',
    ]
    assert '{"id": 1, "name": "Jürgen"},' in text  # one row a line, readable
    backup = backups.decode(data, "b.json")
    assert (backup.version, backup.schema, backup.tables) == (1, "0004", rows)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"format": "followup-backup",\n "version": 1,,}', "is not valid JSON: Expecting property name"),
        (b"[1, 2]", "is not a followup backup"),
        (b'{"format": "other"}', "is not a followup backup"),
        (b'{"format": "followup-backup", "version": "1"}', "\"version\" is '1', not a number"),
        (b'{"format": "followup-backup", "version": 2}', "written by a newer followup (backup version 2"),
        (b'{"format": "followup-backup", "version": 1, "pets": []}', "holds 'pets', which this version"),
        (b'{"format": "followup-backup", "version": 1, "people": {}}', "'people' is not a list of objects"),
        (b'\xff\xfe{"format"', "is not UTF-8 text"),
    ],
)
def test_what_is_not_a_backup_says_why(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        JsonBackups(TABLES).decode(data, "b.json")
    assert message in error.value.message


def test_the_line_of_a_json_error() -> None:
    with pytest.raises(InvalidInputError) as error:
        JsonBackups(TABLES).decode(
            json.dumps({"format": "followup-backup"}, indent=1)[:-2].encode(), "b.json"
        )
    assert "on line 2" in error.value.message
