"""What the thank-you offers: reasons picked or skipped, and a thanks to the department (its
button opens the thanks modal; the modal's submission hands the thanks to be posted)."""

import json
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.offer import (
    ADD_ACTION,
    MAX_THANKS,
    PICK_ACTION,
    REASONS_BLOCK,
    SKIP_ACTION,
    THANK_ACTION,
    THANKS_COMMENT,
    THANKS_SIGN,
    THANKS_VIEW,
    reasons_done,
    thanks_modal,
)
from bot.runtime.db import DATABASE_ERRORS
from bot.services import Services
from bot.surveys.reasons import Added
from bot.surveys.thanks import ThanksGiven
from handlers.modals import open_modal
from handlers.payload import field, json_object, text, web_url
from handlers.payload import user_id as slack_user

log = logging.getLogger(__name__)

NOT_SAVED = "Couldn't save that — please try again in a moment."
REFUSED = {
    ThanksGiven.ALREADY: "You have thanked {name} for this already — one thanks a week.",
    ThanksGiven.UNKNOWN: "{name} can no longer be thanked here.",
    ThanksGiven.NOWHERE: "{name} has no channel to post thanks in.",
}


def _picked(body: dict[str, Any]) -> list[str]:
    """The reasons ticked in the offer when its button was clicked (the message's state)."""
    options = field(body, "state", "values", REASONS_BLOCK, PICK_ACTION, "selected_options")
    if not isinstance(options, list):
        return []
    return [str(o["value"]) for o in options if isinstance(o, dict) and "value" in o]


def _thanks_of(value: object) -> dict[str, str] | None:
    """What the app put in a thanks button's value or the thanks modal's metadata."""
    found = json_object(value)
    keys = ("token", "department", "week")
    if not all(isinstance(found.get(k), str) for k in keys):
        return None
    return {k: found[k] for k in keys}


def register(app: AsyncApp, services: Services) -> None:
    @app.action(PICK_ACTION)
    async def ticked(ack: AsyncAck) -> None:
        await ack()  # a box ticked: read when "Add" is clicked, from the message's state

    @app.action(re.compile(f"^({ADD_ACTION}|{SKIP_ACTION})$"))
    @services.tasks.tracked
    async def reasons(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        token = text(action, "value")
        if not token:
            await ack()
            return
        picked = _picked(body) if text(action, "action_id") == ADD_ACTION else []
        try:
            added = await services.polls.add_reasons(token, picked)
        except DATABASE_ERRORS as exc:
            log.warning("reasons not saved: the database did not answer (%s)", type(exc).__name__)
            await ack()
            if web_url(body, "response_url"):
                await respond(response_type="ephemeral", replace_original=False, text=NOT_SAVED)
            return
        await ack()
        if web_url(body, "response_url"):
            said = reasons_done(added is Added.ADDED, skipped=not picked)
            await respond(response_type="ephemeral", replace_original=True, text=said)

    @app.action(THANK_ACTION)
    @services.tasks.tracked
    async def thank(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        quality = services.quality.current
        await ack()
        thanks = _thanks_of(field(action, "value"))
        dept = quality.department(thanks["department"]) if thanks else None
        if thanks is None or dept is None:
            return
        view = thanks_modal(dept.name, json.dumps(thanks))
        await open_modal(client, text(body, "trigger_id"), view)

    @app.view(THANKS_VIEW)
    @services.tasks.tracked
    async def thanked(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        quality = services.quality.current
        thanks = _thanks_of(field(view, "private_metadata"))
        user_id = slack_user(body, "user", "id")
        values = field(view, "state", "values")
        if thanks is None or not user_id or not isinstance(values, dict):
            log.warning("thanks modal submission not readable; nothing recorded")
            await ack()
            return
        comment = (text(values, THANKS_COMMENT, THANKS_COMMENT, "value") or "").strip()
        signed = bool(field(values, THANKS_SIGN, THANKS_SIGN, "selected_options"))
        if len(comment) > MAX_THANKS or "\x00" in comment:
            problem = f"Keep it to {MAX_THANKS} characters, without NUL characters."
            await ack(response_action="errors", errors={THANKS_COMMENT: problem})
            return
        try:
            given = await services.thanks.give(
                thanks["token"],
                thanks["department"],
                thanks["week"],
                comment=comment or None,
                signed_by=user_id if signed else None,
            )
        except DATABASE_ERRORS as exc:
            log.warning("thanks not saved: the database did not answer (%s)", type(exc).__name__)
            await ack(response_action="errors", errors={THANKS_COMMENT: NOT_SAVED})
            return
        if given is not ThanksGiven.GIVEN:
            dept = quality.department(thanks["department"])
            said = REFUSED[given].format(name=dept.name if dept else "this department")
            await ack(response_action="errors", errors={THANKS_COMMENT: said})
            return
        await ack()
