"""Who is who when records come from a file: the matching order, and filling in what is missing.

People are matched by LinkedIn profile, then by e-mail address, then by name and organisation;
opportunities by the posting's address, then by company and role title. A match is completed with what
the file knows and followup does not (blanks filled, addresses added) and never overwritten: what the
user recorded wins over a file.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from followup.domain.model import EmailAddress, Opportunity, Person

_WORD = re.compile(r"[^\W_]+")
_COMPANY_NOISE = frozenset({
    "inc", "ltd", "llc", "gmbh", "ag", "sa", "plc", "co", "corp", "corporation", "the", "group",
    "limited", "bv", "nv", "sarl", "srl", "spa", "oy", "ab", "as", "kg", "pty", "company",
})  # fmt: skip


def linkedin_key(url: str | None) -> str | None:
    """A LinkedIn profile however it is written (http or https, www. or a country, a trailing slash,
    query, percent-escapes) as one key: "linkedin.com/in/jane-doe"."""
    if not url:
        return None
    text = url.strip().casefold()
    at = text.find("linkedin.com/")
    rest = text[at + len("linkedin.com") :] if at >= 0 else text.partition("://")[2] or text
    rest = rest.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    if "%" in rest:
        rest = unquote(rest)
    return ("linkedin.com" + rest) if at >= 0 else rest


_PROFILE = "https://www.linkedin.com/"  # how LinkedIn's own export writes every profile


def linkedin_keys(urls: Sequence[str | None]) -> list[str | None]:
    """`linkedin_key` of each profile, without a call each when all are written as LinkedIn's export
    writes them ("https://www.linkedin.com/in/jane-doe-1a2b": no query, escape, end slash or white
    space around it): then the whole column is folded, checked and cut at once."""
    given = [u for u in urls if u]
    joined = "\n" + "\n".join(given)
    folded = joined.lower() if joined.isascii() else joined.casefold()
    usual = (
        joined.count("\n") == len(given)  # no line break inside an address
        and folded.count("\n" + _PROFILE) == len(given)
        and not any(c in joined for c in "?#%")
        and "/\n" not in joined
        and not joined.endswith("/")
        and list(map(str.strip, given)) == given
    )
    if not usual or not given:
        return list(map(linkedin_key, urls))
    keys = folded.replace("\n" + _PROFILE, "\nlinkedin.com/")[1:].split("\n")
    if len(keys) == len(urls):
        return list[str | None](keys)
    found = iter(keys)
    return [next(found) if u else None for u in urls]


def url_key(url: str | None) -> str | None:
    """A posting's address as compared: scheme and host in lower case, no fragment, no trailing slash."""
    if not url:
        return None
    text = url.strip().split("#", 1)[0]
    scheme, _, rest = text.partition("://")
    host, slash, path = rest.partition("/")
    host = host.casefold().removeprefix("www.")
    return f"{host}{slash}{path}".rstrip("/") if scheme else text.casefold()


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def organisation_key(name: str | None) -> str:
    """ "Northwind Traders, Inc." and "northwind traders" are the same organisation."""
    if not name:
        return ""
    return " ".join(w for w in _WORD.findall(name.casefold()) if w not in _COMPANY_NOISE)


@dataclass
class Entry:
    """A record as an import sees it: stored (with its id) or about to be, and the line of the file that
    met it first. The id lives here, not in `record`, so that a batch of new records need not be copied
    to learn theirs."""

    record: Any  # Person or Opportunity
    line: int | None = None
    new: bool = False
    id: int | None = None


