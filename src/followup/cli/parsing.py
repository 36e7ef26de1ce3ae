"""Declaring commands over argparse: `@command("add person", Arg(...), …)` on a plain function.

Why not click: importing it costs ~15 ms on every run, a tenth of the budget of a `followup list`
(docs/storage.md). argparse comes with Python and costs ~2 ms; this module adds the few things the
commands need from a framework: declarations next to the function, groups ("add person"), help
texts with examples, and keyword arguments for the function.
"""

from __future__ import annotations

import argparse
import inspect
from collections.abc import Callable, Sequence
from typing import Any

Handler = Callable[..., None]


class Arg:
    """One argument or option, exactly as `ArgumentParser.add_argument` takes it."""

    __slots__ = ("flags", "options")

    def __init__(self, *flags: str, **options: Any) -> None:
        self.flags = flags
        self.options = options


def flag_pair(on: str, off: str, dest: str, *, default: bool | None, help: str) -> tuple[Arg, Arg]:
    """`--answered/--no-answer`: two flags writing one value (None when neither is given)."""
    return (
        Arg(on, dest=dest, action="store_true", default=default, help=help),
        Arg(off, dest=dest, action="store_false", default=default, help=argparse.SUPPRESS),
    )


class Command:
    """A named command ("list", or "add person" inside the group "add") and its handler."""

    __slots__ = ("args", "handler", "help", "name")

    def __init__(self, name: str, handler: Handler, args: Sequence[Arg], help: str) -> None:
        self.name, self.handler, self.args, self.help = name, handler, tuple(args), help

    @property
    def summary(self) -> str:
        return self.help.strip().splitlines()[0] if self.help.strip() else ""


def command(name: str, *args: Arg | tuple[Arg, ...]) -> Callable[[Handler], Command]:
    flat: list[Arg] = []
    for arg in args:
        flat.extend(arg if isinstance(arg, tuple) else (arg,))

    def wrap(handler: Handler) -> Command:
        return Command(name, handler, flat, inspect.cleandoc(handler.__doc__ or ""))

    return wrap


class Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30, width=100)


def add_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    commands: Sequence[Command],
    groups: dict[str, str],
) -> None:
    """Add commands (and the groups they sit in) to the subparsers of the top-level parser."""
    nested: dict[str, argparse._SubParsersAction[argparse.ArgumentParser]] = {}
    for cmd in commands:
        group, _, leaf = cmd.name.rpartition(" ")
        target = subparsers
        if group:
            if group not in nested:
                group_parser = subparsers.add_parser(
                    group,
                    help=groups[group].splitlines()[0],
                    description=groups[group],
                    formatter_class=Formatter,
                )
                nested[group] = group_parser.add_subparsers(title="kinds", metavar="KIND", required=True)
            target = nested[group]
        parser = target.add_parser(leaf, help=cmd.summary, description=cmd.help, formatter_class=Formatter)
        for arg in cmd.args:
            parser.add_argument(*arg.flags, **arg.options)
        parser.set_defaults(_command=cmd)


def call(cmd: Command, namespace: argparse.Namespace, runtime: object) -> None:
    values = {k: v for k, v in vars(namespace).items() if not k.startswith("_") and k != "db"}
    cmd.handler(runtime, **values)
