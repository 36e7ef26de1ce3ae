"""Commands about the database itself: init, demo, backup."""

from __future__ import annotations

from pathlib import Path

from followup.cli import term
from followup.cli.parsing import Arg, command
from followup.cli.runtime import Runtime
from followup.errors import ConflictError


@command("init")
def init(runtime: Runtime) -> None:
    """Create the database (or upgrade it) and say where it is.

    Every command creates the database on first use; `init` does only that.
    Example: followup --db ~/jobsearch.sqlite3 init
    """
    app = runtime.app()
    counts = app.maintenance.counts()
    term.echo(f"Database ready: {app.location.display}")
    term.echo(
        f"  {counts['opportunities']} opportunities, {counts['people']} people, "
        f"{counts['interactions']} ledger entries"
    )


@command(
    "demo",
    Arg("--size", choices=["small", "large"], default="small",
        help="small (default): a dozen opportunities to explore; large: 10,000, for benchmarks"),
    Arg("--db", dest="demo_db", metavar="URL",
        help="write into this empty database instead of a throwaway one (also the global --db)"),
    Arg("--seed", type=int, default=7, help="another seed gives another search (default 7)"),
    Arg("--quiet", action="store_true", help="do not show the opportunities afterwards"),
    Arg("--serve", action="store_true", help="then run the web UI on it (`followup serve`)"),
)  # fmt: skip
def demo(
    runtime: Runtime, size: str, demo_db: str | None, seed: int, quiet: bool, serve: bool = False
) -> None:
    """Load a realistic sample job search into a throwaway database and show it.

    The throwaway database is replaced on every run; FOLLOWUP_DB is not used, so your own
    search is never touched. Give --db to keep the demo somewhere.

    Examples:
      followup demo
      followup demo --serve
      followup demo --size large --db /tmp/large.sqlite3
    """
    from followup.services.demo import load_demo

    runtime.db = demo_db or runtime.db or str(_throwaway())
    app = runtime.app()
    if app.maintenance.counts()["opportunities"]:
        raise ConflictError(
            f"{app.location.display} already holds a job search; the demo goes into an empty database.",
            hint="Leave out --db to use a throwaway database, or name a new file.",
        )
    # Short work is silent: only the large demo (half a minute) draws a bar.
    with term.Progress("Building the demo", total=100, enabled=size == "large") as bar:
        counts = load_demo(
            app.context.repo,
            size="large" if size == "large" else "small",
            now=app.context.now(),
            user_tz=app.settings.tz,
            seed=seed,
            progress=lambda done, total: bar.update(100 * done // max(total, 1)),
        )
    term.echo(
        f"Demo job search: {counts['opportunities']} opportunities, {counts['people']} people, "
        f"{counts['interactions']} ledger entries, {counts['interviews']} interviews.",
        err=True,
    )
    if size == "small":
        app.planning.replan()  # the large one is planned on its first `today` (it takes a while)
    term.echo(
        f"Explore it with: followup --db {app.location.display} today   (or list, show, upcoming …)", err=True
    )
    if not quiet:
        from followup.cli.agenda import today
        from followup.cli.browse import list_

        list_.handler(
            runtime, kind="opportunities", stages=["open"] if size == "large" else [], org=None, role=None,
            search=None, as_json=False,
        )  # fmt: skip
        if size == "small":
            term.echo()
            today.handler(runtime, as_json=False)
    if serve:
        from followup.cli.serve import DEFAULT_PORT
        from followup.cli.serve import serve as serve_command

        term.echo()
        serve_command.handler(
            runtime, host="127.0.0.1", port=DEFAULT_PORT, open_browser=False, allow_hosts=[],
            allow_remote=False, no_worker=False,
        )  # fmt: skip


def _throwaway() -> Path:
    from followup.config import user_dir

    path = Path(user_dir("cache")) / "demo.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


@command("backup", Arg("path", metavar="PATH", type=Path))
def backup(runtime: Runtime, path: Path) -> None:
    """Write a consistent copy of the SQLite database to PATH, even while it is in use.

    For PostgreSQL use pg_dump (e.g. pg_dump --format=custom -f followup.dump URL).
    Example: followup backup ~/followup-2026-11-26.sqlite3
    """
    target = runtime.app().maintenance.backup(path)
    term.echo(f"Backup written to {target}")


COMMANDS = [init, demo, backup]
