"""One params dict from however slack-sdk sent the call: query, form, multipart or JSON."""

import json
from typing import Any

from aiohttp import web

from bot.slack_standin.errors import SlackError

# Arguments Slack takes as JSON; in a form or query they arrive JSON-encoded as strings.
JSON_ARGUMENTS = frozenset(
    {"blocks", "attachments", "view", "files", "metadata", "user_auth_blocks"}
)


async def read_params(request: web.Request) -> tuple[dict[str, Any], str | None]:
    """Return the call's arguments and its token (from the Authorization header, else `token`)."""
    params: dict[str, Any] = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except json.JSONDecodeError:
                raise SlackError("invalid_json") from None
            if isinstance(body, dict):
                params.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for name, value in (await request.post()).items():
                params[name] = value.file.read() if isinstance(value, web.FileField) else value
    form_token = params.pop("token", None)
    return {name: _decoded(name, value) for name, value in params.items()}, _token(
        request, form_token
    )


def _token(request: web.Request, form_token: object) -> str | None:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return form_token if isinstance(form_token, str) and form_token else None


def _decoded(name: str, value: Any) -> Any:
    if name in JSON_ARGUMENTS and isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value  # left as text: the method answers invalid_arguments / invalid_blocks
    return value


def flag(params: dict[str, Any], name: str) -> bool:
    """Booleans come as JSON true, or as "1"/"true" from a form (slack-sdk turns True into "1")."""
    value = params.get(name)
    return value is True or (isinstance(value, str) and value.lower() in ("1", "true"))


def integer(params: dict[str, Any], name: str, default: int) -> int:
    try:
        return int(params.get(name, default))
    except (TypeError, ValueError):
        return default
