"""Tests for note templates (followup.mail.templates): snapshots of every default note, and user templates.

Each default note is rendered for one realistic story and compared with its snapshot in
tests/data/notes/<name>.txt (the subject line, a blank line, the body). After a deliberate change to a
template, rewrite the snapshots and review the diff:

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/mail/test_templates.py
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from followup.domain import etiquette
from followup.domain.drafts import TEMPLATES, Draft, DraftFacts, Sender, context
from followup.domain.model import (
    Direction,
    EmailAddress,
    Interaction,
    InteractionKind,
    Interview,
    Opportunity,
    Person,
    Stage,
)
from followup.domain.touches import Channel, TouchKind
from followup.errors import TemplateError
from followup.mail.templates import JinjaTemplates

SNAPSHOTS = Path(__file__).parent.parent / "data" / "notes"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"

# Thursday 26 November 2026, 22:00 UTC: 16:00 in Chicago, two hours after the interview ended.
NOW = datetime(2026, 11, 26, 22, 0, tzinfo=UTC)
CHICAGO = "America/Chicago"

ME = Sender(
    "Alex Morgan", "alex@example.org", "Data engineer", "+1 312 555 0142", ("https://alexmorgan.dev",)
)
JANE = Person(
    name="Jane Doe",
    emails=(EmailAddress("jane.doe@northwind.example"),),
    organisation="Northwind Traders",
    title="Engineering Manager",
    timezone=CHICAGO,
    id=1,
)
ROLE = Opportunity(company="Northwind Traders", title="Data Engineer", id=1)
OFFER = Opportunity(company="Contoso Pharmaceuticals", title="Senior Data Engineer", id=2)
NOTES = "Discussed the Kafka migration to Flink; on-call rota; team of six"
INTERVIEW = Interview(
    opportunity_id=1,
    starts_at=NOW - timedelta(hours=3),
    ends_at=NOW - timedelta(hours=2),
    timezone=CHICAGO,
    notes=NOTES,
    interviewer_ids=(1,),
    id=1,
)
WITHOUT_NOTES = dataclasses.replace(INTERVIEW, notes="")
NEXT_STEPS = Interaction(
    kind=InteractionKind.EMAIL,
    occurred_at=NOW - timedelta(days=3),
    direction=Direction.IN,
    opportunity_id=1,
    person_ids=(1,),
    subject="Next steps",
    message_id="<next-steps@northwind.example>",
    id=5,
)


def facts(template: str, kind: TouchKind, *, number: int = 1, **changes: object) -> DraftFacts:
    base: dict[str, object] = {
        "kind": kind,
        "template": template,
        "channel": Channel.VOICEMAIL if template == "voicemail" else Channel.EMAIL,
        "round": number,
        "reason": "the playbook's rule for this touch",
        "me": ME,
        "person": JANE,
        "opportunity": ROLE,
        "stage": Stage.INTERVIEWING,
        "zone": CHICAGO,
        "interview": INTERVIEW,
        "interviewers": ("Jane Doe",),
        "trigger": NEXT_STEPS,
        "last": NEXT_STEPS,
        "thread": NEXT_STEPS,
        "accepted": OFFER,
    }
    base.update(changes)
    return DraftFacts(**base)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Case:
    snapshot: str
    facts: DraftFacts

    @property
    def template(self) -> str:
        return self.facts.template


CASES = [
    Case("thank-you", facts("thank-you", TouchKind.THANK_YOU)),
    Case("thank-you-without-notes", facts("thank-you", TouchKind.THANK_YOU, interview=WITHOUT_NOTES)),
    Case(
        "resume-check",
        facts("resume-check", TouchKind.RESUME_CHECK, stage=Stage.APPLIED, referrer="Priya Shah"),
    ),
    Case("check-in-1", facts("check-in", TouchKind.CHECK_IN, stage=Stage.APPLIED)),
    Case("check-in-2", facts("check-in", TouchKind.CHECK_IN, number=2, stage=Stage.APPLIED)),
    Case("post-interview-1", facts("post-interview", TouchKind.POST_INTERVIEW)),
    Case("post-interview-2", facts("post-interview", TouchKind.POST_INTERVIEW, number=2)),
    Case("feedback", facts("feedback", TouchKind.FEEDBACK, stage=Stage.REJECTED)),
    Case("reply-owed", facts("reply-owed", TouchKind.REPLY_OWED)),
    Case("keep-in-touch", facts("keep-in-touch", TouchKind.KEEP_IN_TOUCH, stage=Stage.REJECTED)),
    Case("closing-withdraw", facts("closing-withdraw", TouchKind.CLOSING)),
    Case("closing-thanks", facts("closing-thanks", TouchKind.CLOSING)),
    Case("voicemail", facts("voicemail", TouchKind.THANK_YOU)),
]
BY_NAME = {case.snapshot: case for case in CASES}
# The default notes that ask the user to write a part only they can: the check must stop them.
WITH_PLACEHOLDER = {"reply-owed", "keep-in-touch"}


def render(case: Case, templates: JinjaTemplates | None = None) -> tuple[str, str]:
    return (templates or JinjaTemplates(None)).render(case.template, context(case.facts, now=NOW))


def as_draft(case: Case) -> Draft:
    subject, body = render(case)
    return Draft(subject, body, JANE.name, JANE.primary_email, case.template, channel=case.facts.channel)


def signed_off(body: str) -> str:
    """The body above the sign-off."""
    return body.split("\nBest regards,\n", 1)[0]


# snapshots ---------------------------------------------------------------------------------------


def test_every_default_template_has_a_snapshot_case() -> None:
    defaults = set(JinjaTemplates(None).names()) - {"_signoff"}

    assert defaults == set(TEMPLATES)
    assert {case.template for case in CASES} == defaults


@pytest.mark.parametrize("case", CASES, ids=[case.snapshot for case in CASES])
def test_default_note_matches_its_snapshot(case: Case) -> None:
    subject, body = render(case)
    rendered = f"Subject: {subject}\n\n{body}"
    path = SNAPSHOTS / f"{case.snapshot}.txt"

    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}; write it with UPDATE_SNAPSHOTS=1 and review it"
    assert rendered == path.read_text(encoding="utf-8")


# content, independent of the snapshots -----------------------------------------------------------


def test_thank_you_names_the_person_the_role_and_a_topic() -> None:
    subject, body = render(BY_NAME["thank-you"])
    note = signed_off(body)

    assert 60 <= len(note.split()) <= 150
    assert note.startswith("Hi Jane,\n")
    assert "Data Engineer" in subject
    assert "the Data Engineer role at Northwind Traders" in note
    assert "the Kafka migration to Flink" in note
    assert "today" in subject
    assert "today" in note


def test_thank_you_without_interview_notes_names_no_topic() -> None:
    _subject, body = render(BY_NAME["thank-you-without-notes"])
    note = signed_off(body)

    assert 60 <= len(note.split()) <= 150
    assert "conversation about" not in note
    assert "Jane" in note


def test_notes_sign_off_with_the_users_details() -> None:
    _subject, body = render(BY_NAME["thank-you"])

    assert body.endswith(
        "Best regards,\nAlex Morgan\nData engineer\n+1 312 555 0142\nhttps://alexmorgan.dev\n"
    )


@pytest.mark.parametrize("case", CASES, ids=[case.snapshot for case in CASES])
def test_no_default_note_uses_a_cliche(case: Case) -> None:
    subject, body = render(case)
    text = f"{subject}\n{body}".casefold().replace("\u2019", "'")

    assert [phrase for phrase, _hint in etiquette.CLICHES if phrase in text] == []


@pytest.mark.parametrize("case", CASES, ids=[case.snapshot for case in CASES])
def test_default_notes_pass_the_etiquette_check(case: Case) -> None:
    circumstances = etiquette.Circumstances(kind=case.facts.kind, recipient=JANE.name)

    found = etiquette.check(as_draft(case), circumstances)

    errors = [f.code for f in found if f.severity is etiquette.Severity.ERROR]
    assert errors == (["placeholder"] if case.snapshot in WITH_PLACEHOLDER else [])
    assert "cliche" not in [f.code for f in found]


@pytest.mark.parametrize("name", sorted(WITH_PLACEHOLDER))
def test_notes_only_the_user_can_write_keep_their_placeholder(name: str) -> None:
    found = etiquette.check(as_draft(BY_NAME[name]), etiquette.Circumstances(kind=None, recipient=JANE.name))

    assert etiquette.has_errors(found)
    assert any(f.code == "placeholder" and "[" in f.message for f in found)


def test_reply_owed_answers_the_trigger_subject() -> None:
    subject, _body = render(BY_NAME["reply-owed"])

    assert subject == "Re: Next steps"


def test_a_default_note_reports_a_missing_value_with_its_line() -> None:
    no_interview = Case("thank-you", facts("thank-you", TouchKind.THANK_YOU, interview=None))

    with pytest.raises(TemplateError) as raised:
        render(no_interview)

    assert raised.value.message == "thank-you.txt (built in), line 2: interview.day has no value here."
    assert raised.value.hint is not None
    assert "interview" in raised.value.hint


def test_an_unknown_template_name_is_an_error() -> None:
    with pytest.raises(TemplateError, match="There is no template 'thank-u'") as raised:
        JinjaTemplates(None).render("thank-u", context(BY_NAME["thank-you"].facts, now=NOW))

    assert raised.value.hint is not None
    assert "thank-you" in raised.value.hint


# the user's templates ----------------------------------------------------------------------------


def user_templates(folder: Path, **files: str) -> JinjaTemplates:
    for name, text in files.items():
        (folder / f"{name.replace('_', '-')}.txt").write_text(text, encoding="utf-8")
    return JinjaTemplates(str(folder))


def test_a_user_template_wins_over_the_built_in_one(tmp_path: Path) -> None:
    templates = user_templates(
        tmp_path, thank_you="Subject: Thanks, {{ person.first_name }}\n\nShort and mine.\n"
    )

    assert render(BY_NAME["thank-you"], templates) == ("Thanks, Jane", "Short and mine.\n")
    assert templates.source("thank-you") == str(tmp_path / "thank-you.txt")
    # the others are still the built-in ones
    assert render(BY_NAME["check-in-1"], templates) == render(BY_NAME["check-in-1"])
    assert templates.source("check-in") == "check-in.txt (built in)"


def test_a_user_template_may_include_the_built_in_sign_off(tmp_path: Path) -> None:
    templates = user_templates(tmp_path, thank_you='Subject: Thanks\n\nHi.\n\n{% include "_signoff.txt" %}')

    _subject, body = render(BY_NAME["thank-you"], templates)

    assert body.startswith("Hi.\n\nBest regards,\nAlex Morgan\n")


def test_a_missing_value_names_the_file_the_line_and_the_value(tmp_path: Path) -> None:
    templates = user_templates(
        tmp_path,
        thank_you="Subject: Thanks\n\nHi {{ person.first_name }},\n\nCall me back at {{ person.phone }}.\n",
    )

    with pytest.raises(TemplateError) as raised:
        render(BY_NAME["thank-you"], templates)

    message = raised.value.message
    assert str(tmp_path / "thank-you.txt") in message
    assert "line 5" in message
    assert "person.phone" in message
    assert raised.value.hint is not None
    assert "followup edit person" in raised.value.hint


def test_a_guarded_missing_value_renders(tmp_path: Path) -> None:
    templates = user_templates(
        tmp_path,
        thank_you="Subject: Thanks\n\nHi {{ person.first_name }},\n"
        "{% if person.phone %}\nI will call you at {{ person.phone }}.\n{% endif %}\nThanks.\n",
    )
    with_phone = Case(
        "thank-you",
        facts("thank-you", TouchKind.THANK_YOU, person=Person("Jane Doe", phone="+1 312 555 0199")),
    )

    assert render(BY_NAME["thank-you"], templates) == ("Thanks", "Hi Jane,\nThanks.\n")
    assert render(with_phone, templates) == (
        "Thanks",
        "Hi Jane,\nI will call you at +1 312 555 0199.\nThanks.\n",
    )


def test_an_unknown_variable_is_an_error(tmp_path: Path) -> None:
    templates = user_templates(tmp_path, thank_you="Subject: Thanks\n\nHi {{ persn.name }},\n")

    with pytest.raises(TemplateError, match="persn") as raised:
        render(BY_NAME["thank-you"], templates)

    assert "line 3" in raised.value.message


def test_an_unknown_key_of_a_known_variable_is_an_error(tmp_path: Path) -> None:
    templates = user_templates(tmp_path, thank_you="Subject: Thanks\n\nHi {{ person.nickname }},\n")

    with pytest.raises(TemplateError, match="nickname"):
        render(BY_NAME["thank-you"], templates)


def test_a_syntax_error_names_the_file_and_the_line(tmp_path: Path) -> None:
    templates = user_templates(tmp_path, thank_you="Subject: Thanks\n\nHi {{ person.first_name },\n\nBye.\n")

    with pytest.raises(TemplateError) as raised:
        render(BY_NAME["thank-you"], templates)

    assert raised.value.message.startswith(f"{tmp_path / 'thank-you.txt'}, line 3: ")
    assert raised.value.hint is not None


def test_a_template_without_a_subject_line_is_an_error(tmp_path: Path) -> None:
    templates = user_templates(tmp_path, thank_you="Hi {{ person.first_name }},\n\nThanks.\n")

    with pytest.raises(TemplateError, match="the first line must be 'Subject: …'") as raised:
        render(BY_NAME["thank-you"], templates)

    assert str(tmp_path / "thank-you.txt") in raised.value.message


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__",
        "''.__class__.__mro__[1].__subclasses__()",
        "person.__class__",
        "me.links.__class__.__base__",
        "cycler.__init__.__globals__",
    ],
)
def test_the_sandbox_refuses_python_internals(tmp_path: Path, expression: str) -> None:
    templates = user_templates(tmp_path, thank_you=f"Subject: Thanks\n\n{{{{ {expression} }}}}\n")

    with pytest.raises(TemplateError, match="unsafe") as raised:
        render(BY_NAME["thank-you"], templates)

    assert str(tmp_path / "thank-you.txt") in raised.value.message
