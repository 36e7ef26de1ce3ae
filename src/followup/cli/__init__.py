"""The `followup` command line: one group, one error wrapper, services built once per run."""

from __future__ import annotations

import importlib
import os
import sys

import click

from followup import __version__
from followup.cli.runtime import Runtime
from followup.errors import EXIT_CODES, FollowupError

# Each command's module is imported only when that command runs, so that `followup list` does not pay
# for the modules of `log`, `demo` or `add` (start-up time is most of what a listing costs).
COMMANDS = {
    "init": "admin:init",
    "demo": "admin:demo",
    "backup": "admin:backup",
    "add": "records:add",
    "edit": "records:edit",
    "delete": "records:delete",
    "link": "records:link",
    "unlink": "records:unlink",
    "stage": "records:stage",
    "log": "ledger:log",
    "list": "browse:list_",
    "show": "browse:show",
}


def load_command(name: str) -> click.Command:
    module_name, attribute = COMMANDS[name].split(":")
    module = importlib.import_module(f"followup.cli.{module_name}")
    command: click.Command = getattr(module, attribute)
    return command


class LazyGroup(click.Group):
    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return load_command(cmd_name) if cmd_name in COMMANDS else None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)


EPILOG = "Exit codes: " + "; ".join(f"{code} {meaning}" for code, meaning in EXIT_CODES.items()) + "."


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EPILOG,
)
@click.option(
    "--db",
    metavar="URL",
    envvar="FOLLOWUP_DB",
    help="Database: an SQLite file or a postgresql:// URL. [env FOLLOWUP_DB; default: your data folder]",
)
@click.version_option(__version__, prog_name="followup")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Keep every conversation of your job search alive.

    Record opportunities, people and every interaction; see whose move it is.

    \b
    Quick start:
      followup add opportunity "Northwind Traders" "Data Engineer" --source referral
      followup add person "Jane Doe" --email jane@northwind.example --org "Northwind Traders"
      followup link jane northwind --role hiring-manager
      followup log application northwind --at 2026-11-02
      followup list
      followup show northwind

    References (OPP, PERSON) take the id printed by listings or a unique part of a name.
    """
    runtime = Runtime(db)
    ctx.obj = runtime
    ctx.call_on_close(runtime.close)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a FollowupError becomes its message on stderr and its exit code, never a traceback."""
    try:
        cli.main(args=argv, prog_name="followup", standalone_mode=False)
    except FollowupError as exc:
        click.secho(f"Error: {exc.message}", fg="red", err=True)
        if exc.hint:
            click.echo(exc.hint, err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(10)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: a bug must not dump a traceback on the user
        if os.environ.get("FOLLOWUP_DEBUG"):
            raise
        click.secho(f"Unexpected error: {type(exc).__name__}: {exc}", fg="red", err=True)
        click.echo("This is a bug in followup; FOLLOWUP_DEBUG=1 shows the details for a report.", err=True)
        sys.exit(1)
