"""End to end in real Chromium: the story of one interview, from the quick-add forms to a thank-you
note received by a real SMTP server; then every page at a laptop's and a phone's width."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.mail.smtp_server import PASSWORD, USER, SmtpServer, smtp_plain_fixture  # noqa: F401
from tests.web.conftest import LOGIN, Served, make_site, screenshot, serve, settings_for

WIDTHS = {"wide": (1280, 900), "narrow": (390, 844)}


@pytest.fixture
def served(tmp_path: Path, smtp_plain: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    monkeypatch.setenv("FOLLOWUP_SMTP_PASSWORD", PASSWORD)
    settings = settings_for(
        str(tmp_path / "browser.sqlite3"),
        smtp_host="127.0.0.1", smtp_port=smtp_plain.port, smtp_security="none", smtp_user=USER,
    )  # fmt: skip
    running = serve(make_site(settings))
    yield running
    running.server.stop()
    running.site.app.close()


@pytest.fixture
def page(browser: Any, served: Served) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.goto(f"{served.url}/login?token={LOGIN}")
    expect(tab.get_by_role("heading", name="Today")).to_be_visible()
    yield tab
    context.close()
    # a CSP violation or a script error shows up in the console: there must be none
    assert problems == []


def _submit(page: Page, form: str, fields: dict[str, str], button: str) -> None:
    for name, value in fields.items():
        page.locator(f"#{form}-{name}").fill(value)
    page.locator(f"#{form}-{next(iter(fields))}").locator("xpath=ancestor::form").get_by_role(
        "button", name=button
    ).click()


def test_an_interview_to_a_received_thank_you(page: Page, served: Served, smtp_plain: SmtpServer) -> None:
    page.get_by_role("link", name="Add", exact=True).click()
    _submit(
        page, "opportunity", {"company": "Northwind Traders", "title": "Data Engineer"}, "Add the opportunity"
    )
    expect(page.get_by_role("heading", name="Northwind Traders — Data Engineer")).to_be_visible()
    opportunity_url = page.url

    for name, address in (("Jane Doe", "jane@northwind.example"), ("Raj Patel", "raj@northwind.example")):
        page.get_by_role("link", name="Add", exact=True).click()
        _submit(page, "person", {"name": name, "emails": address, "organisation": "Northwind Traders"},
                "Add the person")  # fmt: skip
        expect(page.get_by_role("heading", name=name)).to_be_visible()

    page.goto(opportunity_url)
    page.get_by_text("Log an interview").click()
    _submit(page, "interview", {"at": "2026-12-01 10:00", "interviewers": "Jane Doe, Raj Patel"},
            "Log the interview")  # fmt: skip
    expect(page.get_by_text("Logged the interview.")).to_be_visible()

    page.get_by_role("link", name="Today", exact=True).click()
    due = page.locator("section.today")
    expect(due.locator("li.touch")).to_have_count(2)
    expect(due).to_contain_text("Jane Doe")
    expect(due).to_contain_text("Raj Patel")
    expect(due.locator("li.touch").first).to_contain_text("thank")

    jane = due.locator("li.touch", has_text="Jane Doe")
    jane.get_by_role("link", name="Why, and the whole note").click()
    text = page.locator("#draft-text")
    words = text.input_value()
    assert words.startswith("Subject: ")
    text.fill(words.replace("\n\n", "\n\nI enjoyed our talk about the billing pipeline.\n\n", 1))
    page.get_by_role("button", name="Save my words").click()
    expect(page.get_by_text("Saved your words")).to_be_visible()
    page.get_by_role("button", name="Approve for sending").click()
    expect(page.get_by_role("heading", name="Outbox")).to_be_visible()
    expect(page.get_by_text("Approved touch")).to_be_visible()

    page.get_by_role("button", name="Send what is due now").click()
    expect(page.get_by_text("1 sent")).to_be_visible()
    assert [m.recipients for m in smtp_plain.messages] == [["jane@northwind.example"]]
    sent: Message = message_from_bytes(smtp_plain.messages[0].content)
    body = sent.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert "I enjoyed our talk about the billing pipeline." in body.decode()
    assert "Jane" in body.decode()
    assert sent["To"] == "Jane Doe <jane@northwind.example>"
    expect(page.locator("section", has_text="Sent")).to_contain_text("jane@northwind.example")


def test_every_page_at_both_widths(page: Page, served: Served) -> None:
    from followup.services.demo import load_demo

    app = served.site.app
    with served.site.lock:
        load_demo(app.context.repo, size="small", now=app.context.now(), user_tz=app.settings.tz, seed=7)
        app.planning.replan()
    served.site.forget()
    pages = ["/today", "/pipeline", "/opportunities/1", "/people", "/people/1", "/touches/1", "/outbox",
             "/suggestions", "/stats", "/settings", "/add"]  # fmt: skip
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        for path in pages:
            page.goto(served.url + path)
            expect(page.locator("main h1")).to_be_visible()
            # nothing sticks out sideways on a phone: the page is no wider than the screen
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            wide = page.evaluate(
                "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
                "window.innerWidth + 1 && !e.closest('.table-wrap, .board')).map(e => e.tagName + '.' + "
                "e.className).slice(0, 5)"
            )
            assert overflow <= 0, f"{path} is {overflow}px too wide at {width}px: {wide}"
            shot = screenshot(page, f"{path.strip('/').replace('/', '-')}-{label}")
            assert shot.stat().st_size > 5000


def test_dragging_a_card_to_another_stage_moves_it(page: Page, served: Served) -> None:
    from followup.services.fields import OpportunityFields

    with served.site.lock:
        served.site.app.tracker.add_opportunity(OpportunityFields(company="Contoso", title="Analyst"))
    served.site.forget()
    page.goto(served.url + "/pipeline")
    card = page.locator(".card", has_text="Contoso")
    page.locator('.column[data-stage="lead"] .card').drag_to(page.locator('.column[data-stage="screening"]'))
    expect(page.get_by_text("Moved to screening.")).to_be_visible()
    expect(page.locator('.column[data-stage="screening"] .card', has_text="Contoso")).to_be_visible()
    assert card.count() == 1
    ledger = served.site.app.browser.opportunity("1").ledger
    assert [(e.kind.value, e.stage.value if e.stage else None) for e in ledger] == [("stage", "screening")]
