"""What needs a manager's attention this week, said in words.

Every rule reads only figures that were shown (groups at or above the privacy threshold), so
a reason can never reveal a hidden group.
"""

import statistics
from collections.abc import Sequence

from bot.digest.model import External, Internal, TrendPoint

DROP = 0.3  # a week-over-week fall worth a look
FLOOR = 3.0  # an average under this is poor on a 1-5 scale
NEGATIVE_SHARE = 0.3  # at least this share of signed texts negative…
NEGATIVE_RISE = 0.2  # …and up this much on the week before
LOW_RESPONSE_RATE = 0.3
FALLING = 0.1  # both averages down at least this much: "falling together"
MIN_PAIRED_WEEKS = 4  # weeks with both averages before a correlation means anything
CORRELATED = 0.5


def reasons(internal: Internal, external: External, correlation: float | None) -> tuple[str, ...]:
    found: list[str] = []
    internal_drop = _drop(internal.average, internal.previous_average)
    external_drop = _drop(external.average_rating, external.previous_average_rating)
    if internal_drop >= DROP:
        found.append(f"internal rating down {internal_drop:.1f}")
    if external_drop >= DROP:
        found.append(f"external rating down {external_drop:.1f}")
    if internal.average is not None and internal.average < FLOOR:
        found.append(f"internal average {internal.average:.1f}, under {FLOOR:.0f}")
    if external.average_rating is not None and external.average_rating < FLOOR:
        found.append(f"external rating {external.average_rating:.1f}, under {FLOOR:.0f}")
    found += _negative_rise("comments", internal.negative_share, internal.previous_negative_share)
    found += _negative_rise("reviews", external.negative_share, external.previous_negative_share)
    rate = internal.response_rate
    if rate is not None and rate < LOW_RESPONSE_RATE:
        found.append(
            f"low response rate: {internal.polls_answered} of {internal.polls_sent} polls "
            f"answered ({rate:.0%})"
        )
    if internal_drop >= FALLING and external_drop >= FALLING:
        together = "internal and external falling together"
        if correlation is not None and correlation >= CORRELATED:
            together += f" (they moved together over recent weeks, r = {correlation:.2f})"
        found.append(together)
    return tuple(found)


def correlation(trend: Sequence[TrendPoint]) -> float | None:
    """Pearson r of weekly internal and external averages, over weeks that have both."""
    pairs = [(p.internal, p.external) for p in trend if p.internal is not None]
    paired = [(i, e) for i, e in pairs if e is not None]
    if len(paired) < MIN_PAIRED_WEEKS:
        return None
    try:
        return round(statistics.correlation([i for i, _ in paired], [e for _, e in paired]), 2)
    except statistics.StatisticsError:  # a flat line has no correlation
        return None


def _drop(current: float | None, previous: float | None) -> float:
    if current is None or previous is None:
        return 0.0
    return round(previous - current, 2)


def _negative_rise(what: str, share: float | None, previous: float | None) -> list[str]:
    if share is None or previous is None:
        return []
    if share >= NEGATIVE_SHARE and share - previous >= NEGATIVE_RISE:
        return [f"negative {what} up from {previous:.0%} to {share:.0%}"]
    return []
