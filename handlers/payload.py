"""Reading Slack's payloads. A signed body is Slack's, or someone's who holds the signing secret:
it may still leave a field out or give it another type than Slack does, and a listener that
cannot read what it needs does nothing, rather than fail or store a guess."""

import json
import re
from typing import Any

from yarl import URL

from bot.privacy.erasure import USER_ID

# A message timestamp as Slack writes it, e.g. "1763456400.000100".
MESSAGE_TS = re.compile(r"\d{1,12}\.\d{1,8}")


def field(value: Any, *path: str | int) -> Any:
    """`value[path[0]][path[1]]…`, or None where a level is missing or of another type."""
    for key in path:
        if isinstance(key, int) and isinstance(value, list) and -len(value) <= key < len(value):
            value = value[key]
        elif isinstance(key, str) and isinstance(value, dict):
            value = value.get(key)
        else:
            return None
    return value


def text(value: Any, *path: str | int) -> str | None:
    """The string at `path`, or None when there is none."""
    found = field(value, *path)
    return found if isinstance(found, str) else None


def user_id(value: Any, *path: str | int) -> str | None:
    """The Slack user id (U…, W…) at `path`, or None when there is none."""
    found = text(value, *path)
    return found if found is not None and USER_ID.fullmatch(found) else None


def message_ts(value: Any, *path: str | int) -> str | None:
    found = text(value, *path)
    return found if found is not None and MESSAGE_TS.fullmatch(found) else None


def web_url(value: Any, *path: str | int) -> str | None:
    """The absolute http(s) URL at `path` (a response_url), or None when there is none."""
    found = text(value, *path)
    if not found:
        return None
    try:
        url = URL(found)
    except ValueError:
        return None
    return found if url.scheme in ("http", "https") and url.host else None


def json_object(value: object) -> dict[str, Any]:
    """The JSON object the app wrote into a button's value or a modal's private_metadata (Slack
    hands both back as given); empty when it is not one."""
    try:
        found = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
