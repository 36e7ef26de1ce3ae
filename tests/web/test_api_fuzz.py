"""The API, fuzzed from its own OpenAPI description: hundreds of generated requests, valid and
invalid, over a database with a real search in it, and not one answered with a server error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from followup.services.demo import load_demo
from followup.web.security import COOKIE
from followup.web.server import web_app
from tests.web.conftest import Web, logged_in, make_site, settings_for

EXAMPLES = 25  # per operation and mode: about 900 requests in all


def test_no_generated_request_gets_a_server_error(tmp_path: Path) -> None:
    site = make_site(settings_for(str(tmp_path / "fuzz.sqlite3")))
    app = site.app
    load_demo(app.context.repo, size="small", now=app.context.now(), user_tz=app.settings.tz, seed=3)
    app.planning.replan()
    web: Web = logged_in(site)
    session = site.sessions.get(web.client.cookies[COOKIE])
    assert session is not None
    # schemathesis's in-process client calls itself "testserver": allowed here as --allow-host would
    asgi = web_app(site, bind="127.0.0.1", extra_hosts=("testserver",))
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", asgi)
    calls: list[tuple[str, int]] = []
    failures: list[str] = []

    def exercise(operation: Any, mode: GenerationMode) -> None:
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case: Any) -> None:
            response = case.call(headers={"X-CSRF-Token": session.csrf}, cookies={COOKIE: session.id})
            calls.append((operation.label, response.status_code))
            if response.status_code >= 500:
                failures.append(f"{operation.label} {case.path_parameters} {case.query} {case.body!r}: "
                                f"{response.status_code} {response.text[:300]}")  # fmt: skip

        try:
            run()
        except Unsatisfiable:  # no parameters, so no invalid request to make (GET /api/outbox)
            assert mode is GenerationMode.NEGATIVE

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            exercise(operation, mode)
    app.close()
    assert failures == []
    assert len(calls) >= 500
    statuses = {status for _, status in calls}
    assert statuses & {200, 201}, "some generated requests must succeed, not only be refused"
    assert 422 in statuses
