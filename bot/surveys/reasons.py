"""What the thank-you offers after a score, and the reasons picked from it.

After a 1 or 2 the thank-you offers the department's low reasons, after a 4 or 5 its high
ones (QualityConfig.reasons), and after a 4 or 5 a thanks to the department as well. The
answer itself is committed at the click; its reasons join it while it is still held: the held
answer keeps a random token, which only the offer carries, for REASONS_OPEN, and is not
released into the ratings before its reasons are picked, skipped or that time is over. Then
the token is gone, and the reasons are part of the anonymous answer like its score.

The offer is ephemeral: it is not kept in the DM's history, where the band of its reasons
would tell the score to whoever can export the workspace's messages.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from bot.config import HIGH, LOW, QualityConfig
from models.survey import HeldAnswer

REASONS_OPEN = timedelta(minutes=30)


def band(score: int) -> str | None:
    """The band a score is offered reasons for: LOW (1–2), HIGH (4–5), or None (3)."""
    return LOW if score <= 2 else HIGH if score >= 4 else None


def new_token() -> str:
    return secrets.token_hex(16)  # 32 characters, as HeldAnswer.token holds


@dataclass(frozen=True)
class Offer:
    """What the thank-you offers: the band's reasons, while `token` is open, and for a 4 or
    5 a thanks to the department when it has a channel to post it in (a one-time token,
    stored only when it is used)."""

    slug: str
    name: str
    week: str
    band: str
    reasons: tuple[str, ...]
    token: str | None  # the held answer's; None when the band offers no reasons
    thanks: str | None  # None after a 1 or 2


def offer(slug: str, name: str, score: int, week: str, quality: QualityConfig) -> Offer | None:
    """What the thank-you offers after `score`; None: nothing (the answer is settled now)."""
    which = band(score)
    if which is None:
        return None
    reasons = quality.reasons(slug, which)
    dept = quality.department(slug)
    can_post = dept is not None and dept.thanks_channel is not None
    token = new_token() if reasons else None
    thanks = new_token() if which == HIGH and can_post else None
    if token is None and thanks is None:
        return None
    return Offer(slug, name, week, which, reasons, token, thanks)


class Added(Enum):
    ADDED = "added"
    LATE = "late"  # released already, or the offer is over: the answer went in without them


async def add_reasons(
    token: str, picked: list[str], *, quality: QualityConfig, now: datetime
) -> Added:
    """Put the reasons picked (none: skipped) on the held answer the token names, and settle
    it. Only reasons its band offers are kept, in the order they are offered."""
    held = await HeldAnswer.get_or_none(token=token, open_until__gt=now).select_related(
        "department"
    )
    if held is None:
        return Added.LATE
    which = band(held.score)
    offered = quality.reasons(held.department.slug, which) if which else ()
    kept = [reason for reason in offered if reason in set(picked)]
    settled = await HeldAnswer.filter(token=token, open_until__gt=now).update(
        reasons=kept or None, token=None, open_until=None
    )
    return Added.ADDED if settled else Added.LATE


def hold_until(token: str | None, now: datetime) -> datetime | None:
    """Until when an answer waits for its reasons (None: it does not)."""
    return now + REASONS_OPEN if token else None
