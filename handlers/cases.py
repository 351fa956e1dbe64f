"""A signed follow-up as a case in the alert channel: Claim, and Resolve… with what was done.
The department's members and managers and the admins may; the message then says who did."""

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.poll import (
    CLAIM_ACTION,
    RESOLUTION_BLOCK,
    RESOLVE_ACTION,
    RESOLVE_VIEW,
    follow_up_message,
    resolve_modal,
)
from bot.runtime.db import DATABASE_ERRORS
from bot.services import Services
from bot.surveys import cases
from handlers.modals import open_modal
from handlers.payload import field, json_object, text
from handlers.payload import user_id as slack_user

log = logging.getLogger(__name__)


def _case_id(value: object) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None


def register(app: AsyncApp, services: Services) -> None:
    async def show(client: AsyncWebClient, case_id: int) -> None:
        """The case's message as it stands now (cosmetic: the database has it either way)."""
        case = await cases.get(case_id)
        if case is None or not case.channel or not case.ts:
            return
        said, blocks = follow_up_message(
            case.id, case.user_id, case.department, case.comment, claimed_by=case.claimed_by,
            resolved_by=case.resolved_by, resolution=case.resolution,
        )  # fmt: skip
        try:
            await client.chat_update(channel=case.channel, ts=case.ts, text=said, blocks=blocks)
        except SlackApiError as exc:
            log.warning("case message not updated (%s)", exc.response.get("error"))

    @app.action(CLAIM_ACTION)
    @services.tasks.tracked
    async def claimed(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        quality = services.quality.current
        user = slack_user(body, "user", "id")
        case_id = _case_id(field(action, "value"))
        case = await cases.get(case_id) if case_id is not None else None
        if user is None or case is None or not await cases.may_handle(user, case.slug, quality):
            await ack()
            return
        try:
            await cases.claim(case.id, user, services.clock())
        except DATABASE_ERRORS as exc:
            log.warning("case not claimed: the database did not answer (%s)", type(exc).__name__)
        await ack()
        await show(client, case.id)

    @app.action(RESOLVE_ACTION)
    @services.tasks.tracked
    async def resolving(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        quality = services.quality.current
        await ack()
        user = slack_user(body, "user", "id")
        case_id = _case_id(field(action, "value"))
        case = await cases.get(case_id) if case_id is not None else None
        if user is None or case is None or not await cases.may_handle(user, case.slug, quality):
            return
        await open_modal(client, text(body, "trigger_id"), resolve_modal(case.id, case.department))

    @app.view(RESOLVE_VIEW)
    @services.tasks.tracked
    async def resolved(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        quality = services.quality.current
        user = slack_user(body, "user", "id")
        case_id = json_object(field(view, "private_metadata")).get("case")
        done = (text(field(view, "state", "values"), RESOLUTION_BLOCK, RESOLUTION_BLOCK, "value")
                or "").strip()  # fmt: skip
        case = await cases.get(case_id) if isinstance(case_id, int) else None
        if user is None or case is None or not await cases.may_handle(user, case.slug, quality):
            await ack()
            return
        if not done:
            await ack(response_action="errors", errors={RESOLUTION_BLOCK: "Say what was done."})
            return
        try:
            await cases.resolve(case.id, user, done, services.clock())
        except DATABASE_ERRORS as exc:
            log.warning("case not resolved: the database did not answer (%s)", type(exc).__name__)
            await ack(
                response_action="errors",
                errors={RESOLUTION_BLOCK: "Couldn't save that — please try again."},
            )
            return
        await ack()
        await show(client, case.id)
