"""Which signed bodies bolt can read. bolt takes a body's shape on trust: it indexes the fields
Slack always sends, with the types Slack gives them, while it builds a request's context, in
its own middleware and in the arguments it hands every middleware and listener. A body shaped
otherwise (`"event": null`, `"actions": []`, `"view": "x"`, …) would fail inside bolt, before
any listener of ours could look at it; such a body is refused as malformed instead."""

from typing import Any

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
