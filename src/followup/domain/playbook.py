"""Playbook files: TOML text in, (playbook, problems) out; a broken key falls back to its default."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import time
from functools import partial
from typing import Any

from followup.domain.touches import Playbook, Rule, TouchKind
from followup.errors import InvalidInputError


@dataclass(frozen=True)
class Problem:
    """One problem in a playbook file: where it is and how to fix it."""

    line: int | None
    where: str  # the key's dotted path, e.g. "rules.check-in.delay"
    message: str
    fix: str

    def __str__(self) -> str:
        at = f"line {self.line}: " if self.line is not None else ""
        return f"{at}{self.where}: {self.message} Fix: {self.fix}"


KNOWN_TEMPLATES: frozenset[str] = frozenset({
    "thank-you", "voicemail", "resume-check", "check-in", "post-interview", "feedback", "reply-owed",
    "keep-in-touch", "closing-withdraw", "closing-thanks",
})  # fmt: skip
TRIGGERS: dict[TouchKind, str] = {
    TouchKind.THANK_YOU: "interview-ended",
    TouchKind.RESUME_CHECK: "resume-sent",
    TouchKind.CHECK_IN: "application-silent",
    TouchKind.POST_INTERVIEW: "interview-held",
    TouchKind.FEEDBACK: "outcome-closed",
    TouchKind.REPLY_OWED: "inbound-human",
    TouchKind.KEEP_IN_TOUCH: "network",
    TouchKind.CLOSING: "offer-accepted",
}
RULE_KINDS: tuple[TouchKind, ...] = tuple(TRIGGERS)  # go-cold follows from check-in; it has no rule
DEFAULT_SEND_WINDOW = (time(9, 0), time(17, 0))

# Keys a rule accepts beyond these are those its kind uses: a `cadence_days` under check-in would be
# silently ignored by the planner, so it is reported instead.
_COMMON = ("trigger", "template", "enabled", "urgent", "send_window", "window")
RULE_KEYS: dict[TouchKind, tuple[str, ...]] = {
    TouchKind.THANK_YOU: (*_COMMON, "delay", "late_after", "alternate_template"),
    TouchKind.RESUME_CHECK: (*_COMMON, "delay"),
    TouchKind.CHECK_IN: (*_COMMON, "delay", "repeat", "max_unanswered"),
    TouchKind.POST_INTERVIEW: (*_COMMON, "delay", "repeat", "max_unanswered", "after_decision"),
    TouchKind.FEEDBACK: (*_COMMON, "delay"),
    TouchKind.REPLY_OWED: (*_COMMON, "delay"),
    TouchKind.KEEP_IN_TOUCH: (*_COMMON, "cadence_days", "cadence_days_interviewed"),
    TouchKind.CLOSING: (*_COMMON, "delay", "alternate_template"),
}
DEFAULT_KEYS = ("send_window", "prefer_midweek", "min_gap")
_YEAR, _BD = 250, "business days"  # a delay longer than a working year is a typo, not a plan
_NUMBERS: dict[str, tuple[int, int, str]] = {
    "delay": (0, _YEAR, _BD), "window": (0, _YEAR, _BD), "repeat": (1, _YEAR, _BD),
    "after_decision": (0, _YEAR, _BD), "min_gap": (0, 20, _BD), "max_unanswered": (1, 10, "unanswered notes"),
    "cadence_days": (1, 3650, "days"), "cadence_days_interviewed": (1, 3650, "days"),
}  # fmt: skip
_FLAGS = frozenset({"urgent", "enabled", "prefer_midweek"})
_SYNTAX_FIX = (
    'Correct the TOML on that line: text in double quotes (template = "check-in"), numbers and '
    "true/false without quotes (delay = 7), one key per line, table names in brackets ([rules.check-in])."
)


def default_playbook() -> Playbook:
    """The shipped playbook (src/followup/playbook.toml), built in code so the domain reads no file."""
    rules = [
        Rule(TouchKind.THANK_YOU, TRIGGERS[TouchKind.THANK_YOU], "thank-you", urgent=True,
             alternate_template="voicemail", late_after=time(15, 0)),
        Rule(TouchKind.RESUME_CHECK, TRIGGERS[TouchKind.RESUME_CHECK], "resume-check", delay=3, window=1),
        Rule(TouchKind.CHECK_IN, TRIGGERS[TouchKind.CHECK_IN], "check-in", delay=7, repeat=7, window=2,
             max_unanswered=2),
        Rule(TouchKind.POST_INTERVIEW, TRIGGERS[TouchKind.POST_INTERVIEW], "post-interview", after_decision=2,
             delay=5, repeat=5, window=2, max_unanswered=2),
        Rule(TouchKind.FEEDBACK, TRIGGERS[TouchKind.FEEDBACK], "feedback", delay=1, window=1),
        Rule(TouchKind.REPLY_OWED, TRIGGERS[TouchKind.REPLY_OWED], "reply-owed", delay=1, urgent=True),
        Rule(TouchKind.KEEP_IN_TOUCH, TRIGGERS[TouchKind.KEEP_IN_TOUCH], "keep-in-touch", cadence_days=90,
             cadence_days_interviewed=60, window=5),
        Rule(TouchKind.CLOSING, TRIGGERS[TouchKind.CLOSING], "closing-withdraw",
             alternate_template="closing-thanks", delay=1, window=2),
    ]  # fmt: skip
    return Playbook({rule.kind: rule for rule in rules}, min_gap=3, prefer_midweek=True)


def parse_playbook(
    text: str, *, known_templates: frozenset[str] = KNOWN_TEMPLATES
) -> tuple[Playbook, list[Problem]]:
    """The playbook a file describes, and its problems; every key that is wrong keeps its default."""
    import tomllib  # here, not at the top: ~10 ms that `followup today` without a playbook file skips

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return default_playbook(), [_syntax_problem(exc, text)]
    found = _Findings(_key_lines(text), known_templates)
    for key in data:
        if key not in ("defaults", "rules"):
            found.unknown((key,), ("defaults", "rules"))
    given = found.values(("defaults",), found.table(data, "defaults"), DEFAULT_KEYS, _DEFAULTS.__getitem__)
    settings = {**_DEFAULTS, **given}
    written = found.table(data, "rules")
    for name, body in written.items():
        if name not in TRIGGERS or not isinstance(body, dict):
            found.add(("rules", name), *_bad_kind(name, body))
    base = default_playbook().rules
    rules = {}
    for kind in RULE_KINDS:
        default = replace(base[kind], send_window=settings["send_window"])
        body = written.get(kind.value)
        rules[kind] = _rule(kind, body if isinstance(body, dict) else {}, default, found)
    problems = sorted(found.problems, key=lambda p: (p.line is None, p.line or 0))
    return Playbook(rules, min_gap=settings["min_gap"], prefer_midweek=settings["prefer_midweek"]), problems


_DEFAULTS: dict[str, Any] = {"send_window": DEFAULT_SEND_WINDOW, "min_gap": 3, "prefer_midweek": True}


def _rule(kind: TouchKind, body: dict[str, Any], default: Rule, found: _Findings) -> Rule:
    path = ("rules", kind.value)
    values = found.values(path, body, RULE_KEYS[kind], partial(getattr, default), kind)
    rule = replace(default, **values)
    if rule.late_after is None or _inside(rule.late_after, rule.send_window):
        return rule
    if "late_after" in values:
        found.add((*path, "late_after"), *_late_outside(rule, ""))
        rule = replace(rule, late_after=default.late_after)
    if rule.late_after is not None and not _inside(rule.late_after, rule.send_window):
        # the window itself (the rule's own or the one from [defaults]) shuts out late_after
        where = (*path, "send_window") if "send_window" in values else ("defaults", "send_window")
        found.add(where, *_late_outside(rule, f" The {kind} rule uses {_window_text(DEFAULT_SEND_WINDOW)}."))
        rule = replace(rule, send_window=DEFAULT_SEND_WINDOW)
    return rule


def _inside(moment: time, window: tuple[time, time]) -> bool:
    return window[0] <= moment <= window[1]


def _late_outside(rule: Rule, outcome: str) -> tuple[str, str]:
    late, window = rule.late_after or time(0), rule.send_window
    return (
        f"The {rule.kind} late_after {late:%H:%M} is outside the send window {_window_text(window)}, "
        f"so it could never apply.{outcome}",
        f"Choose a late_after between {window[0]:%H:%M} and {window[1]:%H:%M}, or widen the send window.",
    )


_AFTER = {
    TouchKind.THANK_YOU: "the interview",
    TouchKind.RESUME_CHECK: "the résumé was passed on",
    TouchKind.CHECK_IN: "the application",
    TouchKind.POST_INTERVIEW: "the thank-you",
    TouchKind.FEEDBACK: "the outcome",
    TouchKind.REPLY_OWED: "their message",
    TouchKind.CLOSING: "you accept the offer",
}


def describe_rule(rule: Rule) -> list[tuple[str, str]]:
    """The rule in words, as (label, text) lines for `followup playbook show`."""
    if rule.kind is TouchKind.KEEP_IN_TOUCH:
        due = (
            f"every {_count(rule.cadence_days, 'day')} after the last interaction in either direction "
            f"({rule.cadence_days_interviewed} for people met in interviews)"
        )
    else:
        due = "the same business day" if rule.delay == 0 else f"{_count(rule.delay, 'business day')} after"
        due += f" {_AFTER.get(rule.kind, 'the trigger')}" if rule.delay else ""
    if rule.late_after is not None:
        due += f"; by noon the next business day when it ends after {rule.late_after:%H:%M}"
    if rule.kind is TouchKind.POST_INTERVIEW:
        due = f"{_count(rule.after_decision, 'business day')} after the decision date they gave, else {due}"
    lines = [("trigger", rule.trigger), ("due", due)]
    if rule.repeat:
        lines.append(("repeats", f"every {_count(rule.repeat, 'business day')}, "
                                  f"at most {rule.max_unanswered} unanswered"))  # fmt: skip
    stays = (
        f"{_count(rule.window, 'more business day')} after the due day" if rule.window else "the due day only"
    )
    lines += [("stays due", stays), ("send window", f"{_window_text(rule.send_window)} their local time")]
    template = rule.template + (f" (alternate: {rule.alternate_template})" if rule.alternate_template else "")
    lines += [
        ("template", template),
        ("urgent", "yes: no midweek preference, no gap" if rule.urgent else "no"),
    ]
    return [*lines, ("enabled", "yes" if rule.enabled else "no: this rule proposes nothing")]


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}{'' if number == 1 else 's'}"


# Values ------------------------------------------------------------------------------------------


class _BadValueError(InvalidInputError):
    """A value that cannot be used; never leaves this module (it becomes a Problem)."""


class _Findings:
    """The problems found so far, each placed on the line of its key."""

    def __init__(self, lines: dict[tuple[str, ...], int], known_templates: frozenset[str]) -> None:
        self.lines, self.known_templates = lines, known_templates
        self.problems: list[Problem] = []

    def add(self, path: tuple[str, ...], message: str, fix: str) -> None:
        line = next((self.lines[path[:n]] for n in range(len(path), 0, -1) if path[:n] in self.lines), None)
        where = ".".join(p if re.fullmatch(_BARE, p) else f'"{p}"' for p in path)
        self.problems.append(Problem(line, where, message, fix))

    def unknown(self, path: tuple[str, ...], allowed: tuple[str, ...]) -> None:
        key, place = path[-1], f"in [{'.'.join(path[:-1])}]" if len(path) > 1 else "at the top level"
        close = _closest(key, allowed)
        fix = f"Did you mean {close}? Rename the key." if close else "Delete it or rename it."
        if len(path) == 1:
            fix = _top_level_hint(key) or fix
        elif any(key in keys for keys in RULE_KEYS.values()):
            per_rule = path[0] == "defaults"
            fix = f"{key} is set per rule: move it under [rules.KIND]." if per_rule else (
                f"Delete the line: {path[1]} rules do not use {key}.")  # fmt: skip
        self.add(path, f"Unknown key {key!r} {place}; allowed: {', '.join(allowed)}.", fix)

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if isinstance(value, dict):
            return value
        self.add((key,), f"{key} must be a table, not {_shown(value)}.", f"Write it as a [{key}] section.")
        return {}

    def values(
        self,
        path: tuple[str, ...],
        body: dict[str, Any],
        allowed: tuple[str, ...],
        default: Callable[[str], Any],
        kind: TouchKind | None = None,
    ) -> dict[str, Any]:
        """The valid values of a table; the others are reported and left out."""
        values: dict[str, Any] = {}
        for key, raw in body.items():
            if key not in allowed:
                self.unknown((*path, key), allowed)
                continue
            try:
                values[key] = _value(key, raw, default(key), kind, self.known_templates)
            except _BadValueError as exc:
                self.add((*path, key), exc.message, exc.hint or "")
        return values


def _value(key: str, raw: Any, default: Any, kind: TouchKind | None, known: frozenset[str]) -> Any:
    example = f"{key} = {_toml(default)}"
    if key in _NUMBERS:
        low, high, unit = _NUMBERS[key]
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise _BadValueError(
                f"{key} must be a whole number of {unit}, not {_shown(raw)}.",
                hint=f"Write a number without quotes, e.g. {example}.",
            )
        if not low <= raw <= high:
            raise _BadValueError(
                f"{key} = {raw} is out of range: it must be between {low} and {high} {unit}.",
                hint=f"Use a number in that range, e.g. {example}.",
            )
        return raw
    if key in _FLAGS:
        if not isinstance(raw, bool):
            raise _BadValueError(
                f"{key} must be true or false, not {_shown(raw)}.",
                hint=f"Write {key} = true or {key} = false, without quotes.",
            )
        return raw
    if key == "send_window":
        return _send_window(raw, example)
    if key == "late_after":
        return _late_after(raw, example)
    if not isinstance(raw, str):
        raise _BadValueError(
            f"{key} must be text, not {_shown(raw)}.", hint=f"Write it in quotes: {example}."
        )
    if key == "trigger" and kind is not None and raw != TRIGGERS[kind]:
        raise _BadValueError(
            f"{kind} rules support only the trigger {TRIGGERS[kind]!r}, not {raw!r}.",
            hint=f'Write trigger = "{TRIGGERS[kind]}", or delete the line.',
        )
    if key == "alternate_template" and raw == "":
        return None  # no alternate: the main template is used
    if key in ("template", "alternate_template") and raw not in known:
        close = _closest(raw, sorted(known))
        raise _BadValueError(
            f"Unknown template {raw!r}; known templates: {', '.join(sorted(known))}.",
            hint=f'Did you mean {key} = "{close}"?' if close else f"Use a known template, e.g. {example}.",
        )
    return raw


_CLOCK = r"(\d{1,2}):(\d{2})"
_RANGE = r"\s*([^-\u2013]+?)\s*[-\u2013]\s*([^-\u2013]+?)\s*"  # hyphen or en dash


def _clock(text: str) -> time | None:
    match = re.fullmatch(_CLOCK, text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return time(int(match[1]), int(match[2]))


def _send_window(raw: Any, example: str) -> tuple[time, time]:
    match = re.fullmatch(_RANGE, raw) if isinstance(raw, str) else None
    if match is None:
        raise _BadValueError(
            f'send_window must be a range of times like "09:00-17:00", not {_shown(raw)}.',
            hint=f"Write start and end in quotes, e.g. {example}.",
        )
    start, end = _clock(match[1]), _clock(match[2])
    for text, moment in ((match[1], start), (match[2], end)):
        if moment is None:
            raise _BadValueError(
                f"{text!r} is not a time of day (00:00 to 23:59).", hint=f"Use 24-hour HH:MM, e.g. {example}."
            )
    if start is None or end is None or start >= end:
        raise _BadValueError(
            f"The send window {raw!r} is impossible: its start must be before its end.",
            hint=f"Write the earlier time first, e.g. {example} (windows cannot cross midnight).",
        )
    return start, end


def _late_after(raw: Any, example: str) -> time:
    moment = raw if isinstance(raw, time) else _clock(raw) if isinstance(raw, str) else None
    if moment is None:
        raise _BadValueError(
            f"late_after must be a time of day (00:00 to 23:59), not {_shown(raw)}.",
            hint=f"Use 24-hour HH:MM in quotes, e.g. {example}.",
        )
    return moment


def _shown(raw: Any) -> str:
    """A value as the user wrote it, for messages."""
    if isinstance(raw, str):
        return f"the text {raw!r}"
    return {bool: str(raw).lower(), dict: "a table", list: "a list"}.get(type(raw), str(raw))


def _toml(value: Any) -> str:
    """A default value as TOML, for the examples in fixes."""
    if isinstance(value, tuple):
        return f'"{_window_text(value)}"'
    if isinstance(value, time):
        return f'"{value:%H:%M}"'
    return str(value).lower() if isinstance(value, int) else f'"{value or ""}"'


def _window_text(window: tuple[time, time]) -> str:
    return f"{window[0]:%H:%M}-{window[1]:%H:%M}"


def _top_level_hint(key: str) -> str | None:
    if key in TRIGGERS or key == TouchKind.GO_COLD:
        return f"Rules live under rules: write the table as [rules.{key}]."
    if key in DEFAULT_KEYS:
        return f"Move {key} under the [defaults] table."
    return None


def _bad_kind(name: str, body: Any) -> tuple[str, str]:
    if name in TRIGGERS:
        return f"rules.{name} must be a table, not {_shown(body)}.", f"Write it as a [rules.{name}] section."
    known = ", ".join(RULE_KINDS)
    if name == TouchKind.GO_COLD:
        return (
            f"go-cold is not a rule: it is proposed after check-in's max_unanswered nudges; rules: {known}.",
            "Delete the table and set max_unanswered under [rules.check-in].",
        )
    close = _closest(name, RULE_KINDS)
    fix = f"Did you mean [rules.{close}]? Rename the table." if close else "Rename the table or delete it."
    return f"Unknown rule kind {name!r}; the rule kinds are {known}.", fix


def _closest(word: str, choices: Sequence[str]) -> str | None:
    import difflib  # only when there is a mistake to explain

    close = difflib.get_close_matches(word, choices, n=1)
    return close[0] if close else None


def _syntax_problem(exc: ValueError, text: str) -> Problem:
    raw = str(exc)
    position = re.search(r"\(at line (\d+), column (\d+)\)", raw)
    reason = re.sub(r"\s*\(at [^)]*\)", "", raw).rstrip(".")
    if position is not None:
        line, where = int(position[1]), f" at column {position[2]}"
    else:  # "(at end of document)": an unclosed string or table runs to the end
        line, where = text.count("\n") + (0 if text.endswith("\n") else 1), " at the end of the file"
    message = f"Syntax error{where}: {reason}. The default playbook is used until it is fixed."
    return Problem(max(line, 1), "TOML", message, _SYNTAX_FIX)


# Lines -------------------------------------------------------------------------------------------
# tomllib gives values without positions, so a small scan finds the line of each key: the current
# [table] header, then `key =` lines below it. Values inside inline tables take their parent's line.

_BARE = r"[A-Za-z0-9_-]+"
_PART = r"""[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*'"""  # bare, "basic" or 'literal'
_DOTTED = rf"(?:{_PART})(?:\s*\.\s*(?:{_PART}))*"
_HEADER = rf"\[\[?\s*({_DOTTED})\s*\]"  # [table] or [[array of tables]]
_KEY = rf"({_DOTTED})\s*="


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(p[1:-1] if p[0] in "\"'" else p for p in re.findall(_PART, dotted))


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The first line of each key path and of each of its prefixes."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    open_quote: str | None = None  # inside a multi-line string, nothing is a key
    for number, line in enumerate(text.split("\n"), start=1):
        if open_quote is not None:
            open_quote = None if line.count(open_quote) % 2 else open_quote
            continue
        stripped = line.strip()
        if header := re.match(_HEADER, stripped):
            table = _parts(header[1])
            _remember(lines, table, number)
        elif key := re.match(_KEY, stripped):
            _remember(lines, table + _parts(key[1]), number)
            rest = stripped[key.end() :]
            open_quote = next((q for q in ('"""', "'''") if rest.count(q) % 2), None)
    return lines


def _remember(lines: dict[tuple[str, ...], int], path: tuple[str, ...], number: int) -> None:
    for size in range(1, len(path) + 1):
        lines.setdefault(path[:size], number)
