"""Tests for the etiquette check shown with every draft (followup.domain.etiquette)."""

from __future__ import annotations

import pytest

from followup.domain.drafts import Draft
from followup.domain.etiquette import CLICHES, Circumstances, Finding, Severity, check, has_errors
from followup.domain.touches import Channel, TouchKind

JANE = Circumstances(kind=TouchKind.CHECK_IN, recipient="Jane Doe")

# 80 words, specific, no cliché: the baseline every test changes one thing of.
GOOD_BODY = """\
Hi Jane,

Thank you for taking the time to talk with me today about the Data Engineer role at Northwind Traders.

I especially enjoyed our conversation about the Kafka migration to Flink. It gave me a much clearer
picture of the work, and it made me even more keen to join the team.

If it would help your decision, I would be glad to share work samples, references, or more detail on any
project we touched on.

Best regards,
Alex Morgan
"""


def draft(
    body: str = GOOD_BODY,
    *,
    subject: str = "Thank you for today's conversation",
    template: str = "thank-you",
    to_name: str = "Jane Doe",
    to_address: str | None = "jane.doe@northwind.example",
    channel: Channel = Channel.EMAIL,
) -> Draft:
    return Draft(subject, body, to_name, to_address, template, channel=channel)


def words(count: int, *, greeting: str = "Hi Jane,") -> str:
    """A note of exactly `count` words, greeting included."""
    return f"{greeting}\n\n{' '.join(['word'] * (count - len(greeting.split())))}\n"


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def test_a_good_note_has_no_findings() -> None:
    assert check(draft(), JANE) == []


# clichés -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("phrase", "hint"), CLICHES, ids=[phrase for phrase, _ in CLICHES])
def test_each_cliche_is_found_whatever_its_case(phrase: str, hint: str) -> None:
    body = GOOD_BODY.replace("I especially", f"{phrase.upper()}. I especially")

    found = check(draft(body), JANE)

    assert codes(found) == ["cliche"]
    assert found[0].severity is Severity.WARNING
    assert phrase in found[0].message
    assert found[0].hint == hint


def test_a_cliche_with_a_curly_apostrophe_is_found() -> None:
    body = GOOD_BODY.replace("I especially", "I know you\u2019re busy, but I especially")

    found = check(draft(body), JANE)

    assert codes(found) == ["cliche"]
    assert "i know you're busy" in found[0].message


def test_a_cliche_in_the_subject_is_found() -> None:
    assert codes(check(draft(subject="Any update on the Data Engineer role?"), JANE)) == ["cliche"]


def test_each_cliche_is_reported_once() -> None:
    body = GOOD_BODY.replace(
        "I especially", "Just checking in. Just following up. Just checking in. I especially"
    )

    assert [f.message for f in check(draft(body), JANE)] == [
        "“just checking in” is a cliché recruiters skim past.",
        "“just following up” is a cliché recruiters skim past.",
    ]


# placeholders ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "placeholder", ["{{ first_name }}", "{% if x %}", "[Name]", "[YOUR ANSWER]", "TODO", "XXX"]
)
def test_a_placeholder_left_in_the_note_is_an_error(placeholder: str) -> None:
    body = GOOD_BODY.replace("Kafka migration to Flink", placeholder)

    found = check(draft(body), JANE)

    assert codes(found) == ["placeholder"]
    assert found[0].severity is Severity.ERROR
    assert found[0].message.startswith("The note still contains the placeholder")


def test_a_placeholder_left_in_the_subject_is_an_error() -> None:
    found = check(draft(subject="The [Role] role at Northwind Traders"), JANE)

    assert codes(found) == ["placeholder"]
    assert found[0].message == "The subject still contains the placeholder '[Role]'."


def test_the_placeholder_of_the_reply_owed_template_is_an_error() -> None:
    body = "Hi Jane,\n\nThank you for your message of Monday, 23 November.\n\n[YOUR ANSWER]\n\nBest,\nAlex\n"

    assert "placeholder" in codes(check(draft(body, template="reply-owed"), JANE))


# length ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [(59, ["too-short"]), (60, []), (150, []), (151, ["too-long"])],
)
def test_a_thank_you_reads_best_with_60_to_150_words(count: int, expected: list[str]) -> None:
    assert codes(check(draft(words(count)), JANE)) == expected


def test_the_length_warning_names_the_count_and_the_range() -> None:
    (found,) = check(draft(words(40)), JANE)

    assert found.severity is Severity.WARNING
    assert found.message == "The note has 40 words; a thank-you note reads best with 60 to 150."


