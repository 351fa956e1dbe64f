"""The edge every webhook shares: limits, Standard Webhooks signatures, parsing, answers.

A handler wrapped in `@webhook` calls `signed_payload` first and raises `WebhookError` for any
answer that is not a success; the wrapper turns those, and a database that is gone, into JSON.
Senders retry on 5xx, so every failure a sender can cause is a 4xx and every failure of ours
that a retry can cure is a 503: never a 500.
"""

import functools
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from bot.config import describe_errors
from bot.runtime import db
from bot.runtime.db import DATABASE_ERRORS
from bot.services import SERVICES
from handlers.bodies import read_body

log = logging.getLogger(__name__)

WEBHOOK_BODY_LIMIT = 256 * 1024

M = TypeVar("M", bound=BaseModel)
Handler = Callable[[web.Request], Awaitable[web.Response]]


class WebhookError(Exception):
    """An answer other than success: `{"error": message}` with `status`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def webhook(handler: Handler) -> Handler:
    """Answer `WebhookError` as JSON, and a database failure as 503 (the sender will retry)."""

    @functools.wraps(handler)
    async def answer(request: web.Request) -> web.Response:
        # Logged by its route, never its path: a path may end with a source's secret.
        where = (
            request.match_info.route.resource.canonical
            if request.match_info.route.resource
            else "webhook"
        )
        try:
            return await handler(request)
        except WebhookError as exc:
            return error_response(exc.status, exc.message)
        except DATABASE_ERRORS as exc:
            log.warning("%s: database unavailable (%s)", where, type(exc).__name__)
            return error_response(503, "database unavailable")
        except BrokenProcessPool:  # the scoring worker died twice running: retry later
            log.error("%s: sentiment scoring unavailable", where)
            return error_response(503, "sentiment scoring unavailable")
        except Exception as exc:
            # A database that vanished mid-transaction surfaces as whatever the rollback
            # tripped over (tortoise raises ValueError on a closed SQLite connection): ask
            # the database itself before calling it our bug.
            if not await db.ping():
                log.warning("%s: database unavailable (%s)", where, type(exc).__name__)
                return error_response(503, "database unavailable")
            log.exception("%s: unexpected failure", where)
            return error_response(500, "internal error")  # still JSON, as senders expect

    return answer


async def signed_payload(
    request: web.Request, model: type[M], *, limit: int = WEBHOOK_BODY_LIMIT
) -> M:
    """The body, verified and validated as `model`; `WebhookError` with 503/415/413/401/400."""
    return parse_payload(model, await verified_body(request, limit=limit))


async def verified_body(request: web.Request, *, limit: int = WEBHOOK_BODY_LIMIT) -> str:
    """The raw body text once a configured secret has signed it."""
    secrets = request.app[SERVICES].settings.review_webhook_secrets
    if not secrets:
        # Accepting unsigned data would be worse than refusing everything: say what to set.
        raise WebhookError(503, "webhooks are not configured: set REVIEW_WEBHOOK_SECRET")
    raw = await json_body(request, limit=limit)
    text = utf8(raw)
    verify_signature(text, dict(request.headers), secrets)
    return text


async def json_body(request: web.Request, *, limit: int = WEBHOOK_BODY_LIMIT) -> bytes:
    """The bytes of a JSON body as sent: 415 for another type, encoding or charset, 413 past
    `limit` (nothing more is read)."""
    if request.content_type != "application/json":
        raise WebhookError(415, "Content-Type must be application/json")
    if request.headers.get("Content-Encoding", "identity").lower() != "identity":
        # Senders sign the bytes as sent, and do not compress them.
        raise WebhookError(415, "Content-Encoding must be identity (no compression)")
    if (request.charset or "utf-8").lower() != "utf-8":
        raise WebhookError(415, "Content-Type charset must be utf-8")
    try:
        return await read_body(request, limit)
    except web.HTTPRequestEntityTooLarge:
        raise WebhookError(413, f"body over {limit // 1024} KiB") from None


def utf8(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise WebhookError(400, "body: not valid UTF-8") from None


def verify_signature(text: str, headers: dict[str, str], secrets: tuple[str, ...]) -> None:
    """Pass when any one of `secrets` signed `text` within ±5 minutes (rotation keeps the old
    secret valid until every sender has the new one); otherwise `WebhookError(401)`."""
    reason = "no valid signature"
    for secret in secrets:
        try:
            Webhook(secret).verify(text, headers, json_parse=False)
            return
        except WebhookVerificationError as exc:
            reason = str(exc)
        except ValueError:  # the library unpacks and base64-decodes the header unguarded
            reason = "malformed webhook-signature header"
    raise WebhookError(401, f"invalid signature: {reason}")


def parse_payload(model: type[M], text: str) -> M:
    """`text` as `model`, or `WebhookError(400)` naming each field and what is wrong with it."""
    try:
        payload = model.model_validate_json(text)
    except ValidationError as exc:
        raise WebhookError(400, describe_errors(exc.errors())) from None
    where = _nul_at(payload.model_dump(), "")
    if where is not None:
        # JSON allows "\u0000"; PostgreSQL cannot store it in text, so it is refused here.
        raise WebhookError(400, f"{where or 'body'}: must not contain the NUL character (\\u0000)")
    return payload


def _nul_at(value: object, path: str) -> str | None:
    """The path of the first string holding a NUL character, like `reviews[2].text`."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        items = ((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
    elif isinstance(value, list | tuple):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    return next((found for p, v in items if (found := _nul_at(v, p)) is not None), None)