class PeopleIndex:
    """The people of the database (and of the file so far), by the keys they are matched on."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.by_linkedin: dict[str, Entry] = {}
        self.by_email: dict[str, Entry] = {}
        self.by_name: dict[str, list[Entry]] = {}
        self._organisations: dict[str | None, str] = {}  # an import meets the same few hundred often
        self._last: tuple[Person, str | None, str] | None = None  # the keys `find` just computed
        stored = list(people)
        profiles = linkedin_keys([person.linkedin_url for person in stored])  # a column at once
        for person, profile in zip(stored, profiles, strict=True):
            self._add(Entry(person, id=person.id), profile, self.name_key(person.name, person.organisation))

    def _keys(self, person: Person) -> tuple[str | None, str]:
        last = self._last
        if last is not None and last[0] is person:
            return last[1], last[2]
        keys = linkedin_key(person.linkedin_url), self.name_key(person.name, person.organisation)
        self._last = (person, *keys)
        return keys

    def add(self, entry: Entry) -> None:
        self._add(entry, *self._keys(entry.record))

    def _add(self, entry: Entry, profile: str | None, name: str) -> None:
        """`add` with the person's profile key and name key already known."""
        if profile is not None:
            self.by_linkedin.setdefault(profile, entry)
        for email in entry.record.emails:
            self.by_email.setdefault(email.key, entry)
        self.by_name.setdefault(name, []).append(entry)

    def update(self, entry: Entry, person: Person) -> None:
        """The entry's person completed (a new address or profile): findable by those too."""
        entry.record = person
        if (key := linkedin_key(person.linkedin_url)) is not None:
            self.by_linkedin.setdefault(key, entry)
        for email in person.emails:
            self.by_email.setdefault(email.key, entry)

    def discard(self, entry: Entry) -> None:
        """Forget an entry whose row could not be written after all."""
        self.by_linkedin = {k: e for k, e in self.by_linkedin.items() if e is not entry}
        self.by_email = {k: e for k, e in self.by_email.items() if e is not entry}
        self.by_name = {k: [e for e in es if e is not entry] for k, es in self.by_name.items()}

    def find(self, candidate: Person) -> tuple[Entry | None, str, list[Entry]]:
        """(the match, how it matched, other candidates when the name and organisation were ambiguous)."""
        key, name = self._keys(candidate)
        if key is not None and (found := self.by_linkedin.get(key)) is not None:
            return found, "LinkedIn profile", []
        for email in candidate.emails:
            if (found := self.by_email.get(email.key)) is not None:
                return found, "e-mail address", []
        # two Jane Does at one company with different profiles are two people; had an entry this
        # profile, it would have been found by it above, so only entries without one can be this person
        same = self.by_name.get(name, ())
        named = list(same) if key is None else [e for e in same if e.record.linkedin_url is None]
        if len(named) == 1:
            return named[0], "name and organisation", []
        return None, "", named

    def owner(self, address: EmailAddress) -> Entry | None:
        return self.by_email.get(address.key)

    def name_key(self, name: str, organisation: str | None) -> str:
        """The key of "name and organisation" matching."""
        key = self._organisations.get(organisation)
        if key is None:
            key = self._organisations[organisation] = organisation_key(organisation)
        return f"{name_key(name)}|{key}"

    def unlinked_names(self) -> set[str]:
        """The name keys of the people without a LinkedIn profile: the only ones a row with a profile
        that nobody has yet can still be, by name and organisation."""
        return {
            k for k, entries in self.by_name.items() if any(e.record.linkedin_url is None for e in entries)
        }


def surely_new(
    keys: Sequence[str | None],
    addresses: Sequence[str | None],
    name_keys: Callable[[], Sequence[str]],
    index: PeopleIndex,
) -> list[bool]:
    """Which rows of a file are new people that no other row, and nobody in `index`, can be, whatever
    the order: they can be created all at once, and the others matched one at a time.

    A row is surely new when its profile key (`keys`) and its e-mail address (if it has one) are
    had by no other row and by nobody in the index, and its name and organisation by nobody without a
    profile (in the index or the file: `name_keys` is asked for only when there is such a one). Then
    `PeopleIndex.find` finds nothing for it at any point of the import: not by profile or address
    (nobody else has them), not by name (a row with a profile is matched by name only to people
    without one). No other row can find it: not by profile or address, and by name only a row
    without a profile, which has another name. And filling in (`fill_person`) gives a person only
    the profile and address of its own row, which none of these rows share."""
    doubtful: set[int] = set()
    distinct = set(keys)
    if None in distinct:
        doubtful.update(i for i, k in enumerate(keys) if k is None)
    if len(distinct) < len(keys):
        counts = Counter(keys)
        doubtful.update(i for i, k in enumerate(keys) if counts[k] > 1)
    if not distinct.isdisjoint(index.by_linkedin):
        doubtful.update(i for i, k in enumerate(keys) if k in index.by_linkedin)
    mailed = [(i, a.casefold()) for i, a in enumerate(addresses) if a]  # EmailAddress.key
    if mailed:
        times = Counter(key for _, key in mailed)
        doubtful.update(i for i, key in mailed if times[key] > 1 or key in index.by_email)
    unlinked = index.unlinked_names()
    if unlinked or None in distinct:
        names = name_keys()
        unlinked.update(n for n, k in zip(names, keys, strict=True) if k is None)
        doubtful.update(i for i, n in enumerate(names) if n in unlinked)
    sure = [True] * len(keys)
    for i in doubtful:
        sure[i] = False
    return sure


