"""`import linkedin|csv|vcard|json`, `export csv|vcard|json` as a user runs them: output, --json, errors."""

from __future__ import annotations

import json
from pathlib import Path

from followup.cli import COMMANDS, modules
from tests.cli.conftest import Run

DATA = Path(__file__).parent.parent / "data" / "import"
REPORT_KEYS = {
    "file", "format", "dry_run", "rows", "created", "updated", "unchanged", "skipped", "changes", "notes",
    "map_problems", "encoding", "separator", "header_line", "columns", "ignored_columns", "restored",
}  # fmt: skip


def test_import_and_export_groups_gather_commands_from_several_modules(run: Run) -> None:
    assert COMMANDS["import"] == ("inbox", "transfer")
    assert {m.__name__ for m in modules(["import"])} == {"followup.cli.inbox", "followup.cli.transfer"}
    shown = run("import", "--help").out
    for kind in ("mbox", "maildir", "eml", "ics", "linkedin", "csv", "vcard", "json"):
        assert f"\n    {kind} " in shown, kind
    assert "followup import linkedin ~/Downloads/Connections.csv" in shown
    shown = run("export", "--help").out
    for kind in ("ics", "csv", "vcard", "json"):
        assert f"\n    {kind} " in shown, kind


def test_linkedin_dry_run_then_import_then_again(run: Run) -> None:
    path = str(DATA / "linkedin-Connections.csv")
    dry = run("import", "linkedin", path, "--dry-run")
    assert dry.code == 0, dry.err
    assert "header on line 4 (the lines above it left out)" in dry.out
    assert "line 5: would create person Jane Doe (Northwind Traders) (new)" in dry.out
    assert "Would create 5 people; 1 skipped." in dry.out
    assert "Dry run: nothing was written." in dry.out
    assert "Skipped linkedin-Connections.csv, line 9, First Name: the connection has no name" in dry.err
    assert json.loads(run("list", "people", "--json").out) == {"people": []}
    done = run("import", "linkedin", path)
    assert "Created 5 people; 1 skipped." in done.out
    assert "keep-in-touch notes are due now" in done.out
    again = run("import", "linkedin", path, "--json")
    report = json.loads(again.out)
    assert set(report) == REPORT_KEYS
    assert (report["created"], report["updated"], report["unchanged"]) == ({}, {}, 5)
    assert report["skipped"] == [
        {
            "line": 9,
            "field": "First Name",
            "message": "the connection has no name (LinkedIn leaves it empty for some members).",
            "fix": "Add the name in the file, or leave the row out.",
        }
    ]
    assert report["changes"][0] == {
        "line": 5,
        "action": "unchanged",
        "kind": "person",
        "id": 1,
        "label": "Jane Doe (Northwind Traders)",
        "because": "matched by LinkedIn profile",
    }
    people = json.loads(run("list", "people", "--role", "network", "--json").out)["people"]
    assert len(people) == 5
    assert "keep-in-touch" in run("today").out


def test_csv_import_with_a_map_and_its_problems(run: Run, tmp_path: Path) -> None:
    (tmp_path / "map.toml").write_text('[columns]\ncompany = "Firma"\ntitle = "Stelle"\nstauts = "Zustand"\n')
    (tmp_path / "jobs.csv").write_text("Firma;Stelle;Zustand\nContoso;Engineer;Applied\n;Analyst;Offer\n")
    result = run("import", "csv", str(tmp_path / "jobs.csv"), "--map-file", str(tmp_path / "map.toml"))
    assert result.code == 0, result.err
    assert "separated by semicolons" in result.out
    assert "Columns: company ← 'Firma', title ← 'Stelle'" in result.out
    assert "Not imported: 'Zustand'." in result.out
    assert "map.toml: line 4: columns.stauts: 'stauts' is not a field followup imports." in result.err
    assert "Skipped jobs.csv, line 3, Firma: the company is empty. Fix: Fill in the company" in result.err
    assert "Created 1 opportunity; 1 skipped." in result.out
    spec = "company=Firma,title=Stelle,status=Zustand"
    mapped = run("import", "csv", str(tmp_path / "jobs.csv"), "--map", spec, "--json")
    report = json.loads(mapped.out)
    assert report["columns"] == {"company": "Firma", "title": "Stelle", "status": "Zustand"}
    assert report["skipped"][0]["line"] == 3
    assert report["created"] == {"interaction": 1}  # the status of the known row, now that it is read


