"""Playbook files: the shipped default, and every kind of mistake reported on its line with a fix."""

from __future__ import annotations

from datetime import time
from importlib.resources import files

import pytest

from followup.domain.playbook import (
    KNOWN_TEMPLATES,
    RULE_KINDS,
    TRIGGERS,
    Problem,
    default_playbook,
    describe_rule,
    parse_playbook,
)
from followup.domain.touches import TouchKind


def only_problem(text: str) -> Problem:
    problems = parse_playbook(text)[1]
    assert len(problems) == 1, problems
    return problems[0]


def test_the_shipped_file_is_the_default_playbook() -> None:
    text = files("followup").joinpath("playbook.toml").read_text(encoding="utf-8")
    assert parse_playbook(text) == (default_playbook(), [])


def test_an_empty_file_is_the_default_playbook() -> None:
    assert parse_playbook("") == (default_playbook(), [])


def test_triggers_and_templates_cover_every_rule() -> None:
    # go-cold and find-address are not notes: the planner proposes them without a rule of the file
    assert set(TRIGGERS) == set(TouchKind) - {TouchKind.GO_COLD, TouchKind.FIND_ADDRESS}
    for rule in default_playbook().rules.values():
        assert rule.trigger == TRIGGERS[rule.kind]
        assert {rule.template, rule.alternate_template or rule.template} <= KNOWN_TEMPLATES


def test_a_bad_key_keeps_its_default_and_the_rest_of_the_file_applies() -> None:
    playbook, problems = parse_playbook(
        """\
[rules.resume-check]
delay = 4

[rules.check-in]
delay = "three"
repeat = 3
"""
    )
    assert playbook.rules[TouchKind.RESUME_CHECK].delay == 4
    assert playbook.rules[TouchKind.CHECK_IN].delay == 7
    assert playbook.rules[TouchKind.CHECK_IN].repeat == 3
    assert playbook.rules[TouchKind.FEEDBACK] == default_playbook().rules[TouchKind.FEEDBACK]
    (problem,) = problems
    assert (problem.line, problem.where) == (5, "rules.check-in.delay")
    assert "whole number" in problem.message
    assert "delay = 7" in problem.fix


