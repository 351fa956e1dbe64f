"""Polling the sources that never push (the app stores): one instance at a time, page by page,
from where the last pass got to.

A pass reads a store's reviews newest first and stops once it reaches what the last finished
pass covered (less an overlap, for reviews a store shows late); every page is stored, and the
place reached saved, before the next is asked for. A pass cut short (a crash, a deploy, the
API's budget, `PAGES_PER_STEP`) goes on from that place at the next step, on any instance.

Which instance polls a source is decided by a lease on its `review_poll` row, taken with one
conditional UPDATE: exactly one instance holds it, and a lease left by a dead instance runs out.
A store's rate limits are honoured from its answers: a 429 or a nearly spent budget waits, and
the wait is in the row, so no other instance polls sooner either.
"""

import contextlib
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import aiohttp
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from bot.clock import Clock
from bot.config import QualityConfig, QualitySource, ReviewSourceConfig, current
from bot.reviews.sources.intake import take
from bot.reviews.sources.preset import Preset
from bot.reviews.store import ReviewIn
from bot.reviews.writer import ReviewWriter
from bot.sentiment import SentimentPool
from models.review import ReviewPoll

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
PAGES_PER_STEP = 25  # then the pass gives the loop back, and goes on at the next step
FIRST_RETRY = timedelta(minutes=1)  # after a failure, doubling up to the source's interval
RATE_LIMITED = timedelta(minutes=15)  # after a 429 that says no more


class PollError(Exception):
    """A page the store did not give. `lasting`: retrying soon cannot help (credentials, an
    unknown app); `wait`: the store said how long to wait; `stale`: the place a pass saved is
    no longer taken, and the pass starts again from the top."""

    def __init__(
        self,
        message: str,
        *,
        lasting: bool = False,
        wait: timedelta | None = None,
        stale: bool = False,
    ) -> None:
        super().__init__(message)
        self.lasting = lasting
        self.wait = wait
        self.stale = stale


@dataclass(frozen=True)
class Page:
    body: Any  # as the store sent it: its preset reads the reviews out of it
    next: str | None  # where the pass goes on; None: the last page
    oldest: datetime | None  # the oldest review time on the page
    spent: bool = False  # the store's budget is nearly used: stop after this page


class StoreApi(Protocol):
    """A store's review list, newest first, one page at a time."""

    preset: Preset
    overlap: timedelta  # how late a review may show up after the time it carries

    async def page(self, resume: str | None) -> Page: ...

    def gap(self, last: datetime, now: datetime) -> str | None:
        """Why reviews since the pass that finished at `last` can no longer all be read."""
        ...


ApiFactory = Callable[[ReviewSourceConfig, str, aiohttp.ClientSession], StoreApi]


