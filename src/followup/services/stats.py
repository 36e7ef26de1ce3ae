"""Stats: the whole job search read through the Repository, turned into figures by `domain.stats`."""

from __future__ import annotations

from datetime import date

from followup.domain.calendar import BusinessCalendar
from followup.domain.stats import Stats, StatsInput, compute_stats
from followup.errors import InvalidInputError
from followup.services.context import Context

MAX_WEEKS = 520  # ten years of weekly rows is already more than a terminal shows


class Statistics:
    def __init__(self, context: Context, calendar: BusinessCalendar, *, user_country: str | None) -> None:
        self.ctx, self.calendar, self.user_country = context, calendar, user_country

    def compute(self, *, weeks: int = 12, since: str | None = None) -> Stats:
        """Every figure of `followup stats`; `since` is a date as the user types it (`2026-09-01`,
        `-8w`), in their zone."""
        if not 1 <= weeks <= MAX_WEEKS:
            raise InvalidInputError(
                f"--weeks must be between 1 and {MAX_WEEKS}, not {weeks}.",
                hint="For example --weeks 12 (the default), or --since 2026-09-01 for a longer span.",
            )
        now = self.ctx.now()
        since_day = self._day(since) if since is not None else None
        repo = self.ctx.repo
        # the planner's reading of everything, and the opportunities with their sources (which it omits)
        people, _, links, ledger, interviews = repo.planning_data()
        opportunities = {
            s.opportunity.id: s.opportunity
            for s in repo.list_opportunities(now=now)
            if s.opportunity.id is not None
        }
        data = StatsInput(
            opportunities=opportunities,
            people=people,
            links=links,
            ledger=ledger,
            interviews=interviews,
            user_zone=self.ctx.tz.key,
            user_country=self.user_country,
        )
        return compute_stats(data, self.calendar, now=now, weeks=weeks, since=since_day)

    def _day(self, text: str) -> date:
        if not text.strip():
            raise InvalidInputError(
                "--since needs a date.", hint="For example --since 2026-09-01 or --since -8w."
            )
        day = self.ctx.when(text).astimezone(self.ctx.tz).date()
        today = self.ctx.local_now().date()
        if day > today:
            raise InvalidInputError(
                f"--since {text} is {day:%a %d %b %Y}, after today; stats count what has happened.",
                hint="Give a past date: --since 2026-09-01, --since -8w, --since '12 weeks ago'.",
            )
        return day
