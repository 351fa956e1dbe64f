"""Opening a modal from a trigger_id, which Slack honours once, and for three seconds."""

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

# Slack's answers for a trigger it no longer honours (or never issued): the person clicked a
# second time, or the request took too long to reach us. Any other error is a bug of ours.
SPENT_TRIGGER = frozenset({"expired_trigger_id", "exchanged_trigger_id", "invalid_trigger_id"})


async def open_modal(client: AsyncWebClient, trigger_id: str | None, view: dict[str, Any]) -> bool:
    """Open `view`; False when there is no trigger to open it with, or Slack refused it."""
    if not trigger_id:
        log.warning("modal not opened: the request carried no trigger_id")
        return False
    try:
        await client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        error = exc.response.get("error")
        if error not in SPENT_TRIGGER:
            raise
        log.warning("modal not opened (%s)", error)
        return False
    return True
