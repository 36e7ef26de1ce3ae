"""The planner: a pure function from the ledger, the playbook and the calendar to touches.

Touches depend on what happened, never on the clock: the same ledger always gives the same touches
(with the same keys), so they can be stored and re-planned only where the ledger changed. The
clock enters later, when the agenda sorts touches into overdue, today and upcoming.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable

from followup.domain import followups
from followup.domain.calendar import BusinessCalendar
from followup.domain.countries import COUNTRY_CODES
from followup.domain.model import Person
from followup.domain.scheduling import PlanInput, Scheduler, is_inbound_human, is_outbound_talk
from followup.domain.touches import Playbook, Touch

__all__ = ["PlanInput", "is_inbound_human", "is_outbound_talk", "place_problems", "plan"]

# One function per row of the playbook (DESIGN §3), in the order the agenda lists their kinds.
RULES = (
    followups.thank_you,
    followups.resume_check,
    followups.check_in,
    followups.post_interview,
    followups.feedback,
    followups.reply_owed,
    followups.keep_in_touch,
    followups.closing,
    followups.find_address,
)


def plan(data: PlanInput, playbook: Playbook, calendar: BusinessCalendar) -> list[Touch]:
    """Every touch the playbook asks for, pending or already settled by the ledger, sorted by key."""
    scheduler = Scheduler(data, playbook, calendar)
    touches: list[Touch] = []
    for rule in RULES:
        touches.extend(rule(scheduler))
    return sorted(scheduler.spread(scheduler.away(touches)), key=lambda t: t.key)


def place_problems(people: Iterable[Person], *, user_zone: str) -> dict[int, str]:
    """People whose time zone or country the calendar cannot use: they are planned with the user's
    zone and with weekends only, and the agenda says so (a value, not an error, so planning goes on)."""
    found: dict[int, str] = {}
    for person in people:
        if person.id is None:
            continue
        wrong: list[str] = []
        if person.timezone:
            try:
                zoneinfo.ZoneInfo(person.timezone)
            except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):
                wrong.append(f"time zone {person.timezone!r} is unknown (planned in {user_zone}; "
                             f"fix: followup edit person {person.id} --tz America/Chicago)")  # fmt: skip
        if person.country and person.country.upper() not in COUNTRY_CODES:
            wrong.append(f"country {person.country!r} is not an ISO code (no public holidays used; "
                         f"fix: followup edit person {person.id} --country US)")  # fmt: skip
        if wrong:
            found[person.id] = f"{person.name}: " + "; ".join(wrong)
    return found
