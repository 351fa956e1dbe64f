"""Slack's cursor pagination: `limit` items from where `cursor` points, and the cursor of the next
page in `response_metadata.next_cursor`, "" after the last page (Slack sends the empty string,
not null and not nothing).

Slack's cursors are opaque base64 strings; ours encode an offset, which a client must not rely on
any more than on Slack's.
"""

import base64
from collections.abc import Sequence
from typing import TypeVar

from bot.slack_standin.errors import SlackError

T = TypeVar("T")


def cursor_at(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def offset_of(cursor: object) -> int:
    """Where `cursor` points; the start for none, `invalid_cursor` for one we never issued."""
    if not cursor:
        return 0
    try:
        kind, _, number = base64.b64decode(str(cursor), validate=True).decode().partition(":")
        if kind == "offset":
            return max(0, int(number))
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors too
        pass
    raise SlackError("invalid_cursor")


def page_of(items: Sequence[T], cursor: object, limit: int) -> tuple[list[T], str]:
    """The `limit` items from `cursor` on, and the next cursor ("" when none is left)."""
    start = offset_of(cursor)
    end = start + limit
    return list(items[start:end]), cursor_at(end) if end < len(items) else ""
