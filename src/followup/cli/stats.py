"""`followup stats`: response rates, the effect of following up, the funnel, thank-yous, weekly activity."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from followup.cli.output import JSON, emit_json
from followup.cli.parsing import Arg, command
from followup.cli.runtime import Runtime
from followup.cli.term import echo, style
from followup.domain.outreach import WAITING_DAYS
from followup.domain.stats import FunnelStep, Rate, Stats, label
from followup.shapes import stats_json

BAR = 20  # cells of a full bar
_EIGHTHS = "▏▎▍▌▋▊▉"


# Human output ------------------------------------------------------------------------------------


def bar(fraction: float | None, width: int = BAR) -> str:
    """A horizontal bar in eighths of a cell; empty for nothing (or no data)."""
    if not fraction or fraction <= 0:
        return ""
    full, part = divmod(round(min(fraction, 1.0) * width * 8), 8)
    return "█" * full + (_EIGHTHS[part - 1] if part else "")


def percent(fraction: float | None) -> str:
    return "—" if fraction is None else f"{fraction:.0%}"


def drawn(fraction: float | None, colour: str, *, width: int = BAR, pad: bool = False) -> str:
    """Two spaces and a coloured bar (nothing for an empty one); `pad` keeps later columns aligned."""
    cells = bar(fraction, width)
    filler = " " * (width - len(cells)) if pad else ""
    return "  " + style(cells, fg=colour) + filler if cells else ("  " + filler if pad else "")


def _heading(title: str, note: str = "") -> None:
    echo()
    echo(style(title, bold=True) + (style(f"  {note}", fg="bright_black") if note else ""))


def _rate_line(name: str, r: Rate, width: int) -> None:
    judged = r.outreaches - r.waiting
    echo(f"  {name:<{width}}  {r.answered:>4} of {judged:<4} {percent(r.rate):>4}" + drawn(r.rate, "green"))


def _responses(s: Stats) -> None:
    _heading("Response rate", "answered outreaches: a reply, call, meeting, interview or decision from them")
    groups = [
        (title, [(f"  {label(r.key)}", r) for r in rates if r.outreaches])
        for title, rates in (
            ("by source", s.responses.by_source),
            ("by channel", s.responses.by_channel),
            ("by stage", s.responses.by_stage),
        )
    ]
    width = max(len(name) for name in ["all outreaches", *(n for _, rows in groups for n, _ in rows)])
    _rate_line("all outreaches", s.responses.overall, width)
    for title, rows in groups:
        if rows:
            echo(f"  {style(title, fg='bright_black')}")
            for name, r in rows:
                _rate_line(name, r, width)
    waiting = s.responses.overall.waiting
    if waiting:
        plural = "es" if waiting > 1 else ""
        echo(style(f"  {waiting} outreach{plural} of the last {WAITING_DAYS} days still wait for an "
                   "answer and are not counted yet", fg="bright_black"))  # fmt: skip


def _follow_up(s: Stats) -> None:
    f = s.follow_up
    _heading("Following up", "another approach on a later day, before any answer")
    width = len("answers that came after a follow-up")
    after = f"  {'answers that came after a follow-up':<{width}}  {f.after_follow_up:>4} of {f.responses:<4}"
    echo(f"{after} {percent(f.share):>4}")
    _rate_line("answered when you followed up", f.with_follow_up, width)
    _rate_line("answered when you did not", f.without_follow_up, width)
    with_, without = _median(f.median_days_with), _median(f.median_days_without)
    echo(f"  {'median days to an answer':<{width}}  {with_:>4} with a follow-up, {without} without")


def _median(days: float | None) -> str:
    return "—" if days is None else f"{days:.1f}"


def _funnel(steps: Sequence[FunnelStep]) -> None:
    _heading("Funnel", "opportunities that got at least this far")
    top = max((step.count for step in steps), default=0)
    previous = ""
    for step in steps:
        cells = drawn(step.count / top if top else None, "cyan", pad=True)
        conversion = f"  {percent(step.conversion)} of {previous}" if previous else ""
        echo((f"  {step.step:<10} {step.count:>5}" + cells + conversion).rstrip())
        previous = step.step


def _thank_you(s: Stats) -> None:
    t = s.thank_you
    _heading("Thank-you notes", "to each interviewer, by the end of their next business day")
    if not t.due:
        echo("  —  no interview has ended yet")
        return
    echo(f"  on time  {t.on_time:>4} of {t.due:<4} {percent(t.share):>4}" + drawn(t.share, "green"))
    echo(style(f"  late {t.late} · not sent {t.missing}", fg="bright_black"))


def _weekly(s: Stats) -> None:
    weeks = s.weekly
    span = f"since {s.since:%d %b %Y}" if s.since else f"the last {len(weeks)} week{'s' * (len(weeks) > 1)}"
    _heading("Weekly activity", span)
    if not any(w.outbound or w.inbound or w.applications or w.interviews for w in weeks):
        echo("  —  nothing logged in these weeks")
        return
    header = f"  {'week':<9} {'from':<7} {'out':>4} {'in':>4} {'applied':>8} {'interviews':>11}"
    echo(style(header, bold=True))
    most = max(w.outbound for w in weeks)
    for w in weeks:
        start = f"{w.start:%d %b}".lstrip("0")
        cells = drawn(w.outbound / most if most else None, "cyan", width=12)
        echo(
            f"  {w.label:<9} {start:<7} {w.outbound:>4} {w.inbound:>4} {w.applications:>8} {w.interviews:>11}"
            + cells
        )


def print_stats(s: Stats, zone: tzinfo) -> None:
    scope = f"since {s.since:%a %d %b %Y}" if s.since else "all time"
    echo(
        style(
            f"Your job search in numbers — {scope}, as of {s.now.astimezone(zone):%a %d %b %Y %H:%M}",
            bold=True,
        )
    )
    if s.empty:
        echo("Nothing to count yet: log what you send and what you hear (`followup log …`), "
             "or explore `followup demo`.")  # fmt: skip
    _responses(s)
    _follow_up(s)
    _funnel(s.funnel)
    _thank_you(s)
    _weekly(s)


@command(
    "stats",
    Arg(
        "--weeks",
        type=int,
        default=12,
        metavar="N",
        help="weekly activity over the last N weeks (default 12)",
    ),
    Arg("--since", metavar="DATE", help="count only what started on or after DATE (2026-09-01, -8w …)"),
    JSON,
)
def stats(runtime: Runtime, weeks: int, since: str | None, as_json: bool) -> None:
    """Your job search in numbers: response rates, following up, the funnel, thank-yous, weekly activity.

    An outreach is what you send that asks for an answer (an application, a résumé, a message, a
    call); it is answered by the first reply, call, meeting, interview or decision from their side
    (never an out-of-office or a bounce). A follow-up is another approach on a later day before any
    answer. Outreaches younger than 14 days without an answer wait outside the rates. The README's
    "Stats" section defines every figure; docs/json.md the --json keys.

    Examples:
      followup stats
      followup stats --weeks 26
      followup stats --since 2026-09-01 --json
    """
    app = runtime.app()
    found = app.stats.compute(weeks=weeks, since=since)
    if as_json:
        emit_json(stats_json(found))
    else:
        print_stats(found, app.context.tz)


COMMANDS = [stats]
