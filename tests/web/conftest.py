"""The web app under test: in process (TestClient) for the routes, and served by uvicorn on a free
port for real Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from followup.bootstrap import App, build
from followup.clock import FixedClock
from followup.config import Settings
from followup.web.security import COOKIE
from followup.web.server import Server, build_site, check_bind, web_app
from followup.web.site import Site

# Tuesday 1 December 2026, 20:00 UTC: 14:00 in Chicago, a working afternoon (26 Nov is Thanksgiving).
WEB_NOW = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
LOGIN = "login-token-for-the-tests-0123456789"
FEED = "feed-token-for-the-tests-0123456789"
ARTIFACTS = Path(os.environ.get("FOLLOWUP_ARTIFACTS", Path(__file__).parents[2] / "test-artifacts"))


@dataclass
class Web:
    """One web app over one database: the site, a logged-in client, and its CSRF token."""

    site: Site
    client: TestClient
    csrf: str

    @property
    def app(self) -> App:
        return self.site.app

    def post(self, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        return self.client.post(path, data={"csrf": self.csrf, **(data or {})}, **kw)

    def api(self, method: str, path: str, json: Any = None) -> Any:
        return self.client.request(method, path, json=json, headers={"X-CSRF-Token": self.csrf})


def settings_for(db: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "db": db, "tz": "America/Chicago", "country": "US", "name": "Alex Morgan",
        "from_": "Alex Morgan <alex@example.org>", **extra,
    }  # fmt: skip
    return Settings(**values)


def make_site(settings: Settings, *, clock: FixedClock | None = None) -> Site:
    clock = clock or FixedClock(WEB_NOW)
    app = build(settings, clock=clock)
    return build_site(app, settings=settings, clock=clock, worker=False, feed_token=FEED, login_token=LOGIN)


def logged_in(site: Site, *, host: str = "127.0.0.1:8765") -> Web:
    client = TestClient(web_app(site, bind="127.0.0.1"), base_url=f"http://{host}")
    answer = client.get(f"/login?token={LOGIN}", follow_redirects=False)
    assert answer.status_code == 303, answer.text
    session = site.sessions.get(answer.cookies[COOKIE])
    assert session is not None
    return Web(site, client, session.csrf)


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Web]:
    site = make_site(settings_for(str(tmp_path / "web.sqlite3")))
    yield logged_in(site)
    site.app.close()


@pytest.fixture
def make_web(tmp_path: Path) -> Iterator[Callable[..., Web]]:
    sites: list[Site] = []

    def make(db: str | None = None, **extra: Any) -> Web:
        site = make_site(settings_for(db or str(tmp_path / f"web{len(sites)}.sqlite3"), **extra))
        sites.append(site)
        return logged_in(site)

    yield make
    for site in sites:
        site.app.close()


# A real server and a real browser -------------------------------------------------------------


@dataclass
class Served:
    site: Site
    url: str
    server: Server


def serve(site: Site) -> Served:
    sock = check_bind("127.0.0.1", 0, allow_remote=False)
    server = Server(web_app(site, bind="127.0.0.1"), sock)
    server.start()
    return Served(site, f"http://127.0.0.1:{server.port}", server)


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required under CI=true; `make test` installs it")
        pytest.skip("Chromium is not installed; `make test` installs it (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        )  # fmt: skip
        yield launched
        launched.close()


def screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot among the test artefacts (test-artifacts/screenshots/NAME.png)."""
    target = ARTIFACTS / "screenshots" / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    return target