@pytest.mark.parametrize(
    ("text", "line", "where", "message", "fix"),
    [
        pytest.param("[colours]\nred = 1\n", 1, "colours", "Unknown key 'colours'", "Delete", id="top-table"),
        pytest.param("min_gap = 2\n", 1, "min_gap", "Unknown key", "[defaults]", id="top-key"),
        pytest.param("[check-in]\ndelay = 3\n", 1, "check-in", "Unknown", "[rules.check-in]", id="top-rule"),
        pytest.param("[rules.chek-in]\ndelay = 3\n", 1, "rules.chek-in", "thank-you, resume-check",
                     "[rules.check-in]", id="unknown-kind"),
        pytest.param("[rules.go-cold]\n", 1, "rules.go-cold", "not a rule", "max_unanswered", id="go-cold"),
        pytest.param("[rules.check-in]\n\ndely = 3\n", 3, "rules.check-in.dely", "allowed: trigger",
                     "Did you mean delay?", id="typo"),
        pytest.param("[rules.check-in]\ncadence_days = 30\n", 2, "rules.check-in.cadence_days", "Unknown",
                     "check-in rules do not use cadence_days", id="other-kind-key"),
        pytest.param("[defaults]\ndelay = 3\n", 2, "defaults.delay", "Unknown", "set per rule",
                     id="rule-key-in-defaults"),
        pytest.param('[rules.check-in]\ndelay = "three"\n', 2, "rules.check-in.delay",
                     "not the text 'three'", "delay = 7", id="text-for-number"),
        pytest.param("[rules.check-in]\ndelay = true\n", 2, "rules.check-in.delay", "whole number",
                     "without quotes", id="bool-for-number"),
        pytest.param("[rules.check-in]\ndelay = 2.5\n", 2, "rules.check-in.delay", "not 2.5", "delay = 7",
                     id="fraction"),
        pytest.param("[rules.check-in]\ndelay = -1\n", 2, "rules.check-in.delay", "between 0 and 250",
                     "delay = 7", id="negative"),
        pytest.param("[rules.check-in]\nwindow = 251\n", 2, "rules.check-in.window", "between 0 and 250",
                     "window = 2", id="over-a-year"),
        pytest.param("[rules.check-in]\nrepeat = 0\n", 2, "rules.check-in.repeat", "between 1 and 250",
                     "repeat = 7", id="repeat-zero"),
        pytest.param("[rules.keep-in-touch]\ncadence_days = 0\n", 2, "rules.keep-in-touch.cadence_days",
                     "between 1 and 3650", "cadence_days = 90", id="cadence-zero"),
        pytest.param("[rules.keep-in-touch]\ncadence_days_interviewed = 3651\n", 2,
                     "rules.keep-in-touch.cadence_days_interviewed", "3650", "= 60", id="cadence-long"),
        pytest.param("[rules.check-in]\nmax_unanswered = 0\n", 2, "rules.check-in.max_unanswered",
                     "between 1 and 10", "max_unanswered = 2", id="cap-zero"),
        pytest.param("[rules.post-interview]\nmax_unanswered = 11\n", 2,
                     "rules.post-interview.max_unanswered", "between 1 and 10", "= 2", id="cap-high"),
        pytest.param('[rules.thank-you]\nlate_after = "25:00"\n', 2, "rules.thank-you.late_after",
                     "time of day", 'late_after = "15:00"', id="bad-time"),
        pytest.param('[rules.thank-you]\nlate_after = "18:00"\n', 2, "rules.thank-you.late_after",
                     "outside the send window 09:00-17:00", "between 09:00 and 17:00", id="late-outside"),
        pytest.param('[defaults]\nsend_window = "17:00-09:00"\n', 2, "defaults.send_window", "impossible",
                     "earlier time first", id="impossible-window"),
        pytest.param('[rules.feedback]\nsend_window = "9 to 5"\n', 2, "rules.feedback.send_window",
                     "range of times", '"09:00-17:00"', id="window-words"),
        pytest.param('[rules.feedback]\nsend_window = "09:00-17:60"\n', 2, "rules.feedback.send_window",
                     "'17:60' is not a time", "HH:MM", id="window-bad-minute"),
        pytest.param('[rules.check-in]\ntrigger = "applied"\n', 2, "rules.check-in.trigger",
                     "only the trigger 'application-silent'", 'trigger = "application-silent"', id="trigger"),
        pytest.param('[rules.check-in]\ntemplate = "chek-in"\n', 2, "rules.check-in.template",
                     "known templates: check-in", 'template = "check-in"', id="template"),
        pytest.param('[rules.closing]\nalternate_template = "bye"\n', 2, "rules.closing.alternate_template",
                     "Unknown template 'bye'", "known template", id="alternate-template"),
        pytest.param("[rules.check-in]\ntemplate = 3\n", 2, "rules.check-in.template", "must be text",
                     'template = "check-in"', id="template-type"),
        pytest.param('[rules.check-in]\nenabled = "no"\n', 2, "rules.check-in.enabled", "true or false",
                     "enabled = false", id="enabled-text"),
        pytest.param("[defaults]\nmin_gap = 21\n", 2, "defaults.min_gap", "between 0 and 20", "min_gap = 3",
                     id="min-gap"),
        pytest.param('[defaults]\nprefer_midweek = "yes"\n', 2, "defaults.prefer_midweek", "true or false",
                     "prefer_midweek = true", id="midweek"),
        pytest.param("rules = 3\n", 1, "rules", "must be a table", "[rules]", id="rules-not-table"),
        pytest.param("[rules]\ncheck-in = 3\n", 2, "rules.check-in", "must be a table", "[rules.check-in]",
                     id="rule-not-table"),
    ],
)  # fmt: skip
def test_each_mistake_is_reported_on_its_line_with_a_fix(
    text: str, line: int, where: str, message: str, fix: str
) -> None:
    problem = only_problem(text)
    assert (problem.line, problem.where) == (line, where)
    assert message in problem.message
    assert fix in problem.fix


def test_a_broken_rule_keeps_the_default_of_the_broken_key_only() -> None:
    playbook, _ = parse_playbook('[rules.check-in]\nmax_unanswered = 11\ndelay = 10\ntemplate = "nope"\n')
    rule = playbook.rules[TouchKind.CHECK_IN]
    assert (rule.max_unanswered, rule.delay, rule.template) == (2, 10, "check-in")


def test_the_problem_reads_as_one_line() -> None:
    problem = only_problem('[rules.check-in]\ndelay = "three"\n')
    assert str(problem) == (
        "line 2: rules.check-in.delay: delay must be a whole number of business days, not the text 'three'. "
        "Fix: Write a number without quotes, e.g. delay = 7."
    )


def test_problems_come_in_line_order() -> None:
    problems = parse_playbook("[rules.check-in]\ndelay = -1\n[defaults]\nmin_gap = 99\nwhat = 1\n")[1]
    assert [p.line for p in problems] == [2, 4, 5]


def test_a_syntax_error_gives_its_line_and_column_and_the_default_playbook() -> None:
    playbook, problems = parse_playbook("[rules.check-in]\ndelay = 3\nrepeat = \n")
    assert playbook == default_playbook()
    (problem,) = problems
    assert problem.line == 3
    assert "column 10" in problem.message
    assert "default playbook is used" in problem.message
    assert "double quotes" in problem.fix


