"""Channels and who is in them: what decides `not_in_channel` and `channel_not_found`.

The app's token has chat:write, not chat:write.public, and channels:history / groups:history:
it posts to and reads only the channels the bot was invited to. Slack answers `not_in_channel`
for a public channel the bot is not in, and `channel_not_found` for a private one (the bot
cannot see it) and for an id no channel has. DMs (D…, or a user id where a channel goes when
posting) and group DMs the bot opened need no invitation.
"""

import time
from dataclasses import dataclass, field

from bot.slack_standin.errors import SlackError


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool
    members: set[str] = field(default_factory=set)
    created: int = field(default_factory=lambda: int(time.time()))
    is_archived: bool = False

    def info(self, bot_user_id: str) -> dict[str, object]:
        """The channel as conversations.info, .list and .join show it to the bot."""
        return {
            "id": self.id,
            "name": self.name,
            "name_normalized": self.name,
            "is_channel": not self.is_private,
            "is_group": self.is_private,
            "is_im": False,
            "is_mpim": False,
            "is_private": self.is_private,
            "is_archived": self.is_archived,
            "is_general": self.name == "general",
            "is_member": bot_user_id in self.members,
            "created": self.created,
            "num_members": len(self.members),
        }


class Channels:
    def __init__(self, bot_user_id: str) -> None:
        self._bot = bot_user_id
        self.by_id: dict[str, Channel] = {}
        # Group DMs opened by conversations.open with several users → their members, bot first.
        self.group_dms: dict[str, tuple[str, ...]] = {}

    def add(
        self, channel_id: str, *, name: str, private: bool, bot_member: bool, members: set[str]
    ) -> Channel:
        if channel_id[:1] not in ("C", "G") or not channel_id[1:].isalnum():
            raise ValueError(f"{channel_id!r}: a channel id starts with C (or G, private)")
        channel = Channel(channel_id, name.lstrip("#"), private, set(members))
        if bot_member:
            channel.members.add(self._bot)
        self.by_id[channel_id] = channel
        return channel

    def get(self, channel_id: str) -> Channel:
        channel = self.by_id.get(channel_id)
        if channel is None:
            raise KeyError(f"{channel_id}: no such channel; add_channel() it first")
        return channel

    def check_bot_access(self, channel_id: str) -> None:
        """Return if the bot may post to and read `channel_id` (a conversation id, not a user
        id); otherwise raise the SlackError Slack answers."""
        if channel_id.startswith("D") or channel_id in self.group_dms:
            return
        channel = self.by_id.get(channel_id)
        if channel is None:
            raise SlackError("channel_not_found")
        if self._bot not in channel.members:
            # A private channel is invisible to a bot outside it.
            raise SlackError("channel_not_found" if channel.is_private else "not_in_channel")

    def is_known(self, channel_id: str) -> bool:
        return (
            channel_id.startswith("D") or channel_id in self.group_dms or (channel_id in self.by_id)
        )
