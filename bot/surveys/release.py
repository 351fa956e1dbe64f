"""Releasing held answers into the ratings, and closing weeks, so that once a week is closed
someone who reads every table can tell neither who gave which rating nor who answered at all.

- **Release.** When at least k answers about the same department and week are held, they are
  moved into the ratings in one transaction of their own, in shuffled order and under new
  random ids: their system columns (PostgreSQL's xmin and ctid, SQLite's rowid) and their order
  say only which batch they came in, and a batch is at least k people.
- **A week's close**, once the week is over (in the configured time zone):
  1. the week's ratings are written again, together with whatever is still held, all in one
     transaction and one shuffled order, with rater departments too small to name generalised
     (bot/privacy/suppression.py): the batches of the week are no longer told apart either;
  2. its polls are counted into tallies (sent, and answered within the week), then polls
     answered or expired are written again as "closed", in shuffled order, without the times
     that told an early answer from an expiry; the marks that kept one rating per person,
     department and week are deleted.
- **Scoring.** A released comment is scored for sentiment from the held answer, off the event
  loop; when the scorer cannot answer within SCORE_WAIT (a cold, dead or busy worker), the
  rating is released with its sentiment pending and scored by a later step, a batch at a time.
  Scoring never holds an answer back: answers are committed unscored when they are given.

Everything is idempotent and safe with several instances: a transaction that finds its rows
gone (another instance moved them) is rolled back, and a week is closed once (its row in
`closed_week` is the claim).
"""

import asyncio
import logging
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from bot.clock import Clock
from bot.config import QualityConfig, QualitySource, current
from bot.sentiment import Sentiment, SentimentPool
from bot.surveys.rewrite import Moved, fold_polls, generalised, take, tally, write_ratings
from bot.weeks import Week
from models.survey import (
    AnswerMark,
    ClosedWeek,
    HeldAnswer,
    Poll,
    Rating,
)

log = logging.getLogger(__name__)

_HELD = ("id", "department_id", "rater_department", "score", "comment", "reasons", "week")
_RATING = (*_HELD, "sentiment_label", "sentiment_polarity", "sentiment_language")
SCORE_BATCH = 500
SCORE_WAIT = 10.0  # seconds a release waits for scores (a cold worker) before going unscored


