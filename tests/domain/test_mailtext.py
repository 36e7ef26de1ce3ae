"""Tests for reading what people write in mail (followup.domain.mailtext, returndates, signals).

The replies under tests/data/mail/zapier-email-reply-parser/ are real third-party samples (see
tests/data/mail/SOURCES.md); every other message is written beside its assertion.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from followup.domain.inbound import Signal
from followup.domain.mailtext import new_text, snippet
from followup.domain.returndates import return_date
from followup.domain.signals import (
    JOB_PHRASES,
    PHRASE_LIMIT,
    SIGNAL_ORDER,
    SIGNAL_PHRASES,
    employer_signals,
    job_related,
)

ZAPIER = Path(__file__).parent.parent / "data" / "mail" / "zapier-email-reply-parser"
# A Thursday.
RECEIVED = date(2025, 1, 2)


def zapier(name: str) -> str:
    return (ZAPIER / name).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------------
# new_text on real replies

TEXTMATE = (
    "On your remote host you can run:\n\n     telnet 127.0.0.1 52698\n\nThis should connect to TextMate"
    " (on your Mac, via the tunnel). If that\nfails, the tunnel is not working."
)
ZAPIER_EXPECTED = {
    "correct_sig.txt": "this is an email with a correct -- signature.",
    "email_1_3.txt": "Oh thanks.\n\nHaving the function would be great.\n\n-Abhishek Kona",
    "email_2_1.txt": "Outlook with a reply",
    "email_2_2.txt": "Outlook with a reply directly above line",
    "email_BlackBerry.txt": "Here is another email",
    "email_iPhone.txt": "Here is another email",
    "email_gmail.txt": "This is a test for inbox replying to a github message.",
    "email_headers_no_delimiter.txt": "And another reply!",
    "email_one_is_not_on.txt": (
        "Thank, this is really helpful.\n\nOne outstanding question I had:\n\n"
        "Locally (on development), when I run..."
    ),
    "email_partial_quote_header.txt": TEXTMATE,
    "greedy_on.txt": TEXTMATE,
    "email_sig_delimiter_in_middle_of_line.txt": (
        "Hi there!\n\nStuff happened.\n\nAnd here is a fix -- this is not a signature.\n\nkthxbai"
    ),
    "pathological.txt": (
        "I think you're onto something. I will try to fix the problem as soon as I\nget back to a computer."
    ),
}


@pytest.mark.parametrize(("name", "expected"), sorted(ZAPIER_EXPECTED.items()))
def test_new_text_of_real_replies(name: str, expected: str) -> None:
    assert new_text(zapier(name)) == expected


@pytest.mark.parametrize("name", sorted(ZAPIER_EXPECTED))
def test_new_text_reads_crlf_the_same(name: str) -> None:
    assert new_text(zapier(name).replace("\n", "\r\n")) == ZAPIER_EXPECTED[name]


def test_new_text_keeps_answers_between_quotes_and_drops_the_list_footer() -> None:
    found = new_text(zapier("email_1_2.txt"))
    assert found.startswith("Hi,\n\nYou can list the keys for the bucket and call delete for each.")
    assert found.endswith('the keys in a bucket, you\u2019ll need to delete them all individually."')
    assert "\nwould do it.\n\nSee also\n\nhttp://wiki.basho.com/REST-API.html#Bucket-operations\n" in found
    assert "Abhishek Kona wrote:" not in found
    assert "Hi folks" not in found
    assert "riak-users mailing list" not in found


def test_every_real_reply_is_read() -> None:
    assert {p.name for p in ZAPIER.glob("*.txt")} == set(ZAPIER_EXPECTED) | {"email_1_2.txt"}


# ---------------------------------------------------------------------------------------------------
# new_text: quote headers, separators and signatures written here

QUOTED = "\n\n> Dear Jane,\n> I am writing to follow up on my application.\n"


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        # A Gmail quote header wrapped over three lines.
        (
            "Thursday works.\n\nOn Mon, Jan 6, 2025 at 10:15 AM Jane Recruiter\n"
            "<jane@initech.example>\nwrote:" + QUOTED,
            "Thursday works.",
        ),
        # Apple Mail.
        ("Sounds good!\n\nOn 6 Jan 2025, at 10:15, Jane Recruiter wrote:" + QUOTED, "Sounds good!"),
        # German and French clients.
        (
            "Danke, passt.\n\nAm 06.01.2025 um 10:15 schrieb Max Mustermann <max@initech.example>:" + QUOTED,
            "Danke, passt.",
        ),
        (
            "Merci !\n\nLe lun. 6 janv. 2025 à 10:15, Marie Dupont <marie@initech.example> a écrit :"
            + QUOTED,
            "Merci !",
        ),
        # Outlook: a separator line, then a header block whose quote has no '>'.
        (
            "Happy to.\n\n-----Original Message-----\nFrom: Sam\nSent: Monday, January 6, 2025 10:15 AM\n"
            "To: Jane\nSubject: Follow-up\n\nHi Jane, any news?",
            "Happy to.",
        ),
        (
            "Yes.\n\n________________________________\nFrom: Sam <sam@example.org>\nSent: 6 January 2025\n"
            "To: Jane\nSubject: Follow-up\n\nHi Jane, any news?",
            "Yes.",
        ),
        # A French Outlook block in bold, without a separator.
        (
            "Oui.\n\n*De :* Sam\n*Envoyé :* lundi 6 janvier 2025 10:15\n*À :* Marie\n*Objet :* Suivi\n\n"
            "Bonjour",
            "Oui.",
        ),
        ("Got it, thanks.\n\nGet Outlook for iOS\n" + QUOTED, "Got it, thanks."),
        ("Got it.\n-- \nJane Recruiter\nTalent Partner, Initech", "Got it."),
        # An answer written between two quotes stays.
        (
            "On Mon, Jan 6, 2025 at 10:15 AM Sam wrote:\n> Is the role remote?\n\nYes, fully remote.\n\n"
            "> And the salary band?\n\nWe will discuss it on the call.",
            "Yes, fully remote.\n\nWe will discuss it on the call.",
        ),
    ],
)
def test_new_text_removes_quotes_and_signatures(reply: str, expected: str) -> None:
    assert new_text(reply) == expected


@pytest.mark.parametrize(
    "kept",
    [
        "On Monday we talked about the role, and I think you would be a great fit.",
        "On 6 January the team meets, so I will write after that.",
        "We wrote the job description on 6 January: see the attachment.",
        "The process -- two interviews and a case study -- takes about three weeks.",
        "From: the hiring manager, who liked your portfolio a lot.",
        "Sent from London, where our office is.",
    ],
)
def test_new_text_keeps_lines_that_only_look_like_markers(kept: str) -> None:
    reply = f"Hi Sam,\n\n{kept}\n\nBest,\nJane"
    assert new_text(reply) == reply


def test_new_text_trims_blank_lines_and_keeps_one_between_paragraphs() -> None:
    assert new_text("\n\n  \nFirst.  \n\n\n\nSecond.\n\n\n") == "First.\n\nSecond."


def test_new_text_drops_rules_around_the_text() -> None:
    assert new_text("__________________\n\nDear Sam,\nthanks.\n\n-----\n") == "Dear Sam,\nthanks."


def test_new_text_of_nothing_is_nothing() -> None:
    assert new_text("") == ""
    assert new_text("> only a quote\n> and more") == ""


@given(st.text())
def test_new_text_never_keeps_a_quoted_line(text: str) -> None:
    assert not any(line.lstrip(" \t").startswith(">") for line in new_text(text).split("\n"))


# ---------------------------------------------------------------------------------------------------
# snippet


def test_snippet_is_the_new_text_on_one_line() -> None:
    reply = "Hi Sam,\n\nThursday   at 10 works.\n\nOn Mon, Jan 6, 2025 at 10:15 AM Sam wrote:" + QUOTED
    assert snippet(reply) == "Hi Sam, Thursday at 10 works."


def test_snippet_cuts_at_a_word_boundary() -> None:
    text = "We would like to invite you to an interview next week"
    assert snippet(text, limit=30) == "We would like to invite you…"
    assert snippet(text, limit=len(text)) == text
    assert snippet("Supercalifragilistic", limit=10) == "Supercali…"
    assert snippet("Anything", limit=0) == ""


@given(st.text(), st.integers(min_value=0, max_value=400))
def test_snippet_never_exceeds_the_limit(text: str, limit: int) -> None:
    found = snippet(text, limit)
    assert len(found) <= limit
    flat = " ".join(new_text(text).split())
    assert (
        found == flat or found == "" == "…"[:limit] or (found.endswith("…") and flat.startswith(found[:-1]))
    )


# ---------------------------------------------------------------------------------------------------
# return_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I will be back on Monday 12 May.", date(2025, 5, 12)),
        ("I am returning on 5/12.", date(2025, 5, 12)),
        ("I will be back in the office on January 6th, 2025.", date(2025, 1, 6)),
        ("I am out of the office until 2025-01-06.", date(2025, 1, 7)),
        ("Away until May 5", date(2025, 5, 6)),
        ("I will return on 13/1 and reply then.", date(2025, 1, 13)),  # 13 is no month: day/month
        ("I'm back Monday and will answer then.", date(2025, 1, 6)),
        ("I am on leave through Jan 10 with no access to email.", date(2025, 1, 11)),
        ("My return date is 8 January.", date(2025, 1, 8)),
        ("I will be back on the 12th of January.", date(2025, 1, 12)),
        ("I'll be available again from 20 Jan 2025.", date(2025, 1, 20)),
        ("Ich bin bis zum 6. Januar nicht im Büro.", date(2025, 1, 7)),
        ("Ich bin ab dem 7. Januar wieder erreichbar.", date(2025, 1, 7)),
        ("Am Montag, den 6. Januar bin ich wieder im Büro.", date(2025, 1, 6)),
        ("Ich bin zurück am 6.1. und melde mich dann.", date(2025, 1, 6)),
        ("Ich bin bis einschließlich 10.01.2025 im Urlaub.", date(2025, 1, 11)),
        ("Je serai de retour le 6 janvier.", date(2025, 1, 6)),
        ("Je serai de retour au bureau le lundi 6 janvier 2025.", date(2025, 1, 6)),
        ("Je suis absente jusqu'au 10 janvier inclus.", date(2025, 1, 11)),
        ("Je suis absente jusqu\u2019au 10 janvier inclus.", date(2025, 1, 11)),
        ("Thanks for your message.\nI am out of the office\nuntil Friday, 10 January.", date(2025, 1, 11)),
    ],
)
def test_return_date_reads_the_stated_day(text: str, expected: date) -> None:
    assert return_date(text, received=RECEIVED) == expected


@pytest.mark.parametrize(
    ("text", "received", "expected"),
    [
        ("I will be back on 3 January.", date(2024, 12, 20), date(2025, 1, 3)),
        ("I'm away until 2 January.", date(2025, 12, 30), date(2026, 1, 3)),
        # Read on 1 January: the day after 31 December is that very day.
        ("I am out until 31 December.", date(2025, 1, 1), date(2025, 1, 1)),
        ("Back on 29 February.", date(2025, 3, 1), date(2028, 2, 29)),
        ("Back on Thursday.", date(2025, 1, 2), date(2025, 1, 9)),  # sent on a Thursday: the next one
    ],
)
def test_return_date_without_a_year_is_the_next_such_day(text: str, received: date, expected: date) -> None:
    assert return_date(text, received=received) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for your email. I will respond as soon as possible.",
        "I am out of the office with limited access to email.",
        "I was back on 5 December 2024 and have been busy since.",  # a stated year in the past
        "I'll return on 31/02.",
        "I'll be back on 13/13.",
        "Back soon!",
        "I'll be back in two weeks.",
        "I am away until further notice.",
        "I am out, but I'll go through Monday's notes when I am back.",
        "I am out of the office.\n\n-----Original Message-----\nFrom: Sam\nSent: 2 January 2025\nTo: Jane\n"
        "Subject: Hello\n\nI will be back on 6 January.",
    ],
)
def test_return_date_is_none_when_no_day_is_stated(text: str) -> None:
    assert return_date(text, received=RECEIVED) is None


TEMPLATES = (
    "I will be back on {day} {month}.",
    "Out of office until {month} {day}, {year}.",
    "Returning on {month_number}/{day}/{year}.",
    "Ich bin bis zum {day}.{month_number}. nicht da.",
    "De retour le {day} janvier {year}.",
    "I am back {weekday}.",
)


@given(
    received=st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31)),
    template=st.sampled_from(TEMPLATES),
    day=st.integers(min_value=0, max_value=32),
    month_number=st.integers(min_value=0, max_value=13),
    year=st.integers(min_value=1990, max_value=2200),
    weekday=st.sampled_from(("Monday", "Friday", "Sunday")),
)
def test_return_date_is_never_before_received(
    received: date, template: str, day: int, month_number: int, year: int, weekday: str
) -> None:
    month = ("January", "May", "December")[month_number % 3]
    text = template.format(day=day, month=month, month_number=month_number, year=year, weekday=weekday)
    found = return_date(text, received=received)
    assert found is None or found >= received


@given(st.text(), st.dates())
def test_return_date_of_any_text_is_never_before_received(text: str, received: date) -> None:
    found = return_date(text, received=received)
    assert found is None or found >= received


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31)), st.integers(1, 365))
def test_back_on_a_day_without_a_year_is_within_a_year(received: date, ahead: int) -> None:
    back = received + timedelta(days=ahead)
    found = return_date(f"I will be back on {back.day} {back:%B}.", received=received)
    assert found is not None
    assert received <= found < received + timedelta(days=366)
    assert (found.month, found.day) == (back.month, back.day)


# ---------------------------------------------------------------------------------------------------
# employer_signals

# (subject, text, the phrase that must decide the signal)
POSITIVE: dict[Signal, list[tuple[str, str, str]]] = {
    Signal.OFFER: [
        (
            "Your offer",
            "Hi Sam, we are delighted to offer you the position of Data Engineer.",
            "delighted to offer",
        ),
        ("", "Please find attached your offer letter; let us know any questions.", "offer letter"),
        (
            "",
            "The panel was impressed and we would like to extend you a formal offer.",
            "extend you a formal offer",
        ),
        ("Offer of employment - Initech", "Dear Sam, congratulations!", "Offer of employment"),
        (
            "",
            "We'd love to offer you the Backend Engineer role.",
            "love to offer you the Backend Engineer role",
        ),
        ("", "Below is a summary of your compensation package.", "your compensation package"),
        ("", "Congratulations! We're happy to extend an\noffer for the Designer job.", "happy to extend"),
        (
            "Offer",
            "We are thrilled to offer you the role! Unfortunately the start date has to move to March.",
            "thrilled to offer",
        ),
    ],
    Signal.REJECTION: [
        (
            "",
            "Unfortunately, we have decided to move forward with other candidates.",
            "move forward with other candidates",
        ),
        (
            "",
            "After reviewing your profile we decided not to proceed with your application.",
            "decided not to proceed",
        ),
        (
            "",
            "We will not be moving forward with your application at this time.",
            "will not be moving forward",
        ),
        (
            "Senior Analyst",
            "Thank you for your patience. The position has been filled.",
            "position has been filled",
        ),
        (
            "",
            "We chose to pursue other candidates whose experience matches more closely.",
            "pursue other candidates",
        ),
        (
            "",
            "Thank you for your time; we will not progress your application further.",
            "not progress your application",
        ),
        ("", "We regret to inform you that we cannot offer you the role.", "regret to inform"),
        (
            "",
            "After careful consideration, we have offered the role to other applicants.",
            "After careful consideration, we have offered the role to other applicants",
        ),
        ("", "Unfortunately your application was not selected this time.", "Unfortunately your application"),
        ("", "We are not in a position to extend an offer at this time.", "not in a position to extend"),
    ],
    Signal.INTERVIEW: [
        (
            "",
            "We would like to invite you to an interview with our engineering team.",
            "invite you to an interview",
        ),
        ("", "We would like to schedule an interview with you next week.", "like to schedule an interview"),
        ("Interview invitation - Backend Engineer", "Hi Sam,", "Interview invitation"),
        ("", "Congratulations, you have progressed to the next round!", "next round"),
        ("", "The next step is to meet the team on Thursday.", "meet the team"),
        ("", "We'd like to invite you onsite for the final stage.", "invite you onsite"),
        ("", "Do you have 30 minutes for a phone screen on Tuesday?", "phone screen"),
        ("", "We are pleased to offer you an interview for the Analyst role.", "offer you an interview"),
    ],
    Signal.ASSESSMENT: [
        ("", "As a next step, please complete the coding challenge on HackerRank.", "coding challenge"),
        ("", "The next stage is a take-home exercise; you will have 72 hours.", "take-home"),
        ("", "You will shortly receive an online assessment from our partner.", "online assessment"),
        ("", "Your Codility link is below and stays valid for a week.", "Codility"),
        ("", "Please do the CodeSignal General Coding Framework by Friday.", "CodeSignal"),
        ("", "We'd like you to do a technical test before the interview.", "technical test"),
        ("", "Please complete our short assessment within five days.", "complete our short assessment"),
        ("Your assessment link", "Hi Sam, here it is.", "assessment link"),
    ],
    Signal.AVAILABILITY: [
        ("", "Could you send me your availability for next week?", "your availability"),
        ("", "When would be a good time for a quick call?", "When would be a good time"),
        ("", "Are you available on Thursday afternoon?", "Are you available"),
        ("", "Please share a few times that work for you.", "share a few times"),
        ("", "Feel free to book a time: https://calendly.com/jane-initech/30min", "book a time"),
        ("", "Pick any slot on <https://cal.com/initech/intro>.", "https://cal.com/initech/intro"),
        ("", "What times work for you next week?", "What times work"),
        ("", "When are you free for a chat?", "When are you free"),
    ],
    Signal.APPLICATION_RECEIVED: [
        ("", "Thank you for applying to Initech!", "Thank you for applying"),
        (
            "",
            "We have received your application for the Data Engineer role.",
            "We have received your application",
        ),
        ("", "Your application has been received and is under review.", "application has been received"),
        (
            "",
            "Thanks for your interest in the Backend Engineer position at Initech.",
            "Thanks for your interest in the Backend Engineer position",
        ),
        (
            "",
            "Your application for Senior Analyst has been submitted.",
            "Your application for Senior Analyst has been submitted",
        ),
        ("", "Thank you for your application to Initech.", "Thank you for your application"),
        ("", "We\u2019ve received your CV and will be in touch.", "We\u2019ve received your CV"),
        ("Thank you for applying", "Hi Sam, we will review your profile soon.", "Thank you for applying"),
    ],
}
NEGATIVE: dict[Signal, list[tuple[str, str]]] = {
    Signal.OFFER: [
        ("", "We are pleased to offer you an interview for the Data Analyst role."),
        ("", "Unfortunately we are not able to extend an offer at this time."),
        ("We're hiring", "We offer a competitive compensation package and flexible hours."),
        ("", "If we decide to extend an offer, the recruiter will call you."),
        ("Job offers you might like", "Ten new roles in Berlin."),
    ],
    Signal.REJECTION: [
        ("Automatic reply", "Unfortunately I am out of office until Monday."),
        ("", "Unfortunately I need to reschedule our call to Thursday."),
        ("", "Great news: we're moving forward with your application!"),
        ("Platform Engineer at Initech", "We are looking for candidates whose skills include Go and Python."),
        ("", "We are thrilled to offer you the role! Unfortunately the role's start date moved."),
    ],
    Signal.INTERVIEW: [
        ("", "We will not be inviting you to interview for this role."),
        ("", "Thank you for attending the final interview yesterday."),
        ("", "We just closed our next round of funding."),
        ("", "Thanks for taking the time to interview with us. We will not be moving forward."),
    ],
    Signal.ASSESSMENT: [
        ("", "Thanks for completing the coding challenge, we will review it soon."),
        ("", "The role includes risk assessment of supplier contracts."),
        ("", "There is no need for a technical test for this position."),
        ("", "We completed our assessment of your application."),
    ],
    Signal.AVAILABILITY: [
        ("", "Thank you for your availability yesterday."),
        ("Automatic reply", "I'm not available until Monday."),
        ("", "Product availability may vary by region."),
    ],
    Signal.APPLICATION_RECEIVED: [
        ("", "Thank you for applying the changes to the document."),
        ("", "We have not received your application yet; please apply on our site."),
        ("", "Thanks for your interest in our newsletter."),
    ],
}


@pytest.mark.parametrize(
    ("signal", "subject", "text", "phrase"),
    [(signal, *case) for signal, cases in POSITIVE.items() for case in cases],
)
def test_employer_signal_is_found_with_its_phrase(
    signal: Signal, subject: str, text: str, phrase: str
) -> None:
    found = {m.signal: m.phrase for m in employer_signals(subject, text)}
    assert found.get(signal) == phrase


@pytest.mark.parametrize(
    ("signal", "subject", "text"),
    [(signal, *case) for signal, cases in NEGATIVE.items() for case in cases],
)
def test_employer_signal_is_not_found(signal: Signal, subject: str, text: str) -> None:
    assert signal not in {m.signal for m in employer_signals(subject, text)}


def test_every_signal_has_at_least_eight_phrasings_and_three_negatives() -> None:
    for signal in Signal:
        assert len(POSITIVE[signal]) + len(NEGATIVE[signal]) >= 8, signal
        assert len(NEGATIVE[signal]) >= 3, signal


def test_out_of_office_with_unfortunately_carries_no_signal() -> None:
    assert employer_signals("Automatic reply: Jane", "Unfortunately I am out of office until Monday.") == ()


def test_received_then_rejected_is_a_rejection_first() -> None:
    found = employer_signals(
        "Your application to Initech",
        "We received your application for the Data role.\n"
        "Unfortunately we will not move forward at this time.",
    )
    assert [(m.signal, m.phrase) for m in found] == [
        (Signal.REJECTION, "will not move forward"),
        (Signal.APPLICATION_RECEIVED, "We received your application"),
    ]


def test_an_offer_that_says_unfortunately_is_only_an_offer() -> None:
    found = employer_signals(
        "Offer",
        "We are delighted to offer you the position. Unfortunately your preferred start date is a holiday.",
    )
    assert [m.signal for m in found] == [Signal.OFFER]


def test_signals_come_most_decisive_first() -> None:
    text = (
        "Thank you for applying. We'd like to invite you to an interview, after a take-home exercise. "
        "Please share a few times that work."
    )
    found = employer_signals("Re: Backend Engineer", text)
    assert [m.signal for m in found] == [
        Signal.INTERVIEW,
        Signal.ASSESSMENT,
        Signal.AVAILABILITY,
        Signal.APPLICATION_RECEIVED,
    ]


def test_quoted_text_carries_no_signal() -> None:
    reply = (
        "Thanks Sam, talk soon.\n\nOn Mon, Jan 6, 2025 at 10:15 AM Sam wrote:\n> Are you available on Friday?"
    )
    assert employer_signals("Re: Catch-up", reply) == ()


def test_phrase_tables_are_lower_case() -> None:
    # The patterns run on lower-cased text without re.IGNORECASE.
    for phrases in SIGNAL_PHRASES.values():
        for phrase in phrases:
            assert phrase == phrase.lower()


def test_long_phrases_are_cut_to_the_limit() -> None:
    text = (
        "After careful consideration of the many excellent profiles we received for this opening in our"
        " platform group, we have chosen other candidates."
    )
    (match,) = employer_signals("", text)
    assert match.signal is Signal.REJECTION
    assert len(match.phrase) <= PHRASE_LIMIT
    assert match.phrase.startswith("After careful consideration of the many")


SENTENCES = [sentence for cases in POSITIVE.values() for _, sentence, _ in cases] + [
    sentence for cases in NEGATIVE.values() for _, sentence in cases
]


@given(
    st.sampled_from(["", "Re: Backend Engineer", "Interview invitation"]),
    st.lists(st.one_of(st.sampled_from(SENTENCES), st.text(alphabet="abc ,.!?\n>-_")), max_size=6),
)
def test_signals_are_ordered_unique_and_quote_the_message(subject: str, parts: list[str]) -> None:
    text = "\n".join(parts)
    found = employer_signals(subject, text)
    signals = [m.signal for m in found]
    assert signals == sorted(set(signals), key=SIGNAL_ORDER.index)
    written = " ".join(f"{subject}. {new_text(text)}".split()).lower()
    for match in found:
        assert 0 < len(match.phrase) <= PHRASE_LIMIT
        assert match.phrase.lower() in written


# ---------------------------------------------------------------------------------------------------
# job_related


@pytest.mark.parametrize(
    ("subject", "sender", "text", "reason"),
    [
        ("Your application to Initech", "no-reply@initech.example", "", "Your application"),
        ("Thanks for applying", "no-reply@us.greenhouse-mail.io", "", "greenhouse-mail.io"),
        ("An update", "Initech <notifications@hire.lever.co>", "", "lever.co"),
        ("Action required", "initech@myworkday.com", "", "myworkday.com"),
        ("Hello", "Initech Talent <jobs@smartrecruiters.com>", "", "smartrecruiters.com"),
        ("Hello", "no-reply@ashbyhq.com", "", "ashbyhq.com"),
        ("Your application was sent", "jobs-noreply@linkedin.com", "", "jobs-noreply@linkedin.com"),
        ("Exciting opportunity at Initech", "jane@initech.example", "", "Exciting opportunity"),
        (
            "Quick question",
            "jane@initech.example",
            "I'm a recruiter at Initech; are you open to a chat?",
            "recruiter",
        ),
        ("Senior Backend Engineer position", "jane@initech.example", "", "Backend Engineer position"),
        ("Interview on Thursday", "jane@initech.example", "", "Interview"),
    ],
)
def test_job_related_names_its_reason(subject: str, sender: str, text: str, reason: str) -> None:
    assert job_related(subject, sender, text) == reason


@pytest.mark.parametrize(
    ("subject", "sender", "text"),
    [
        ("Job alert: 12 new Python jobs", "jobalerts-noreply@linkedin.com", ""),
        ("Jobs you may be interested in", "jobs-noreply@linkedin.com", ""),
        ("New jobs for you in Berlin", "alerts@greenhouse.io", ""),
        ("Your weekly digest", "digest@example.com", "Here are the new jobs for\nyou this week: ..."),
        ("Lunch on Friday?", "bob@example.com", "See you at noon."),
        ("Our position paper on remote work", "news@thinktank.example", ""),
        ("The role of AI in 2025", "newsletter@example.com", ""),
        ("Your order has shipped", "orders@shop.example", "It will arrive on Monday."),
    ],
)
def test_job_related_is_none_for_other_mail_and_job_alerts(subject: str, sender: str, text: str) -> None:
    assert job_related(subject, sender, text) is None


@pytest.mark.parametrize("phrase", JOB_PHRASES)
def test_every_job_phrase_needs_one_of_the_words_searched_first(phrase: str) -> None:
    import re

    from followup.domain.signals import JOB_WORDS

    pattern = re.compile(phrase)

    @settings(max_examples=60, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
    @given(st.from_regex(pattern, fullmatch=True).filter(str.isprintable))
    def words_of(text: str) -> None:
        assert any(word in text.lower() for word in JOB_WORDS), text

    words_of()


@pytest.mark.parametrize(
    ("signal", "phrase"), [(signal, phrase) for signal in SIGNAL_ORDER for phrase in SIGNAL_PHRASES[signal]]
)
def test_every_signal_phrase_needs_one_of_its_signals_words(signal: Signal, phrase: str) -> None:
    import re

    from followup.domain.signals import SIGNAL_WORDS

    @settings(max_examples=60, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
    @given(st.from_regex(re.compile(phrase), fullmatch=True).filter(str.isprintable))
    def words_of(text: str) -> None:
        assert any(word in text.lower() for word in SIGNAL_WORDS[signal]), text

    words_of()


_LINE_STARTS = [
    "Thanks for the update.", "we would like to move forward", "today works", "Andrew here", "deliver it",
    "> quoted line", "  > indented quote", "-- ", "--", "Sent from my iPhone", "Sent: Monday, 3 March 2025",
    "From: Jane Doe <jane@x.example>", "*From:* Jane", "To: Alex", "Subject: Re: hi", "Date: Tue, 4 Mar 2025",
    "Cc: team", "On Mon, 3 Mar 2025 at 10:00, Jane Doe <jane@x.example> wrote:", "On Monday Jane", "wrote:",
    "\u00a0On 3 Mar 2025, Jane wrote:", "Am 03.03.2025 um 10:00 schrieb Jane:",
    "Le 3 mars 2025, Jane a écrit :", "El 3 mar 2025, Jane escribió:", "-----Original Message-----",
    "____________", "__", "Begin forwarded message:",
    "Von meinem iPhone gesendet", "Get Outlook for iOS", "Envoyé de mon iPhone", "Von: Jane", "De : Jane",
    "Gesendet: Montag", "Objet : test", "", "   ", "Regards,", "Best",
]  # fmt: skip


@settings(max_examples=300)
@given(st.lists(st.sampled_from(_LINE_STARTS), max_size=14), st.sampled_from(["\n", "\r\n"]))
@example(["Thanks", "De : Jane", "Date: Tue, 4 Mar 2025", "To: Alex", "old text"], "\n")
@example(["Thanks", "*From:* Jane", "Sent: Monday", "To: Alex", "Subject: x", "old"], "\r\n")
@example(["Thanks", "\u00a0On 3 Mar 2025, Jane wrote:", "> old"], "\n")
@example(["Thanks", "--", "Alex"], "\n")
@example(["Thanks", "Von meinem iPhone gesendet", "more"], "\n")
@example(["Thanks", "  ________________", "footer"], "\n")
def test_the_quick_reading_of_new_text_agrees_with_trying_every_form_on_every_line(
    lines: list[str], newline: str
) -> None:
    from followup.domain.mailtext import _new_text

    text = newline.join(lines)
    assert _new_text(text, quick=True) == _new_text(text, quick=False)
