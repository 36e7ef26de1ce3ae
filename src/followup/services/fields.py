"""What a user may give for an opportunity or a person (a flag, a form field, a file's column), and
how it changes a record: every value checked and cleaned on the way in."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from followup.domain.model import EmailAddress, Opportunity, Person, Source
from followup.domain.validation import (
    check_cadence,
    check_country,
    check_email,
    check_timezone,
    check_url,
    clean_line,
    clean_text,
)


@dataclass(frozen=True)
class PersonFields:
    """What a user may give for a person; None means "not given" (keep as is when editing)."""

    name: str | None = None
    emails: Sequence[str] | None = None
    phone: str | None = None
    organisation: str | None = None
    title: str | None = None
    timezone: str | None = None
    country: str | None = None
    cadence_days: int | None = None
    in_network: bool | None = None
    linkedin_url: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class OpportunityFields:
    """What a user may give for an opportunity; None means "not given"."""

    company: str | None = None
    title: str | None = None
    url: str | None = None
    source: Source | None = None
    location: str | None = None
    decision_expected: date | None = None
    notes: str | None = None


def apply_opportunity(current: Opportunity, f: OpportunityFields) -> Opportunity:
    changes: dict[str, Any] = {}
    if f.company is not None:
        changes["company"] = clean_line(f.company, field="company")
    if f.title is not None:
        changes["title"] = clean_line(f.title, field="role title")
    if f.url is not None:
        changes["url"] = check_url(f.url) if f.url.strip() else None
    if f.source is not None:
        changes["source"] = f.source
    if f.location is not None:
        changes["location"] = clean_line(f.location, field="location", required=False) or None
    if f.decision_expected is not None:
        changes["decision_expected"] = f.decision_expected
    if f.notes is not None:
        changes["notes"] = clean_text(f.notes)
    return dataclasses.replace(current, **changes)


def apply_person(current: Person, f: PersonFields) -> Person:
    changes: dict[str, Any] = {}
    if f.name is not None:
        changes["name"] = clean_line(f.name, field="name")
    if f.emails is not None:
        addresses: list[EmailAddress] = []
        for raw in f.emails:
            address = EmailAddress(check_email(raw))
            if all(a.key != address.key for a in addresses):
                addresses.append(address)
        changes["emails"] = tuple(addresses)
    if f.phone is not None:
        changes["phone"] = clean_line(f.phone, field="phone", required=False) or None
    if f.organisation is not None:
        changes["organisation"] = clean_line(f.organisation, field="organisation", required=False) or None
    if f.title is not None:
        changes["title"] = clean_line(f.title, field="title", required=False) or None
    if f.timezone is not None:
        changes["timezone"] = check_timezone(f.timezone)
    if f.country is not None:
        changes["country"] = check_country(f.country)
    if f.cadence_days is not None:
        changes["cadence_days"] = check_cadence(f.cadence_days)
    if f.in_network is not None:
        changes["in_network"] = f.in_network
    if f.linkedin_url is not None:
        changes["linkedin_url"] = check_url(f.linkedin_url, field="LinkedIn URL") if f.linkedin_url else None
    if f.notes is not None:
        changes["notes"] = clean_text(f.notes)
    return dataclasses.replace(current, **changes)