@pytest.mark.parametrize(
    ("template", "count", "expected"),
    [
        ("check-in", 40, []),
        ("check-in", 24, ["too-short"]),
        ("check-in", 181, ["too-long"]),
        ("feedback", 39, ["too-short"]),
        ("feedback", 161, ["too-long"]),
        ("voicemail", 19, ["too-short"]),
        ("voicemail", 90, []),
        ("voicemail", 91, ["too-long"]),
    ],
)
def test_the_length_range_depends_on_the_template(template: str, count: int, expected: list[str]) -> None:
    assert codes(check(draft(words(count), template=template), JANE)) == expected


def test_the_signature_after_best_regards_is_not_counted() -> None:
    signature = " ".join(["signature"] * 60)
    body = f"{words(140).rstrip()}\n\nBest regards,\nAlex Morgan\n{signature}\n"

    assert check(draft(body), JANE) == []


def test_the_signature_below_the_dash_dash_line_is_not_counted() -> None:
    body = f"{words(60).rstrip()}\n-- \n{' '.join(['signature'] * 100)}\n"

    assert check(draft(body), JANE) == []


# the greeting ------------------------------------------------------------------------------------


def test_greeting_someone_else_is_an_error() -> None:
    found = check(draft(GOOD_BODY.replace("Hi Jane,", "Hi John,")), JANE)

    assert codes(found) == ["wrong-name"]
    assert found[0].severity is Severity.ERROR
    assert found[0].message == "The note greets 'John', but goes to Jane Doe."
    assert found[0].hint == "Greet them as Jane."


@pytest.mark.parametrize(
    ("greeting", "recipient"),
    [
        ("Hi Jane,", "Jane Doe"),
        ("hi jane,", "Jane Doe"),
        ("Hello, Jane", "Jane Doe"),
        ("Hello Jane Doe,", "Jane Doe"),
        ("Good morning Jane,", "Jane Doe"),
        ("Dear Ms. Doe,", "Jane Doe"),
        ("Dear Ms Doe,", "Jane Doe"),
        ("Dear Dr. Okafor,", "Dr. Amara Okafor"),
        ("Hi Amara,", "Dr. Amara Okafor"),
        ("Hi Jane-Marie,", "Jane-Marie Dupont"),
        ("Hi Jane,", "Jane-Marie Dupont"),
        ("Hi team,", "Jane Doe"),
        ("Hello all,", "Jane Doe"),
        ("Hi there,", "Jane Doe"),
        ("Hi Zoe,", "Zoë Martin"),
        ("Hi Zoë,", "Zoe Martin"),
        ("Hi Zoë,", "Zoë Martin"),
    ],
)
def test_accepted_greetings(greeting: str, recipient: str) -> None:
    body = GOOD_BODY.replace("Hi Jane,", greeting)

    assert check(draft(body, to_name=recipient), Circumstances(TouchKind.CHECK_IN, recipient)) == []


@pytest.mark.parametrize("greeting", ["Dear Mr. Smith,", "Hi Jean,", "Dear Hiring Manager,"])
def test_other_names_in_the_greeting_are_errors(greeting: str) -> None:
    assert codes(check(draft(GOOD_BODY.replace("Hi Jane,", greeting)), JANE)) == ["wrong-name"]


def test_the_greeting_is_not_checked_when_the_recipient_is_unknown() -> None:
    body = GOOD_BODY.replace("Hi Jane,", "Hi John,")

    assert check(draft(body, to_name=""), Circumstances(TouchKind.CHECK_IN, "")) == []


# addressing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("subject", ["", "   "])
def test_an_empty_subject_is_an_error(subject: str) -> None:
    found = check(draft(subject=subject), JANE)

    assert codes(found) == ["empty-subject"]
    assert found[0].severity is Severity.ERROR


def test_no_address_is_an_error() -> None:
    found = check(draft(to_address=None), JANE)

    assert codes(found) == ["no-address"]
    assert found[0].message == "There is no e-mail address for Jane Doe."


def test_an_empty_note_is_an_error() -> None:
    assert "empty-body" in codes(check(draft("\n  \n"), JANE))


def test_a_voicemail_needs_neither_subject_nor_address() -> None:
    script = words(40, greeting="Hi Jane, this is Alex Morgan.")

    found = check(
        draft(script, subject="", to_address=None, template="voicemail", channel=Channel.VOICEMAIL),
        Circumstances(TouchKind.THANK_YOU, "Jane Doe"),
    )

    assert found == []


# timing ------------------------------------------------------------------------------------------


