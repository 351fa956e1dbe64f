"""Messages a test puts in a channel, in the shapes Slack gives them, or a ValueError saying
why Slack would never have sent that.

A person's message has `user` and no subtype, or `file_share` (posted with files),
`thread_broadcast` (a reply also sent to the channel) or `me_message` (/me). Slack writes
`channel_join`, `channel_leave`, `channel_topic` and `channel_purpose` itself; another
integration's message is a `bot_message` with a `bot_id` and no `user`.
"""

import mimetypes
import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.slack_standin.text import check_slack_text
from bot.slack_standin.workspace import JSON, Workspace, is_user_id

PEOPLES_SUBTYPES = (None, "file_share", "thread_broadcast", "me_message")
SLACKS_SUBTYPES = ("channel_join", "channel_leave", "channel_topic", "channel_purpose")
SUBTYPES = (*PEOPLES_SUBTYPES, "bot_message", *SLACKS_SUBTYPES)
_TS = re.compile(r"\d{9,10}\.\d{6}")


def seeded_message(
    ws: Workspace,
    channel: str,
    ts: str,
    *,
    user: str | None,
    text: str,
    thread_ts: str | None,
    subtype: str | None,
    files: Sequence[Mapping[str, Any]] | None,
    bot_id: str | None,
    fields: Mapping[str, Any],
) -> JSON:
    if not ws.channels.is_known(channel):
        raise ValueError(f"{channel}: no such channel; add_channel({channel!r}, name=…) first")
    if not _TS.fullmatch(ts):
        raise ValueError(f"{ts!r}: a Slack ts is seconds and six digits, like 1763456400.000100")
    if ws.find_message(channel, ts) is not None:
        raise ValueError(f"{channel} already has a message at {ts}")
    if bot_id is not None and subtype is None and user is None:
        # Slack's own fill-in: our bot's post has the bot user; another integration's is a
        # bot_message.
        if bot_id == ws.bot_id:
            user = ws.bot_user_id
        else:
            subtype = "bot_message"
    if subtype not in SUBTYPES:
        raise ValueError(f"subtype {subtype!r}: the stand-in knows {SUBTYPES[1:]}")
    text = text or _slacks_own_text(subtype, user, fields)
    check_slack_text(text)
    message: JSON = {"type": "message", "ts": ts, "text": text, **fields}
    if subtype is not None:
        message["subtype"] = subtype
    if subtype == "bot_message":
        if user is not None:
            raise ValueError("a bot_message has a bot_id and no user")
        message["bot_id"] = bot_id or "B0INTEGRATION"
    else:
        if user is None or not is_user_id(user):
            raise ValueError(f"user {user!r}: a person's message (or Slack's about one) has one")
        message.update(user=user, team=ws.team_id)
        if bot_id is not None:
            message["bot_id"] = bot_id
            if bot_id == ws.bot_id:
                message["app_id"] = ws.app_id
    _thread(ws, channel, message, thread_ts, subtype)
    if subtype == "file_share":
        message.update(_shared_files(ws, channel, ts, str(user), files))
    elif files is not None:
        raise ValueError("files come with subtype='file_share'")
    _membership(ws, channel, subtype, user)
    return message


def _slacks_own_text(subtype: str | None, user: str | None, fields: Mapping[str, Any]) -> str:
    who = f"<@{user}>"
    return {
        "channel_join": f"{who} has joined the channel",
        "channel_leave": f"{who} has left the channel",
        "channel_topic": f"{who} set the channel topic: {fields.get('topic', '')}",
        "channel_purpose": f"{who} set the channel purpose: {fields.get('purpose', '')}",
    }.get(subtype or "", "")


def _thread(
    ws: Workspace, channel: str, message: JSON, thread_ts: str | None, subtype: str | None
) -> None:
    if subtype == "thread_broadcast" and (thread_ts is None or thread_ts == message["ts"]):
        raise ValueError("a thread_broadcast is a reply: give the parent's ts as thread_ts")
    if thread_ts is None or thread_ts == message["ts"]:
        return
    parent = ws.find_message(channel, thread_ts)
    if parent is None:
        raise ValueError(f"thread_ts {thread_ts}: seed the thread's parent first")
    if parent.get("thread_ts") not in (None, parent["ts"]):
        raise ValueError(f"thread_ts {thread_ts} is a reply; a thread hangs off its parent")
    message["thread_ts"] = thread_ts
    message["parent_user_id"] = parent.get("user") or parent.get("bot_id")
    if subtype == "thread_broadcast":
        message["root"] = {
            k: parent[k] for k in ("type", "user", "bot_id", "text", "ts") if k in parent
        } | {"thread_ts": thread_ts}


def _shared_files(
    ws: Workspace, channel: str, ts: str, user: str, files: Sequence[Mapping[str, Any]] | None
) -> JSON:
    if not files:
        raise ValueError("a file_share message has files: files=[{'name': 'error.png'}]")
    shared = []
    for given in files:
        name = str(given.get("name") or given.get("title") or "")
        if not name:
            raise ValueError("each shared file needs at least a name")
        file_id = str(given.get("id") or ws.new_id("F"))
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        shared.append(
            {
                "id": file_id,
                "created": int(float(ts)),
                "timestamp": int(float(ts)),
                "name": name,
                "title": name,
                "mimetype": mimetype,
                "filetype": name.rpartition(".")[2].lower() if "." in name else "binary",
                "user": user,
                "mode": "hosted",
                "is_external": False,
                "is_public": channel.startswith("C"),
                "size": 0,
                "url_private": f"{ws.base_url}files/{file_id}/{name}",
                **given,
            }
        )
    return {"files": shared, "upload": True, "display_as_bot": False}


def _membership(ws: Workspace, channel: str, subtype: str | None, user: str | None) -> None:
    found = ws.channels.by_id.get(channel)
    if found is None or user is None:
        return
    if subtype == "channel_join":
        found.members.add(user)
    elif subtype == "channel_leave":
        found.members.discard(user)
