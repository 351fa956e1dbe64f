"""Publishing a person's App Home from what the database holds for them and what their role
lets them see (bot/people/roles.py); for an admin, with the set-up checklist, the
Departments editor and how sentiment is read in each language."""

import dataclasses
from collections.abc import Callable
from datetime import timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks import Block
from bot.blocks.home import CONCERNS, MAX_POLLS, Activity, AuditLine, home_view
from bot.blocks.poll import PollView
from bot.blocks.sentiment import sentiment_blocks
from bot.blocks.setup import ChannelToFix, Listed, SetupState, admin_blocks
from bot.clock import Clock
from bot.config import QualityConfig, QualitySource, current
from bot.digest.aggregates import Aggregates
from bot.digest.model import WeekDigest
from bot.learning import language_status
from bot.people.roles import Person, person
from bot.people.setup import checklist
from bot.privacy import audit
from bot.sentiment import SHIPPED_LANGUAGES
from bot.sentiment.learning import MIN_TEXTS
from bot.weeks import Week
from models.audit import VIEW_COMMENTS
from models.department import FROM_SLACK, Department
from models.survey import OptOut, Poll

AUDIT_LINES = 10


class Home:
    def __init__(
        self,
        *,
        client: AsyncWebClient,
        quality: QualitySource,
        clock: Clock,
        aggregates: Aggregates,
        bot_name: Callable[[], str] = lambda: "quality-bot",
    ) -> None:
        self._client = client
        self._aggregates = aggregates
        self._source = quality
        self._clock = clock
        self._bot_name = bot_name

    @property
    def _quality(self) -> QualityConfig:
        return current(self._source)

    async def publish(self, user_id: str) -> None:
        who = person(self._quality, user_id)
        polls = (
            await Poll.waiting_for(user_id)
            .order_by("-sent_at")
            .limit(MAX_POLLS)
            .prefetch_related("department")
        )
        views = [PollView.of(p, self._quality) for p in polls]
        view = home_view(
            views,
            min_group_size=self._quality.privacy.min_group_size,
            activity=await self._activity(user_id),
            oversight=await self._oversight(who),
            audit=await self._audit(who),
            admin=await self._admin() if who.admin else (),
        )
        await self._client.views_publish(user_id=user_id, view=view)

    async def _activity(self, user_id: str) -> Activity:
        # How often they were asked, not how often they answered: once a week is closed, no
        # one can tell that any more, not even for the person themselves.
        since = self._clock() - timedelta(weeks=4)
        asked = await Poll.filter(user_id=user_id, sent_at__gte=since).count()
        return Activity(asked=asked, opted_out=await OptOut.exists(user_id=user_id))

    async def _oversight(self, who: Person) -> WeekDigest | None:
        slugs = who.overseen(self._quality)
        if not slugs:
            return None
        week = Week.last_complete(self._clock(), self._quality.tz)
        digest = await self._aggregates.digest(week)
        mine = tuple(d for d in digest.departments if d.slug in slugs)
        for dept in mine:
            if any(q.kind == "comment" for q in dept.concerns[:CONCERNS]):
                await audit.record(
                    self._clock(), who.user_id, VIEW_COMMENTS, dept.slug, f"{week} via App Home"
                )
        return dataclasses.replace(digest, departments=mine)

    async def _admin(self) -> list[Block]:
        quality = self._quality
        rows = await Department.filter(active=True).values_list("slug", "origin")
        origins = dict(rows)
        listed = [
            Listed(d.slug, d.name, origins.get(d.slug) != FROM_SLACK, d.channels, d.managers)
            for d in quality.departments
        ]
        setup = await checklist(self._client, quality)
        state = None
        if not setup.done:
            to_fix = [
                ChannelToFix(c.configured.channel, c.configured.use, c.joinable)
                for c in setup.unreachable
            ]
            checked = setup.channels is not None
            state = SetupState(
                setup.departments, checked, to_fix, setup.digest_channel, setup.sample_sent
            )
        languages = sentiment_blocks(
            await language_status(), shipped=SHIPPED_LANGUAGES, min_texts=MIN_TEXTS
        )
        return [*admin_blocks(listed, state, bot_name=self._bot_name()), *languages]

    async def _audit(self, who: Person) -> list[AuditLine]:
        if not who.may_read_audit:
            return []
        return [
            AuditLine(f"{e.at:%Y-%m-%d %H:%M}", e.actor, e.action, e.subject)
            for e in await audit.entries(limit=AUDIT_LINES)
        ]
