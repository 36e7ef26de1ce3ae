"""Running the web app: the Site over the settings' database, its worker, and uvicorn on a socket
that is checked (and refused when it would leave this machine without the flag) before anything
starts."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from followup.errors import FollowupError, InvalidInputError
from followup.web.security import Sessions, allowed_hosts, is_loopback

if TYPE_CHECKING:
    from fastapi import FastAPI

    from followup.bootstrap import App
    from followup.config import Settings
    from followup.ports import Clock
    from followup.web.site import Site


def build_site(
    app: App,
    *,
    settings: Settings,
    clock: Clock | None = None,
    worker: bool = True,
    feed_token: str | None = None,
    login_token: str | None = None,
) -> Site:
    """A Site over `app`, with a worker over its own connection to the same database."""
    import os

    from followup.bootstrap import build
    from followup.config import user_dir
    from followup.web.site import Site
    from followup.web.site import feed_token as stored_feed_token
    from followup.web.worker import Worker

    site = Site(
        app,
        sessions=Sessions(login_token),
        feed_token=feed_token or stored_feed_token(os.path.join(user_dir("config"), "feed-token")),
    )
    if worker:
        site.worker = Worker(lambda: build(settings, clock=clock))
        site.worker.on_change = site.forget
    return site


def check_bind(host: str, port: int, *, allow_remote: bool) -> socket.socket:
    """The listening socket, made here so a refused bind is a clear message and not a traceback."""
    if not is_loopback(host) and not allow_remote:
        raise InvalidInputError(
            f"Binding to {host} would let other computers reach followup, which can send mail as you.",
            hint="Keep the default (127.0.0.1), or add --allow-remote if you really mean it "
            "(and put it behind TLS and --allow-host NAME).",
        )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        hint = "Another program uses that port: pick another with --port." if exc.errno == 98 else None
        raise FollowupError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.", hint=hint) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def web_app(site: Site, *, bind: str, extra_hosts: tuple[str, ...] = ()) -> FastAPI:
    from followup.web.app import create_app

    return create_app(site, hosts=allowed_hosts(bind, extra_hosts))


class Server:
    """uvicorn over an already-bound socket, in this thread (`run`) or in a thread of its own
    (`start`, for tests and benchmarks)."""

    def __init__(self, asgi: FastAPI, sock: socket.socket) -> None:
        import uvicorn

        self.sock = sock
        config = uvicorn.Config(asgi, log_level="warning", access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    def run(self, ready: Callable[[], object] | None = None) -> None:
        if ready is not None:
            threading.Timer(0.3, ready).start()
        self.server.run(sockets=[self.sock])

    def start(self) -> None:
        import time

        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(10)
        self.sock.close()
