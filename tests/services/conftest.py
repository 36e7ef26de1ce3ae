"""The services of one application on each database, with the clock fixed at NOW."""

from __future__ import annotations

from collections.abc import Iterator

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
