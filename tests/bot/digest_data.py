"""Rows for digest tests, written straight to the database the way the app stores them."""

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime

from bot.clock import utc_now
from bot.config import QualityConfig
from bot.surveys.release import AnswerRelease
from bot.weeks import Week
from models.action import Action
from models.department import Department
from models.review import Review
from models.survey import ANSWERED, EXPIRED, Poll, Rating, ResolutionTime

# (label, polarity) a stored text may carry; None label for a rating without a comment.
Scored = tuple[str | None, float | None]
NONE: Scored = (None, None)


async def dept(slug: str) -> Department:
    return await Department.get(slug=slug)


async def ratings(
    slug: str,
    week: str,
    scores: Sequence[int],
    *,
    rater: str = "sales",
    sentiments: Sequence[Scored] = (),
    comments: Sequence[str | None] = (),
    reasons: Sequence[Sequence[str] | None] = (),
) -> None:
    department = await dept(slug)
    rows = []
    for i, score in enumerate(scores):
        label, polarity = sentiments[i] if i < len(sentiments) else NONE
        comment = comments[i] if i < len(comments) else (f"comment {i}" if label else None)
        rows.append(
            Rating(
                id=uuid.uuid4(),
                department=department,
                rater_department=rater,
                score=score,
                comment=comment,
                reasons=list(reasons[i] or ()) or None if i < len(reasons) else None,
                sentiment_label=label,
                sentiment_polarity=polarity,
                sentiment_language="en" if label else None,
                week=week,
            )
        )
    await Rating.bulk_create(rows)


async def reviews(
    slug: str,
    week: str,
    stars: Sequence[float | None],
    *,
    sentiments: Sequence[Scored] = (),
    texts: Sequence[str] = (),
    author: str | None = None,
    created_at: datetime = datetime(2026, 11, 18, 12, tzinfo=UTC),
) -> None:
    department = await dept(slug)
    for i, rating in enumerate(stars):
        label, polarity = sentiments[i] if i < len(sentiments) else NONE
        await Review.create(
            source="trustpilot",
            external_id=f"{slug}-{week}-{i}-{uuid.uuid4().hex[:6]}",
            department=department,
            routed_by="field",
            rating=rating,
            text=texts[i] if i < len(texts) else f"review {i}",
            author=author,
            created_at=created_at,
            week=week,
            received_at=created_at,
            content_hash="x",
            sentiment_label=label,
            sentiment_polarity=polarity,
        )


async def polls(slug: str, sent_at: datetime, *, answered: int, expired: int = 0) -> None:
    department = await dept(slug)
    for status, count in ((ANSWERED, answered), (EXPIRED, expired)):
        for _ in range(count):
            await Poll.create(
                user_id="U0EMP0001",
                department=department,
                trigger="webhook",
                status=status,
                created_at=sent_at,
                sent_at=sent_at,
            )


async def resolutions(slug: str, week: str, hours: Sequence[float]) -> None:
    """Served requests of `slug` resolved in `week`, each after so many hours."""
    department = await dept(slug)
    await ResolutionTime.bulk_create(
        [ResolutionTime(department=department, week=week, hours=h) for h in hours]
    )


async def close(quality: QualityConfig, *labels: str) -> None:
    """Close weeks as the app does once they are over: their polls become tallies."""
    release = AnswerRelease(quality=quality, clock=utc_now)
    for label in labels:
        await release.close_week(Week.parse(label))


async def action(
    slug: str,
    what: str,
    *,
    created: datetime,
    due: date,
    closed: datetime | None = None,
    status: str = "open",
    week: str = "2026-W46",
) -> int:
    """An action recorded at `created` (and done at `closed`) on a finding of `week`; its id."""
    found = await Action.create(
        department=await dept(slug), what=what, week=week, owner="U0IT00001",
        created_by="U0IT00001", created_at=created, due=due, status=status, closed_at=closed,
    )  # fmt: skip
    return found.id
