"""The stats as small SVG charts for the web UI's Stats page: pure functions returning SVG text.

Each chart is one `<svg>` element to embed in a page: sized by its viewBox only (it scales to its
container), `role="img"` with a `<title>` and a `<desc>` that says every figure in words (named by
`aria-labelledby`), and a `<title>` on each bar for a tooltip. Every text from data is XML-escaped.
Nothing needs the Content-Security-Policy's `unsafe-inline`: no `style` attributes or elements and no
scripts; the look comes from `class` names (`chart`, `bar`, `track`, `label`, `value`, `series-…`) for
the page's stylesheet and from presentation attributes (`fill`, `font-size`, `text-anchor`) as defaults.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from followup.domain.stats import FunnelStep, Rate, Week, label

WIDTH = 480  # every chart's viewBox width; heights follow the number of rows
_ROW = 26
_TOP = 8
_FONT = 'font-family="system-ui, sans-serif" font-size="12"'
_BAR, _TRACK, _TEXT = "#2f855a", "#e2e8f0", "currentColor"
SERIES = (  # weekly activity: the field of Week (also its class, series-…), its default colour
    ("outbound", "#2b6cb0"),
    ("inbound", "#2f855a"),
    ("applications", "#b7791f"),
    ("interviews", "#9b2c2c"),
)


def _x(text: object) -> str:
    """Text from data, safe inside an element or a quoted attribute."""
    return escape(str(text), quote=True)


def _n(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _percent(fraction: float | None) -> str:
    return "—" if fraction is None else f"{fraction:.0%}"


def _ident(name: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-") or "chart"


def _text(x: float, y: float, content: str, css: str, *, anchor: str = "start", size: int = 0) -> str:
    """A text element; `content` is escaped here."""
    extra = f' font-size="{size}"' if size else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" class="{css}" fill="{_TEXT}"{extra}>'
        f"{_x(content)}</text>"
    )


def _svg(kind: str, ident: str, height: float, title: str, desc: str, body: list[str]) -> str:
    ident = _ident(ident)
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_n(height)}" role="img" '
            f'aria-labelledby="{ident}-title {ident}-desc" class="chart chart-{kind}" {_FONT}>',
            f'<title id="{ident}-title">{_x(title)}</title>',
            f'<desc id="{ident}-desc">{_x(desc)}</desc>',
            *body,
            "</svg>",
        ]
    )


def _empty(kind: str, ident: str, title: str) -> str:
    text = _text(WIDTH / 2, 24, "No data yet", "empty", anchor="middle")
    return _svg(kind, ident, 40, title, "No data yet.", [text])


def rate_chart(
    rates: Sequence[Rate], *, title: str, names: Sequence[str] | None = None, ident: str = "rates"
) -> str:
    """One horizontal bar per rate: its name (`names`, else the key in words), a bar as long as the
    rate, the percentage and the counts; a rate without data gets an empty bar and "—". Pass the rows
    to show, e.g. those with outreaches."""
    if names is not None and len(names) != len(rates):
        raise ValueError(f"{len(names)} names for {len(rates)} rates")
    if not rates:
        return _empty("rates", ident, title)
    left, span = 120, 230
    body: list[str] = []
    described: list[str] = []
    for i, r in enumerate(rates):
        y = _TOP + i * _ROW
        judged = r.outreaches - r.waiting
        name = names[i] if names is not None else label(r.key)
        words = f"{name}: {_percent(r.rate)} ({r.answered} of {judged} answered)"
        described.append(words)
        width = span * (r.rate or 0.0)
        body += [
            f'<g class="row"><title>{_x(words)}</title>',
            _text(left - 8, y + 13, name, "label", anchor="end"),
            f'<rect x="{left}" y="{y}" width="{span}" height="16" class="track" fill="{_TRACK}"/>',
            f'<rect x="{left}" y="{y}" width="{_n(width)}" height="16" class="bar" fill="{_BAR}"/>',
            _text(left + span + 8, y + 13, f"{_percent(r.rate)} · {r.answered}/{judged}", "value") + "</g>",
        ]
    return _svg("rates", ident, _TOP * 2 + len(rates) * _ROW, title, "; ".join(described) + ".", body)


def funnel_chart(steps: Sequence[FunnelStep], *, title: str = "Funnel", ident: str = "funnel") -> str:
    """One centred bar per step, as wide as its count against the widest; the conversion beside it."""
    if not steps:
        return _empty("funnel", ident, title)
    left, span = 90, 230
    top = max(step.count for step in steps)
    body: list[str] = []
    described: list[str] = []
    previous = ""
    for i, step in enumerate(steps):
        y = _TOP + i * _ROW
        width = span * step.count / top if top else 0.0
        conversion = f"{_percent(step.conversion)} of {previous}" if previous else ""
        words = f"{step.step}: {step.count}" + (f" ({conversion})" if conversion else "")
        described.append(words)
        body += [
            f'<g class="row"><title>{_x(words)}</title>',
            _text(left - 8, y + 13, step.step, "label", anchor="end"),
            f'<rect x="{_n(left + (span - width) / 2)}" y="{y}" width="{_n(width)}" height="18" class="bar" '
            f'fill="{_BAR}"/>',
            _text(
                left + span + 8,
                y + 13,
                f"{step.count} · {conversion}" if conversion else str(step.count),
                "value",
            )
            + "</g>",
        ]
        previous = step.step
    return _svg("funnel", ident, _TOP * 2 + len(steps) * _ROW, title, "; ".join(described) + ".", body)


def weekly_chart(weeks: Sequence[Week], *, title: str = "Weekly activity", ident: str = "weekly") -> str:
    """Columns per ISO week, one per series (outbound, inbound, applications, interviews), with a
    legend and the largest value marked on the axis."""
    if not weeks:
        return _empty("weekly", ident, title)
    legend_h, plot_h, axis_h, left = 22, 120, 20, 28
    group = (WIDTH - left - 4) / len(weeks)
    column = max(1.0, (group - 4) / len(SERIES))
    top = max((getattr(w, field) for w in weeks for field, _ in SERIES), default=0)
    base = legend_h + plot_h
    body = [
        f'<line x1="{left}" y1="{base}" x2="{WIDTH - 4}" y2="{base}" class="axis" stroke="{_TEXT}" '
        'stroke-opacity="0.4"/>',
        _text(left - 4, legend_h + 10, str(top), "value", anchor="end"),
    ]
    for n, (name, colour) in enumerate(SERIES):
        x = left + n * 105
        body.append(
            f'<g class="legend series-{name}"><rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>'
            + _text(x + 14, 13, name, "label")
            + "</g>"
        )
    described = []
    for i, week in enumerate(weeks):
        x0 = left + i * group + 2
        counts = [getattr(week, field) for field, _ in SERIES]
        described.append(
            f"{week.label}: " + ", ".join(f"{c} {s[0]}" for c, s in zip(counts, SERIES, strict=True))
        )
        body.append(f'<g class="week"><title>{_x(described[-1])}</title>')
        for n, ((name, colour), count) in enumerate(zip(SERIES, counts, strict=True)):
            height = plot_h * count / top if top else 0.0
            body.append(
                f'<rect x="{_n(x0 + n * column)}" y="{_n(base - height)}" width="{_n(column)}" '
                f'height="{_n(height)}" class="bar series-{name}" fill="{colour}"/>'
            )
        short = week.label.split("-")[-1]  # "W48"
        body.append(_text(x0 + (group - 4) / 2, base + 14, short, "label", anchor="middle", size=10) + "</g>")
    desc = "; ".join(described) + "." if top else "No activity in these weeks."
    return _svg("weekly", ident, base + axis_h, title, desc, body)
