"""The HTTP surface that is not a webhook: Slack's endpoint, health and metrics."""

import time

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.runtime import db
from bot.runtime.metrics import CONTENT_TYPE, RECEIVED_AT
from bot.services import SERVICES
from handlers.slack_body import UNREADABLE, readable

BOLT_APP = web.AppKey("bolt_app", AsyncApp)

# Slack's own payloads stay far below this (a modal submission is the largest); anything
# bigger is not from Slack and is refused before bolt reads it.
SLACK_BODY_LIMIT = 1024 * 1024


async def read_body(request: web.Request, limit: int) -> bytes:
    """The raw body, refused with 413 past `limit` bytes without reading the rest."""
    if request.content_length is not None and request.content_length > limit:
        raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=request.content_length)
    chunks: list[bytes] = []
    size = 0
    # read(n) returns what has arrived so far, not n bytes: read to the end, counting.
    async for chunk in request.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=size)
        chunks.append(chunk)
    return b"".join(chunks)


async def slack_events(request: web.Request) -> web.Response:
    received = time.perf_counter()
    body = await read_body(request, SLACK_BODY_LIMIT)
    text = body.decode("utf-8", errors="replace")
    bolt = request.app[BOLT_APP]
    try:
        # bolt verifies the signature over this raw text; it parses the body first, though,
        # and builds the request's context from fields it indexes without looking.
        bolt_request = AsyncBoltRequest(
            body=text,
            query=request.query_string,
            headers=dict(request.headers),
            context={RECEIVED_AT: received},
        )
    except UNREADABLE:
        bolt_request = None
    if bolt_request is None or not readable(bolt_request.body):
        # A body bolt cannot take still says nothing to an unsigned sender.
        verifier = SignatureVerifier(request.app[SERVICES].settings.slack_signing_secret or "")
        if not verifier.is_valid_request(text, dict(request.headers)):
            return web.json_response({"error": "invalid request"}, status=401)
        return web.json_response({"error": "malformed body"}, status=400)
    return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))


async def healthz(request: web.Request) -> web.Response:
    if await db.ping():
        return web.json_response({"status": "ok"})
    return web.json_response({"status": "unavailable", "error": "database unreachable"}, status=503)


async def metrics(request: web.Request) -> web.Response:
    body = request.app[SERVICES].metrics.render()
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})


def setup_routes(app: web.Application) -> None:
    app.router.add_post("/slack/events", slack_events)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
