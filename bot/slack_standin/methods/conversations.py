"""conversations.*: DMs, a channel's history and a thread, and what the bot may know of a
channel."""

import hashlib
from decimal import Decimal, InvalidOperation

from bot.slack_standin.errors import SlackError
from bot.slack_standin.pagination import page_of
from bot.slack_standin.params import flag, integer
from bot.slack_standin.workspace import JSON, Workspace, dm_channel_id, ts_key

DEFAULT_LIMIT = 100
MAX_LIMIT = 999


def open_conversation(ws: Workspace, params: JSON) -> JSON:
    channel = params.get("channel")
    if isinstance(channel, str) and channel:
        return {"ok": True, "channel": {"id": channel}}
    users = [u.strip() for u in str(params.get("users") or "").split(",") if u.strip()]
    if not users:
        raise SlackError("users_list_not_supplied")
    if any(ws.users.get(u, {}).get("deleted") for u in users):
        raise SlackError("user_disabled")
    channel_id = dm_channel_id(users[0]) if len(users) == 1 else _group_dm_id(users)
    if len(users) > 1:
        ws.channels.group_dms[channel_id] = (ws.bot_user_id, *sorted(set(users)))
    already_open = channel_id in ws.messages
    ws.messages.setdefault(channel_id, [])
    answer: JSON = {"ok": True, "channel": {"id": channel_id}}
    if flag(params, "return_im"):
        answer.update(no_op=already_open, already_open=already_open)
        answer["channel"].update(is_im=len(users) == 1, is_mpim=len(users) > 1, is_open=True)
        if len(users) == 1:
            answer["channel"]["user"] = users[0]
    return answer


def _group_dm_id(users: list[str]) -> str:
    """Stable per set of people, as Slack's group DMs are."""
    digest = hashlib.sha256(",".join(sorted(set(users))).encode()).hexdigest()
    return "G" + digest[:10].upper()


def history(ws: Workspace, params: JSON) -> JSON:
    channel = _readable_channel(ws, params)
    top_level = [
        ws.as_listed(channel, m)
        for m in ws.messages.get(channel, [])
        if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"
    ]
    chosen = _window(top_level, params)
    # Only `oldest` given: Slack pages forward from it, so keep the earliest ones.
    from_oldest = "oldest" in params and "latest" not in params
    return _page(chosen if from_oldest else chosen[::-1], params, newest_first=True)


def replies(ws: Workspace, params: JSON) -> JSON:
    """The thread `ts` belongs to, parent first, whether `ts` is the parent's or a reply's.
    `oldest` / `latest` / `inclusive` narrow the replies only; the parent is always the first
    message of the first page and counts toward `limit`."""
    channel = _readable_channel(ws, params)
    ts = params.get("ts")
    message = ws.find_message(channel, ts) if isinstance(ts, str) else None
    if message is None:
        raise SlackError("thread_not_found")
    parent = ws.find_message(channel, str(message.get("thread_ts") or message["ts"]))
    if parent is None:
        raise SlackError("thread_not_found")
    thread = [ws.as_listed(channel, parent), *_window(ws.replies_to(channel, parent["ts"]), params)]
    return _page(thread, params, newest_first=False)


def info(ws: Workspace, params: JSON) -> JSON:
    """What the bot may know of a conversation. Needs channels:read (public) or groups:read
    (private), which a token may not have: then `missing_scope`, as Slack answers."""
    channel = params.get("channel")
    if not isinstance(channel, str) or not channel:
        raise SlackError("channel_not_found")
    if channel.startswith("D"):
        ws.need_scope("im:read")
        return {"ok": True, "channel": {"id": channel, "is_im": True, "is_private": True}}
    found = ws.channels.by_id.get(channel)
    if found is None:
        ws.need_scope("channels:read")
        raise SlackError("channel_not_found")
    ws.need_scope("groups:read" if found.is_private else "channels:read")
    if found.is_private and ws.bot_user_id not in found.members:
        raise SlackError("channel_not_found")
    return {"ok": True, "channel": found.info(ws.bot_user_id)}


def _readable_channel(ws: Workspace, params: JSON) -> str:
    channel = params.get("channel")
    if not isinstance(channel, str) or not channel:
        raise SlackError("channel_not_found")
    ws.channels.check_bot_access(channel)
    return channel


def _window(messages: list[JSON], params: JSON) -> list[JSON]:
    """Messages between `oldest` and `latest`, ends excluded unless `inclusive`, oldest first."""
    oldest = _bound(params, "oldest", Decimal(0))
    latest = _bound(params, "latest", Decimal("Infinity"))
    inclusive = flag(params, "inclusive")

    def inside(message: JSON) -> bool:
        ts = ts_key(message["ts"])
        if inclusive:
            return oldest <= ts <= latest
        return oldest < ts < latest

    return [m for m in messages if inside(m)]


def _bound(params: JSON, name: str, default: Decimal) -> Decimal:
    value = params.get(name)
    if value in (None, ""):
        return default
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise SlackError(f"invalid_ts_{name}") from None


def _page(messages: list[JSON], params: JSON, *, newest_first: bool) -> JSON:
    limit = min(max(1, integer(params, "limit", DEFAULT_LIMIT)), MAX_LIMIT)
    page, next_cursor = page_of(messages, params.get("cursor"), limit)
    if newest_first:
        page = sorted(page, key=lambda m: ts_key(m["ts"]), reverse=True)
    has_more = next_cursor != ""
    if not flag(params, "include_all_metadata"):  # Slack leaves message metadata out unasked
        page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
    return {
        "ok": True,
        "messages": page,
        "has_more": has_more,
        "response_metadata": {"next_cursor": next_cursor},
    }
