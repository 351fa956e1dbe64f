"""Storing reviews exactly once: (source, id) is the key, a redelivery is a duplicate, an
edit is an update, and a batch is committed whole or not at all. A review its source deleted
is removed, and stays removed: its key is kept, so a late redelivery does not bring it back."""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.config import QualityConfig
from bot.reviews.routing import UNASSIGNED, route
from bot.sentiment import Sentiment, rating_disagrees
from bot.weeks import iso_week
from models.department import Department
from models.erasure import MessageToDelete
from models.review import ALERT_NONE, ALERT_PENDING, DeletedReview, Review

CREATED, UPDATED, DUPLICATE = "created", "updated", "duplicate"
DELETED = "deleted"  # deleted by its source: removed, or never stored again
ALERT_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class ReviewIn:
    """One review as a sender gave it, already validated."""

    id: str
    source: str
    text: str | None = None
    title: str | None = None
    rating: float | None = None
    rating_original: str | None = None  # as the source gave it, when not already 1 to 5
    author: str | None = None
    department: str | None = None
    language: str | None = None
    created_at: datetime | None = None
    url: str | None = None
    default_department: str | None = None  # the source's, when nothing routes it elsewhere
    deleted: bool = False  # its source deleted it: remove it, and never store it again

    @property
    def scored_text(self) -> str:
        return ". ".join(part for part in (self.title, self.text) if part)

    def content_hash(self) -> str:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat() if self.created_at else None
        # What is not content stays out, and so does a field reviews stored before it existed
        # never had: their redelivery is still a duplicate.
        del data["default_department"], data["deleted"]
        if self.rating_original is None:
            del data["rating_original"]
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


STORE_ATTEMPTS = 5


@dataclass(frozen=True)
class Stored:
    status: str  # created, updated, duplicate, deleted
    id: str
    source: str
    department: str  # a slug, or "unassigned"
    routed_by: str
    sentiment: dict[str, object]
    disagrees: bool


@dataclass(frozen=True)
class Incoming:
    """One review to store: as its sender gave it, as scored, and when it arrived."""

    item: ReviewIn
    sentiment: Sentiment
    received_at: datetime


async def store_reviews(
    items: Sequence[ReviewIn],
    sentiments: Sequence[Sentiment],
    *,
    quality: QualityConfig,
    now: datetime,
) -> list[Stored]:
    """Store a batch in one transaction. `sentiments[i]` scores `items[i].scored_text`."""
    incoming = [Incoming(i, s, now) for i, s in zip(items, sentiments, strict=True)]
    return await store_incoming(incoming, quality=quality)


async def store_incoming(
    incoming: Sequence[Incoming],
    *,
    quality: QualityConfig,
    active: Sequence[Department] | None = None,
) -> list[Stored]:
    """Store reviews in one transaction, in order: a later one with the key of an earlier one
    is its duplicate or its update, as if it had arrived after the earlier was committed.
    `active` departments are read here unless given (read for this call)."""
    if not incoming:
        return []
    if active is None:
        active = await Department.filter(active=True)
    departments = {d.slug: d for d in active}
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            return await _store(incoming, departments, quality=quality)
        except IntegrityError:
            # Another sender stored some of these between our read and our write: go again,
            # and they are duplicates (or updates) this time. Each attempt sees what the
            # others committed, so overlapping senders settle within a few.
            if attempt == STORE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


async def _store(
    incoming: Sequence[Incoming], departments: dict[str, Department], *, quality: QualityConfig
) -> list[Stored]:
    results: list[Stored] = []
    departments_by_id = {d.id: d for d in departments.values()}
    async with in_transaction():
        existing = await _existing([i.item for i in incoming])
        deleted = await _deleted([i.item for i in incoming])
        # New reviews are inserted together at the end, in one statement: a statement per
        # review would cost a round trip each while the transaction (and, on SQLite, the
        # only connection) is held.
        new: dict[tuple[str, str], Review] = {}
        tombstones: list[DeletedReview] = []
        for item, sentiment, now in ((i.item, i.sentiment, i.received_at) for i in incoming):
            key = (item.source, item.id)
            if item.deleted and key not in deleted:
                if key in new:  # created earlier in this transaction: never inserted
                    del new[key]
                elif key in existing:
                    await _delete(existing[key])
                existing.pop(key, None)
                deleted.add(key)
                gone = DeletedReview(source=item.source, external_id=item.id, deleted_at=now)
                tombstones.append(gone)
            if key in deleted:
                results.append(_gone(item))
                continue
            digest = item.content_hash()
            found = existing.get(key)
            if found is not None and found.content_hash == digest:
                results.append(_result(DUPLICATE, found))
                continue
            fields = _fields(item, sentiment, departments, quality=quality, now=now)
            fields["content_hash"] = digest
            if found is not None and found.alert != ALERT_NONE:
                fields.pop("alert")  # alerted once already, or on its way: never twice
            if found is None:
                review = Review(source=item.source, external_id=item.id, received_at=now, **fields)
                # Created by id; give it its department object rather than read it back.
                review.department = departments_by_id.get(fields["department_id"])
                existing[key] = new[key] = review
                results.append(_result(CREATED, review))
            elif key in new:  # created earlier in this transaction, not inserted yet
                found.update_from_dict(fields)
                found.department = departments_by_id.get(fields["department_id"])
                results.append(_result(UPDATED, found))
            else:
                await Review.filter(id=found.id).update(**fields)
                found = await Review.get(id=found.id).prefetch_related("department")
                existing[key] = found
                results.append(_result(UPDATED, found))
        if new:
            await Review.bulk_create(list(new.values()))
        if tombstones:
            await DeletedReview.bulk_create(tombstones)
    return results


async def _existing(items: Sequence[ReviewIn]) -> dict[tuple[str, str], Review]:
    wanted = _keys(items)
    if wanted is None:
        return {}
    found = await Review.filter(wanted).prefetch_related("department")
    return {(review.source, review.external_id): review for review in found}


async def _deleted(items: Sequence[ReviewIn]) -> set[tuple[str, str]]:
    wanted = _keys(items)
    if wanted is None:
        return set()
    return {(d.source, d.external_id) for d in await DeletedReview.filter(wanted)}


async def _delete(review: Review) -> None:
    """The review, and the alert that quoted it in Slack (deleted there by the erasure's queue,
    which finishes even when Slack is down)."""
    await Review.filter(id=review.id).delete()
    channel, ts = review.alert_channel, review.alert_ts
    if channel and ts and not await MessageToDelete.exists(channel=channel, ts=ts):
        await MessageToDelete.create(channel=channel, ts=ts)


def _keys(items: Sequence[ReviewIn]) -> Q | None:
    """The (source, id) of `items`, as one condition for all their sources (a group holds
    reviews of several)."""
    by_source: dict[str, list[str]] = {}
    for item in items:
        by_source.setdefault(item.source, []).append(item.id)
    wanted = [Q(source=source, external_id__in=ids) for source, ids in by_source.items()]
    return Q(*wanted, join_type=Q.OR) if wanted else None


def _fields(
    item: ReviewIn,
    sentiment: Sentiment,
    departments: dict[str, Department],
    *,
    quality: QualityConfig,
    now: datetime,
) -> dict[str, Any]:
    default = item.default_department if item.default_department in departments else None
    routed = route(item.scored_text, item.department, quality, default=default)
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
        "rating_original": item.rating_original,
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


def _gone(item: ReviewIn) -> Stored:
    return Stored(
        status=DELETED,
        id=item.id,
        source=item.source,
        department=UNASSIGNED,
        routed_by="",
        sentiment={},
        disagrees=False,
    )