class AnswerRelease:
    def __init__(
        self,
        *,
        quality: QualitySource,
        clock: Clock,
        sentiment: SentimentPool | None = None,
        score_wait: float = SCORE_WAIT,
    ) -> None:
        """Without `sentiment` (a command-line start), comments are released pending."""
        self._source = quality
        self._clock = clock
        self._sentiment = sentiment
        self._score_wait = score_wait

    @property
    def _quality(self) -> QualityConfig:
        return current(self._source)

    async def step(self) -> None:
        await self.close_due()
        await self.release_ready()
        await self.score_pending()  # one look at a partial index when nothing is pending

    async def settle(self) -> None:
        """Close what is due and score what is pending: before a digest reads a past week."""
        await self.close_due()
        await self.score_pending()

    # releasing

    async def release_ready(self) -> int:
        """Release every department's week holding at least k settled answers (their reasons
        picked, skipped or no longer open); how many moved."""
        k = self._quality.privacy.min_group_size
        # An offer of reasons not taken up in time: its token goes, and the answer is settled.
        await HeldAnswer.filter(open_until__lte=self._clock()).update(token=None, open_until=None)
        settled = Q(open_until__isnull=True)
        groups = (
            await HeldAnswer.filter(settled)
            .annotate(n=Count("id"))
            .group_by("department_id", "week")
            .values("department_id", "week", "n")
        )
        moved = 0
        for group in groups:
            if group["n"] >= k:
                where = settled & Q(department_id=group["department_id"]) & Q(week=group["week"])
                moved += await self._release(where)
        return moved

    async def _release(self, where: Q) -> int:
        scores = await self._score_held(where)
        try:
            async with in_transaction():
                held = await take(HeldAnswer, where, _HELD)
                rows = [{**row, **_sentiment_columns(scores.get(row["id"]))} for row in held]
                await write_ratings(rows)
        except Moved:
            return 0
        return len(held)

    # closing weeks

    async def close_due(self) -> list[str]:
        """Close every week that is over and not closed yet, oldest first; their labels."""
        current = Week.of(self._clock(), self._quality.tz)
        due = await self._due(current)
        for week in due:
            await self.close_week(week)
        return [week.label for week in due]

    async def _due(self, current: Week) -> list[Week]:
        last = await ClosedWeek.filter(week__lt=current.label).order_by("-week").first()
        if last is not None:
            first: Week | None = Week.parse(last.week).next
        else:
            first = await self._earliest(current)
        due = set(_span(first, current.previous)) if first is not None else set()
        # Answers given just before a week ended may have been committed after it closed.
        late = (
            await HeldAnswer.filter(week__lt=current.label)
            .distinct()
            .values_list("week", flat=True)
        )
        due |= {Week.parse(str(label)) for label in late}
        return sorted(due)

    async def _earliest(self, current: Week) -> Week | None:
        """The first week anything was stored for (an upgrade closes the whole history)."""
        found = []
        for model in (Rating, HeldAnswer, AnswerMark):
            row = await model.filter(week__lt=current.label).order_by("week").first()
            if row is not None:
                found.append(Week.parse(row.week))
        poll = await Poll.filter(sent_at__isnull=False).order_by("sent_at").first()
        if poll is not None and poll.sent_at is not None:
            found.append(Week.of(poll.sent_at, self._quality.tz))
        return min(found, default=None)

    async def close_week(self, week: Week) -> None:
        """Close `week`: its ratings written again as one shuffled batch, then (once) its polls
        tallied and folded and its marks deleted. Safe to run again."""
        await self._rewrite_ratings(week)
        if await ClosedWeek.exists(week=week.label):
            return
        start, end = week.bounds(self._quality.tz)
        try:
            async with in_transaction():
                await ClosedWeek.create(week=week.label)  # the claim: a second closer fails here
                await tally(week.label, start, end)
                await fold_polls(end)
                await AnswerMark.filter(week__lte=week.label).delete()
        except IntegrityError:
            return  # another instance closed it a moment ago
        log.info("week %s closed", week.label)

    async def _rewrite_ratings(self, week: Week) -> None:
        where = Q(week=week.label)
        scores = await self._score_held(where)
        k = self._quality.privacy.min_group_size
        try:
            async with in_transaction():
                held = await take(HeldAnswer, where, _HELD)
                released = await take(Rating, where, _RATING)
                if not held and not released:
                    return
                rows = [{**row, **_sentiment_columns(scores.get(row["id"]))} for row in held]
                await write_ratings(generalised([*rows, *released], k))
        except Moved:
            return

    # scoring

    async def _score_held(self, where: Q) -> dict[Any, Sentiment]:
        """Sentiment of the held comments `where` selects, by held id; empty when the scorer
        cannot answer now (the ratings are then released pending, and scored later)."""
        held = await HeldAnswer.filter(where, comment__isnull=False).values_list("id", "comment")
        if not held:
            return {}
        if self._sentiment is None:
            return {}
        try:
            async with asyncio.timeout(self._score_wait):
                scored = await self._sentiment.analyze_many([str(text) for _, text in held])
        except Exception as exc:  # a cold, broken or dead worker delays a score, not a release
            log.warning("held comments released unscored (%s)", type(exc).__name__)
            return {}
        return {id_: found for (id_, _), found in zip(held, scored, strict=True)}

    async def score_pending(self) -> int:
        """Score ratings released with their sentiment pending (by a command-line start, or
        while the scorer was down), a batch at a time. Migration 0006 keeps a partial index of
        exactly these rows, so looking costs nothing when there are none."""
        if self._sentiment is None:
            return 0
        done = 0
        while True:
            rows = (
                await Rating.filter(comment__isnull=False, sentiment_label__isnull=True)
                .limit(SCORE_BATCH)
                .values_list("id", "comment")
            )
            if not rows:
                return done
            try:
                scored = await self._sentiment.analyze_many([str(text) for _, text in rows])
            except Exception as exc:
                log.warning("pending sentiment not scored yet (%s)", type(exc).__name__)
                return done
            async with in_transaction():
                for (id_, _), found in zip(rows, scored, strict=True):
                    await Rating.filter(id=id_, sentiment_label__isnull=True).update(
                        **_sentiment_columns(found)
                    )
            done += len(rows)


def _sentiment_columns(found: Sentiment | None) -> dict[str, Any]:
    return {
        "sentiment_label": found.label if found else None,
        "sentiment_polarity": found.polarity if found else None,
        "sentiment_language": found.language if found else None,
    }


def _span(first: Week, last: Week) -> list[Week]:
    weeks = []
    week = first
    while week <= last:
        weeks.append(week)
        week = week.next
    return weeks
