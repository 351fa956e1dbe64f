"""`POST /webhooks/interactions`: an internal tool reports a served request.

Parse, find the requester in Slack, ask the survey service for one poll, answer. The tool's
`id` is the idempotency key: a retry of the same id is a 200 duplicate, never a second poll.
"""

import logging
import re
from typing import Annotated, Any

from aiohttp import ClientError, web
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, model_validator
from pydantic_core import PydanticCustomError
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.payload import Moment
from bot.services import SERVICES
from bot.surveys.requests import PollRequest, UnknownDepartment
from bot.surveys.served import summary_of
from handlers.webhooks.signed import WebhookError, signed_payload, webhook

log = logging.getLogger(__name__)

SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,31}")
SLUG = re.compile(r"[a-z0-9-]{1,64}")
# Deliberately loose: Slack is the judge of whether the address exists; this only catches
# values that cannot be an address at all.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _matching(pattern: re.Pattern[str], message: str) -> AfterValidator:
    def check(value: str) -> str:
        if not pattern.fullmatch(value):
            raise PydanticCustomError("pattern_mismatch", message)
        return value

    return AfterValidator(check)


SlackUserId = Annotated[str, _matching(SLACK_USER_ID, "not a Slack user id (U… or W…)")]
Email = Annotated[
    str, Field(max_length=254), _matching(EMAIL, "value is not a valid email address")
]
Slug = Annotated[str, _matching(SLUG, "not a department slug (a-z, 0-9 and -)")]


class Requester(BaseModel):
    model_config = ConfigDict(frozen=True)

    slack_id: SlackUserId | None = None
    email: Email | None = None

    @model_validator(mode="after")
    def exactly_one(self) -> "Requester":
        if (self.slack_id is None) == (self.email is None):
            raise PydanticCustomError("requester", "give exactly one of slack_id or email")
        return self


class Interaction(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=200)
    department: Slug
    requester: Requester
    summary: str | None = Field(default=None, max_length=500)
    url: HttpUrl | None = Field(default=None, max_length=1000)
    # When the request was opened and resolved: the department's time to resolution.
    opened_at: Moment | None = None
    resolved_at: Moment | None = None


@webhook
async def interactions(request: web.Request) -> web.Response:
    body = await signed_payload(request, Interaction)
    services = request.app[SERVICES]
    user_id = await resolve_requester(services.client, body.requester)
    poll = PollRequest(
        user_id=user_id,
        department=body.department,
        trigger="webhook",
        trigger_key=f"webhook:{body.id}",
        summary=summary_of(body.summary or ""),  # plain text already, as Slack's is once read
        url=str(body.url) if body.url is not None else None,
        opened_at=body.opened_at,
        resolved_at=body.resolved_at,
    )
    try:
        outcome = await services.polls.request(poll)
    except UnknownDepartment as exc:
        raise WebhookError(422, f"department: unknown department '{exc}'") from None
    answer: dict[str, Any] = {
        "status": "created" if outcome.created else "duplicate",
        "id": body.id,
        "department": body.department,
        "poll": {"status": outcome.status, "reason": outcome.reason},
    }
    return web.json_response(answer, status=201 if outcome.created else 200)


async def resolve_requester(client: AsyncWebClient, requester: Requester) -> str:
    """The requester's Slack user id; 422 for an address Slack does not know, 503 when Slack
    cannot answer (the sender retries, and nothing was stored yet)."""
    if requester.slack_id is not None:
        return requester.slack_id
    assert requester.email is not None  # the model lets through exactly one of the two
    try:
        response = await client.users_lookupByEmail(email=requester.email)
    except SlackApiError as exc:
        if exc.response.get("error") == "users_not_found":
            raise WebhookError(422, "requester: no Slack user with that email") from None
        log.warning("users.lookupByEmail failed: %s", exc.response.get("error"))
        raise WebhookError(503, "slack unavailable") from None
    except (SlackClientError, ClientError, OSError, TimeoutError) as exc:
        log.warning("users.lookupByEmail failed: %s", type(exc).__name__)
        raise WebhookError(503, "slack unavailable") from None
    user = response.get("user") or {}
    if user.get("deleted") or user.get("is_bot") or not user.get("id"):
        raise WebhookError(422, "requester: no active Slack user with that email")
    return str(user["id"])
