"""`POST /webhooks/reviews/{source}`: a review platform's own webhook, as it sends it.

`{source}` is a push source's name in `review_sources`, or its preset's when only one source
has that preset; a source that proves itself by a secret in its URL posts to
`/webhooks/reviews/{source}/{secret}`. The delivery is checked by the source's own signature
scheme, read by its preset, and every review in it ends in the same store, with the same
answers, as the generic webhook's. An event that is not about a review is acknowledged and
ignored: a platform retries, and at last disables, a webhook that keeps refusing it.
"""

import json
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bot.reviews.sources import push_preset
from bot.reviews.sources.intake import Taken, take
from bot.reviews.sources.signatures import HmacHeader, SignatureError
from bot.reviews.store import Stored
from bot.services import SERVICES
from handlers.webhooks.reviews import (
    IGNORED,
    batch_response,
    outcome_json,
    rejected,
    status_code,
    store,
)
from handlers.webhooks.signed import WebhookError, json_body, utf8, webhook


@webhook
async def review_source(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    name = request.match_info["source"]
    source = services.quality.current.review_source(name)
    if source is None or source.polled:
        raise WebhookError(404, f"no push review source is named {name!r} in review_sources")
    preset = push_preset(source)
    secrets = tuple(services.settings.source_secrets.get(source.secret_env, "").split())
    if not secrets:
        raise WebhookError(
            503, f"review source {source.name!r} is not configured: set {source.secret_env}"
        )
    raw = await json_body(request)
    try:
        if isinstance(preset.scheme, HmacHeader):
            # A signed time is checked against the real time, as every signature here is.
            preset.scheme.verify(secrets, request.headers, raw, datetime.now(UTC))
        elif preset.scheme is not None:
            preset.scheme.verify(secrets, request.match_info.get("secret"))
    except SignatureError as exc:
        raise WebhookError(401, f"invalid signature: {exc}") from None
    try:
        body = json.loads(utf8(raw))
    except (ValueError, RecursionError):
        raise WebhookError(400, "body: not valid JSON") from None
    taken = take(preset, source, body, request.headers)
    results = await _results(request, taken)
    if preset.many:
        return batch_response(results)
    [result] = results
    if result["status"] == "rejected":
        raise WebhookError(400, result["error"])
    return web.json_response(result, status=status_code(result["status"]))


async def _results(request: web.Request, taken: list[Taken]) -> list[dict[str, Any]]:
    results: list[dict[str, Any] | None] = [None] * len(taken)
    to_store = [(i, t.review) for i, t in enumerate(taken) if t.review is not None]
    for index, event in enumerate(taken):
        if event.ignored is not None:
            results[index] = {"status": IGNORED, "reason": event.ignored}
        elif event.error is not None:
            results[index] = rejected(event.error)
    if to_store:
        # One transaction, in the delivery's order: a review created and then deleted in
        # one delivery ends deleted.
        outcomes = await store(request, [review for _, review in to_store])
        for (index, _), outcome in zip(to_store, outcomes, strict=True):
            # A platform's review names no department: only its source's, which is routed.
            assert isinstance(outcome, Stored)
            results[index] = outcome_json(outcome)
    return [r for r in results if r is not None]
