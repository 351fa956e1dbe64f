"""Measure again: for an action done, the colleagues' figures before it and since.

*Before* is the BEFORE_WEEKS weeks ending with the week of the finding it answered; *since*
is the complete weeks after the week it was done, up to the week reported on. Each side adds
up only weeks that reached k on their own (as every figure over several weeks does, so no
side tells a hidden week), and says "not enough answers yet" when none did.
"""

from collections.abc import Collection
from zoneinfo import ZoneInfo

from tortoise.functions import Count, Sum

from bot.digest.model import DoneAction, Measured, Picked
from bot.digest.reasons import picks, pooled, reasons
from bot.weeks import Week
from models.action import DONE, Action
from models.survey import Rating

BEFORE_WEEKS = 4
SHOWN_FOR_WEEKS = 8  # an action done this many weeks before the reported one is no longer shown


async def done_by(week: Week, tz: ZoneInfo, k: int) -> dict[int, list[DoneAction]]:
    """Each department's actions done in the SHOWN_FOR_WEEKS weeks up to `week`, newest first."""
    first, _ = week.back(SHOWN_FOR_WEEKS)[0].bounds(tz)
    _, end = week.bounds(tz)
    actions = await Action.filter(status=DONE, closed_at__gte=first, closed_at__lt=end).order_by(
        "-closed_at"
    )
    found: dict[int, list[DoneAction]] = {}
    for action in actions:
        assert action.closed_at is not None
        dept_id: int = action.department_id  # type: ignore[attr-defined]
        done = Week.of(action.closed_at, tz)
        before = Week.parse(action.week).back(BEFORE_WEEKS) if action.week else []
        since = _span(done.next, week)
        found.setdefault(dept_id, []).append(
            DoneAction(
                id=action.id,
                what=action.what,
                done_week=done.label,
                before=await measured(dept_id, [w.label for w in before], k),
                since=await measured(dept_id, [w.label for w in since], k),
            )
        )
    return found


async def measured(dept_id: int, weeks: Collection[str], k: int) -> Measured:
    """The department's colleagues' figures over `weeks`, from the weeks with k or more."""
    if not weeks:
        return Measured(0, None, None, None)
    rows = (
        await Rating.filter(department_id=dept_id, week__in=list(weeks))
        .annotate(n=Count("id"), total=Sum("score"))
        .group_by("week")
        .values("week", "n", "total")
    )
    shown = {row["week"]: row for row in rows if row["n"] >= k}
    if not shown:
        return Measured(len(weeks), None, None, None)
    responses = sum(row["n"] for row in shown.values())
    average = round(sum(float(row["total"]) for row in shown.values()) / responses, 2)
    found = await picks(list(shown), [dept_id])
    low = pooled(
        reasons(found.get((dept_id, label), []), row["n"], k) for label, row in shown.items()
    ).low
    top: Picked | None = low.picked[0] if low.picked else None
    return Measured(len(weeks), responses, average, top)


def _span(first: Week, last: Week) -> list[Week]:
    weeks = []
    while first <= last:
        weeks.append(first)
        first = first.next
    return weeks
