"""Group commit: the reviews of every webhook request waiting at the same moment are stored
in one transaction, so a storm of one-review deliveries costs one commit (one fsync) and one
read of the departments per group instead of one per review, and SQLite's single connection
is not taken and given back between every two reviews.

Nothing a sender sees changes: a request is answered once the commit holding its reviews is
done (a 2xx still means committed); its reviews are never split between two commits; groups
keep arrival order, so two deliveries of one review in a group are a creation and a duplicate
(or an update), exactly as one after the other. If a group fails, each request in it is
stored again on its own, so a failure caused by one request's reviews is that request's alone.

A review naming a department is checked against the active departments read for its group,
just before they route it: one read serves the check and the routing.
"""

import asyncio
import logging
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.config import QualityConfig, QualitySource, current
from bot.reviews.store import DELETED, DUPLICATE, Incoming, ReviewIn, Stored, store_incoming
from bot.sentiment import Sentiment
from bot.slack.outbox import Outbox
from models.department import Department

log = logging.getLogger(__name__)

GROUP_REVIEWS = 500  # at most this many reviews in one transaction (a larger batch: alone)


@dataclass(frozen=True)
class UnknownDepartment:
    """A review naming a department that is not active: refused, not stored."""

    slug: str


Outcome = Stored | UnknownDepartment


@dataclass(frozen=True)
class _Request:
    incoming: list[Incoming]
    outcomes: "asyncio.Future[list[Outcome]]"


class ReviewWriter:
    """Stores reviews for the requests awaiting it, one group at a time."""

    def __init__(
        self,
        *,
        quality: QualitySource,
        alerts: Outbox | None = None,
        deletions: Outbox | None = None,
    ) -> None:
        self._source = quality
        self._alerts = alerts  # woken when a review is new or changed: it may need an alert
        self._deletions = deletions  # woken when a review is deleted: its alert may go too
        self._waiting: deque[_Request] = deque()
        self._writing: asyncio.Task[None] | None = None

    @property
    def _quality(self) -> QualityConfig:
        return current(self._source)

    async def store(
        self, items: Sequence[ReviewIn], sentiments: Sequence[Sentiment], *, now: datetime
    ) -> list[Outcome]:
        """Each of `items` (scored by `sentiments`, received `now`) stored once committed,
        or refused for naming a department that is not active; raises what storing them
        alone would raise."""
        loop = asyncio.get_running_loop()
        incoming = [Incoming(i, s, now) for i, s in zip(items, sentiments, strict=True)]
        request = _Request(incoming, loop.create_future())
        self._waiting.append(request)
        if self._writing is None or self._writing.done():
            self._writing = loop.create_task(self._write(), name="review-writer")
        # Shielded: a request given up on is still stored with its group, as promised.
        outcomes = await asyncio.shield(request.outcomes)
        if self._alerts is not None and any(
            isinstance(o, Stored) and o.status != DUPLICATE for o in outcomes
        ):
            self._alerts.wake()
        if self._deletions is not None and any(
            isinstance(o, Stored) and o.status == DELETED for o in outcomes
        ):
            self._deletions.wake()
        return outcomes

    async def _write(self) -> None:
        while self._waiting:
            group = self._next_group()
            try:
                await self._store_group(group)
            except BaseException as exc:  # cancelled at shutdown: nobody waits in vain
                for request in (*group, *self._waiting):
                    _settle(request, exc)
                self._waiting.clear()
                raise

    def _next_group(self) -> list[_Request]:
        group = [self._waiting.popleft()]
        size = len(group[0].incoming)
        while self._waiting and size + len(self._waiting[0].incoming) <= GROUP_REVIEWS:
            request = self._waiting.popleft()
            group.append(request)
            size += len(request.incoming)
        return group

    async def _store_group(self, group: list[_Request]) -> None:
        try:
            active = await Department.filter(active=True)
        except Exception as exc:
            for request in group:
                _settle(request, exc)
            return
        known = {d.slug for d in active}
        kept = {id(r): [i for i in r.incoming if _known(i.item, known)] for r in group}
        if len(group) > 1:
            try:
                stored = await store_incoming(
                    [i for r in group for i in kept[id(r)]], quality=self._quality, active=active
                )
            except Exception as exc:
                log.debug("a group of %d requests failed (%s): each alone", len(group), exc)
            else:
                for request in group:
                    count = len(kept[id(request)])
                    _settle(request, _outcomes(request, stored[:count], known))
                    stored = stored[count:]
                return
        for request in group:
            try:
                mine = await store_incoming(kept[id(request)], quality=self._quality, active=active)
            except Exception as exc:
                _settle(request, exc)
            else:
                _settle(request, _outcomes(request, mine, known))


def _known(item: ReviewIn, known: set[str]) -> bool:
    return item.department is None or item.department in known


def _outcomes(request: _Request, stored: list[Stored], known: set[str]) -> list[Outcome]:
    """`stored` (for the request's reviews that were kept) with the refused ones in place."""
    results = iter(stored)
    return [
        next(results) if _known(i.item, known) else UnknownDepartment(str(i.item.department))
        for i in request.incoming
    ]


def _settle(request: _Request, outcome: list[Outcome] | BaseException) -> None:
    if request.outcomes.done():
        return
    if isinstance(outcome, asyncio.CancelledError):
        request.outcomes.cancel()
    elif isinstance(outcome, BaseException):
        request.outcomes.set_exception(outcome)
    else:
        request.outcomes.set_result(outcome)
