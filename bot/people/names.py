"""The Slack names quality.yml uses — `#it-help`, `@ines`, `ines@acme.com`, `@it-team` — resolved
to the ids everything else works with: through Slack when it can be asked, else as last
resolved (the `slack_name` table, which every instance and command shares)."""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Kind, QualityConfig, format_key
from models.department import SlackName

log = logging.getLogger(__name__)

PAGE = 200  # Slack's advice for paginated lists


@dataclass
class Resolution:
    """`quality` with every name replaced by its id, once nothing is left `unresolved`."""

    quality: QualityConfig | None
    unresolved: list[tuple[str, str]] = field(default_factory=list)  # (key, reason)
    found: dict[tuple[Kind, str], str] = field(default_factory=dict)


async def through_slack(client: AsyncWebClient, quality: QualityConfig) -> Resolution:
    """Every name of `quality` resolved through Slack; a name Slack does not know is reported
    with its key. Raises SlackApiError, ClientError or TimeoutError when Slack cannot say."""
    wanted = list(quality.names())
    if not wanted:
        return Resolution(quality)
    lists = await _SlackLists.fetch(client, {(kind, name) for _, kind, name in wanted})
    found: dict[tuple[Kind, str], str] = {}
    unresolved = []
    for loc, kind, name in wanted:
        answer = lists.find(kind, name)
        if isinstance(answer, str):
            found[kind, name] = answer
        else:
            unresolved.append((format_key(loc), answer.reason))
    return _resolution(quality, found, unresolved)


async def resolve_names(
    quality: QualityConfig, client: AsyncWebClient | None, *, now: datetime
) -> Resolution:
    """Every name of `quality` resolved through Slack (`client`), remembered for when Slack
    cannot be asked; without a client, or when Slack cannot be asked, as last resolved."""
    if client is not None:
        try:
            resolution = await through_slack(client, quality)
        except SlackApiError as exc:
            log.warning("names not resolved through Slack (%s)", exc.response.get("error"))
        except (ClientError, TimeoutError) as exc:
            log.warning("names not resolved: Slack unreachable (%s)", type(exc).__name__)
        else:
            await _remember(resolution.found, now)
            return resolution
    wanted = list(quality.names())
    cached = await _cached({(kind, name) for _, kind, name in wanted})
    why = "Slack could not be asked" if client else "`quality-bot serve` resolves it when it starts"
    unresolved = [
        (format_key(loc), f"{name}: not resolved through Slack yet ({why})")
        for loc, kind, name in wanted
        if (kind, name) not in cached
    ]
    return _resolution(quality, cached, unresolved)


def _resolution(
    quality: QualityConfig, found: dict[tuple[Kind, str], str], unresolved: list[tuple[str, str]]
) -> Resolution:
    if unresolved:
        return Resolution(None, unresolved, found)
    return Resolution(quality.with_ids(lambda kind, name: found[kind, name]), [], found)


@dataclass(frozen=True)
class _Miss:
    reason: str


class _SlackLists:
    """The workspace's channels, people and user groups, as the bot can see them, fetched
    once per resolution and only for the kinds of name asked for."""

    def __init__(self) -> None:
        self.channels: dict[str, str] = {}  # name -> id
        self.usernames: dict[str, str] = {}  # unique in a workspace
        self.display_names: dict[str, set[str]] = {}  # not unique
        self.emails: dict[str, str] = {}
        self.usergroups: dict[str, str] = {}  # handle -> id

    @classmethod
    async def fetch(cls, client: AsyncWebClient, names: set[tuple[Kind, str]]) -> "_SlackLists":
        lists = cls()
        kinds = {kind for kind, _ in names}
        users = [name for kind, name in names if kind is Kind.USER]
        if Kind.CHANNEL in kinds:
            first = await client.conversations_list(
                types="public_channel,private_channel", exclude_archived=True, limit=PAGE
            )
            async for page in first:  # slack-sdk follows next_cursor
                for channel in page.get("channels") or []:
                    lists.channels[str(channel["name"]).lower()] = str(channel["id"])
        if any(user.startswith("@") for user in users):
            async for page in await client.users_list(limit=PAGE):
                for user in page.get("members") or []:
                    if not user.get("deleted") and not user.get("is_bot"):
                        lists.add_user(user)
        for email in (u for u in users if not u.startswith("@")):
            try:
                answer = await client.users_lookupByEmail(email=email)
            except SlackApiError as exc:
                if exc.response.get("error") != "users_not_found":
                    raise
                continue
            lists.emails[email] = str(answer["user"]["id"])
        if Kind.USERGROUP in kinds:
            answer = await client.usergroups_list()
            for group in answer.get("usergroups") or []:
                lists.usergroups[str(group["handle"]).lower()] = str(group["id"])
        return lists

    def add_user(self, user: dict[str, Any]) -> None:
        self.usernames[str(user["name"]).lower()] = str(user["id"])
        shown = str(user.get("profile", {}).get("display_name") or "").lower()
        if shown:
            self.display_names.setdefault(shown, set()).add(str(user["id"]))

    def find(self, kind: Kind, name: str) -> str | _Miss:
        if kind is Kind.CHANNEL:
            found = self.channels.get(name.removeprefix("#"))
            return found or _Miss(
                f"{name}: no such channel in Slack (or it is private, and the bot is not in it:"
                " invite it with /invite, or give the channel's id)"
            )
        if kind is Kind.USERGROUP:
            found = self.usergroups.get(name.removeprefix("@"))
            return found or _Miss(f"{name}: no such user group handle in Slack")
        if not name.startswith("@"):
            return self.emails.get(name) or _Miss(f"{name}: nobody in Slack has this email")
        handle = name.removeprefix("@")
        if handle in self.usernames:
            return self.usernames[handle]
        people = self.display_names.get(handle, set())
        if len(people) == 1:
            return next(iter(people))
        if people:
            return _Miss(
                f"{name}: {len(people)} people in Slack go by this name; give their email or"
                " member ID instead"
            )
        return _Miss(f"{name}: nobody in Slack goes by this name")


async def _remember(found: dict[tuple[Kind, str], str], now: datetime) -> None:
    for (kind, name), slack_id in found.items():
        await SlackName.update_or_create(
            defaults={"slack_id": slack_id, "resolved_at": now}, kind=kind.value, name=name
        )


async def _cached(wanted: set[tuple[Kind, str]]) -> dict[tuple[Kind, str], str]:
    rows = await SlackName.filter(name__in=[name for _, name in wanted]).values_list(
        "kind", "name", "slack_id"
    )
    return {
        (Kind(kind), name): slack_id
        for kind, name, slack_id in rows
        if (Kind(kind), name) in wanted
    }
