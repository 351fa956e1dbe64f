"""Every HTTP route the app serves, set up here and nowhere else: Slack's endpoint (handed to
the bolt app), the webhooks, the OpenAPI document, health and metrics."""

import time

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.runtime import db
from bot.runtime.metrics import CONTENT_TYPE, RECEIVED_AT
from bot.services import SERVICES, Services
from handlers.bodies import SLACK_BODY_LIMIT, UNREADABLE, read_body, readable
from handlers.slack_app import build_bolt_app
from handlers.webhooks.interactions import interactions
from handlers.webhooks.openapi import openapi
from handlers.webhooks.reviews import reviews
from handlers.webhooks.sources import review_source

BOLT_APP = web.AppKey("bolt_app", AsyncApp)


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


def setup_routes(app: web.Application, services: Services) -> None:
    app[BOLT_APP] = build_bolt_app(services)
    app.router.add_post("/slack/events", slack_events)
    app.router.add_post("/webhooks/interactions", interactions)
    app.router.add_post("/webhooks/reviews", reviews)
    app.router.add_post("/webhooks/reviews/{source}", review_source)
    app.router.add_post("/webhooks/reviews/{source}/{secret}", review_source)
    app.router.add_get("/openapi.json", openapi)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