class ReviewPolling:
    def __init__(
        self,
        *,
        quality: QualitySource,
        secrets: Mapping[str, str],
        writer: ReviewWriter,
        sentiment: SentimentPool,
        clock: Clock,
        open_api: ApiFactory,
        instance: str | None = None,
        pages_per_step: int = PAGES_PER_STEP,
    ) -> None:
        self._source = quality
        self._secrets = secrets
        self._writer = writer
        self._sentiment = sentiment
        self._clock = clock
        self._open_api = open_api
        self._owner = instance or uuid.uuid4().hex
        self._pages = pages_per_step
        self._apis: dict[str, StoreApi] = {}
        self._session: aiohttp.ClientSession | None = None

    @property
    def _quality(self) -> QualityConfig:
        return current(self._source)

    async def step(self) -> None:
        """Poll each polled source that is due and not polled by another instance."""
        for source in self._quality.review_sources:
            if source.polled and source.secret_env in self._secrets:
                await self._poll(source)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def _poll(self, source: ReviewSourceConfig) -> None:
        now = self._clock()
        if not await self._claim(source.name, now):
            return
        row = await ReviewPoll.get(source=source.name)
        cursor = dict(row.cursor or {})
        try:
            paused = await self._pass(source, cursor, row.polled_at)
        except PollError as exc:
            await self._failed(source, row, cursor, exc)
        except Exception as exc:
            log.exception("review source %s: the pass failed", source.name)
            await self._failed(source, row, cursor, PollError(type(exc).__name__))
        else:
            fields: dict[str, Any] = {"failures": 0, "error": None}
            if paused is None:
                fields["polled_at"] = self._clock()
            wait = timedelta(minutes=source.poll_every) if paused is None else paused
            await self._release(source.name, wait, **fields)

    async def _claim(self, name: str, now: datetime) -> bool:
        with contextlib.suppress(IntegrityError):  # another instance created it just now
            await ReviewPoll.get_or_create(source=name, defaults={"next_at": now})
        free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        taken = await (
            ReviewPoll.filter(source=name, next_at__lte=now)
            .filter(free)
            .update(owner=self._owner, lease_until=now + LEASE)
        )
        return bool(taken)

    async def _pass(
        self, source: ReviewSourceConfig, cursor: dict[str, Any], last: datetime | None
    ) -> timedelta | None:
        """Pages until the pass is finished (None), or must pause: for how long. `last`: when
        the last pass finished."""
        api = await self._api(source)
        seen = _time(cursor.get("seen"))
        if last is not None and cursor.get("resume") is None:
            gap = api.gap(last, self._clock())
            if gap:
                log.warning("review source %s: %s", source.name, gap)
        since = seen - api.overlap if seen is not None else None
        top = _time(cursor.get("top"))
        resume = cursor.get("resume")
        for _ in range(self._pages):
            page = await api.page(resume)
            newest = await self._store(source, api.preset, page)
            top = max(filter(None, (top, newest)), default=None)
            resume = page.next
            if resume is None or (since and page.oldest and page.oldest < since):
                cursor.clear()
                cursor["seen"] = _iso(top or seen)
                await self._save(source.name, cursor)
                return None
            cursor.update(resume=resume, top=_iso(top))
            await self._save(source.name, cursor)
            if page.spent:  # what is left of the hour is for whatever else uses the key
                log.info("review source %s: the API's hourly budget is nearly spent", source.name)
                return RATE_LIMITED
        return timedelta(0)  # the next step goes on

    async def _store(
        self, source: ReviewSourceConfig, preset: Preset, page: Page
    ) -> datetime | None:
        reviews: list[ReviewIn] = []
        for taken in take(preset, source, page.body, {}):
            if taken.error is not None:
                log.warning("review source %s: a review was not read: %s", source.name, taken.error)
            elif taken.review is not None:
                reviews.append(taken.review)
        if not reviews:
            return None
        sentiments = await self._sentiment.analyze_many([r.scored_text for r in reviews])
        await self._writer.store(reviews, sentiments, now=self._clock())
        return max((r.created_at for r in reviews if r.created_at), default=None)

    async def _save(self, name: str, cursor: dict[str, Any]) -> None:
        kept = await ReviewPoll.filter(source=name, owner=self._owner).update(
            cursor=cursor, lease_until=self._clock() + LEASE
        )
        if not kept:
            raise PollError("the lease ran out and another instance took over")

    async def _failed(
        self,
        source: ReviewSourceConfig,
        row: ReviewPoll,
        cursor: dict[str, Any],
        exc: PollError,
    ) -> None:
        failures = row.failures + 1
        every = timedelta(minutes=source.poll_every)
        if exc.stale:
            wait = FIRST_RETRY
            cursor.pop("resume", None)
            cursor.pop("top", None)
            await ReviewPoll.filter(source=source.name, owner=self._owner).update(cursor=cursor)
        elif exc.wait is not None:
            wait = exc.wait
        elif exc.lasting:
            wait = every
        else:
            wait = min(every, FIRST_RETRY * 2 ** min(failures - 1, 16))
        level = logging.ERROR if exc.lasting else logging.WARNING
        log.log(level, "review source %s: %s; next try in %s", source.name, exc, wait)
        await self._release(source.name, wait, failures=failures, error=str(exc)[:500])

    async def _release(self, name: str, wait: timedelta, **fields: Any) -> None:
        now = self._clock()
        await ReviewPoll.filter(source=name, owner=self._owner).update(
            owner=None, lease_until=None, next_at=now + wait, **fields
        )

    async def _api(self, source: ReviewSourceConfig) -> StoreApi:
        api = self._apis.get(source.name)
        if api is None:
            if self._session is None:
                self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
            secret = self._secrets[source.secret_env]
            api = self._apis[source.name] = self._open_api(source, secret, self._session)
        return api


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