def test_csv_import_of_excel_files(run: Run) -> None:
    result = run("import", "csv", str(DATA / "excel-windows-1252.csv"))
    assert "Read excel-windows-1252.csv: Windows-1252, separated by commas" in result.out
    assert "Created 2 people, 4 opportunities, 2 roles, 5 ledger entries." in result.out
    result = run("import", "csv", str(DATA / "excel-unicode-text.txt"), "--dry-run")
    assert "UTF-16, separated by tabs" in result.out
    listing = json.loads(run("list", "--json").out)["opportunities"]
    assert {o["company"]: o["stage"] for o in listing}["Société Générale"] == "screening"


def test_vcard_import_and_export(run: Run, tmp_path: Path) -> None:
    result = run("import", "vcard", str(DATA / "google-contacts.vcf"), "--network")
    assert "Created 2 people; 1 skipped." in result.out
    assert "line 24, FN: the card has no name (FN or N)." in result.err
    exported = run("export", "vcard", str(tmp_path / "out.vcf"))
    assert f"Wrote 2 cards (vCard 3.0) to {tmp_path / 'out.vcf'}" in exported.out
    text = (tmp_path / "out.vcf").read_text()
    assert "CATEGORIES:network" in text
    assert "EMAIL;TYPE=INTERNET:jane@northwind.example" in text
    stdout = run("export", "vcard", "--version", "4.0")
    assert stdout.out.startswith("BEGIN:VCARD\r\nVERSION:4.0")
    refused = run("export", "vcard", "--json")
    assert refused.code == 2
    assert "--json describes a file written" in refused.err


def test_csv_export_writes_three_files(run: Run, tmp_path: Path) -> None:
    run("import", "csv", str(DATA / "excel-windows-1252.csv"))
    result = run("export", "csv", str(tmp_path / "out"), "--json")
    assert result.code == 0, result.err
    files = json.loads(result.out)["files"]
    assert [(Path(f["path"]).name, f["rows"]) for f in files] == [
        ("opportunities.csv", 4),
        ("people.csv", 2),
        ("interactions.csv", 5),
    ]
    assert (tmp_path / "out" / "people.csv").read_bytes().startswith(b"\xef\xbb\xbfId,Name,Email")
    only = run("export", "csv", str(tmp_path / "one"), "--what", "people")
    assert only.out == f"Wrote 2 rows to {tmp_path / 'one' / 'people.csv'}\n"
    (tmp_path / "file").write_text("x")
    assert run("export", "csv", str(tmp_path / "file")).code == 2


def test_json_backup_and_restore(run: Run, tmp_path: Path) -> None:
    run("import", "linkedin", str(DATA / "linkedin-Connections.csv"))
    run("import", "csv", str(DATA / "excel-windows-1252.csv"))
    run("today")  # plans, so the backup holds touches
    backup = tmp_path / "backup.json"
    written = run("export", "json", str(backup), "--json")
    tables = json.loads(written.out)["tables"]
    assert tables["people"] == 6
    assert tables["touches"] > 0
    refused = run("import", "json", str(backup))
    assert refused.code == 5
    assert "already holds records" in refused.err
    assert "--merge" in refused.err
    fresh = tmp_path / "fresh.sqlite3"
    restored = run("--db", str(fresh), "import", "json", str(backup))
    assert restored.code == 0, restored.err
    assert "Restored 4 opportunities, 6 people, 2 links" in restored.out
    again = run("--db", str(fresh), "export", "json")
    first, second = json.loads(backup.read_text()), json.loads(again.out)
    first.pop("exported_at"), second.pop("exported_at")
    assert first == second
    merged = run("import", "json", str(backup), "--merge", "--json")
    assert json.loads(merged.out)["created"] == {}


