"""The fake workspace: who is in it, and what the app has posted, opened and uploaded."""

import time
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.slack_standin.channels import Channels
from bot.slack_standin.errors import SlackError
from bot.slack_standin.usergroups import Usergroup

JSON = dict[str, Any]
SLACKBOT = "USLACKBOT"


def dm_channel_id(user_id: str) -> str:
    """The DM channel between the bot and a user: stable per user, "D" + the rest of the user id."""
    return "D" + user_id[1:]


def is_user_id(value: str) -> bool:
    return value[:1] in ("U", "W") and value[1:].isalnum()


def ts_key(ts: str) -> Decimal:
    return Decimal(ts)


class Workspace:
    def __init__(
        self,
        *,
        team_id: str,
        bot_user_id: str,
        bot_id: str,
        bot_name: str,
        scopes: frozenset[str] = frozenset(),
    ) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.bot_name = bot_name
        self.app_id = "A0STANDIN"
        self.scopes = scopes  # the token's, as X-OAuth-Scopes and missing_scope tell them
        self.channels = Channels(bot_user_id)
        self.base_url = ""  # known once the server listens
        self.users: dict[str, JSON] = {}
        self.usergroups: dict[str, Usergroup] = {}
        self.messages: defaultdict[str, list[JSON]] = defaultdict(list)
        self.ephemerals: list[JSON] = []
        self.views: dict[str, JSON] = {}
        self.home_views: dict[str, JSON] = {}
        self.files: dict[str, JSON] = {}
        self.uploads: dict[str, JSON] = {}  # announced by files.getUploadURLExternal, not completed
        self.responses: defaultdict[str, list[JSON]] = defaultdict(list)
        self.triggers: dict[str, float] = {}  # trigger_id issued by the stand-in → when
        self.used_triggers: set[str] = set()
        self._serial = 0
        self._last_ts_micros = 0
        self.add_user(bot_user_id, name=bot_name, is_bot=True)
        # Every workspace has Slackbot, and users.list lists it: not as a bot (is_bot false).
        self.add_user(SLACKBOT, name="slackbot", real_name="Slackbot", tz="America/Los_Angeles")

    def need_scope(self, *scopes: str) -> None:
        """Return if the token has one of `scopes`; otherwise raise `missing_scope` as Slack
        answers it, "needed" naming them all and "provided" the token's."""
        if not any(scope in self.scopes for scope in scopes):
            needed, provided = ",".join(scopes), ",".join(sorted(self.scopes))
            raise SlackError("missing_scope", fields={"needed": needed, "provided": provided})

    # ids and timestamps

    def new_id(self, prefix: str) -> str:
        self._serial += 1
        return f"{prefix}0STANDIN{self._serial:05d}"

    def next_ts(self) -> str:
        """A message ts like Slack's: wall-clock seconds.micros, unique and increasing."""
        micros = max(int(time.time() * 1_000_000), self._last_ts_micros + 1)
        self._last_ts_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    # directory

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
        now = datetime.now(ZoneInfo(tz))
        offset = now.utcoffset()
        profile: JSON = {
            "real_name": real_name or name,
            "real_name_normalized": real_name or name,
            # What Slack shows as @…; `name` is the older username, which it no longer shows.
            "display_name": name if display_name is None else display_name,
            "display_name_normalized": name if display_name is None else display_name,
            "phone": phone or "",  # Slack sends the field, empty when none was given
            "team": self.team_id,
        }
        if email is not None:
            profile["email"] = email
        if is_bot and user_id == self.bot_user_id:
            profile["bot_id"] = self.bot_id
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": deleted,
            "real_name": real_name or name,
            "tz": tz,
            "tz_label": now.tzname(),
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "is_admin": False,
            "is_owner": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": int(time.time()),
            "profile": profile,
        }

    def user_as_seen(self, user: JSON) -> JSON:
        """A user object as this token sees it: profile.email only with users:read.email."""
        if "users:read.email" in self.scopes or "email" not in user["profile"]:
            return user
        profile = {k: v for k, v in user["profile"].items() if k != "email"}
        return {**user, "profile": profile}

    def add_usergroup(
        self, usergroup_id: str, users: list[str], *, handle: str | None, name: str | None
    ) -> Usergroup:
        """Create a group, or replace its members (and its handle or name, when given)."""
        if usergroup_id[:1] != "S" or not usergroup_id[1:].isalnum():
            raise ValueError(f"{usergroup_id!r}: a user group id starts with S")
        group = self.usergroups.get(usergroup_id)
        handle = handle.lstrip("@") if handle else None
        if handle is not None:
            for other in self.usergroups.values():
                if other.id != usergroup_id and other.handle.lower() == handle.lower():
                    raise ValueError(f"@{handle} is {other.id}'s handle; Slack keeps them unique")
        if group is None:
            handle = handle or usergroup_id.lower()
            group = Usergroup(usergroup_id, handle, name or handle, list(users))
            self.usergroups[usergroup_id] = group
            return group
        group.handle = handle or group.handle
        group.name = name or group.name
        self.set_usergroup_users(usergroup_id, users)
        return group

    def set_usergroup_users(self, usergroup_id: str, users: list[str]) -> None:
        group = self.usergroups[usergroup_id]  # KeyError for a group never added
        group.users = list(users)
        group.date_update = int(time.time())

    def user_by_email(self, email: str) -> JSON | None:
        wanted = email.strip().lower()
        for user in self.users.values():
            if str(user["profile"].get("email", "")).lower() == wanted:
                return user
        return None

    # channels and messages

    def resolve_channel(self, channel: str) -> str:
        """Slack accepts a user id where a channel goes for posting: it means that user's DM."""
        return dm_channel_id(channel) if is_user_id(channel) else channel

    def insert_message(self, channel: str, message: JSON) -> None:
        history = self.messages[channel]
        history.append(message)
        history.sort(key=lambda m: ts_key(m["ts"]))

    def find_message(self, channel: str, ts: str) -> JSON | None:
        for message in self.messages.get(channel, []):
            if message["ts"] == ts:
                return message
        return None

    def replies_to(self, channel: str, thread_ts: str) -> list[JSON]:
        """The thread's replies (thread broadcasts included), oldest first; not its parent."""
        return [
            m
            for m in self.messages.get(channel, [])
            if m.get("thread_ts") == thread_ts and m["ts"] != thread_ts
        ]

    def as_listed(self, channel: str, message: JSON) -> JSON:
        """The message as history and replies list it: a parent carries its thread's summary,
        which Slack keeps up to date as replies come."""
        replies = self.replies_to(channel, message["ts"])
        if not replies:
            return message
        users = list(dict.fromkeys(str(m.get("user") or m.get("bot_id")) for m in replies))
        return {
            **message,
            "thread_ts": message["ts"],
            "reply_count": len(replies),
            "reply_users": users,
            "reply_users_count": len(users),
            "latest_reply": replies[-1]["ts"],
        }

    def bot_message(self, text: str, **fields: Any) -> JSON:
        message: JSON = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "text": text,
            "ts": self.next_ts(),
        }
        message.update({k: v for k, v in fields.items() if v is not None})
        return message
