"""vCard files (2.1, 3.0, 4.0) in and out, as Google, Apple and Outlook write them, through vobject.

Each card is cut out of the file by its BEGIN/END lines first, so one broken card is reported with its
line and the others are still read. Before vobject sees a card, the parts of vCard 2.1 it does not read
are made 3.0: quoted-printable values (Outlook's `ENCODING=QUOTED-PRINTABLE` with `=` soft line
breaks and a CHARSET) are decoded, and pictures are dropped (followup keeps none).
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Sequence
from typing import Any

from followup.domain.imported import Card, Cards, RowProblem
from followup.domain.validation import check_email, clean_line, clean_text
from followup.errors import InvalidInputError
from followup.importers.delimited import decode

_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY", "X-MS-CARDPICTURE"})
_PROPERTY = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$", re.S)
_QP = re.compile(r";\s*(?:ENCODING=)?QUOTED-PRINTABLE\b", re.I)
_CHARSET = re.compile(r";\s*CHARSET=([^;:]+)", re.I)
_ENCODING_PARAM = re.compile(r";\s*(?:ENCODING=QUOTED-PRINTABLE|QUOTED-PRINTABLE|CHARSET=[^;:]+)", re.I)
_STRUCTURED = frozenset({"N", "ORG", "ADR"})
_LISTS = _STRUCTURED | {"CATEGORIES", "NICKNAME"}

CARD_FIX = "Export the contacts again as vCard 3.0 or 4.0 in UTF-8, or correct the card in a text editor."


class VobjectCards:
    """The CardFiles port over vobject."""

    def read(self, data: bytes, source: str) -> Cards:
        text, _how = decode(data, source)
        blocks, problems = _blocks(text.splitlines(), source)
        rows: list[Card | RowProblem] = list(problems)
        versions: set[str] = set()
        for start, lines in blocks:
            row = _card(start, lines)
            if isinstance(row, tuple):
                versions.add(row[1])
                rows.append(row[0])
            else:
                rows.append(row)
        rows.sort(key=lambda r: r.line)
        return Cards(", ".join(sorted(versions)) or "none", rows)

    def write(self, cards: Sequence[Card], *, version: str = "3.0") -> bytes:
        import vobject

        out: list[str] = []
        for c in cards:
            vcard = vobject.vCard()
            if version != "3.0":
                vcard.add("version").value = version
            vcard.add("fn").value = c.name
            given, _, family = c.name.rpartition(" ")
            vcard.add("n").value = vobject.vcard.Name(family=family, given=given)
            for address in c.emails:
                email = vcard.add("email")
                email.value = address
                if version == "3.0":
                    email.type_param = "INTERNET"
            if c.phone:
                vcard.add("tel").value = c.phone
            if c.organisation:
                vcard.add("org").value = [c.organisation]
            if c.title:
                vcard.add("title").value = c.title
            if c.linkedin_url:
                vcard.add("url").value = c.linkedin_url
            if c.notes:
                vcard.add("note").value = c.notes
            if c.categories:
                vcard.add("categories").value = list(c.categories)
            out.append(vcard.serialize())
        return "".join(out).encode("utf-8")


def _blocks(lines: list[str], source: str) -> tuple[list[tuple[int, list[str]]], list[RowProblem]]:
    """Each card's lines with the line its BEGIN:VCARD is on; text outside cards is a problem."""
    blocks: list[tuple[int, list[str]]] = []
    problems: list[RowProblem] = []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(lines, start=1):
        word = line.strip().upper()
        if word == "BEGIN:VCARD":
            if current is not None:
                problems.append(_unended(start))
            current, start = [], number
        elif word == "END:VCARD" and current is not None:
            blocks.append((start, current))
            current = None
        elif current is not None:
            current.append(line)
    if current is not None:
        problems.append(_unended(start))
    if not blocks and not problems:
        raise InvalidInputError(
            f"{source} holds no vCard (no BEGIN:VCARD line).",
            hint="Export contacts as vCard (.vcf) from Google Contacts, Apple Contacts or Outlook.",
        )
    return blocks, problems


def _unended(start: int) -> RowProblem:
    return RowProblem(
        start, "BEGIN:VCARD", "the card has no END:VCARD line.", "Add END:VCARD after its last line."
    )


def _card(start: int, lines: list[str]) -> tuple[Card, str] | RowProblem:
    import vobject

    try:
        logical = _logical_lines(lines)
        cleaned = [_as_v3(line) for line in logical]
        component = vobject.readOne(
            "BEGIN:VCARD\r\n" + "\r\n".join(c for c in cleaned if c) + "\r\nEND:VCARD\r\n"
        )
    except CardError as exc:
        return RowProblem(start, exc.field, exc.message, exc.hint or CARD_FIX)
    except Exception as exc:  # vobject raises ParseError and also plain errors on odd input
        line = getattr(exc, "lineNumber", None)
        at = f"line {start + line - 1}: " if isinstance(line, int) else ""
        return RowProblem(start, None, f"the card cannot be read ({at}{exc}).", CARD_FIX)
    try:
        return _fields(start, component), str(_value(component, "version") or "3.0")
    except CardError as exc:
        return RowProblem(start, exc.field, exc.message, exc.hint or CARD_FIX)


