"""Who a message is about: its thread, its sender's address, or its sender's organisation (DESIGN §5).
Pure: built once per read from the people and opportunities, then asked per message."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from followup.domain.model import Link, Opportunity, Person, Stage

# Addresses at these domains say nothing about an employer.
FREE_MAIL: frozenset[str] = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com", "msn.com",
    "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "icloud.com", "me.com", "mac.com",
    "aol.com", "proton.me", "protonmail.com", "pm.me", "gmx.com", "gmx.de", "gmx.net", "web.de",
    "mail.com", "zoho.com", "yandex.com", "yandex.ru", "fastmail.com", "fastmail.fm", "hey.com",
    "qq.com", "163.com", "126.com", "naver.com", "orange.fr", "free.fr", "laposte.net", "t-online.de",
    "libero.it", "btinternet.com", "comcast.net", "verizon.net", "att.net", "tutanota.com",
})  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")
_COMPANY_NOISE = frozenset({"inc", "ltd", "llc", "gmbh", "ag", "sa", "plc", "co", "corp", "the", "group"})


@dataclass(frozen=True)
class Match:
    """What a message was matched to, and how (for the log and the user)."""

    how: str  # "thread", "address", "domain"
    detail: str  # the Message-ID, address or domain that matched
    person_ids: tuple[int, ...] = ()
    opportunity_id: int | None = None
    organisation: str | None = None


def registrable(domain: str) -> str:
    """The part of a domain an organisation owns, roughly: the last two labels, three for
    country forms like co.uk ("mail.northwind.co.uk" → "northwind.co.uk")."""
    labels = domain.lower().strip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in {"co", "com", "ac", "org", "net", "gov"}:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _slug(name: str) -> str:
    return "".join(w for w in _WORD.findall(name.lower()) if w not in _COMPANY_NOISE)


class MatchIndex:
    """People by address, organisations by domain, open opportunities by person and organisation."""

    def __init__(
        self,
        people: Iterable[Person],
        opportunities: Iterable[tuple[Opportunity, Stage]],
        links: Iterable[Link],
    ) -> None:
        self.people: dict[int, Person] = {}
        self.by_address: dict[str, int] = {}
        self.bad: set[str] = set()
        org_domains: dict[str, str] = {}
        for person in people:
            if person.id is None:
                continue
            self.people[person.id] = person
            for email in person.emails:
                self.by_address.setdefault(email.key, person.id)
                if email.bad:
                    self.bad.add(email.key)
                domain = registrable(email.address.rpartition("@")[2])
                if person.organisation and domain not in FREE_MAIL:
                    org_domains.setdefault(domain, person.organisation)
        self.open_of_org: dict[str, list[int]] = defaultdict(list)
        self.open_of_slug: dict[str, list[int]] = defaultdict(list)
        self.company: dict[int, str] = {}
        self.open: set[int] = set()
        slugs: dict[str, str] = {}
        for opportunity, stage in opportunities:
            if opportunity.id is None:
                continue
            self.company[opportunity.id] = opportunity.company
            slugs.setdefault(_slug(opportunity.company), opportunity.company)
            if not stage.is_closed:
                self.open.add(opportunity.id)
                self.open_of_org[opportunity.company.casefold()].append(opportunity.id)
                self.open_of_slug[_slug(opportunity.company)].append(opportunity.id)
            host = urlsplit(opportunity.url).hostname if opportunity.url else None
            if host and registrable(host) not in FREE_MAIL:
                org_domains.setdefault(registrable(host), opportunity.company)
        self.org_domains = org_domains
        self.slugs = {slug: name for slug, name in slugs.items() if len(slug) >= 4}
        self.open_of_person: dict[int, set[int]] = defaultdict(set)
        for link in links:
            if link.opportunity_id in self.open:
                self.open_of_person[link.person_id].add(link.opportunity_id)

    def person(self, address: str) -> int | None:
        return self.by_address.get(address.casefold())

    def organisation(self, domain: str) -> str | None:
        """The organisation whose people or job links use this domain (free-mail domains: none); else
        one whose name is the domain's name ("northwind.example" → "Northwind")."""
        owned = registrable(domain)
        if not owned or owned in FREE_MAIL:
            return None
        found = self.org_domains.get(owned)
        if found is None:
            found = self.slugs.get(_slug(owned.split(".")[0]))
        return found

    def only_open(self, person_ids: Iterable[int] = (), organisation: str | None = None) -> int | None:
        """The one open opportunity of these people (or of this organisation); None when none or several."""
        found: set[int] = set()
        for pid in person_ids:
            found |= self.open_of_person.get(pid, set())
        if not found and organisation:
            found = set(self.open_of_org.get(organisation.casefold(), ()))
            wanted = _slug(organisation)
            if not found and len(wanted) >= 4:
                # "Northwind" on a person, "Northwind Traders" on the job: one name starts the other
                for slug, ids in self.open_of_slug.items():
                    if slug.startswith(wanted) or (len(slug) >= 4 and wanted.startswith(slug)):
                        found.update(ids)
        return found.pop() if len(found) == 1 else None

    def add_person(self, person: Person) -> None:
        """A person the reader created (an unknown sender at a known organisation)."""
        if person.id is None:
            return
        self.people[person.id] = person
        for email in person.emails:
            self.by_address.setdefault(email.key, person.id)
