"""The edges: one module per Slack surface, each exposing `register(app, services)`; every HTTP
route (`routes`), request bodies (`bodies`), the bolt app (`slack_app`), Socket Mode, the
webhooks and the `/quality` subcommands. A handler parses, calls one service, answers.

May use: the services (`bot`), and the models for lookups.
"""

from slack_bolt.async_app import AsyncApp

from bot.services import Services
from handlers import (
    action_items,
    actions,
    cases,
    commands,
    events,
    home,
    middleware,
    offers,
    setup,
    shortcuts,
    views,
)


def register_all(app: AsyncApp, services: Services) -> None:
    middleware.register(app, services)
    commands.register(app, services)
    events.register(app, services)
    actions.register(app, services)
    views.register(app, services)
    offers.register(app, services)
    action_items.register(app, services)
    cases.register(app, services)
    shortcuts.register(app, services)
    home.register(app, services)
    setup.register(app, services)
