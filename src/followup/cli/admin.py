"""Commands about the database itself: init, demo, backup."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from followup.cli.runtime import Runtime, pass_runtime
from followup.errors import ConflictError


@click.command()
@pass_runtime
def init(runtime: Runtime) -> None:
    """Create the database (or upgrade it) and say where it is.

    Every command creates the database on first use; `init` does only that.
    Example: followup --db ~/jobsearch.sqlite3 init
    """
    app = runtime.app()
    counts = app.maintenance.counts()
    click.echo(f"Database ready: {app.location.display}")
    click.echo(
        f"  {counts['opportunities']} opportunities, {counts['people']} people, "
        f"{counts['interactions']} ledger entries"
    )


@click.command()
@click.option(
    "--size",
    type=click.Choice(["small", "large"]),
    default="small",
    show_default=True,
    help="small: a dozen opportunities to explore; large: 10,000 for benchmarks.",
)
@click.option(
    "--db", "db", metavar="URL", help="Write into this (empty) database instead of a throwaway one."
)
@click.option("--seed", type=int, default=7, show_default=True, help="Another seed gives another search.")
@click.option("--quiet", is_flag=True, help="Do not show the opportunities afterwards.")
@pass_runtime
@click.pass_context
def demo(ctx: click.Context, runtime: Runtime, size: str, db: str | None, seed: int, quiet: bool) -> None:
    """Load a realistic sample job search into a throwaway database and show it.

    \b
    Examples:
      followup demo
      followup demo --size large --db /tmp/large.sqlite3
    """
    from followup.services.demo import load_demo

    target = db or runtime.db_given
    if target is None:
        target = str(_throwaway())
    runtime.db = target
    app = runtime.app()
    if app.maintenance.counts()["opportunities"]:
        raise ConflictError(
            f"{app.location.display} already holds a job search; the demo goes into an empty database.",
            hint="Leave out --db to use a throwaway database, or name a new file.",
        )
    show_bar = size == "large" and sys.stderr.isatty()
    with (
        click.progressbar(length=100, label="Building the demo", file=sys.stderr)
        if show_bar
        else _NoBar() as bar
    ):

        def progress(done: int, total: int) -> None:
            bar.update(int(100 * done / max(total, 1)) - bar.pos)

        counts = load_demo(
            app.context.repo,
            size="large" if size == "large" else "small",
            now=app.context.now(),
            user_tz=app.settings.tz,
            seed=seed,
            progress=progress,
        )
    click.echo(
        f"Demo job search: {counts['opportunities']} opportunities, {counts['people']} people, "
        f"{counts['interactions']} ledger entries, {counts['interviews']} interviews.",
        err=True,
    )
    click.echo(
        f"Explore it with: followup --db {app.location.display} list   (or show, list people …)", err=True
    )
    if not quiet:
        from followup.cli.browse import list_

        ctx.invoke(
            list_,
            kind="opportunities",
            stages=("open",) if size == "large" else (),
            org=None,
            role=None,
            search=None,
            as_json=False,
        )


class _NoBar:
    pos = 0

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, steps: int) -> None:
        self.pos += steps


def _throwaway() -> Path:
    from followup.config import user_dir

    path = user_dir("cache") / "demo.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@pass_runtime
def backup(runtime: Runtime, /, path: Path) -> None:
    """Write a consistent copy of the SQLite database to PATH, even while it is in use.

    For PostgreSQL use pg_dump (e.g. pg_dump --format=custom -f followup.dump URL).
    Example: followup backup ~/followup-2026-11-26.sqlite3
    """
    target = runtime.app().maintenance.backup(path)
    click.echo(f"Backup written to {target}")
