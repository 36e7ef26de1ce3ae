"""The services of one application on each database, with the clock fixed at NOW."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from followup.bootstrap import App, build
from followup.clock import FixedClock
from followup.config import Settings
from tests.conftest import NOW


@pytest.fixture
def app(db_url: str) -> Iterator[App]:
    application = build(Settings(db=db_url, tz="America/Chicago", country="US"), clock=FixedClock(NOW))
    yield application
    application.close()


MakeApp = Callable[..., App]
# Alex's search: the user's zone, country, name and address as the note and mail tests expect them.
ALEX = {
    "tz": "America/Chicago",
    "country": "US",
    "name": "Alex Morgan",
    "from_": "Alex Morgan <alex@example.org>",
}


def apps(
    db_url: str, *, ready: Callable[[App], object] | None = None, **defaults: object
) -> Iterator[MakeApp]:
    """`make(**settings)`: applications over one database with the clock at NOW, each passed to `ready`,
    all closed at the end (a fixture yields from it)."""
    built: list[App] = []

    def make(**settings: object) -> App:
        values = {"db": db_url, **ALEX, **defaults, **settings}
        app = build(Settings(**values), clock=FixedClock(NOW))  # type: ignore[arg-type]
        built.append(app)
        if ready is not None:
            ready(app)
        return app

    yield make
    for app in built:
        app.close()
