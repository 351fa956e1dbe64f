"""Deleting the Slack messages that named a person who was erased (or quoted a review its
source deleted), through a queue in the database (models/erasure.py), so that an erasure
finishes in Slack even when Slack was down."""

import logging

from slack_sdk.errors import SlackApiError

from bot.privacy.erasure import Erased, forget
from bot.privacy.erasure_texts import Contact
from bot.slack.outbox import Outbox
from models.erasure import MessageToDelete

log = logging.getLogger(__name__)

# Slack's answers that mean the message is gone already, or can never be deleted by us.
_GONE = {"message_not_found", "channel_not_found", "is_archived", "cant_delete_message"}
MAX_DELETE_ATTEMPTS = 10


class MessageDeletion(Outbox):
    """Deletes the queued messages of erased people, on a tick, across restarts."""

    async def forget(self, user_id: str, *, actor: str, contact: Contact | None) -> Erased:
        """Erase the person (bot/privacy/erasure.py), then delete their messages in Slack now
        rather than at the next tick."""
        erased = await forget(user_id, actor=actor, now=self._clock(), contact=contact)
        self.wake()
        return erased

    async def step(self) -> int:
        deleted = 0
        for row in await MessageToDelete.all().order_by("id").limit(100):
            await self._gate.wait()
            try:
                await self._client.chat_delete(channel=row.channel, ts=row.ts)
            except SlackApiError as exc:
                error = str(exc.response.get("error", ""))
                if error not in _GONE and row.attempts + 1 < MAX_DELETE_ATTEMPTS:
                    await MessageToDelete.filter(id=row.id).update(attempts=row.attempts + 1)
                    log.warning("a message to delete is not deleted yet (%s)", error)
                    continue
                if error not in _GONE:
                    log.warning("erased person's message given up after %d tries (%s)",
                                MAX_DELETE_ATTEMPTS, error)  # fmt: skip
            except Exception as exc:  # network: the next step tries again
                log.warning("a message to delete is not deleted yet (%s)", type(exc).__name__)
                continue
            await MessageToDelete.filter(id=row.id).delete()
            deleted += 1
        return deleted
