"""`followup serve`: the web UI, its JSON API and the calendar feed, on this computer."""

from __future__ import annotations

from followup.cli.parsing import Arg, command
from followup.cli.runtime import Runtime
from followup.cli.term import echo, secho

DEFAULT_PORT = 8765


@command(
    "serve",
    Arg("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only)"),
    Arg("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks a free one)"),
    Arg("--open", dest="open_browser", action="store_true", help="open the browser at the login link"),
    Arg("--allow-host", dest="allow_hosts", action="append", default=[], metavar="NAME",
        help="also answer to this Host name (a proxy's name); repeatable"),
    Arg("--allow-remote", action="store_true",
        help="allow --host to be an address other computers reach (prints a warning)"),
    Arg("--no-worker", dest="no_worker", action="store_true",
        help="do not send due notes or sync the mailbox in the background"),
)  # fmt: skip
def serve(
    runtime: Runtime,
    host: str,
    port: int,
    open_browser: bool,
    allow_hosts: list[str],
    allow_remote: bool,
    no_worker: bool,
) -> None:
    """Run the web UI in your browser: Today, Pipeline, People, Outbox, Suggestions, Stats, Settings.

    Prints a one-time login link; the page stays logged in until the server stops. While it runs,
    a worker sends approved notes when their time comes and syncs the mailbox when one is set up.
    Every page has a .json twin, the JSON API is under /api (OpenAPI at /api/openapi.json), and
    Settings shows the address of your calendar feed. Ctrl-C stops it.

    Examples:
      followup serve --open
      followup serve --port 9000 --no-worker
    """
    from followup.web.server import Server, build_site, check_bind, web_app

    sock = check_bind(host, port, allow_remote=allow_remote)
    if allow_remote and host not in ("127.0.0.1", "localhost", "::1"):
        secho(
            f"Warning: followup listens on {host}; other computers can reach it. It can send mail as you: "
            "use it only behind TLS and a firewall.",
            fg="yellow",
            err=True,
        )
    app = runtime.app()
    site = build_site(app, settings=app.settings, worker=not no_worker)
    server = Server(web_app(site, bind=host, extra_hosts=tuple(allow_hosts)), sock)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - only compared
    where = f"[{shown}]" if ":" in shown else shown
    url = f"http://{where}:{server.port}/login?token={site.sessions.login_token}"
    echo(f"followup is running at http://{shown}:{server.port}/ on {app.location.display}")
    echo(f"Open this link to log in (it works once): {url}")
    echo("Stop with Ctrl-C.")

    def opened() -> None:
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    if site.worker is not None:
        site.worker.start()
    try:
        server.run(ready=opened)
    finally:
        if site.worker is not None:
            site.worker.stop()


COMMANDS = [serve]
