"""You said, we did: when an action is done, its manager may tell the people who were *asked*
about its department in the week it answers — taken from the polls sent then, never from the
ratings, so it says nothing about what anyone answered — and/or post it in the department's
team channel.

- **Once.** An action is announced once (`announced_at`, a claim), and each person gets at most
  one DM about it (a unique key); its team post is claimed like any delivery.
- **Within the budget.** A DM is not sent to someone who opted out, or who has had their
  weekly budget of the app's asks (polls, ratings by hand, announcements) this week; it is
  skipped with the reason, checked again when it is sent. Announcements sent count in the
  budget of the week they were sent.
- **Found, not sent twice.** Each DM and post carries metadata naming it; a claim left by a
  crash is looked for in Slack before anything is sent again.
"""

import logging
from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.actions import records
from bot.actions.records import Invalid, NotAllowed, may_act
from bot.blocks.actions import announcement
from bot.config import QualityConfig
from bot.people.roles import Person
from bot.slack.outbox import Mark, Outbox, describe, post_marked, refused
from bot.surveys.requests import OPTED_OUT, OVER_BUDGET, spent_this_week
from bot.weeks import Week
from models.action import DONE, QUEUED, SENDING, SENT, SKIPPED, Action, Announcement
from models.survey import OptOut, Poll

log = logging.getLogger(__name__)

EVENT_TYPE = "quality_action_announced"
STALE_CLAIM = timedelta(minutes=5)


async def asked_about(slug: str, week: str, quality: QualityConfig) -> list[str]:
    """Everyone sent a poll about the department in the week: who was asked, not who answered."""
    start, end = Week.parse(week).bounds(quality.tz)
    users = await (
        Poll.filter(department__slug=slug, sent_at__gte=start, sent_at__lt=end)
        .distinct()
        .values_list("user_id", flat=True)
    )
    return sorted(str(u) for u in users)


async def announce(
    person: Person,
    action_id: int,
    *,
    dm: bool,
    team: bool,
    quality: QualityConfig,
    now: datetime,
) -> int:
    """Queue the action's announcement; how many DMs were queued. Only a done action, by its
    department's managers and the admins, once."""
    action = await Action.get_or_none(id=action_id).select_related("department")
    if action is None:
        raise Invalid("status", "That action no longer exists.")
    if not may_act(person, action.department.slug):
        raise NotAllowed
    if action.status != DONE:
        raise Invalid("status", "Only a done action is announced.")
    queued = 0
    if dm and await Action.filter(id=action_id, announced_at__isnull=True).update(announced_at=now):
        people = await asked_about(action.department.slug, action.week, quality)
        out = {
            str(user)
            for user in await OptOut.filter(user_id__in=people).values_list("user_id", flat=True)
        }
        await Announcement.bulk_create(
            [
                Announcement(
                    action_id=action_id,
                    user_id=user,
                    status=SKIPPED if user in out else QUEUED,
                    reason=OPTED_OUT if user in out else None,
                )
                for user in people
            ],
            ignore_conflicts=True,
        )
        queued = sum(1 for user in people if user not in out)
    if team:
        await Action.filter(id=action_id, team_post="").update(team_post=QUEUED)
    return queued


async def update_and_announce(
    person: Person,
    action_id: int,
    *,
    status: str,
    note: str,
    dm: bool,
    team: bool,
    quality: QualityConfig,
    now: datetime,
) -> int:
    """An action's update and, if asked for, its announcement, in one transaction: a manager
    told "saved" finds both stored, one told it failed finds neither. How many DMs were
    queued."""
    async with in_transaction():
        await records.update(person, action_id, status=status, note=note, now=now)
        if not (dm or team):
            return 0
        return await announce(person, action_id, dm=dm, team=team, quality=quality, now=now)


class AnnouncementDelivery(Outbox):
    async def step(self) -> int:
        now = self._clock()
        sent = 0
        stale = Announcement.filter(status=SENDING, claimed_at__lt=now - STALE_CLAIM)
        for row in await stale.select_related("action__department"):
            sent += await self._dm(row, claimed=True)
        for row in await Announcement.filter(status=QUEUED).select_related("action__department"):
            sent += await self._dm(row, claimed=False)
        posts = Action.filter(
            Q(team_post=QUEUED) | Q(team_post=SENDING, team_post_claimed_at__lt=now - STALE_CLAIM)
        )
        for action in await posts.select_related("department"):
            sent += await self._post(action)
        return sent

    async def _dm(self, row: Announcement, *, claimed: bool) -> int:
        now = self._clock()
        status = SENDING if claimed else QUEUED
        if not await Announcement.filter(id=row.id, status=status).update(
            status=SENDING, claimed_at=now
        ):
            return 0  # another instance has it
        reason = await self._why_not(row.user_id, now)
        if reason is not None:
            await Announcement.filter(id=row.id).update(status=SKIPPED, reason=reason)
            return 0
        action = row.action
        text, blocks = announcement(action.department.name, action.what, action.note, action.week)
        mark = Mark(EVENT_TYPE, {"action": str(action.id), "to": "dm"})
        await self._gate.wait()
        try:
            found = await post_marked(
                self._client, row.user_id, mark, look_first=claimed, text=text, blocks=blocks
            )
        except Exception as exc:  # unless refused, perhaps sent: the stale claim is looked for
            if refused(exc):
                await Announcement.filter(id=row.id).update(
                    status=SKIPPED, reason=f"slack:{describe(exc)}"[:32]
                )
            log.warning("announcement not sent (%s)", describe(exc))
            return 0
        await Announcement.filter(id=row.id).update(
            status=SENT, sent_at=now, channel=found[0], ts=found[1]
        )
        return 1

    async def _why_not(self, user_id: str, now: datetime) -> str | None:
        if await OptOut.exists(user_id=user_id):
            return OPTED_OUT
        spent = await spent_this_week(user_id, quality=self._quality, now=now)
        if spent >= self._quality.surveys.max_per_person_per_week:
            return OVER_BUDGET
        return None

    async def _post(self, action: Action) -> int:
        now = self._clock()
        dept = self._quality.department(action.department.slug)
        channel = dept.thanks_channel if dept else None
        claimed = await Action.filter(id=action.id, team_post=action.team_post).update(
            team_post=SENDING, team_post_claimed_at=now
        )
        if not claimed:
            return 0
        if channel is None:
            await Action.filter(id=action.id).update(team_post=SKIPPED)
            return 0
        text, blocks = announcement(action.department.name, action.what, action.note, action.week)
        mark = Mark(EVENT_TYPE, {"action": str(action.id), "to": "team"})
        await self._gate.wait()
        try:
            await post_marked(
                self._client, channel, mark, look_first=action.team_post == SENDING, text=text,
                blocks=blocks,
            )  # fmt: skip
        except Exception as exc:  # unless refused, perhaps posted: the stale claim is looked for
            if refused(exc):
                await Action.filter(id=action.id).update(team_post=QUEUED)
            log.warning("announcement not posted (%s)", describe(exc))
            return 0
        await Action.filter(id=action.id).update(team_post=SENT)
        return 1
