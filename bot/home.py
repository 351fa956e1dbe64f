"""Publishing a person's App Home from what the database holds for them."""

from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.home import MAX_POLLS, home_view
from bot.blocks.poll import PollView
from bot.settings import QualityConfig
from models.survey import OPEN, Poll


class Home:
    def __init__(self, *, client: AsyncWebClient, quality: QualityConfig) -> None:
        self._client = client
        self._quality = quality

    async def publish(self, user_id: str) -> None:
        polls = (
            await Poll.filter(user_id=user_id, status__in=OPEN)
            .order_by("-sent_at")
            .limit(MAX_POLLS)
            .prefetch_related("department")
        )
        views = [PollView(str(p.id), p.department.name, p.summary, p.url) for p in polls]
        view = home_view(views, min_group_size=self._quality.privacy.min_group_size)
        await self._client.views_publish(user_id=user_id, view=view)
