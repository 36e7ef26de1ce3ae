"""`followup playbook show|init|check`: the round trip, --json keys, exit codes, no database needed."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest

from tests.cli.conftest import Run

RULE_KEYS = {
    "kind",
    "trigger",
    "template",
    "alternate_template",
    "delay",
    "window",
    "repeat",
    "max_unanswered",
    "urgent",
    "enabled",
    "send_window",
    "late_after",
    "after_decision",
    "cadence_days",
    "cadence_days_interviewed",
}
PROBLEM_KEYS = {"line", "where", "message", "fix"}
KINDS = [
    "thank-you",
    "resume-check",
    "check-in",
    "post-interview",
    "feedback",
    "reply-owed",
    "keep-in-touch",
    "closing",
]


@pytest.fixture
def user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where `playbook init` writes: the config folder under a throwaway XDG_CONFIG_HOME."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("FOLLOWUP_PLAYBOOK", raising=False)
    return tmp_path / "config" / "followup" / "playbook.toml"


def test_without_a_file_the_built_in_playbook_is_shown(run: Run, user_file: Path) -> None:
    result = run("playbook", "show")
    assert (result.code, result.err) == (0, "")
    assert "Playbook: built-in default" in result.out
    assert "7 business days after the application" in result.out
    shown = json.loads(run("playbook", "show", "--json").out)
    assert set(shown) == {"source", "defaults", "rules", "problems"}
    assert shown["source"] == "built-in default"
    assert shown["defaults"] == {"min_gap": 3, "prefer_midweek": True}
    assert [r["kind"] for r in shown["rules"]] == KINDS
    assert all(set(r) == RULE_KEYS for r in shown["rules"])
    thank_you = shown["rules"][0]
    assert (thank_you["send_window"], thank_you["late_after"]) == ("09:00-17:00", "15:00")
    assert shown["problems"] == []


def test_init_check_show_round_trip(run: Run, user_file: Path, tmp_path: Path) -> None:
    created = run("playbook", "init")
    assert created.code == 0, created.err
    assert str(user_file) in created.out
    assert user_file.read_text(encoding="utf-8") == (
        files("followup").joinpath("playbook.toml").read_text(encoding="utf-8")
    )
    checked = run("playbook", "check")
    assert (checked.code, checked.out) == (0, f"No problems in {user_file}.\n")

    user_file.write_text(
        user_file.read_text(encoding="utf-8").replace("delay = 3\n", "delay = 4\n", 1), encoding="utf-8"
    )
    shown = json.loads(run("playbook", "show", "--json").out)
    assert shown["source"] == str(user_file)
    assert [r["delay"] for r in shown["rules"] if r["kind"] == "resume-check"] == [4]
    assert not (tmp_path / "followup.sqlite3").exists()  # no database was opened


def test_init_refuses_to_overwrite_without_force(run: Run, user_file: Path) -> None:
    run("playbook", "init")
    user_file.write_text("[rules.check-in]\ndelay = 9\n", encoding="utf-8")
    refused = run("playbook", "init")
    assert refused.code == 5
    assert "--force" in refused.err
    assert user_file.read_text(encoding="utf-8") == "[rules.check-in]\ndelay = 9\n"
    assert run("playbook", "init", "--force").code == 0
    assert "[rules.thank-you]" in user_file.read_text(encoding="utf-8")


BROKEN = """\
[rules.resume-check]
delay = 4

[rules.check-in]
dely = 3
delay = "three"
"""


def test_check_prints_each_problem_with_file_line_and_fix(run: Run, user_file: Path) -> None:
    user_file.parent.mkdir(parents=True)
    user_file.write_text(BROKEN, encoding="utf-8")
    result = run("playbook", "check")
    assert result.code == 2
    assert result.out.splitlines() == [
        f"{user_file}:5: rules.check-in.dely: Unknown key 'dely' in [rules.check-in]; allowed: trigger, "
        "template, enabled, urgent, send_window, window, delay, repeat, max_unanswered.",
        "  fix: Did you mean delay? Rename the key.",
        f"{user_file}:6: rules.check-in.delay: delay must be a whole number of business days, "
        "not the text 'three'.",
        "  fix: Write a number without quotes, e.g. delay = 7.",
    ]
    assert f"2 problems in {user_file}" in result.err


def test_check_json_has_stable_keys(run: Run, user_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "mine.toml"
    other.write_text(BROKEN, encoding="utf-8")
    result = run("playbook", "check", str(other), "--json")
    assert result.code == 2
    checked = json.loads(result.out)
    assert set(checked) == {"file", "problems"}
    assert checked["file"] == str(other)
    assert all(set(p) == PROBLEM_KEYS for p in checked["problems"])
    assert [(p["line"], p["where"]) for p in checked["problems"]] == [
        (5, "rules.check-in.dely"),
        (6, "rules.check-in.delay"),
    ]
    clean = run("playbook", "check", "--json")
    assert (clean.code, json.loads(clean.out)) == (0, {"file": "built-in default", "problems": []})


def test_show_applies_the_valid_parts_and_lists_problems_on_stderr(run: Run, user_file: Path) -> None:
    user_file.parent.mkdir(parents=True)
    user_file.write_text(BROKEN, encoding="utf-8")
    result = run("playbook", "show")
    assert result.code == 0
    assert "3 business days after" not in result.out  # resume-check now waits 4
    assert "4 business days after the résumé was passed on" in result.out
    assert f"{user_file}:6: rules.check-in.delay:" in result.err
    shown = json.loads(run("playbook", "show", "--json").out)
    assert [p["line"] for p in shown["problems"]] == [5, 6]
    assert all(set(p) == PROBLEM_KEYS for p in shown["problems"])


def test_followup_playbook_names_another_file(
    run: Run, user_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere" / "rules.toml"
    monkeypatch.setenv("FOLLOWUP_PLAYBOOK", str(elsewhere))
    assert run("playbook", "init").code == 0
    assert elsewhere.exists()
    assert not user_file.exists()
    assert json.loads(run("playbook", "show", "--json").out)["source"] == str(elsewhere)


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (None, 3, "does not exist"),
        (b'[rules.check-in]\ntemplate = "caf\xe9"\n', 7, "not UTF-8 text (line 2"),
    ],
)
def test_a_file_that_cannot_be_read_is_an_error_with_a_fix(
    run: Run, user_file: Path, tmp_path: Path, content: bytes | None, code: int, message: str
) -> None:
    target = tmp_path / "other.toml"
    if content is not None:
        target.write_bytes(content)
    result = run("playbook", "check", str(target))
    assert result.code == code
    assert message in result.err
    assert str(target) in result.err
    assert "Traceback" not in result.err


def test_a_syntax_error_in_the_users_file_falls_back_to_the_default(run: Run, user_file: Path) -> None:
    user_file.parent.mkdir(parents=True)
    user_file.write_text("[rules.check-in]\ndelay = \n", encoding="utf-8")
    shown = run("playbook", "show", "--json")
    assert shown.code == 0
    (problem,) = json.loads(shown.out)["problems"]
    assert problem["line"] == 2
    assert "column 9" in problem["message"]
    checked = run("playbook", "check")
    assert checked.code == 2
    assert checked.out.startswith(f"{user_file}:2: TOML: Syntax error at column 9")


def test_a_missing_file_named_by_followup_playbook_is_an_error(
    run: Run, user_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLLOWUP_PLAYBOOK", str(tmp_path / "typo.toml"))
    for command in ("show", "check"):
        result = run("playbook", command)
        assert result.code == 3
        assert "typo.toml does not exist" in result.err
        assert "playbook init" in result.err