def test_bad_files_are_messages_not_tracebacks(run: Run, tmp_path: Path) -> None:
    (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04 a workbook")
    (tmp_path / "broken.json").write_text('{"format": "followup-backup", "version": 1, "people": [}')
    cases = [
        (("import", "csv", str(tmp_path / "book.xlsx")), "is a workbook (.xlsx or .ods), not a text file"),
        (("import", "linkedin", str(DATA / "excel-windows-1252.csv")), "is not LinkedIn's Connections.csv"),
        (("import", "vcard", str(DATA / "semicolon.csv")), "holds no vCard"),
        (("import", "json", str(tmp_path / "broken.json")), "is not valid JSON"),
        (("import", "csv", str(tmp_path / "missing.csv")), "Cannot read"),
        (("import", "csv", str(DATA / "semicolon.csv")), "No column holds the company"),
        (("import", "csv", str(DATA / "semicolon.csv"), "--map", "compny=Firma"), "'compny' is not a field"),
        (("import", "csv", str(DATA / "semicolon.csv"), "--contact-role", "boss"), "'boss' is not a role"),
        (("import", "linkedin", str(DATA / "linkedin-Connections.csv"), "--cadence", "0"), "out of range"),
        (("import", "csv", str(DATA / "semicolon.csv"), "--encoding", "klingon"), "not an encoding"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.code == 2, (args, result.err)
        assert message in result.err, args
        assert "Traceback" not in result.err


def test_help_and_other_commands_do_not_load_the_import_machinery() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, io, contextlib\n"
        "from followup.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: main(['--help'])\n"
        "    except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('vobject', 'followup.importers', "
        "'followup.services.transfer', 'csv'))))"
    )
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def test_json_dry_run_shows_the_restore_or_the_merge_and_writes_nothing(run: Run, tmp_path: Path) -> None:
    run("import", "linkedin", str(DATA / "linkedin-Connections.csv"))
    backup = tmp_path / "backup.json"
    assert run("export", "json", str(backup)).code == 0
    fresh = tmp_path / "fresh.sqlite3"

    dry = run("--db", str(fresh), "import", "json", str(backup), "--dry-run")
    assert dry.code == 0, dry.err
    assert "Would restore exactly (backup of" in dry.out
    assert "Would restore 5 people" in dry.out
    assert "Dry run: nothing was written." in dry.out
    assert json.loads(run("--db", str(fresh), "list", "people", "--json").out) == {"people": []}
    restored = run("--db", str(fresh), "import", "json", str(backup))  # still restorable: it stayed empty
    assert "Restored 5 people" in restored.out

    run("add", "person", "Priya Natarajan", "--email", "priya@x.example")
    other = tmp_path / "other.json"
    run("export", "json", str(other))
    merge = run("--db", str(fresh), "import", "json", str(other), "--merge", "--dry-run", "--json")
    assert merge.code == 0, merge.err
    report = json.loads(merge.out)
    assert report["dry_run"] is True
    assert report["created"] == {"person": 1}  # Priya; the five others are already there
    names = [p["name"] for p in json.loads(run("--db", str(fresh), "list", "people", "--json").out)["people"]]
    assert "Priya Natarajan" not in names
    assert len(names) == 5


def test_a_spreadsheet_may_give_countries_by_name(run: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "contacts.csv"
    sheet.write_text(
        "Name,Email,Company,Country\n"
        "Jane Doe,jane@northwind.example,Northwind Traders,Germany\n"
        "Raj Patel,raj@contoso.example,Contoso,United Kingdom\n"
        "Ana Souza,ana@x.example,X,Narnia\n",
        encoding="utf-8",
    )
    result = run("import", "csv", str(sheet), "--kind", "people")
    assert result.code == 0, result.err
    assert "Skipped contacts.csv, line 4, Country: the country 'Narnia' is neither" in result.err
    people = {p["name"]: p for p in json.loads(run("list", "people", "--json").out)["people"]}
    assert {name: people[name]["country"] for name in ("Jane Doe", "Raj Patel")} == {
        "Jane Doe": "DE",
        "Raj Patel": "GB",
    }
    assert "Ana Souza" not in people