def test_an_unclosed_string_is_reported_at_the_end_of_the_file() -> None:
    problem = only_problem('[rules.check-in]\ntemplate = """check-in\n\n')
    assert problem.line == 3
    assert "end of the file" in problem.message


def test_disabling_a_rule() -> None:
    playbook, problems = parse_playbook("[rules.keep-in-touch]\nenabled = false\n")
    assert problems == []
    assert playbook.rule(TouchKind.KEEP_IN_TOUCH) is None
    assert playbook.rules[TouchKind.KEEP_IN_TOUCH].cadence_days == 90
    assert playbook.rule(TouchKind.CHECK_IN) is not None


def test_the_default_send_window_applies_to_rules_without_their_own() -> None:
    playbook, problems = parse_playbook(
        '[defaults]\nsend_window = "08:30 - 16:00"\n\n[rules.feedback]\nsend_window = "10:00-12:00"\n'
    )
    assert problems == []
    assert playbook.rules[TouchKind.CHECK_IN].send_window == (time(8, 30), time(16, 0))
    assert playbook.rules[TouchKind.FEEDBACK].send_window == (time(10, 0), time(12, 0))


def test_a_default_window_that_shuts_out_late_after_is_reported_on_its_own_line() -> None:
    playbook, problems = parse_playbook('[defaults]\nsend_window = "16:00-18:00"\n')
    (problem,) = problems
    assert (problem.line, problem.where) == (2, "defaults.send_window")
    assert "thank-you late_after 15:00" in problem.message
    assert playbook.rules[TouchKind.THANK_YOU].send_window == (time(9, 0), time(17, 0))
    assert playbook.rules[TouchKind.CHECK_IN].send_window == (time(16, 0), time(18, 0))


def test_defaults_settings_apply() -> None:
    playbook, problems = parse_playbook("[defaults]\nmin_gap = 0\nprefer_midweek = false\n")
    assert (problems, playbook.min_gap, playbook.prefer_midweek) == ([], 0, False)


def test_times_may_be_toml_times_and_alternates_may_be_switched_off() -> None:
    playbook, problems = parse_playbook(
        '[rules.thank-you]\nlate_after = 16:00:00\nalternate_template = ""\nsend_window = "08:00-18:00"\n'
    )
    assert problems == []
    rule = playbook.rules[TouchKind.THANK_YOU]
    assert (rule.late_after, rule.alternate_template) == (time(16, 0), None)


def test_templates_of_the_user_can_be_made_known() -> None:
    text = '[rules.check-in]\ntemplate = "my-check-in"\n'
    assert parse_playbook(text)[1] != []
    playbook, problems = parse_playbook(text, known_templates=KNOWN_TEMPLATES | {"my-check-in"})
    assert (problems, playbook.rules[TouchKind.CHECK_IN].template) == ([], "my-check-in")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param('[rules."check-in"]\ndelay = "x"\n', 2, id="quoted-header"),
        pytest.param("[ rules . 'check-in' ]\n  delay = 'x'\n", 2, id="spaced-literal-header"),
        pytest.param('[rules]\n# a comment\ncheck-in.delay = "x"\n', 3, id="dotted-key"),
        pytest.param('[rules]\ncheck-in = { repeat = 3, delay = "x" }\n', 2, id="inline-table"),
        pytest.param('note = """\ndelay = 1\n"""\n[rules.check-in]\ndelay = "x"\n', 5,
                     id="multi-line-string"),
        pytest.param('[rules.feedback]\ndelay = 1\n[rules.check-in]\ndelay = "x"\n', 4, id="same-key-twice"),
    ],
)  # fmt: skip
def test_lines_are_found_for_every_way_of_writing_a_key(text: str, line: int) -> None:
    problems = parse_playbook(text)[1]
    assert [(p.line, p.where) for p in problems if p.where.endswith("delay")] == [
        (line, "rules.check-in.delay")
    ]


def test_every_rule_can_be_described_in_words() -> None:
    rules = default_playbook().rules
    check_in = dict(describe_rule(rules[TouchKind.CHECK_IN]))
    assert check_in["due"] == "7 business days after the application"
    assert check_in["repeats"] == "every 7 business days, at most 2 unanswered"
    assert check_in["send window"] == "09:00-17:00 their local time"
    thank_you = dict(describe_rule(rules[TouchKind.THANK_YOU]))
    assert thank_you["due"].startswith("the same business day; by noon the next business day")
    assert "voicemail" in thank_you["template"]
    assert "every 90 days" in dict(describe_rule(rules[TouchKind.KEEP_IN_TOUCH]))["due"]
    disabled = parse_playbook("[rules.feedback]\nenabled = false\n")[0].rules[TouchKind.FEEDBACK]
    assert dict(describe_rule(disabled))["enabled"].startswith("no")
    assert all(describe_rule(rules[kind]) for kind in RULE_KINDS)
