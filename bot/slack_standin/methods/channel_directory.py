"""conversations.list and conversations.join: which conversations the bot can find, and a bot
joining a public channel by itself.

conversations.list pages first and filters after, as Slack does: a page holds the `limit`
conversations from the cursor on, minus those the bot may not see (private channels it is not
in) and, with exclude_archived, the archived ones. So a page can be short, even empty, while
`next_cursor` says there is more; only `next_cursor` == "" ends the list.
"""

import time

from bot.slack_standin.errors import SlackError
from bot.slack_standin.pagination import page_of
from bot.slack_standin.params import flag
from bot.slack_standin.seeding import seeded_message
from bot.slack_standin.workspace import JSON, Workspace

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Each conversation type and the scope that lists it; without any of them Slack's missing_scope
# names all four, in this order.
TYPE_SCOPES = {
    "public_channel": "channels:read",
    "private_channel": "groups:read",
    "mpim": "mpim:read",
    "im": "im:read",
}


def list_conversations(ws: Workspace, params: JSON) -> JSON:
    types = _types(params)
    ws.need_scope(*TYPE_SCOPES.values())
    for kind in types:
        ws.need_scope(TYPE_SCOPES[kind])
    limit = _limit(params)
    candidates = _candidates(ws, types)
    page, next_cursor = page_of(candidates, params.get("cursor"), limit)
    exclude_archived = flag(params, "exclude_archived")
    channels = [
        listed
        for listed in page
        if _visible(listed) and not (exclude_archived and listed.get("is_archived"))
    ]
    return {"ok": True, "channels": channels, "response_metadata": {"next_cursor": next_cursor}}


def join(ws: Workspace, params: JSON) -> JSON:
    """A public channel only: a private one needs an invitation (`/invite`), and Slack answers
    `method_not_supported_for_channel_type` whether or not the bot is in it. Joining where the bot
    already is succeeds with the warning `already_in_channel`."""
    ws.need_scope("channels:join")
    channel_id = params.get("channel")
    if not isinstance(channel_id, str) or not channel_id:
        raise SlackError("channel_not_found")
    if channel_id.startswith("D") or channel_id in ws.channels.group_dms:
        raise SlackError("method_not_supported_for_channel_type")
    channel = ws.channels.by_id.get(channel_id)
    if channel is None:
        raise SlackError("channel_not_found")
    if channel.is_private:
        raise SlackError("method_not_supported_for_channel_type")
    if channel.is_archived:
        raise SlackError("is_archived")
    if ws.bot_user_id in channel.members:
        return {
            "ok": True,
            "channel": channel.info(ws.bot_user_id),
            "warning": "already_in_channel",
            "response_metadata": {"warnings": ["already_in_channel"]},
        }
    # Slack says so in the channel: "<@U…> has joined the channel" (and adds the member).
    message = seeded_message(
        ws,
        channel_id,
        ws.next_ts(),
        user=ws.bot_user_id,
        text="",
        thread_ts=None,
        subtype="channel_join",
        files=None,
        bot_id=None,
        fields={},
    )
    ws.insert_message(channel_id, message)
    return {"ok": True, "channel": channel.info(ws.bot_user_id)}


def _types(params: JSON) -> list[str]:
    raw = params.get("types")
    given = [t.strip() for t in str(raw or "").split(",") if t.strip()]
    if any(t not in TYPE_SCOPES for t in given):
        raise SlackError("invalid_types")
    return list(dict.fromkeys(given)) or ["public_channel"]


def _limit(params: JSON) -> int:
    raw = params.get("limit")
    if raw in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except (TypeError, ValueError):
        raise SlackError("invalid_limit") from None
    return min(max(1, limit), MAX_LIMIT)


def _candidates(ws: Workspace, types: list[str]) -> list[JSON]:
    """Every conversation of those types, visible to the bot or not, in a stable order."""
    found: list[JSON] = []
    for channel in ws.channels.by_id.values():
        kind = "private_channel" if channel.is_private else "public_channel"
        if kind in types:
            found.append(channel.info(ws.bot_user_id))
    if "mpim" in types:
        found += [_mpim(ws, gid, members) for gid, members in ws.channels.group_dms.items()]
    if "im" in types:
        found += [_im(ws, cid) for cid in list(ws.messages) if cid.startswith("D")]
    return found


def _visible(listed: JSON) -> bool:
    """A private channel exists for the bot only while it is a member (its group DMs and DMs
    always have it)."""
    return not listed.get("is_private") or listed.get("is_member", True) is True


def _mpim(ws: Workspace, channel_id: str, members: tuple[str, ...]) -> JSON:
    names = [str(ws.users.get(m, {}).get("name") or m.lower()) for m in members]
    name = "mpdm-" + "--".join(names) + "-1"
    return {
        "id": channel_id,
        "name": name,
        "name_normalized": name,
        "is_channel": False,
        "is_group": True,
        "is_im": False,
        "is_mpim": True,
        "is_private": True,
        "is_archived": False,
        "is_general": False,
        "is_member": True,
        "is_open": True,
        "created": _created(ws, channel_id),
        "priority": 0,
    }


def _im(ws: Workspace, channel_id: str) -> JSON:
    # A DM's id is "D" + the rest of the user's id, whose first letter is U or W.
    candidates = ("U" + channel_id[1:], "W" + channel_id[1:])
    user = next((u for u in candidates if u in ws.users), candidates[0])
    return {
        "id": channel_id,
        "created": _created(ws, channel_id),
        "is_im": True,
        "is_org_shared": False,
        "user": user,
        "is_user_deleted": bool(ws.users.get(user, {}).get("deleted")),
        "priority": 0,
    }


def _created(ws: Workspace, channel_id: str) -> int:
    """When the conversation began, as near as the stand-in knows: its first message."""
    history = ws.messages.get(channel_id) or []
    return int(float(history[0]["ts"])) if history else int(time.time())
