"""Reading request bodies: the bytes, within a limit (`read_body`), and which signed Slack
bodies bolt can read (`readable`).

bolt takes a body's shape on trust: it indexes the fields
Slack always sends, with the types Slack gives them, while it builds a request's context, in
its own middleware and in the arguments it hands every middleware and listener. A body shaped
otherwise (`"event": null`, `"actions": []`, `"view": "x"`, …) would fail inside bolt, before
any listener of ours could look at it; such a body is refused as malformed instead."""

from typing import Any

from aiohttp import web
from slack_bolt.request.payload_utils import (
    is_block_actions,
    to_action,
    to_command,
    to_event,
    to_message,
    to_options,
    to_shortcut,
    to_step,
    to_view,
)

# What bolt raises on such a body: JSON it cannot parse (ValueError; RecursionError when
# nested too deep), or a field it indexes without looking that is missing or of another type.
UNREADABLE = (ValueError, RecursionError, TypeError, AttributeError, KeyError, IndexError)

# Interactive payloads that bolt matches by a callback_id, against our patterns too.
_BY_CALLBACK_ID = ("interactive_message", "dialog_submission", "dialog_cancellation")


def readable(body: Any) -> bool:
    """Whether bolt can take `body` (as it parsed it) through dispatch to our listeners."""
    if not isinstance(body, dict):
        return False
    try:
        # What bolt computes for every middleware and listener (kwargs_injection).
        for read in (to_options, to_shortcut, to_action, to_view, to_command, to_event):
            read(body)
        to_message(body)
        to_step(body)
    except UNREADABLE:
        return False
    # Its own middleware reads `event` and `view` as objects whenever they are present.
    if not isinstance(body.get("event", {}), dict) or not isinstance(body.get("view", {}), dict):
        return False
    # A listener's pattern searches text: an action_id or callback_id must be one.
    if is_block_actions(body):
        action = to_action(body)
        return isinstance(action, dict) and isinstance(action.get("action_id"), str)
    if body.get("type") in _BY_CALLBACK_ID:
        return isinstance(body.get("callback_id"), str)
    return True


# Slack's own payloads stay far below this (a modal submission is the largest); anything
# bigger is not from Slack and is refused before bolt reads it.
SLACK_BODY_LIMIT = 1024 * 1024


async def read_body(request: web.Request, limit: int) -> bytes:
    """The raw body, refused with 413 past `limit` bytes without reading the rest."""
    if request.content_length is not None and request.content_length > limit:
        raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=request.content_length)
    chunks: list[bytes] = []
    size = 0
    # read(n) returns what has arrived so far, not n bytes: read to the end, counting.
    async for chunk in request.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=size)
        chunks.append(chunk)
    return b"".join(chunks)
