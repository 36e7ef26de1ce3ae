"""Each promise of the web app's security, tried the way an attacker would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from followup.errors import InvalidInputError
from followup.web.security import COOKIE
from followup.web.server import check_bind
from tests.conftest import free_port
from tests.web.conftest import FEED, LOGIN, Web, logged_in, make_site, settings_for


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example", "localhost.evil.example", ""]
)
def test_a_foreign_host_header_is_refused_before_any_route(web: Web, host: str) -> None:
    """DNS rebinding: the attacker's name resolves to 127.0.0.1, the browser sends its own Host."""
    for path in ("/today", "/api/today", f"/login?token={LOGIN}", f"/calendar/{FEED}.ics", "/static/app.css"):
        answer = web.client.get(path, headers={"host": host})
        assert answer.status_code == 421, (path, host)
        assert "not allowed" in answer.text
        assert "Beatriz" not in answer.text


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "localhost"])
def test_the_loopback_names_are_allowed(web: Web, host: str) -> None:
    assert web.client.get("/today", headers={"host": host}).status_code == 200


def test_allow_host_adds_a_name(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from followup.web.server import web_app

    site = make_site(settings_for(str(tmp_path / "db.sqlite3")))
    client = TestClient(web_app(site, bind="127.0.0.1", extra_hosts=("followup.lan",)))
    assert (
        client.get("/today", headers={"host": "followup.lan:8765"}).status_code == 401
    )  # allowed, no session
    assert client.get("/today", headers={"host": "other.lan"}).status_code == 421
    site.app.close()


def test_without_the_session_nothing_is_shown_or_changed(web: Web) -> None:
    anonymous = web.client
    anonymous.cookies.clear()
    for path in ("/today", "/pipeline", "/people", "/outbox", "/settings", "/add", "/suggestions", "/stats"):
        answer = anonymous.get(path)
        assert answer.status_code == 401, path
        assert "followup serve" in answer.text  # the login page says how to log in
    for path in ("/today.json", "/api/today", "/api/people", "/settings.json"):
        answer = anonymous.get(path)
        assert answer.status_code == 401, path
        assert answer.json()["error"]["type"] == "NotLoggedInError"
    answer = anonymous.post("/opportunities", data={"csrf": web.csrf, "company": "Evil", "title": "Boss"})
    assert answer.status_code == 401
    answer = anonymous.post("/api/opportunities", json={"company": "Evil", "title": "Boss"},
                            headers={"X-CSRF-Token": web.csrf})  # fmt: skip
    assert answer.status_code == 401
    assert web.app.browser.opportunities() == []


def test_a_forged_session_cookie_is_no_session(web: Web) -> None:
    web.client.cookies.set(COOKIE, "made-up-session-id")
    assert web.client.get("/api/today").status_code == 401


def test_the_login_link_works_once(tmp_path: Path) -> None:
    site = make_site(settings_for(str(tmp_path / "db.sqlite3")))
    first = logged_in(site)
    assert first.client.get("/api/today").status_code == 200
    from fastapi.testclient import TestClient

    from followup.web.server import web_app

    second = TestClient(web_app(site, bind="127.0.0.1"), base_url="http://127.0.0.1:8765")
    answer = second.get(f"/login?token={LOGIN}", follow_redirects=False)
    assert answer.status_code == 401
    assert COOKIE not in answer.cookies
    assert second.get("/login?token=wrong", follow_redirects=False).status_code == 401
    site.app.close()


def test_the_session_cookie_is_httponly_and_samesite_strict(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from followup.web.server import web_app

    site = make_site(settings_for(str(tmp_path / "db.sqlite3")))
    client = TestClient(web_app(site, bind="127.0.0.1"), base_url="http://127.0.0.1:8765")
    cookie = client.get(f"/login?token={LOGIN}", follow_redirects=False).headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert re.search(r"SameSite=strict", cookie, re.IGNORECASE)
    assert "Path=/" in cookie
    site.app.close()


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_a_change_without_the_csrf_token_is_refused(web: Web, token: str | None) -> None:
    form = {"company": "Evil Corp", "title": "Boss"} | ({"csrf": token} if token is not None else {})
    answer = web.client.post("/opportunities", data=form)
    assert answer.status_code == 403
    assert "security token" in answer.text
    headers = {"X-CSRF-Token": token} if token is not None else {}
    answer = web.client.post(
        "/api/opportunities", json={"company": "Evil Corp", "title": "Boss"}, headers=headers
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["type"] == "CsrfError"
    assert web.app.browser.opportunities() == []
    # … and the same request with the token goes through
    assert web.post("/opportunities", {"company": "Fine Corp", "title": "Engineer"}).status_code == 200
    assert [o.opportunity.company for o in web.app.browser.opportunities()] == ["Fine Corp"]


def test_every_form_action_checks_the_csrf_token(web: Web) -> None:
    from followup.web.pages import FORMS

    web.post("/opportunities", {"company": "Northwind", "title": "Engineer"})
    for path, _, _ in FORMS:
        concrete = re.sub(r"\{\w+:int\}", "1", path)
        answer = web.client.post(concrete, data={"company": "X", "title": "Y", "stage": "offer"})
        assert answer.status_code == 403, concrete
    assert web.app.browser.opportunity("1").summary.state.stage.value == "lead"


SCRIPT = '<script>alert("owned")</script>'


def test_a_script_in_every_text_field_is_shown_as_text(web: Web) -> None:
    """Names, notes, subjects… come from strangers' mail and files: every page escapes them."""
    fields = {"company": SCRIPT, "title": SCRIPT, "location": SCRIPT, "notes": SCRIPT,
              "url": "https://example.org/?q=" + SCRIPT}  # fmt: skip
    assert web.post("/opportunities", fields).status_code == 200
    web.post("/people", {"name": "Jane " + SCRIPT, "emails": "jane@example.org", "organisation": SCRIPT,
                         "title": SCRIPT, "phone": "555 0100", "notes": SCRIPT})  # fmt: skip
    web.post("/interactions", {"kind": "email-in", "people": "1", "opportunity": "1", "subject": SCRIPT,
                               "notes": SCRIPT, "at": "2026-11-30 10:00"})  # fmt: skip
    web.post("/interviews", {"opportunity": "1", "at": "2026-12-01 09:00", "interviewers": "1",
                             "location": SCRIPT, "notes": SCRIPT})  # fmt: skip
    detail = web.app.browser.opportunity("1")
    assert (detail.summary.opportunity.company, detail.summary.opportunity.notes) == (SCRIPT, SCRIPT)
    assert [p.name for p, _ in detail.people] == ["Jane " + SCRIPT]
    assert [e.subject for e in detail.ledger if e.subject] == [SCRIPT]
    assert [v.location for v in detail.interviews] == [SCRIPT]
    touches = web.app.planning.touches(opportunity_id=1)
    assert touches, "the reply owed and the thank-you are planned"
    web.post(f"/touches/{touches[0].id}/draft", {"text": f"Subject: {SCRIPT}\n\n{SCRIPT}"})
    assert web.app.drafting.draft(str(touches[0].id)).draft.subject == SCRIPT  # type: ignore[union-attr]
    pages = ["/today", "/pipeline", "/opportunities/1", "/people", "/people/1", "/outbox", "/add",
             f"/touches/{touches[0].id}", "/settings"]  # fmt: skip
    for path in pages:
        html = web.client.get(path).text
        assert SCRIPT not in html, path
        assert "<script>alert" not in html, path
    assert "&lt;script&gt;alert(" in web.client.get("/opportunities/1").text
    # the scripts the pages do load are the app's own files, never inline code
    for path in pages:
        for tag in re.findall(r"<script[^>]*>(.*?)</script>", web.client.get(path).text, re.S):
            assert tag.strip() == "", path


def test_every_response_carries_a_csp_without_inline_code(web: Web) -> None:
    for path in ("/today", "/api/today", "/static/app.js", "/nowhere"):
        headers = web.client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"


def test_binding_beyond_this_computer_needs_the_flag() -> None:
    with pytest.raises(InvalidInputError, match="--allow-remote"):
        check_bind("0.0.0.0", free_port(), allow_remote=False)  # noqa: S104 - the point of the test
    check_bind("0.0.0.0", free_port(), allow_remote=True).close()  # noqa: S104
    check_bind("127.0.0.1", free_port(), allow_remote=False).close()


def test_serve_on_0000_without_the_flag_exits_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    from followup.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--host", "0.0.0.0", "--port", str(free_port())])  # noqa: S104
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--allow-remote" in err
    assert "Traceback" not in err


def test_the_calendar_feed_needs_its_secret(web: Web) -> None:
    web.client.cookies.clear()  # a calendar app has no session: the token in the address is the key
    feed = web.client.get(f"/calendar/{FEED}.ics")
    assert feed.status_code == 200
    assert feed.text.startswith("BEGIN:VCALENDAR")
    assert feed.headers["content-type"].startswith("text/calendar")
    assert web.client.get("/calendar/wrong-token.ics").status_code == 404
    assert web.client.get(f"/calendar/{FEED[:-1]}.ics").status_code == 404
