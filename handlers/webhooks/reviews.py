"""`POST /webhooks/reviews`: one review, or `{"reviews": [...]}` with up to 500, each with
its own result. A 2xx means every accepted review is committed."""

import json
from collections.abc import Sequence
from typing import Any

from aiohttp import web

from bot.reviews.payload import MAX_BATCH, unknown_department, validate_review
from bot.reviews.store import CREATED, DELETED, DUPLICATE, UPDATED, ReviewIn, Stored
from bot.reviews.writer import Outcome, UnknownDepartment
from bot.services import SERVICES
from handlers.webhooks.signed import WebhookError, verified_body, webhook

REJECTED = "rejected"
IGNORED = "ignored"  # a source's event that is not about a review (bot/reviews/sources)


@webhook
async def reviews(request: web.Request) -> web.Response:
    text = await verified_body(request)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: JSON nested a thousand deep
        raise WebhookError(400, "body: not valid JSON") from None
    if isinstance(data, dict) and "reviews" in data:
        return await _batch(request, data["reviews"])
    try:
        # A named department is checked where the review is stored, against the departments
        # read for storing it.
        item = validate_review(data, known_departments=None)
    except ValueError as exc:
        raise WebhookError(400, str(exc)) from None
    [stored] = await store(request, [item])
    if isinstance(stored, UnknownDepartment):
        raise WebhookError(400, unknown_department(stored.slug))
    return web.json_response(outcome_json(stored), status=status_code(stored.status))


async def _batch(request: web.Request, raw: Any) -> web.Response:
    if not isinstance(raw, list):
        raise WebhookError(400, "reviews: must be a list")
    if not raw:
        raise WebhookError(400, "reviews: must not be empty")
    if len(raw) > MAX_BATCH:
        raise WebhookError(400, f"reviews: at most {MAX_BATCH} in one request")
    results: list[dict[str, Any] | None] = [None] * len(raw)
    accepted: list[tuple[int, ReviewIn]] = []
    for index, data in enumerate(raw):
        prefix = f"reviews[{index}]"
        try:
            accepted.append((index, validate_review(data, known_departments=None, prefix=prefix)))
        except ValueError as exc:
            results[index] = rejected(str(exc))
    if not accepted:
        raise WebhookError(400, _errors(results))
    stored = await store(request, [item for _, item in accepted])
    for (index, _), result in zip(accepted, stored, strict=True):
        if isinstance(result, UnknownDepartment):
            results[index] = rejected(unknown_department(result.slug, prefix=f"reviews[{index}]"))
        else:
            results[index] = outcome_json(result)
    return batch_response(results)


def batch_response(results: Sequence[dict[str, Any] | None]) -> web.Response:
    """One result per review, in order, and how many of each: 201 when any was created,
    400 when every one was rejected."""
    if all(r and r["status"] == REJECTED for r in results):
        raise WebhookError(400, _errors(results))
    counts = {
        s: sum(1 for r in results if r and r["status"] == s)
        for s in (CREATED, UPDATED, DUPLICATE, REJECTED)
    }
    # A source's deletions and ignored events are counted only where a source sends them.
    counts |= {
        s: n for s in (DELETED, IGNORED) if (n := sum(1 for r in results if r and r["status"] == s))
    }
    status = 201 if counts[CREATED] else 200
    return web.json_response({"results": results, **counts}, status=status)


async def store(request: web.Request, items: list[ReviewIn]) -> list[Outcome]:
    services = request.app[SERVICES]
    # Scored in the worker pool, so a batch of 500 does not hold up the loop.
    sentiments = await services.sentiment.analyze_many([i.scored_text for i in items])
    # Committed together with the reviews of the requests waiting beside it (group commit).
    return await services.reviews.store(items, sentiments, now=services.clock())


def rejected(error: str) -> dict[str, Any]:
    return {"status": REJECTED, "error": error}


def _errors(results: Sequence[dict[str, Any] | None]) -> str:
    return "; ".join(str(r["error"]) for r in results if r)[:2000]


def status_code(status: str) -> int:
    return 201 if status == CREATED else 200


def outcome_json(stored: Stored) -> dict[str, Any]:
    """What a sender is told of one review."""
    if stored.status == DELETED:  # gone from every figure, quote and export
        return {"status": DELETED, "id": stored.id, "source": stored.source}
    return {
        "status": stored.status,
        "id": stored.id,
        "source": stored.source,
        "department": stored.department,
        "routed_by": stored.routed_by,
        "sentiment": stored.sentiment,
        "disagrees": stored.disagrees,
    }
