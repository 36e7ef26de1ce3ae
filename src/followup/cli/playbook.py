"""Commands about the playbook file: show the rules in effect, check a file, init a copy to edit."""

from __future__ import annotations

import os

from followup.cli import term
from followup.cli.output import JSON, emit_json
from followup.cli.parsing import Arg, command
from followup.cli.runtime import Runtime
from followup.domain.playbook import RULE_KINDS, Problem, describe_rule
from followup.errors import InvalidInputError
from followup.services.playbook import BUILT_IN, PlaybookService
from followup.shapes import problem_json, rule_json


def _service() -> PlaybookService:
    # Built from the environment, not from runtime.app(): the playbook needs no database.
    return PlaybookService.from_environment(os.environ)


def _located(name: str, problem: Problem) -> list[str]:
    """`FILE:LINE: where: message`, then the fix, as compilers and linters print them."""
    at = f"{name}:{problem.line}" if problem.line is not None else name
    return [f"{at}: {problem.where}: {problem.message}", f"  fix: {problem.fix}"]


def _count(problems: list[Problem]) -> str:
    return f"{len(problems)} problem{'' if len(problems) == 1 else 's'}"


@command("playbook show", JSON)
def show(runtime: Runtime, as_json: bool) -> None:
    """Show the rules in effect, kind by kind, in words.

    Your playbook file (see `followup playbook init`) is used when it exists, else the built-in
    default. Problems in your file are listed on stderr; the keys they name keep their defaults
    and everything else in the file applies.
    Example: followup playbook show
    """
    playbook, problems, source = _service().in_effect()
    if as_json:
        emit_json(
            {
                "source": source,
                "defaults": {"min_gap": playbook.min_gap, "prefer_midweek": playbook.prefer_midweek},
                "rules": [rule_json(playbook.rules[kind]) for kind in RULE_KINDS if kind in playbook.rules],
                "problems": [problem_json(p) for p in problems],
            }
        )
    else:
        term.echo(f"Playbook: {source}")
        term.echo(
            f"Between two non-urgent notes to one person: at least {playbook.min_gap} business days; "
            f"{'Tuesday to Thursday preferred' if playbook.prefer_midweek else 'any weekday'}."
        )
        for kind in RULE_KINDS:
            rule = playbook.rules.get(kind)
            if rule is None:
                continue
            term.echo()
            term.secho(kind.value if rule.enabled else f"{kind.value} (disabled)", bold=True)
            for label, text in describe_rule(rule):
                term.echo(f"  {label:<12} {text}")
    if problems:
        term.secho(f"{_count(problems)} in {source} (the rest of the file applies):", fg="yellow", err=True)
        for problem in problems:
            for line in _located(source, problem):
                term.echo(line, err=True)


@command(
    "playbook init",
    Arg("--force", action="store_true", help="replace an existing playbook file (your edits are lost)"),
)
def init(runtime: Runtime, force: bool) -> None:
    """Copy the default playbook to your config folder, to edit it there.

    The file goes to playbook.toml in your config folder, or to FOLLOWUP_PLAYBOOK when set.
    Example: followup playbook init
    """
    path = _service().init(force)
    term.echo(f"Playbook written to {path}")
    term.echo("Edit it, then run: followup playbook check")


@command(
    "playbook check",
    Arg("file", nargs="?", metavar="FILE", help="the file to check (default: your playbook)"),
    JSON,
)
def check(runtime: Runtime, file: str | None, as_json: bool) -> None:
    """Check a playbook file: each problem with its line and a fix.

    Without FILE: your playbook, or the built-in default when you have none.
    Exit code 2 when there are problems, 0 when there are none.
    Examples:
      followup playbook check
      followup playbook check ~/my-playbook.toml --json
    """
    service = _service()
    problems = service.check(file)
    name = service.target(file)
    if as_json:
        emit_json({"file": name, "problems": [problem_json(p) for p in problems]})
    else:
        for problem in problems:
            term.echo("\n".join(_located(name, problem)))
        if not problems:
            term.echo(f"No problems in {'the built-in default playbook' if name == BUILT_IN else name}.")
    if problems:
        raise InvalidInputError(
            f"{_count(problems)} in {name}.", hint="Fix each line as shown; the valid parts apply meanwhile."
        )


COMMANDS = [show, init, check]
