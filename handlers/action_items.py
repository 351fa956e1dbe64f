"""Actions on what the figures show: "Act on this" beside an attention item (a manager's digest
DM, App Home) and "Update…" beside an action open their modals; the modals record or update it."""

import logging
from collections.abc import Awaitable
from datetime import date
from typing import Any, TypeVar

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.actions import records
from bot.actions.announce import asked_about, update_and_announce
from bot.actions.records import DONE, Invalid, NotAllowed
from bot.blocks import escape
from bot.blocks.actions import (
    ADDRESSES,
    ANNOUNCE,
    DUE,
    NOTE,
    OWNER,
    RECORD_ACTION,
    RECORD_VIEW,
    STATUS,
    TELL_ASKED,
    TELL_TEAM,
    UPDATE_ACTION,
    UPDATE_VIEW,
    WHAT,
    record_modal,
    update_modal,
)
from bot.people.roles import person
from bot.runtime.db import DATABASE_ERRORS
from bot.services import Services
from handlers.modals import open_modal
from handlers.payload import field, json_object, text
from handlers.payload import user_id as slack_user

log = logging.getLogger(__name__)
T = TypeVar("T")

NOT_SAVED = "Couldn't save that — please try again in a moment."
NOT_YOURS = "Only the department's managers and the admins may."
# Which input a service's complaint about a field belongs beside.
BLOCKS = {"what": WHAT, "due": DUE, "status": STATUS, "note": NOTE}


def register(app: AsyncApp, services: Services) -> None:
    @app.action(RECORD_ACTION)
    @services.tasks.tracked
    async def act(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        quality = services.quality.current
        await ack()
        user = slack_user(body, "user", "id")
        found = json_object(field(action, "value"))
        dept = quality.department(str(found.get("department", "")))
        if user is None or dept is None or not records.may_act(person(quality, user), dept.slug):
            return  # the button is shown to those who may; nothing to do for anyone else
        today = services.clock().astimezone(quality.tz).date()
        view = record_modal(
            dept.slug,
            dept.name,
            week=str(found.get("week", "")),
            finding=str(found.get("finding", "")),
            owner=user,
            today=today,
        )
        await open_modal(client, text(body, "trigger_id"), view)

    @app.action(UPDATE_ACTION)
    @services.tasks.tracked
    async def change(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        quality = services.quality.current
        await ack()
        user = slack_user(body, "user", "id")
        value = text(action, "value") or ""
        found = await records.get(int(value)) if value.isdigit() else None
        if user is None or found is None:
            return
        if not records.may_act(person(quality, user), found.slug):
            return
        dept = quality.department(found.slug)
        view = update_modal(
            found.id,
            found.what,
            found.status,
            found.note,
            name=found.department,
            week=found.week,
            asked=len(await asked_about(found.slug, found.week, quality)) if found.week else 0,
            team_channel=dept is not None and dept.thanks_channel is not None,
            announced=found.announced,
        )
        await open_modal(client, text(body, "trigger_id"), view)

    @app.view(RECORD_VIEW)
    @services.tasks.tracked
    async def recorded(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient
    ) -> None:
        quality = services.quality.current
        user = slack_user(body, "user", "id")
        meta = json_object(field(view, "private_metadata"))
        values = field(view, "state", "values")
        if user is None or not isinstance(values, dict):
            await ack()
            return
        owner = slack_user(values, OWNER, OWNER, "selected_user") or user
        due = _date(text(values, DUE, DUE, "selected_date"))
        if due is None:
            await ack(response_action="errors", errors={DUE: "Choose a day."})
            return
        slug = str(meta.get("department", ""))
        recording = records.record(
            person(quality, user),
            slug,
            what=text(values, WHAT, WHAT, "value") or "",
            owner=owner,
            due=due,
            addresses=text(values, ADDRESSES, ADDRESSES, "value") or "",
            week=str(meta.get("week", ""))[:8],
            quality=quality,
            now=services.clock(),
        )
        saved = await _saved(ack, recording, beside=WHAT)
        if saved is None:
            return
        await ack()
        if owner != user:  # the owner hears of it from the app, not only from its recorder
            said = (
                f"<@{user}> recorded an action for {escape(saved.department)} and made you its "
                f"owner, due {saved.due.day} {saved.due:%b}: *{escape(saved.what)}*"
            )
            try:
                await client.chat_postMessage(channel=owner, text=said)
            except SlackApiError as exc:
                log.warning("action owner not told (%s)", exc.response.get("error"))

    @app.view(UPDATE_VIEW)
    @services.tasks.tracked
    async def updated(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        quality = services.quality.current
        user = slack_user(body, "user", "id")
        meta = json_object(field(view, "private_metadata"))
        values = field(view, "state", "values")
        action_id = meta.get("action")
        if user is None or not isinstance(values, dict) or not isinstance(action_id, int):
            await ack()
            return
        status = text(values, STATUS, STATUS, "selected_option", "value") or ""
        ticked = field(values, ANNOUNCE, ANNOUNCE, "selected_options")
        tell = {o.get("value") for o in ticked if isinstance(o, dict)} if ticked else set()
        if tell and status != DONE:
            await ack(response_action="errors", errors={ANNOUNCE: "Only a done action."})
            return
        who = person(quality, user)

        saved = update_and_announce(
            who,
            action_id,
            status=status,
            note=text(values, NOTE, NOTE, "value") or "",
            dm=TELL_ASKED in tell,
            team=TELL_TEAM in tell,
            quality=quality,
            now=services.clock(),
        )
        if await _saved(ack, saved, beside=STATUS) is None:
            return
        await ack()
        if tell:
            services.announcements.wake()


async def _saved(ack: AsyncAck, write: Awaitable[T], *, beside: str) -> T | None:
    """What `write` returns once stored; None when it was refused or not stored, and the modal
    was answered with why (beside the input it concerns, else beside `beside`)."""
    try:
        return await write
    except Invalid as exc:
        await ack(response_action="errors", errors={BLOCKS[exc.field]: str(exc)})
    except NotAllowed:
        await ack(response_action="errors", errors={beside: NOT_YOURS})
    except DATABASE_ERRORS as exc:
        log.warning("action not saved: the database did not answer (%s)", type(exc).__name__)
        await ack(response_action="errors", errors={beside: NOT_SAVED})
    return None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
