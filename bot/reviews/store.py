"""Storing reviews exactly once: (source, id) is the key, a redelivery is a duplicate, an
edit is an update, and a batch is committed whole or not at all."""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.reviews.routing import UNASSIGNED, route
from bot.sentiment import Sentiment, rating_disagrees
from bot.settings import QualityConfig
from bot.weeks import iso_week
from models.department import Department
from models.review import ALERT_NONE, ALERT_PENDING, Review

CREATED, UPDATED, DUPLICATE = "created", "updated", "duplicate"
ALERT_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class ReviewIn:
    """One review as a sender gave it, already validated (SPEC §5.1)."""

    id: str
    source: str
    text: str | None = None
    title: str | None = None
    rating: float | None = None
    author: str | None = None
    department: str | None = None
    language: str | None = None
    created_at: datetime | None = None
    url: str | None = None

    @property
    def scored_text(self) -> str:
        return ". ".join(part for part in (self.title, self.text) if part)

    def content_hash(self) -> str:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat() if self.created_at else None
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


STORE_ATTEMPTS = 5


@dataclass(frozen=True)
class Stored:
    status: str  # created, updated, duplicate
    id: str
    source: str
    department: str  # a slug, or "unassigned"
    routed_by: str
    sentiment: dict[str, object]
    disagrees: bool


async def store_reviews(
    items: Sequence[ReviewIn],
    sentiments: Sequence[Sentiment],
    *,
    quality: QualityConfig,
    now: datetime,
) -> list[Stored]:
    """Store a batch in one transaction. `sentiments[i]` scores `items[i].scored_text`."""
    departments = {d.slug: d for d in await Department.filter(active=True)}
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            return await _store(items, sentiments, departments, quality=quality, now=now)
        except IntegrityError:
            # Another sender stored some of these between our read and our write: go again,
            # and they are duplicates (or updates) this time. Each attempt sees what the
            # others committed, so overlapping senders settle within a few.
            if attempt == STORE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


async def _store(
    items: Sequence[ReviewIn],
    sentiments: Sequence[Sentiment],
    departments: dict[str, Department],
    *,
    quality: QualityConfig,
    now: datetime,
) -> list[Stored]:
    results: list[Stored] = []
    departments_by_id = {d.id: d for d in departments.values()}
    async with in_transaction():
        existing = await _existing(items)
        for item, sentiment in zip(items, sentiments, strict=True):
            digest = item.content_hash()
            found = existing.get((item.source, item.id))
            if found is not None and found.content_hash == digest:
                results.append(_result(DUPLICATE, found))
                continue
            fields = _fields(item, sentiment, departments, quality=quality, now=now)
            fields["content_hash"] = digest
            if found is None:
                review = await Review.create(
                    source=item.source, external_id=item.id, received_at=now, **fields
                )
                # Created by id; give it its department object rather than read it back.
                review.department = departments_by_id.get(fields["department_id"])
                existing[(item.source, item.id)] = review
                results.append(_result(CREATED, review))
            else:
                if found.alert != ALERT_NONE:
                    fields.pop("alert")  # alerted once already, or on its way: never twice
                await Review.filter(id=found.id).update(**fields)
                found = await Review.get(id=found.id).prefetch_related("department")
                existing[(item.source, item.id)] = found
                results.append(_result(UPDATED, found))
    return results


async def _existing(items: Sequence[ReviewIn]) -> dict[tuple[str, str], Review]:
    found: dict[tuple[str, str], Review] = {}
    by_source: dict[str, list[str]] = {}
    for item in items:
        by_source.setdefault(item.source, []).append(item.id)
    for source, ids in by_source.items():
        for review in await Review.filter(source=source, external_id__in=ids).prefetch_related(
            "department"
        ):
            found[(review.source, review.external_id)] = review
    return found


def _fields(
    item: ReviewIn,
    sentiment: Sentiment,
    departments: dict[str, Department],
    *,
    quality: QualityConfig,
    now: datetime,
) -> dict[str, Any]:
    routed = route(item.scored_text, item.department, quality)
    written = item.created_at or now
    negative = sentiment.label == "negative" or (
        item.rating is not None and item.rating <= quality.alerts.negative_review_rating
    )
    # An alert is news: a review written long ago (a back-fill, a late redelivery) is stored
    # and counted, but nobody is paged about it.
    news = written >= now - ALERT_WINDOW
    department = departments.get(routed.department or "")
    return {
        "department_id": department.id if department else None,
        "routed_by": routed.routed_by,
        "rating": item.rating,
        "title": item.title,
        "text": item.text,
        "author": item.author,
        "language": item.language or sentiment.language,
        "url": item.url,
        "created_at": written,
        "week": iso_week(written, quality.tz),
        "sentiment_label": sentiment.label,
        "sentiment_polarity": sentiment.polarity,
        "sentiment_language": sentiment.language,
        "disagrees": rating_disagrees(item.rating, sentiment),
        "alert": ALERT_PENDING if negative and news and department is not None else ALERT_NONE,
    }


def _result(status: str, review: Review) -> Stored:
    department = review.department.slug if review.department else UNASSIGNED
    return Stored(
        status=status,
        id=review.external_id,
        source=review.source,
        department=department,
        routed_by=review.routed_by,
        sentiment={
            "label": review.sentiment_label,
            "polarity": review.sentiment_polarity,
            "language": review.sentiment_language,
        },
        disagrees=review.disagrees,
    )