def _logical_lines(lines: list[str]) -> list[str]:
    """Unfolded lines: a line starting with a space or tab continues the one before (RFC 6350), and
    a quoted-printable value ending in `=` continues on the next line (vCard 2.1)."""
    logical: list[str] = []
    for raw in lines:
        if logical and logical[-1].endswith("=") and _QP.search(logical[-1].split(":", 1)[0]):
            logical[-1] = logical[-1][:-1] + raw
        elif raw[:1] in (" ", "\t") and logical:
            logical[-1] += raw[1:]
        elif raw.strip():
            logical.append(raw)
    return logical


def _as_v3(line: str) -> str:
    """One property as vCard 3.0 text: pictures dropped, quoted-printable decoded, commas escaped."""
    m = _PROPERTY.match(line)
    if m is None:
        return line
    name, params, value = m[1].upper(), m[2], m[3]
    if name in _BINARY:
        return ""
    if _QP.search(params):
        found = _CHARSET.search(params)
        charset = found[1].strip().strip('"') if found else "utf-8"
        try:
            text = quopri.decodestring(value.encode("latin-1")).decode(charset)
        except (LookupError, UnicodeError, ValueError):
            raise CardError(
                name, f"its quoted-printable value in charset {charset!r} cannot be read.", CARD_FIX
            ) from None
        value = text.replace("\\", "\\\\").replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
        if name not in _STRUCTURED:
            value = value.replace(";", "\\;")
        params = _ENCODING_PARAM.sub("", params)
    if name not in _LISTS:
        # vobject keeps a single value up to its first unescaped comma; vCard 2.1 (and careless 3.0
        # writers) leave commas bare in names, titles and notes
        value = _escape_commas(value)
    return f"{line[: m.start(2)]}{params}:{value}"


def _escape_commas(value: str) -> str:
    if "," not in value:
        return value
    out: list[str] = []
    escaped = False
    for char in value:
        if char == "," and not escaped:
            out.append("\\")
        out.append(char)
        escaped = char == "\\" and not escaped
    return "".join(out)


def _value(component: Any, name: str) -> Any:
    child = getattr(component, name.lower().replace("-", "_"), None)
    return None if child is None else child.value


def _fields(start: int, c: Any) -> Card:
    children: dict[str, list[Any]] = {}
    for child in c.getChildren():
        children.setdefault(child.name.upper(), []).append(child)
    name = _text(children, "FN")
    if not name and "N" in children:
        n = children["N"][0].value
        parts = [getattr(n, p, "") for p in ("prefix", "given", "additional", "family", "suffix")]
        name = " ".join(" ".join(p) if isinstance(p, list) else p for p in parts if p).strip()
    if not name:
        raise CardError(
            "FN", "the card has no name (FN or N).", "Give the contact a name, or leave the card out."
        )
    emails = []
    for child in sorted(children.get("EMAIL", []), key=_preferred):
        address = str(child.value).strip().removeprefix("mailto:")
        if address:
            try:
                emails.append(check_email(address))
            except InvalidInputError as exc:
                raise CardError("EMAIL", _lower_first(exc.message), exc.hint or CARD_FIX) from None
    phones = sorted(children.get("TEL", []), key=_preferred)
    phone = str(phones[0].value).strip().removeprefix("tel:") if phones else None
    organisation = None
    if "ORG" in children:
        org = children["ORG"][0].value
        organisation = (org[0] if isinstance(org, list) and org else str(org)).strip() or None
    linkedin = None
    other_urls = []
    for child in children.get("X-SOCIALPROFILE", []) + children.get("URL", []):
        url = str(child.value).replace("\\:", ":").replace("\\,", ",").replace("\\;", ";").strip()
        if "linkedin.com/" in url.lower() and linkedin is None:
            linkedin = url
        elif child.name.upper() == "URL" and url:
            other_urls.append(url)
    notes = "\n".join(str(n.value) for n in children.get("NOTE", []) if str(n.value).strip())
    notes = "\n".join([notes, *(f"Web: {u}" for u in other_urls)]).strip()
    categories: list[str] = []
    for child in children.get("CATEGORIES", []):
        values = child.value if isinstance(child.value, list) else str(child.value).split(",")
        categories += [v.strip() for v in values if v.strip()]
    return Card(
        line=start,
        name=clean_line(name, field="name"),
        emails=tuple(dict.fromkeys(emails)),
        phone=clean_line(phone, field="phone", required=False) or None if phone else None,
        organisation=clean_line(organisation, field="organisation", required=False) or None
        if organisation
        else None,
        title=clean_line(_text(children, "TITLE"), field="title", required=False) or None,
        linkedin_url=linkedin,
        notes=clean_text(notes),
        categories=tuple(categories),
    )


def _text(children: dict[str, list[Any]], name: str) -> str:
    found = children.get(name)
    return str(found[0].value).strip() if found else ""


def _preferred(child: Any) -> int:
    """Preferred values first: TYPE=pref (2.1, 3.0), PREF=1 (4.0), a mobile number over others."""
    params = {k.upper(): [str(v).lower() for v in vs] for k, vs in child.params.items()}
    types = {t for v in params.get("TYPE", []) for t in v.split(",")}
    types |= {str(p).lower() for p in getattr(child, "singletonparams", ())}
    if "pref" in types or params.get("PREF"):
        return 0
    return 1 if "cell" in types else 2


class CardError(InvalidInputError):
    """One card cannot be read; `field` names the property."""

    def __init__(self, field: str | None, message: str, hint: str) -> None:
        super().__init__(message, hint=hint)
        self.field = field


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
