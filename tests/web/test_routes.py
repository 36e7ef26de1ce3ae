"""The pages, their `.json` twins, the forms and the API, in process against a real SQLite file."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from followup.domain.model import Direction, InteractionKind, Role, Stage
from followup.services.fields import OpportunityFields, PersonFields
from tests.services.test_reading import mail, write_eml
from tests.web.conftest import Web

PAGES = ["/today", "/pipeline", "/opportunities/1", "/people", "/people/1", "/touches/1", "/outbox",
         "/suggestions", "/stats", "/settings", "/add"]  # fmt: skip


def northwind(web: Web) -> None:
    t = web.app.tracker
    t.add_opportunity(OpportunityFields(company="Northwind Traders", title="Data Engineer"))
    for name, address in (("Jane Doe", "jane@northwind.example"), ("Raj Patel", "raj@northwind.example")):
        t.add_person(PersonFields(name=name, emails=[address], organisation="Northwind Traders"))
    t.link("jane", "northwind", Role.RECRUITER)
    t.log(
        InteractionKind.APPLICATION,
        opportunity_ref="northwind",
        at="2026-11-02 10:00",
        direction=Direction.OUT,
    )
    t.log_interview("northwind", at="2026-12-01 10:00", interviewer_refs=["jane", "raj"])


@pytest.fixture
def any_web(db_url: str, make_web: Callable[..., Web]) -> Web:
    """The web app over SQLite and over PostgreSQL."""
    return make_web(db_url)


def test_every_page_and_its_json_twin(any_web: Web) -> None:
    web = any_web
    northwind(web)
    for path in PAGES:
        page = web.client.get(path)
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html")
        assert "<h1>" in page.text
        twin = web.client.get(path + ".json")
        assert twin.status_code == 200, path
        assert twin.headers["content-type"] == "application/json"
        assert isinstance(twin.json(), dict)


def test_the_api_returns_what_the_json_twins_return(web: Web) -> None:
    northwind(web)
    for path in ("/today", "/pipeline", "/opportunities/1", "/people", "/people/1", "/touches/1", "/outbox",
                 "/suggestions"):  # fmt: skip
        assert web.client.get("/api" + path).json() == web.client.get(path + ".json").json(), path


def test_today_shows_both_thank_yous_with_reason_draft_and_check(web: Web) -> None:
    northwind(web)
    data = web.client.get("/today.json").json()
    due = data["sections"]["today"]["touches"]
    assert sorted((t["kind"], t["person"]["name"]) for t in due) == [
        ("thank-you", "Jane Doe"), ("thank-you", "Raj Patel")
    ]  # fmt: skip
    jane = next(t for t in due if t["person"]["name"] == "Jane Doe")
    assert jane["reason"].startswith("Interview with Jane Doe ended at 10:45")
    assert jane["draft"]["to"] == {"name": "Jane Doe", "address": "jane@northwind.example"}
    assert "Jane" in jane["draft"]["body"]
    html = web.client.get("/today").text
    assert "Interview with Jane Doe ended at 10:45" in html
    assert f'action="/touches/{jane["id"]}/approve"' in html
    assert "Etiquette check" in html or "findings" in html


def test_adding_an_opportunity_goes_to_its_page_with_a_message(web: Web) -> None:
    answer = web.post("/opportunities", {"form": "opportunity", "company": "Contoso", "title": "Analyst",
                                         "source": "referral", "next": "/add"})  # fmt: skip
    assert answer.url.path == "/opportunities/1"
    assert "Added Contoso — Analyst." in answer.text
    (summary,) = web.app.browser.opportunities()
    assert (summary.opportunity.company, summary.opportunity.source.value) == ("Contoso", "referral")  # type: ignore[union-attr]


def test_a_refused_field_is_shown_beside_it_with_the_values_kept(web: Web) -> None:
    answer = web.post("/people", {"form": "person", "name": "Jane Doe", "emails": "not-an-address",
                                  "organisation": "Northwind", "next": "/add"})  # fmt: skip
    assert answer.url.path == "/add"
    html = answer.text
    field = re.search(r'<div class="field invalid">.*?</div>', html, re.S)
    assert field is not None
    assert 'name="emails"' in field.group(0)
    assert 'aria-invalid="true"' in field.group(0)
    assert "is not valid" in field.group(0)
    assert 'value="Northwind"' in html  # what was typed stays
    assert web.app.browser.people() == []
    # a missing required field is named too, and the next page is clean again
    answer = web.post("/opportunities", {"form": "opportunity", "company": "Contoso", "next": "/add"})
    assert "Title: Field required" in answer.text
    assert 'class="field invalid"' in answer.text
    assert 'class="field invalid"' not in web.client.get("/add").text  # shown once, then forgotten


def test_moving_a_stage_writes_a_ledger_entry(any_web: Web) -> None:
    web = any_web
    northwind(web)
    web.post("/opportunities/1/stage", {"stage": "offer", "next": "/pipeline"})
    assert web.app.context.repo.stage_of(1) is Stage.OFFER
    entries = web.app.browser.opportunity("1").ledger
    assert entries[-1].kind is InteractionKind.STAGE
    assert entries[-1].stage is Stage.OFFER
    board = web.client.get("/pipeline.json").json()
    offer = next(c for c in board["stages"] if c["stage"] == "offer")
    assert [o["company"] for o in offer["opportunities"]] == ["Northwind Traders"]


def test_done_skip_snooze_and_reopen_from_the_page(web: Web) -> None:
    northwind(web)
    ids = [t["id"] for t in web.client.get("/today.json").json()["sections"]["today"]["touches"]]
    web.post(f"/touches/{ids[0]}/done", {"next": "/today"})
    answer = web.post(f"/touches/{ids[1]}/snooze", {"until": "+3d", "next": "/today"})
    assert "snoozed until" in answer.text
    today = web.client.get("/today.json").json()["sections"]
    assert today["today"]["count"] == 0
    assert web.app.planning.touch(str(ids[0])).state == "done"
    assert web.app.planning.touch(str(ids[1])).due_from > web.app.context.now()
    web.post(f"/touches/{ids[0]}/reopen")
    assert web.app.planning.touch(str(ids[0])).state == "pending"
    answer = web.post(f"/touches/{ids[0]}/snooze", {"until": "yesterday", "next": "/today"})
    assert "in the past" in answer.text  # the service's message, shown as it is


def test_edit_and_approve_a_draft_then_see_it_in_the_outbox(web: Web) -> None:
    northwind(web)
    touch = web.client.get("/today.json").json()["sections"]["today"]["touches"][0]
    text = f"Subject: Thank you, {touch['person']['name'].split()[0]}\n\nThanks for today.\n\nAlex"
    web.post(f"/touches/{touch['id']}/draft", {"text": text})
    web.post(f"/touches/{touch['id']}/approve", {"next": "/outbox"})
    outbox = web.client.get("/outbox.json").json()
    approved = next(s for s in outbox["states"] if s["state"] == "approved")["messages"]
    assert [(m["touch"], m["subject"]) for m in approved] == [(touch["id"], text.splitlines()[0][9:])]
    assert "Thanks for today." in approved[0]["body"]
    assert "Thanks for today." in web.client.get("/outbox").text


def test_sending_without_a_server_says_how_to_set_one_up(web: Web) -> None:
    northwind(web)
    touch = web.client.get("/today.json").json()["sections"]["today"]["touches"][0]
    approved = web.post(f"/touches/{touch['id']}/approve", {"next": "/outbox"})
    assert "No outgoing mail server is set up yet" in approved.text  # said at once, not only at sending
    answer = web.post("/outbox/send", {"next": "/outbox"})
    assert "No outgoing mail server is set up." in answer.text
    assert answer.url.path == "/outbox"


def test_suggestions_are_confirmed_and_dismissed_from_the_page(web: Web, tmp_path: Path) -> None:
    northwind(web)
    no = "Dear Alex, unfortunately we have decided to move forward with other candidates."
    invite = "Hi Alex, we would like to invite you to an interview for the Platform Engineer role."
    messages = [
        mail("jane@northwind.example", "Your application", no, message_id="<no@northwind.example>"),
        mail(
            "Sam <sam@fabrikam.example>", "Interview: Platform Engineer", invite, message_id="<s@fab.example>"
        ),
    ]
    web.app.mail_sync.import_files(web.app.mail_files, "eml", write_eml(tmp_path / "in", *messages))
    listed = web.client.get("/suggestions.json").json()["suggestions"]
    assert len(listed) >= 2
    html = web.client.get("/suggestions").text
    assert "rejection" in html.lower()
    rejection = next(s for s in listed if s["kind"] == "rejection")
    answer = web.post(f"/suggestions/{rejection['id']}/confirm", {"next": "/suggestions"})
    assert "Confirmed" in answer.text
    assert web.app.context.repo.stage_of(1) is Stage.REJECTED
    other = next(s for s in listed if s["id"] != rejection["id"])
    web.post(f"/suggestions/{other['id']}/dismiss")
    assert web.client.get("/suggestions.json").json()["suggestions"] == []


def test_logging_an_interaction_and_an_interview_by_form(web: Web) -> None:
    northwind(web)
    web.post("/interactions", {"kind": "email-in", "people": "jane", "opportunity": "1",
                               "subject": "Next steps", "at": "2026-12-01 09:00"})  # fmt: skip
    web.post("/interviews", {"opportunity": "northwind", "at": "2026-12-08 10:00", "duration": "1h",
                             "interviewers": "Raj Patel", "kind": "onsite", "location": "HQ"})  # fmt: skip
    detail = web.app.browser.opportunity("1")
    assert [e.subject for e in detail.ledger if e.kind is InteractionKind.EMAIL] == ["Next steps"]
    assert [(v.location, v.kind.value) for v in detail.interviews] == [(None, "video"), ("HQ", "onsite")]
    answer = web.post("/interactions", {"form": "interaction", "kind": "email-in", "next": "/add"})
    assert "Whom was the email-in with?" in answer.text


def test_the_api_records_and_answers_errors_in_one_envelope(web: Web) -> None:
    created = web.api("POST", "/api/opportunities", {"company": "Fabrikam", "title": "SRE"})
    assert created.status_code == 201
    assert created.json()["company"] == "Fabrikam"
    person = web.api("POST", "/api/people", {"name": "Sam Lee", "emails": ["sam@fabrikam.example"]})
    assert person.status_code == 201
    bad = web.api("POST", "/api/people", {"name": "Kim", "emails": ["nope"]})
    assert bad.status_code == 422
    assert bad.json()["error"] == {
        "type": "InvalidInputError", "status": 422, "message": "The e-mail address 'nope' is not valid.",
        "hint": "Give an address such as jane@northwind.example (--email).", "field": "email",
    }  # fmt: skip
    missing = web.api("GET", "/api/opportunities/99")
    assert missing.status_code == 404
    assert missing.json()["error"]["type"] == "NotFoundError"
    invalid = web.api("POST", "/api/opportunities", {"company": "X"})
    assert invalid.status_code == 422
    assert invalid.json()["error"]["field"] == "title"
    assert (
        web.api("POST", "/api/opportunities/1/stage", {"stage": "screening"}).json()["stage"] == "screening"
    )


def test_the_openapi_describes_the_api(web: Web) -> None:
    spec = web.client.get("/api/openapi.json").json()
    paths = spec["paths"]
    assert {"/api/today", "/api/opportunities", "/api/touches/{touch_id}/approve", "/api/outbox/send"} <= set(
        paths
    )
    assert not any(p.startswith(("/today", "/calendar")) for p in paths)


@pytest.mark.parametrize("path", ["/static/htmx.min.js", "/static/app.js", "/static/app.css"])
def test_the_static_files_are_served_from_the_package(web: Web, path: str) -> None:
    answer = web.client.get(path)
    assert answer.status_code == 200
    assert len(answer.content) > 1000


def test_the_stats_page_draws_its_charts_and_its_twin_has_the_figures(web: Web) -> None:
    northwind(web)
    html = web.client.get("/stats").text
    assert html.count("<svg") >= 4
    assert 'role="img"' in html
    assert "of your outreaches were answered" in html
    data = web.client.get("/stats.json").json()
    assert "_charts" not in data
    assert data["funnel"][0] == {"step": "applied", "count": 1, "conversion": None}
    assert data["funnel"][1]["count"] == 1  # the interview
    assert data["thank_you"]["due"] == 2
    assert web.client.get("/api/stats?weeks=4").json()["weeks"] == 4


def test_an_uncertain_note_is_resolved_from_the_outbox_page(web: Web) -> None:
    """A note found in `sending` after a crash, with no proof either way: the user decides."""
    import dataclasses

    from followup.domain.outbox import OutboxState
    from followup.storage.outbox import SqlOutboxStore

    northwind(web)
    jane, raj = (t["id"] for t in web.client.get("/today.json").json()["sections"]["today"]["touches"])
    store = SqlOutboxStore(web.app.db)
    for touch in (jane, raj):
        approved = web.app.drafting.approve(str(touch)).message
        assert approved is not None
        store.save(dataclasses.replace(approved, state=OutboxState.UNCERTAIN))
    web.site.forget()
    html = web.client.get("/outbox").text
    assert "Uncertain — did they go out?" in html
    assert f'action="/outbox/{jane}/mark-sent"' in html
    assert f'action="/outbox/{raj}/resend"' in html
    assert "is marked sent" in web.post(f"/outbox/{jane}/mark-sent", {"next": "/outbox"}).text
    assert "goes out again" in web.post(f"/outbox/{raj}/resend", {"next": "/outbox"}).text
    states = {
        s["state"]: [m["touch"] for m in s["messages"]]
        for s in web.client.get("/outbox.json").json()["states"]
    }
    assert (states["sent"], states["approved"], states["uncertain"]) == ([jane], [raj], [])
    sent = [e for e in web.app.browser.opportunity("1").ledger if e.kind is InteractionKind.EMAIL]
    assert [e.direction for e in sent] == [Direction.OUT]  # marking sent writes the ledger entry
    # a second click on a settled note says why nothing happens
    assert "not uncertain" in web.post(f"/outbox/{jane}/mark-sent", {"next": "/outbox"}).text


def test_the_page_cache_stays_small_whatever_the_query_strings(web: Web) -> None:
    from followup.web.site import PAGES_KEPT

    northwind(web)
    for n in range(3 * PAGES_KEPT):
        assert web.client.get(f"/today?junk={n}").status_code == 200
    assert len(web.site._cache) <= PAGES_KEPT
    # a change is seen at once, cached or not
    web.post("/opportunities/1/stage", {"stage": "offer"})
    offer = web.client.get("/pipeline").text.split('data-stage="offer"', 1)[1].split("</section>")[0]
    assert "Northwind Traders" in offer
