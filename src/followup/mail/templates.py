"""Note templates: Jinja2 in a sandbox, the user's folder before the shipped defaults, and a missing
value reported with its file and line instead of being written into a note."""

from __future__ import annotations

import os
import traceback
from collections.abc import Mapping
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from followup.errors import TemplateError

DEFAULTS = os.path.join(os.path.dirname(__file__), "notes")


class Missing(jinja2.Undefined):
    """A value the job search does not know (no interview notes, no phone): false in an `{% if %}`,
    empty in a loop, an error when printed."""

    __slots__ = ()

    def __str__(self) -> str:
        self._fail_with_undefined_error()  # raises UndefinedError with the value's name
        return ""


def _wrap(value: Any, name: str) -> Any:
    if value is None:
        return Missing(hint=f"{name} has no value here", name=name)
    if isinstance(value, Mapping):
        return {k: _wrap(v, f"{name}.{k}") for k, v in value.items()}
    return value


class JinjaTemplates:
    def __init__(self, user_folder: str | None) -> None:
        self.user_folder = user_folder if user_folder and os.path.isdir(user_folder) else None
        folders = [f for f in (self.user_folder, DEFAULTS) if f]
        self.env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader(folders),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # plain-text mail
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def source(self, name: str) -> str:
        if self.user_folder and os.path.exists(os.path.join(self.user_folder, f"{name}.txt")):
            return os.path.join(self.user_folder, f"{name}.txt")
        return f"{name}.txt (built in)"

    def names(self) -> list[str]:
        return sorted(n[: -len(".txt")] for n in self.env.list_templates(extensions=["txt"]))

    def render(self, name: str, context: Mapping[str, Any]) -> tuple[str, str]:
        where = self.source(name)
        try:
            template = self.env.get_template(f"{name}.txt")
        except jinja2.TemplateNotFound:
            raise TemplateError(
                f"There is no template {name!r}.",
                hint=f"Known templates: {', '.join(self.names())}. Add your own as {name}.txt in the "
                "templates folder (setting `templates`).",
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{where}, line {exc.lineno}: {exc.message}", hint=_SYNTAX_HINT) from None
        try:
            text = template.render({k: _wrap(v, k) for k, v in context.items()})
        except jinja2.UndefinedError as exc:
            line = _line(exc, template.filename)
            raise TemplateError(
                f"{where}{f', line {line}' if line else ''}: {exc.message}.",
                hint=_missing_hint(exc.message or ""),
            ) from None
        except jinja2.exceptions.SecurityError as exc:
            raise TemplateError(f"{where}: {exc}", hint="Templates may only read the values given.") from None
        return split(text, where)


_MISSING_HINTS = {
    "me.": "Set it in your settings: name, from, signature, phone, links "
    '(e.g. FOLLOWUP_NAME="Alex Morgan" or `followup mail setup --from "Alex Morgan <alex@example.org>"`).',
    "person.": "Add it to the person with `followup edit person …`.",
    "opportunity.": "Add it to the opportunity with `followup edit opportunity …`.",
    "interview.": "Add notes to the interview, or write the note with `followup draft TOUCH --edit`.",
}


def _missing_hint(message: str) -> str:
    for prefix, hint in _MISSING_HINTS.items():
        if message.startswith(prefix):
            return hint
    return "Fill in what is missing, or guard it in the template: {% if interview.topic %}…{% endif %}."


_SYNTAX_HINT = "Check the {{ … }} and {% … %} tags on that line; see docs/templates.md."


def _line(exc: BaseException, filename: str | None) -> int | None:
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if filename and frame.filename == filename:
            return frame.lineno
    return None


def split(text: str, where: str) -> tuple[str, str]:
    """(subject, body) from a rendered template: a `Subject:` line, a blank line, the note."""
    lines = text.lstrip("\n").split("\n")
    if not lines or not lines[0].lower().startswith("subject:"):
        raise TemplateError(
            f"{where}: the first line must be 'Subject: …'.",
            hint="Start the template with a Subject: line, then a blank line, then the note.",
        )
    subject = " ".join(lines[0].split(":", 1)[1].split())
    body = "\n".join(lines[1:]).strip("\n")
    # blank lines left by optional parts collapse to one
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    return subject, body + "\n"
