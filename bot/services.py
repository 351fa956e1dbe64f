"""What every handler may use, built once per application by the app factory."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from bot.metrics import Metrics
from bot.settings import Settings
from bot.tasks import BackgroundTasks

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    client: AsyncWebClient
    metrics: Metrics = field(default_factory=Metrics)
    tasks: BackgroundTasks = field(default_factory=BackgroundTasks)
    clock: Clock = utc_now


SERVICES = web.AppKey("services", Services)
