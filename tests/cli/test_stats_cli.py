"""`followup stats` as a user types it: the figures in words and bars, and the --json shape."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli.conftest import Run

RATE_KEYS = {"key", "outreaches", "answered", "unanswered", "waiting", "rate"}
TOP_KEYS = {
    "as_of",
    "since",
    "weeks",
    "waiting_days",
    "responses",
    "follow_up",
    "funnel",
    "thank_you",
    "weekly",
}


def story(run: Run) -> None:
    """Northwind (a referral): applied, followed up a week later, answered; Contoso: applied, silence."""
    for args in (
        ("add", "opportunity", "Northwind Traders", "Data Engineer", "--source", "referral"),
        ("add", "opportunity", "Contoso", "Analyst", "--source", "job-board"),
        ("add", "person", "Jane Doe", "--email", "jane@northwind.example", "--tz", "America/Chicago"),
        ("link", "jane", "northwind", "--role", "recruiter"),
        ("log", "application", "northwind", "--at", "-40d"),
        ("log", "email-out", "jane", "--subject", "Checking in", "--at", "-33d"),
        ("log", "email-in", "jane", "--subject", "Re: Checking in", "--at", "-30d"),
        ("log", "application", "contoso", "--at", "-30d"),
    ):
        assert run(*args).code == 0, args


def line(out: str, start: str) -> str:
    return next(text for text in out.splitlines() if text.strip().startswith(start))


def section(out: str, title: str) -> str:
    """The lines under a heading, up to the blank line that ends them."""
    return out.split(f"\n{title}", 1)[1].split("\n\n", 1)[0]


def test_stats_in_words_and_bars(run: Run) -> None:
    story(run)
    result = run("stats")
    assert result.code == 0
    out = result.out
    assert "\x1b[" not in out  # no colour on a pipe
    assert re.search(r"all outreaches\s+1 of 2\s+50%  █{10}$", line(out, "all outreaches"))
    assert re.search(r"referral\s+1 of 1\s+100%  █{20}$", line(out, "referral"))
    assert re.search(r"job board\s+0 of 1\s+0%$", line(out, "job board"))
    assert re.search(r"application\s+1 of 2\s+50%", line(out, "application"))
    assert "1 of 1    100%" in line(out, "answers that came after a follow-up")
    assert "10.0 with a follow-up, — without" in line(out, "median days")
    funnel = section(out, "Funnel")
    assert re.search(r"applied\s+2  █{20}$", line(funnel, "applied"))
    assert re.search(r"interview\s+0\s+0% of applied$", line(funnel, "interview"))
    assert re.search(r"offer\s+0\s+— of interview$", line(funnel, "offer"))
    assert "no interview has ended yet" in out
    assert "Weekly activity  the last 12 weeks" in out
    assert len(re.findall(r"^  \d{4}-W\d\d ", out, re.MULTILINE)) == 12


def test_stats_json_has_stable_keys(run: Run) -> None:
    story(run)
    data = json.loads(run("stats", "--json", "--weeks", "3").out)
    assert set(data) == TOP_KEYS
    assert data["since"] is None
    assert data["waiting_days"] == 14
    assert data["as_of"].endswith("Z")
    responses = data["responses"]
    assert set(responses) == {"overall", "by_source", "by_channel", "by_stage"}
    assert responses["overall"] == {
        "key": None,
        "outreaches": 2,
        "answered": 1,
        "unanswered": 1,
        "waiting": 0,
        "rate": 0.5,
    }
    for group in ("by_source", "by_channel", "by_stage"):
        assert all(set(r) == RATE_KEYS for r in responses[group])
    assert [r["key"] for r in responses["by_source"]] == [
        "job-board",
        "company-site",
        "referral",
        "recruiter",
        "network",
        "other",
        None,
    ]
    assert [r["key"] for r in responses["by_channel"]] == [
        "application",
        "resume-sent",
        "email",
        "linkedin",
        "call",
    ]
    assert len(responses["by_stage"]) == 10
    follow_up = data["follow_up"]
    assert set(follow_up) == {
        "responses",
        "after_follow_up",
        "share",
        "median_days_with",
        "median_days_without",
        "with_follow_up",
        "without_follow_up",
    }
    assert (follow_up["responses"], follow_up["after_follow_up"], follow_up["share"]) == (1, 1, 1.0)
    assert follow_up["median_days_with"] == 10.0
    assert follow_up["median_days_without"] is None
    assert follow_up["with_follow_up"]["rate"] == 1.0
    assert follow_up["without_follow_up"]["rate"] == 0.0
    assert data["funnel"] == [
        {"step": "applied", "count": 2, "conversion": None},
        {"step": "interview", "count": 0, "conversion": 0.0},
        {"step": "offer", "count": 0, "conversion": None},
    ]
    assert data["thank_you"] == {"due": 0, "on_time": 0, "late": 0, "missing": 0, "share": None}
    assert data["weeks"] == len(data["weekly"]) == 3
    week = data["weekly"][-1]
    assert set(week) == {"week", "start", "outbound", "inbound", "applications", "interviews"}
    assert re.fullmatch(r"\d{4}-W\d\d", week["week"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", week["start"])


def test_since_limits_the_figures(run: Run) -> None:
    story(run)
    data = json.loads(run("stats", "--json", "--since", "-35d").out)
    assert data["since"] is not None
    assert data["responses"]["overall"]["outreaches"] == 1  # Contoso's; Northwind's began 40 days ago
    assert 5 <= data["weeks"] <= 7
    assert "since" in run("stats", "--since", "-35d").out.splitlines()[0]


def test_an_empty_search_says_so_and_divides_nothing(run: Run) -> None:
    result = run("stats")
    assert result.code == 0
    assert "Nothing to count yet" in result.out
    assert re.search(r"all outreaches\s+0 of 0\s+—", result.out)
    assert "nothing logged in these weeks" in result.out
    data = json.loads(run("stats", "--json").out)
    assert data["responses"]["overall"]["rate"] is None
    assert data["thank_you"]["share"] is None


def test_bad_options_exit_2_with_a_fix(run: Run) -> None:
    future = run("stats", "--since", "+3d")
    assert future.code == 2
    assert "after today" in future.err
    assert "--since -8w" in future.err
    weeks = run("stats", "--weeks", "0")
    assert weeks.code == 2
    assert "--weeks" in weeks.err
    assert "Traceback" not in future.err + weeks.err


def test_the_demo_search_in_numbers(run: Run, tmp_path: Path) -> None:
    assert run("demo", "--quiet").code == 0
    demo = str(tmp_path / "cache" / "followup" / "demo.sqlite3")
    out = run("--db", demo, "stats").out
    assert "Nothing to count yet" not in out
    for heading in ("Response rate", "Following up", "Funnel", "Thank-you notes", "Weekly activity"):
        assert heading in out
    data = json.loads(run("--db", demo, "stats", "--json").out)
    assert data["responses"]["overall"]["outreaches"] > 20
    assert [step["count"] for step in data["funnel"]] == sorted(
        (step["count"] for step in data["funnel"]), reverse=True
    )
    assert data["funnel"][-1]["count"] > 0
    assert data["thank_you"]["due"] > 0
