"""Whether the bot can work where it is configured to, and the rest of what a new admin sets
up: the first-run checklist of App Home, the warnings of `serve` and the problems
`check-config` reports."""

import logging
from dataclasses import dataclass
from datetime import datetime

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.poll import sample_poll
from bot.config import Problem, QualityConfig, format_key
from bot.privacy import audit
from models.audit import SAMPLE_POLL, AuditEntry

log = logging.getLogger(__name__)

# Slack's answers when the bot cannot use a channel it could join or be invited to.
NOT_IN_CHANNEL, NOT_FOUND = "not_in_channel", "channel_not_found"


@dataclass(frozen=True)
class ConfiguredChannel:
    channel: str  # its id
    use: str  # what the app does there, e.g. "IT's service channel"
    key: str | None = None  # where quality.yml names it; None for a department managed in Slack
    written: str | None = None  # as quality.yml names it: its id, or a name like #it-help

    @property
    def shown(self) -> str:
        return self.written if self.written and self.written != self.channel else self.channel


def configured_channels(
    quality: QualityConfig, written: QualityConfig | None = None
) -> list[ConfiguredChannel]:
    """Every channel the configuration in effect uses, once each (where it is first named).
    `written` is quality.yml as written, for the key and the name it gives each channel."""
    as_written = {loc: value for loc, _, value in (written.slack_refs() if written else ())}
    from_file = {
        n for n, dept in enumerate(quality.departments)
        if written and n < len(written.departments) and written.departments[n].slug == dept.slug
    }  # fmt: skip
    found: dict[str, ConfiguredChannel] = {}

    def add(channel: str | None, loc: tuple[str | int, ...], use: str, *, in_file: bool) -> None:
        if channel is not None and channel not in found:
            key = format_key(loc) if in_file else None
            found[channel] = ConfiguredChannel(channel, use, key, as_written.get(loc))

    at: tuple[str | int, ...]
    for n, dept in enumerate(quality.departments):
        in_file = n in from_file
        for m, channel in enumerate(dept.channels):
            at = ("departments", n, "channels", m)
            add(channel, at, f"{dept.name}'s service channel", in_file=in_file)
        at = ("departments", n, "alert_channel")
        add(dept.alert_channel, at, f"{dept.name}'s alert channel", in_file=in_file)
        at = ("departments", n, "team_channel")
        add(dept.team_channel, at, f"{dept.name}'s team channel", in_file=in_file)
    add(quality.digest.channel, ("digest", "channel"), "the digest channel", in_file=True)
    return list(found.values())


@dataclass(frozen=True)
class ChannelCheck:
    configured: ConfiguredChannel
    error: str | None  # what Slack answered when the bot tried to read it; None: it can

    @property
    def joinable(self) -> bool:
        """A public channel: the bot can join it itself (conversations.join)."""
        return self.error == NOT_IN_CHANNEL


async def check_channels(
    client: AsyncWebClient, quality: QualityConfig, written: QualityConfig | None = None
) -> list[ChannelCheck]:
    """Whether the bot can read and post in each configured channel.

    Probed with conversations.history (limit 1), which the manifest's channels:history and
    groups:history allow: Slack answers not_in_channel for a public channel the bot was not
    invited to, and channel_not_found for a private one (the bot cannot see it) or a wrong id.
    Slack unreachable raises ClientError or TimeoutError."""
    checks = []
    for configured in configured_channels(quality, written):
        try:
            await client.conversations_history(channel=configured.channel, limit=1)
        except SlackApiError as exc:
            checks.append(ChannelCheck(configured, str(exc.response.get("error", ""))))
        else:
            checks.append(ChannelCheck(configured, None))
    return checks


async def channel_problems(
    client: AsyncWebClient,
    quality: QualityConfig,
    *,
    written: QualityConfig,
    source: str,
    bot_name: str,
) -> list[Problem]:
    """Each configured channel the bot cannot read or post to, with what to do about it."""
    return [
        Problem(source if check.configured.key else "App Home", check.configured.key or "", why)
        for check in await check_channels(client, quality, written)
        if (why := channel_reason(check, bot_name))
    ]


def channel_reason(check: ChannelCheck, bot_name: str) -> str | None:
    """What is wrong with the channel and what to do about it; None when nothing is."""
    if check.error is None:
        return None
    configured = check.configured
    where = f"channel {configured.shown} ({configured.use})"
    if check.error == NOT_IN_CHANNEL:
        return (
            f"@{bot_name} is not in {where}: invite it — in that channel, type /invite @{bot_name}"
        )
    if check.error == NOT_FOUND:
        return (
            f"@{bot_name} cannot see {where}: check the id (the channel's details show it), "
            f"and if the channel is private, invite @{bot_name} to it (/invite @{bot_name})"
        )
    return f"{where} could not be checked: Slack answered {check.error or 'an error'}"


async def join(client: AsyncWebClient, channel: str) -> str | None:
    """The bot joins a public channel; Slack's error when it cannot (a private channel needs
    an invitation from a member)."""
    try:
        await client.conversations_join(channel=channel)
    except SlackApiError as exc:
        return str(exc.response.get("error", "unknown_error"))
    return None


async def send_sample_poll(
    client: AsyncWebClient, quality: QualityConfig, user_id: str, *, now: datetime
) -> bool:
    """The poll people get, by DM to an admin, about the first department: it stores nothing
    when answered. Recorded, for the checklist; False when Slack refused it."""
    dept = next(iter(quality.departments), None)
    name = dept.name if dept else "IT (an example)"
    promise = dept.standard.promise if dept and dept.standard else None
    text, blocks = sample_poll(name, promise, min_group_size=quality.privacy.min_group_size)
    try:
        await client.chat_postMessage(channel=user_id, text=text, blocks=blocks)
    except SlackApiError as exc:
        log.warning("sample poll not sent (%s)", exc.response.get("error"))
        return False
    await audit.record(now, user_id, SAMPLE_POLL, "sample poll", "via App Home")
    return True


@dataclass(frozen=True)
class Checklist:
    """What a new admin sets up before the first poll, and how far they are."""

    departments: int
    channels: list[ChannelCheck] | None  # None: Slack could not be asked just now
    digest_channel: str | None
    sample_sent: bool

    @property
    def unreachable(self) -> list[ChannelCheck]:
        return [c for c in self.channels or () if c.error is not None]

    @property
    def done(self) -> bool:
        return (
            self.departments > 0
            and self.channels is not None
            and not self.unreachable
            and self.digest_channel is not None
            and self.sample_sent
        )


async def checklist(client: AsyncWebClient, quality: QualityConfig) -> Checklist:
    try:
        channels: list[ChannelCheck] | None = await check_channels(client, quality)
    except (ClientError, TimeoutError) as exc:
        log.warning("set-up checklist: channels not checked (%s)", type(exc).__name__)
        channels = None
    return Checklist(
        departments=len(quality.departments),
        channels=channels,
        digest_channel=quality.digest.channel,
        sample_sent=await AuditEntry.exists(action=SAMPLE_POLL),
    )
