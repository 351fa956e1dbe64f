"""Training each language that has enough scored texts, weekly, and using what earned its place.

Any instance may train a language: the one that claims its row first (`claimed_until`), so
several instances train it once. Every instance loads the models in use at start and after each
step, so a model trained elsewhere, or dropped by an erasure, takes effect everywhere.
"""

import logging
from collections.abc import Sequence
from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from bot.clock import Clock
from bot.sentiment import SentimentPool
from bot.sentiment.learning import MAX_TEXTS, MIN_TEXTS
from models.review import Review
from models.sentiment import LearnedModel
from models.survey import Rating

log = logging.getLogger(__name__)

RETRAIN_EVERY = timedelta(days=7)
CLAIM = timedelta(hours=1)  # a training that has not finished by then was lost with its instance
# Scores and stars in the middle say neither: they teach nothing.
PRAISE, COMPLAINT = 4, 2


async def language_status() -> list[LearnedModel]:
    """Each language tried so far: what its last training found, and whether it is used."""
    return await LearnedModel.all().order_by("language")


class SentimentLearning:
    def __init__(self, *, sentiment: SentimentPool, clock: Clock) -> None:
        self._sentiment = sentiment
        self._clock = clock

    async def step(self) -> None:
        """Train every language that is due, then use what is in use now."""
        for language, count in sorted((await teaching_counts()).items()):
            if count >= MIN_TEXTS and await self._claim(language):
                await self._train(language)
        await self.load()

    async def load(self) -> None:
        rows = await LearnedModel.filter(model__isnull=False).order_by("language")
        self._sentiment.use_learned([bytes(r.model) for r in rows if r.model is not None])

    async def _claim(self, language: str) -> bool:
        now = self._clock()
        row = await LearnedModel.get_or_none(language=language)
        if row is None:
            try:
                await LearnedModel.create(language=language, claimed_until=now + CLAIM)
            except IntegrityError:  # another instance claimed it first
                return False
            return True
        if row.trained_at is not None and row.trained_at > now - RETRAIN_EVERY:
            return False
        free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        return bool(await LearnedModel.filter(Q(id=row.id), free).update(claimed_until=now + CLAIM))

    async def _train(self, language: str) -> None:
        texts, positive = await teaching_texts(language)
        try:
            learned = await self._sentiment.learn(language, texts, positive)
        except Exception:
            log.exception("sentiment for %s not learned; tried again within the hour", language)
            return
        await LearnedModel.filter(language=language).update(
            texts=learned.texts,
            accuracy=learned.accuracy,
            builtin=learned.builtin,
            model=learned.model,
            reason=learned.reason,
            trained_at=self._clock(),
            claimed_until=None,
        )
        verdict = "used" if learned.model is not None else f"not used: {learned.reason}"
        log.info("sentiment learned for %s from %d texts: %s", language, learned.texts, verdict)


async def teaching_counts() -> dict[str, int]:
    """Per language, how many stored texts say by their score which way they lean."""
    counts: dict[str, int] = {}
    for query in (_ratings(), _reviews()):
        rows = await (
            query.annotate(n=Count("id"))
            .group_by("sentiment_language")
            .values_list("sentiment_language", "n")
        )
        for language, n in rows:
            counts[language] = counts.get(language, 0) + n
    return counts


async def teaching_texts(language: str) -> tuple[list[str], list[bool]]:
    """The most recent scored texts in `language`, and whether each was praise: comments by
    their 1–5 score, reviews by their stars. Half the room goes to each kind, and what one
    leaves unused to the other."""
    ratings = await (
        _ratings()
        .filter(sentiment_language=language)
        .order_by("-week", "id")
        .limit(MAX_TEXTS)
        .values_list("comment", "score")
    )
    reviews = await (
        _reviews()
        .filter(sentiment_language=language)
        .order_by("-created_at", "id")
        .limit(MAX_TEXTS)
        .values_list("title", "text", "rating")
    )
    comments = [(str(c), s >= PRAISE) for c, s in ratings]
    written = [(". ".join(p for p in (t, x) if p), r >= PRAISE) for t, x, r in reviews]
    pairs = _share(comments, written, MAX_TEXTS)
    return [t for t, _ in pairs], [p for _, p in pairs]


def _share(
    first: Sequence[tuple[str, bool]], second: Sequence[tuple[str, bool]], room: int
) -> list[tuple[str, bool]]:
    keep = max(room // 2, room - len(second))
    head = list(first[:keep])
    return head + list(second[: room - len(head)])


def _ratings() -> QuerySet[Rating]:
    leaning = Q(score__gte=PRAISE) | Q(score__lte=COMPLAINT)
    return Rating.filter(leaning, comment__isnull=False, sentiment_language__isnull=False)


def _reviews() -> QuerySet[Review]:
    leaning = Q(rating__gte=PRAISE) | Q(rating__lte=COMPLAINT)
    worded = Q(text__isnull=False) | Q(title__isnull=False)
    return Review.filter(leaning, worded, sentiment_language__isnull=False)
