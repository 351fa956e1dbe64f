"""The webhooks: signed JSON from other systems, each on its own route."""

from aiohttp import web

from handlers.webhooks.interactions import interactions
from handlers.webhooks.openapi import openapi
from handlers.webhooks.reviews import reviews


def setup_webhook_routes(app: web.Application) -> None:
    app.router.add_post("/webhooks/interactions", interactions)
    app.router.add_post("/webhooks/reviews", reviews)
    app.router.add_get("/openapi.json", openapi)