def surely_unchanged(
    keys: Sequence[str | None],
    addresses: Sequence[str | None],
    name_keys: Callable[[], Sequence[str]],
    index: PeopleIndex,
    adds_nothing: Callable[[int, Person], bool],
) -> list[Entry | None]:
    """For each row of a file, the stored person it surely is when matching it would change nothing,
    else None: such rows are "unchanged" whatever the order, and need not be matched one at a time
    (a file imported before is all of them).

    A row is surely unchanged when its profile key is had by no other row and by a person in `index`
    (stored, not yet met by a row), its address (if any) is one of that person's and no other row has
    one of that person's addresses, no row without a profile has that person's name and organisation,
    and filling the person's blanks from the row's other cells would add nothing (`adds_nothing(row,
    person)`, which need not look at addresses). Then
    `PeopleIndex.find` finds that person for the row at any point of the import (by profile, which
    nobody else can take: `add` and `update` never replace a key), and no other row finds them: not
    by profile or address (no other row has them), nor by name (a row with a profile is matched by
    name only to people without one, and no row without one has their name). So nothing fills the
    person in before this row comes, and this row fills in nothing."""
    found: list[Entry | None] = [None] * len(keys)
    known = index.by_linkedin
    candidates = [i for i, k in enumerate(keys) if k is not None and k in known]
    if not candidates:
        return found
    counts = Counter(keys)
    mailed = Counter(a.casefold() for a in addresses if a)  # EmailAddress.key
    unlinked: set[str] = set()
    if None in counts:
        unlinked = {n for n, k in zip(name_keys(), keys, strict=True) if k is None}
    for i in candidates:
        key = keys[i]
        if counts[key] > 1:
            continue
        entry = known[key]  # type: ignore[index]
        if entry.line is not None or entry.new:
            continue
        person: Person = entry.record
        address = addresses[i]
        own = address.casefold() if address else None
        held = {e.key for e in person.emails}
        if own is not None and own not in held:
            continue
        if any(mailed[k] > (1 if k == own else 0) for k in held if k in mailed):
            continue  # another row has one of this person's addresses
        if unlinked and index.name_key(person.name, person.organisation) in unlinked:
            continue
        if adds_nothing(i, person):
            found[i] = entry
    return found


class OpportunityIndex:
    """The opportunities of the database (and of the file so far): by posting address, then by
    company and role title."""

    def __init__(self, opportunities: Iterable[Opportunity]) -> None:
        self.by_url: dict[str, Entry] = {}
        self.by_name: dict[str, Entry] = {}
        for opportunity in opportunities:
            self.add(Entry(opportunity, id=opportunity.id))

    def add(self, entry: Entry) -> None:
        o: Opportunity = entry.record
        if (key := url_key(o.url)) is not None:
            self.by_url.setdefault(key, entry)
        self.by_name.setdefault(_opportunity_key(o.company, o.title), entry)

    def update(self, entry: Entry, opportunity: Opportunity) -> None:
        entry.record = opportunity
        if (key := url_key(opportunity.url)) is not None:
            self.by_url.setdefault(key, entry)

    def discard(self, entry: Entry) -> None:
        self.by_url = {k: e for k, e in self.by_url.items() if e is not entry}
        self.by_name = {k: e for k, e in self.by_name.items() if e is not entry}

    def find(self, candidate: Opportunity) -> tuple[Entry | None, str]:
        key = url_key(candidate.url)
        if key is not None and (found := self.by_url.get(key)) is not None:
            return found, "posting address"
        found = self.by_name.get(_opportunity_key(candidate.company, candidate.title))
        if found is not None and (
            key is None or found.record.url is None or url_key(found.record.url) == key
        ):
            return found, "company and role title"
        return None, ""


def _opportunity_key(company: str, title: str) -> str:
    return f"{organisation_key(company)}|{name_key(title)}"


_FILLED = (
    "phone", "organisation", "title", "timezone", "country", "cadence_days", "in_network", "linkedin_url",
    "notes",
)  # fmt: skip


def adds_nothing(current: Person, found: Any, address_keys: Iterable[str] = ()) -> bool:
    """Whether `fill_person(current, …)` keeps `current` as it is: `found` (a Person, or any value with
    the filled fields as attributes or, a Mapping, as keys) fills no blank of it, and its addresses
    (`address_keys`, each as EmailAddress.key) are all known already."""
    value = found.get if isinstance(found, Mapping) else functools.partial(getattr, found)
    return all(getattr(current, f) for f in _FILLED if value(f)) and (
        {e.key for e in current.emails}.issuperset(address_keys)
    )


def fill_person(current: Person, found: Person) -> Person:
    """`current` with its blanks filled from `found`: new addresses added after the known ones, a
    profile, phone, organisation or title where there was none; the network once in it. `current`
    itself when nothing is new (the common case of an import done before: no copy made)."""
    if adds_nothing(current, found, (e.key for e in found.emails)):
        return current
    known = {e.key for e in current.emails}
    emails = current.emails + tuple(e for e in found.emails if e.key not in known)
    return dataclasses.replace(
        current,
        emails=emails,
        phone=current.phone or found.phone,
        organisation=current.organisation or found.organisation,
        title=current.title or found.title,
        timezone=current.timezone or found.timezone,
        country=current.country or found.country,
        cadence_days=current.cadence_days or found.cadence_days,
        in_network=current.in_network or found.in_network,
        linkedin_url=current.linkedin_url or found.linkedin_url,
        notes=current.notes or found.notes,
    )


def fill_opportunity(current: Opportunity, found: Opportunity) -> Opportunity:
    return dataclasses.replace(
        current,
        url=current.url or found.url,
        source=current.source or found.source,
        location=current.location or found.location,
        decision_expected=current.decision_expected or found.decision_expected,
        notes=current.notes or found.notes,
    )
