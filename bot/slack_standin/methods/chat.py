"""chat.*: messages the app posts, edits and deletes."""

from typing import Any

from bot.slack_standin.blocks import check_message
from bot.slack_standin.errors import SlackError
from bot.slack_standin.params import flag
from bot.slack_standin.workspace import JSON, Workspace, is_user_id

# What a message keeps of the arguments that posted or edited it.
MESSAGE_FIELDS = ("blocks", "attachments", "metadata", "thread_ts", "username", "icon_emoji")


def post_message(ws: Workspace, params: JSON) -> JSON:
    channel = _posting_channel(ws, params)
    check_message(params)
    fields = _fields(params)
    if fields.get("thread_ts") and flag(params, "reply_broadcast"):
        fields["subtype"] = "thread_broadcast"  # a reply also sent to the channel
    message = ws.bot_message(str(params.get("text") or ""), **fields)
    ws.insert_message(channel, message)
    return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}


def update(ws: Workspace, params: JSON) -> JSON:
    channel, message = _own_message(ws, params, refusal="cant_update_message")
    check_message({"text": params.get("text") or message.get("text"), **params})
    if "text" in params:
        message["text"] = str(params["text"] or "")
    message.update(_fields(params, exclude=("thread_ts",)))
    message["edited"] = {"user": ws.bot_user_id, "ts": ws.next_ts()}
    return {
        "ok": True,
        "channel": channel,
        "ts": message["ts"],
        "text": message["text"],
        "message": message,
    }


def delete(ws: Workspace, params: JSON) -> JSON:
    channel, message = _own_message(ws, params, refusal="cant_delete_message")
    ws.messages[channel].remove(message)
    return {"ok": True, "channel": channel, "ts": message["ts"]}


def post_ephemeral(ws: Workspace, params: JSON) -> JSON:
    channel = _posting_channel(ws, params)
    user = params.get("user")
    if not isinstance(user, str) or not user:
        raise SlackError("user_not_in_channel")
    check_message(params)
    message_ts = ws.next_ts()
    ws.ephemerals.append(
        {
            "channel": channel,
            "user": user,
            "text": str(params.get("text") or ""),
            "message_ts": message_ts,
            **_fields(params),
        }
    )
    return {"ok": True, "message_ts": message_ts}


def _posting_channel(ws: Workspace, params: JSON) -> str:
    channel = params.get("channel")
    if not isinstance(channel, str) or not channel:
        raise SlackError("channel_not_found")
    user = ws.users.get(channel) if is_user_id(channel) else None
    if user is not None and user["deleted"]:
        raise SlackError("channel_not_found")
    resolved = ws.resolve_channel(channel)
    ws.channels.check_bot_access(resolved)
    found = ws.channels.by_id.get(resolved)
    if found is not None and found.is_archived:
        raise SlackError("is_archived")
    return resolved


def _own_message(ws: Workspace, params: JSON, *, refusal: str) -> tuple[str, JSON]:
    channel, ts = params.get("channel"), params.get("ts")
    # Unlike posting, editing needs the conversation id (a DM's "D…", not the user's "U…").
    if not isinstance(channel, str) or is_user_id(channel) or not ws.channels.is_known(channel):
        raise SlackError("channel_not_found")
    message = ws.find_message(channel, ts) if isinstance(ts, str) else None
    if message is None:
        raise SlackError("message_not_found")
    if message.get("bot_id") != ws.bot_id:
        raise SlackError(refusal)
    return channel, message


def _fields(params: JSON, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: params[k] for k in MESSAGE_FIELDS if k in params and k not in exclude}
