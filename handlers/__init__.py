"""The edges: one module per Slack surface, each exposing `register(app, services)`."""

from slack_bolt.async_app import AsyncApp

from bot.services import Services
from handlers import commands, middleware


def register_all(app: AsyncApp, services: Services) -> None:
    middleware.register(app, services)
    commands.register(app, services)