def test_a_send_time_outside_their_window_is_a_warning() -> None:
    found = check(
        draft(),
        Circumstances(TouchKind.CHECK_IN, "Jane Doe", in_window=False, send_local="Sat 08:00 their time"),
    )

    assert codes(found) == ["outside-window"]
    assert found[0].severity is Severity.WARNING
    assert "Sat 08:00 their time" in found[0].message


def test_an_urgent_note_may_go_outside_their_window() -> None:
    facts = Circumstances(
        TouchKind.REPLY_OWED, "Jane Doe", urgent=True, in_window=False, send_local="Sat 08:00"
    )

    assert check(draft(), facts) == []


@pytest.mark.parametrize(("unanswered", "cap"), [(1, 1), (2, 1), (3, 3)])
def test_reaching_the_cap_of_unanswered_notes_is_an_error(unanswered: int, cap: int) -> None:
    found = check(draft(), Circumstances(TouchKind.CHECK_IN, "Jane Doe", unanswered=unanswered, cap=cap))

    assert codes(found) == ["over-cap"]
    assert found[0].severity is Severity.ERROR
    assert found[0].message.startswith(f"{unanswered} note(s) on this thread are already unanswered")


@pytest.mark.parametrize(("unanswered", "cap"), [(0, 1), (1, 2), (5, None)])
def test_below_the_cap_or_without_one_is_fine(unanswered: int, cap: int | None) -> None:
    assert check(draft(), Circumstances(TouchKind.CHECK_IN, "Jane Doe", unanswered=unanswered, cap=cap)) == []


def test_a_feedback_request_on_the_day_of_the_outcome_is_a_warning() -> None:
    found = check(draft(), Circumstances(TouchKind.FEEDBACK, "Jane Doe", days_after_outcome=0))

    assert codes(found) == ["feedback-too-soon"]
    assert found[0].severity is Severity.WARNING


@pytest.mark.parametrize(
    ("kind", "days"),
    [(TouchKind.FEEDBACK, 1), (TouchKind.FEEDBACK, 3), (TouchKind.FEEDBACK, None), (TouchKind.CHECK_IN, 0)],
)
def test_a_feedback_request_a_business_day_later_is_fine(kind: TouchKind, days: int | None) -> None:
    assert check(draft(), Circumstances(kind, "Jane Doe", days_after_outcome=days)) == []


# order -------------------------------------------------------------------------------------------


def test_errors_come_before_warnings() -> None:
    body = GOOD_BODY.replace("Hi Jane,", "Hi John,").replace("I especially", "Just checking in. I especially")
    facts = Circumstances(
        TouchKind.FEEDBACK, "Jane Doe", in_window=False, unanswered=1, cap=1, days_after_outcome=0
    )

    found = check(draft(body, subject="TODO"), facts)

    assert codes(found) == [
        "placeholder",
        "wrong-name",
        "over-cap",
        "cliche",
        "outside-window",
        "feedback-too-soon",
    ]
    severities = [f.severity for f in found]
    assert severities == sorted(severities, key=lambda s: s is not Severity.ERROR)


def test_has_errors() -> None:
    assert not has_errors([])
    assert not has_errors(check(draft(subject="Any update?"), JANE))
    assert has_errors(check(draft(subject=""), JANE))
    assert has_errors(check(draft(subject="Any update?", to_address=None), JANE))


@pytest.mark.parametrize(
    "text",
    [
        "My code is on [my portfolio](https://alexmorgan.dev).",
        "He said it was [sic] fine.",
        "I built a todo app for the team.",
    ],
)
def test_ordinary_lowercase_text_is_not_a_placeholder(text: str) -> None:
    draft = Draft("Thank you", f"Hi Jane,\n\n{text}\n", "Jane Doe", "jane@example.com", "check-in")
    assert "placeholder" not in {f.code for f in check(draft, Circumstances(kind=None, recipient="Jane Doe"))}


@pytest.mark.parametrize("sign_off", ["Thanks for your help,", "With thanks,", "All the best,", "Best,"])
def test_the_sign_off_and_signature_do_not_count_as_words(sign_off: str) -> None:
    words = " ".join(["word"] * 57)
    body = f"Hi Jane,\n\n{words}\n\n{sign_off}\nAlex Morgan\nData engineer\n+1 312 555 0142\nhttps://a.dev\n"
    draft = Draft("Thank you", body, "Jane Doe", "jane@example.com", "thank-you")
    codes = {f.code for f in check(draft, Circumstances(kind=None, recipient="Jane Doe"))}
    assert "too-short" in codes  # 59 words with the greeting; the signature would have made it 68
