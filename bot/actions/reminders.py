"""The owner of an open action hears from the app on the morning it falls due (from REMIND_AT
in the company's time zone), once: the reminder is claimed (`reminded_at`) before it is sent,
so instances sharing a database send it once, and given back when Slack refuses it."""

import logging
from datetime import time

from slack_sdk.errors import SlackApiError

from bot.blocks.actions import due_reminder
from bot.slack.outbox import Outbox
from models.action import OPEN, Action

log = logging.getLogger(__name__)

REMIND_AT = time(9, 0)


class ActionReminders(Outbox):
    async def step(self) -> int:
        now = self._clock()
        local = now.astimezone(self._quality.tz)
        if local.time() < REMIND_AT:
            return 0
        sent = 0
        due = Action.filter(
            status=OPEN, due__lte=local.date(), reminded_at__isnull=True, owner__isnull=False
        )
        for action in await due.select_related("department"):
            if not await Action.filter(id=action.id, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue  # another instance has it
            text, blocks = due_reminder(action.department.name, action.what, action.due, action.id)
            await self._gate.wait()
            try:
                await self._client.chat_postMessage(
                    channel=str(action.owner), text=text, blocks=blocks
                )
            except SlackApiError as exc:
                await Action.filter(id=action.id).update(reminded_at=None)
                log.warning("action reminder not sent (%s)", exc.response.get("error"))
                continue
            sent += 1
        return sent
