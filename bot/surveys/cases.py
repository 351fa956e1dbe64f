"""Signed follow-ups as cases: claimed, resolved with what was done, nudged when nobody claims
one within `alerts.nudge_unclaimed_after_hours`.

Every signed follow-up is a case, whatever its score: a case only for a 1 or 2 would tell the
signer's score, and with the week's average narrow down everyone else's. A case is claimed and
resolved by the department's members and managers, and the admins; each step is a conditional
update, so two people clicking at once get one claim.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.poll import case_nudge
from bot.config import QualityConfig
from bot.people.membership import departments_of
from models.survey import FollowUp

log = logging.getLogger(__name__)

MAX_RESOLUTION = 1000


@dataclass(frozen=True)
class Case:
    id: int
    user_id: str  # who signed it
    slug: str
    department: str
    comment: str | None
    channel: str | None
    ts: str | None
    claimed_by: str | None
    resolved_by: str | None
    resolution: str | None


async def may_handle(user_id: str, slug: str, quality: QualityConfig) -> bool:
    return user_id in quality.admins or slug in await departments_of(user_id)


async def get(case_id: int) -> Case | None:
    row = await FollowUp.get_or_none(id=case_id).select_related("department")
    if row is None:
        return None
    return Case(
        row.id, row.user_id, row.department.slug, row.department.name, row.comment,
        row.channel, row.ts, row.claimed_by, row.resolved_by, row.resolution,
    )  # fmt: skip


async def claim(case_id: int, user_id: str, now: datetime) -> bool:
    """Claim it; False when someone else had (or it is resolved)."""
    return bool(
        await FollowUp.filter(id=case_id, claimed_by__isnull=True, resolved_at__isnull=True).update(
            claimed_by=user_id, claimed_at=now
        )
    )


async def resolve(case_id: int, user_id: str, resolution: str, now: datetime) -> bool:
    """Resolve it with what was done (claiming it too, if nobody had); False if it was."""
    await FollowUp.filter(id=case_id, claimed_by__isnull=True).update(
        claimed_by=user_id, claimed_at=now
    )
    return bool(
        await FollowUp.filter(id=case_id, resolved_at__isnull=True).update(
            resolved_by=user_id, resolved_at=now, resolution=resolution.strip()[:MAX_RESOLUTION]
        )
    )


async def nudge_unclaimed(client: AsyncWebClient, quality: QualityConfig, now: datetime) -> int:
    """Reply once in the thread of each case nobody claimed in time."""
    after = timedelta(hours=quality.alerts.nudge_unclaimed_after_hours)
    waiting = FollowUp.filter(
        ts__isnull=False, claimed_by__isnull=True, nudged_at__isnull=True,
        posted_at__lt=now - after,
    )  # fmt: skip
    nudged = 0
    for row in await waiting:
        if not await FollowUp.filter(id=row.id, nudged_at__isnull=True).update(nudged_at=now):
            continue
        try:
            await client.chat_postMessage(
                channel=str(row.channel), thread_ts=row.ts,
                text=case_nudge(quality.alerts.nudge_unclaimed_after_hours),
            )  # fmt: skip
        except SlackApiError as exc:
            await FollowUp.filter(id=row.id).update(nudged_at=None)
            log.warning("case nudge not posted (%s)", exc.response.get("error"))
            continue
        nudged += 1
    return nudged
