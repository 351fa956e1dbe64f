"""What a test puts in the fake workspace before the app runs, and reads back after."""

import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.slack_standin.channels import Channel
from bot.slack_standin.seeding import seeded_message
from bot.slack_standin.text import slack_text_of
from bot.slack_standin.usergroups import Usergroup
from bot.slack_standin.workspace import JSON, Workspace, dm_channel_id, ts_key


class WorkspaceAccess:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    # seeding

    def add_user(
        self,
        user_id: str,
        *,
        name: str,
        real_name: str | None = None,
        display_name: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        tz: str = "UTC",
    ) -> None:
        """Add (or replace) a member; users.info and users.lookupByEmail find them, and
        users.list lists them, after the bot user and Slackbot (USLACKBOT) that every workspace
        has. Deleted ones are listed too (`deleted`), as Slack does. `display_name` is what
        Slack shows as @…, and defaults to `name` (Slack's own is "" for someone who never set
        one: give display_name="" for that)."""
        self.workspace.add_user(
            user_id,
            name=name,
            real_name=real_name,
            display_name=display_name,
            email=email,
            phone=phone,
            is_bot=is_bot,
            deleted=deleted,
            tz=tz,
        )

    def add_usergroup(
        self,
        usergroup_id: str,
        users: list[str],
        *,
        handle: str | None = None,
        name: str | None = None,
    ) -> None:
        """Create a user group, or replace its members (what a sync test does between runs).

        `handle` is what people mention ("it-team" for @it-team; a leading "@" is dropped),
        unique in the workspace as Slack keeps it (ValueError otherwise); it defaults to the id
        lowercased ("s0it00001"), and `name` to the handle. Given again for an existing group,
        they replace its handle or name; left out, they stay as they were."""
        self.workspace.add_usergroup(usergroup_id, users, handle=handle, name=name)

    def set_usergroup_users(self, usergroup_id: str, users: list[str]) -> None:
        """Change an existing group's members; KeyError for a group never added."""
        self.workspace.set_usergroup_users(usergroup_id, users)

    def add_channel(
        self,
        channel_id: str,
        *,
        name: str,
        private: bool = False,
        bot_member: bool = True,
        members: Iterable[str] = (),
    ) -> None:
        """Create (or replace) a channel. The bot can post to and read only the channels it is a
        member of: elsewhere Slack answers `not_in_channel` (public) or `channel_not_found`
        (private, or no such id)."""
        self.workspace.channels.add(
            channel_id, name=name, private=private, bot_member=bot_member, members=set(members)
        )

    def invite_bot(self, channel_id: str) -> None:
        """What `/invite @quality-bot` in the channel does."""
        self.workspace.channels.get(channel_id).members.add(self.workspace.bot_user_id)

    def remove_bot(self, channel_id: str) -> None:
        """What `/remove @quality-bot` (or kicking the bot out) does."""
        self.workspace.channels.get(channel_id).members.discard(self.workspace.bot_user_id)

    def archive_channel(self, channel_id: str) -> None:
        """What archiving the channel does: it stays listed (`is_archived`, left out with
        exclude_archived), its history stays readable, and posting to it or joining it answers
        `is_archived`."""
        self.workspace.channels.get(channel_id).is_archived = True

    def add_message(
        self,
        channel: str,
        ts: str,
        *,
        user: str | None = None,
        text: str = "",
        thread_ts: str | None = None,
        subtype: str | None = None,
        files: Sequence[Mapping[str, Any]] | None = None,
        bot_id: str | None = None,
        **fields: Any,
    ) -> JSON:
        """A message posted earlier, for conversations.history / .replies to return.

        `text` is as Slack stores it: `&amp;`, `&lt;`, `&gt;`, `<@U…>`, `<#C…|name>`,
        `<https://…|label>`; anything else is a ValueError (`text_of(typed)` writes it).
        `subtype` is one Slack uses: "file_share" (give `files=[{"name": "error.png"}]`; ids,
        mimetype, url_private… are filled in), "thread_broadcast" (with `thread_ts`: a reply
        that is also in the channel's history), "me_message", "bot_message" (`bot_id`, no
        `user`), "channel_join" / "channel_leave" (the text is Slack's, and the user joins or
        leaves the channel), "channel_topic" / "channel_purpose" (with topic= / purpose=).
        `bot_id=` without a user is another integration's bot_message, or with our own bot_id
        the bot's own post. A reply (`thread_ts`) needs its parent seeded first."""
        message = seeded_message(
            self.workspace,
            channel,
            ts,
            user=user,
            text=text,
            thread_ts=thread_ts,
            subtype=subtype,
            files=files,
            bot_id=bot_id,
            fields=fields,
        )
        self.workspace.insert_message(channel, message)
        return message

    def text_of(self, typed: str) -> str:
        """`slack_text_of(typed)`, naming the channels this workspace knows: what Slack stores
        when a person posts `typed`."""
        names = {c.id: c.name for c in self.workspace.channels.by_id.values()}
        return slack_text_of(typed, channels=names)

    def issue_trigger_id(self) -> str:
        """A trigger_id that, like Slack's, works once and only for 3 seconds.

        Other trigger_ids are accepted once each, as if Slack had just issued them."""
        trigger_id = f"{int(time.time())}.{secrets.randbelow(10**9)}.{secrets.token_hex(16)}"
        self.workspace.triggers[trigger_id] = time.monotonic()
        return trigger_id

    def dm_channel(self, user_id: str) -> str:
        """The id of the bot's DM with a user: what chat.postMessage to that user answers, and
        what conversations.open(users=user_id) opens."""
        return dm_channel_id(user_id)

    # state the app's calls produced

    @property
    def messages(self) -> dict[str, list[JSON]]:
        """Channel → its messages, oldest first: seeded ones and those the app posted (with
        "bot_id"), edited in place by chat.update and removed by chat.delete."""
        return self.workspace.messages

    def posted(self, channel: str | None = None) -> list[JSON]:
        """Messages the app posted (to one channel, or everywhere), oldest first, each with its
        "channel"."""
        found = [
            {**message, "channel": name}
            for name, history in self.workspace.messages.items()
            if channel is None or name == channel
            for message in history
            if message.get("bot_id") == self.workspace.bot_id
        ]
        return sorted(found, key=lambda m: ts_key(m["ts"]))

    @property
    def channels(self) -> dict[str, Channel]:
        """Channel id → its Channel (id, name, is_private, members), as it stands."""
        return dict(self.workspace.channels.by_id)

    @property
    def usergroups(self) -> dict[str, Usergroup]:
        """User group id → its Usergroup (id, handle, name, users), as it stands."""
        return dict(self.workspace.usergroups)

    @property
    def ephemerals(self) -> list[JSON]:
        """chat.postEphemeral messages: channel, user, text, blocks, message_ts."""
        return self.workspace.ephemerals

    @property
    def views(self) -> dict[str, JSON]:
        """View id → the view as it stands (modals from views.open/push, home tabs, after
        views.update); a modal keeps the "trigger_id" that opened it."""
        return self.workspace.views

    @property
    def home_views(self) -> dict[str, JSON]:
        """User id → the App Home view last published for them."""
        return self.workspace.home_views

    @property
    def files(self) -> dict[str, JSON]:
        """File id → completed upload: id, filename, title, alt_txt, bytes, channel_id, channels,
        thread_ts, initial_comment."""
        return self.workspace.files

    @property
    def responses(self) -> dict[str, list[JSON]]:
        """response_url key → JSON bodies POSTed to it, in order."""
        return self.workspace.responses
