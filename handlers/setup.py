"""An admin's set-up in App Home: the Departments editor (add, edit, retire) and the first-run
checklist's buttons (join a channel, how to invite the bot, a sample poll). Everything here is
for admins only: anyone else's click is ignored, their submission refused."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.setup import (
    ADD_ACTION,
    ALERT_CHANNEL,
    CHANNELS,
    EDIT_ACTION,
    EDITOR_VIEW,
    INVITE_ACTION,
    JOIN_ACTION,
    KEYWORDS,
    MANAGERS,
    MEMBERS,
    NAME,
    PROMISE,
    REASONS_HIGH,
    REASONS_LOW,
    RESOLVE_WITHIN,
    RETIRE_ACTION,
    SAMPLE_ACTION,
    SLUG,
    TARGET,
    TEAM_CHANNEL,
    USERGROUP,
    Editing,
    editor_modal,
    invite_instructions,
)
from bot.config import HIGH, LOW, DepartmentConfig
from bot.people import managed
from bot.people.membership import sync_usergroups
from bot.people.setup import join, send_sample_poll
from bot.runtime.db import DATABASE_ERRORS
from bot.services import Services
from handlers.modals import open_modal
from handlers.payload import field, json_object, text
from handlers.payload import user_id as slack_user

log = logging.getLogger(__name__)

NOT_SAVED = "Couldn't save that — please try again in a moment."
ONLY_ADMINS = "Only admins may change departments."
# Where a complaint about a setting is shown in the modal.
_BESIDE = {
    "name": NAME, "slug": SLUG, "channels": CHANNELS, "alert_channel": ALERT_CHANNEL,
    "team_channel": TEAM_CHANNEL, "members": MEMBERS, "usergroup": USERGROUP,
    "managers": MANAGERS, "keywords": KEYWORDS, "standard": PROMISE,
}  # fmt: skip
_STANDARD = {"promise": PROMISE, "target": TARGET, "resolve_within_hours": RESOLVE_WITHIN}
_REASONS = {LOW: REASONS_LOW, HIGH: REASONS_HIGH}


def register(app: AsyncApp, services: Services) -> None:
    def admin(body: dict[str, Any]) -> str | None:
        """The clicking or submitting user, when they are an admin."""
        user = slack_user(body, "user", "id")
        return user if user and user in services.quality.current.admins else None

    async def dm(user: str, said: str) -> None:
        try:
            await services.client.chat_postMessage(channel=user, text=said)
        except SlackApiError as exc:
            log.warning("admin not told (%s)", exc.response.get("error"))

    async def editor(trigger: str | None, editing: Editing) -> None:
        quality, client = services.quality.current, services.client
        defaults = {band: ", ".join(getattr(quality.surveys.reasons, band)) for band in _REASONS}
        view = editor_modal(editing, usergroups=await _usergroups(client), default_reasons=defaults)
        await open_modal(client, trigger, view)

    # A button of an admin's set-up: acknowledged at once, then `run(user, value, trigger_id)`
    # for an admin; anyone else's click (forged, or from someone no longer an admin) does nothing.
    Run = Callable[[str, str, str | None], Awaitable[None]]

    def admin_button(action_id: str) -> Callable[[Run], Run]:
        def register_button(run: Run) -> Run:
            @app.action(action_id)
            @services.tasks.tracked
            async def clicked(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
                await ack()
                if (user := admin(body)) is not None:
                    await run(user, text(action, "value") or "", text(body, "trigger_id"))

            return run

        return register_button

    def bot_name() -> str:
        return services.bot_name or "quality-bot"

    @admin_button(ADD_ACTION)
    async def add(user: str, value: str, trigger: str | None) -> None:
        await editor(trigger, Editing())

    @admin_button(EDIT_ACTION)
    async def edit(user: str, slug: str, trigger: str | None) -> None:
        dept = services.quality.current.department(slug)
        if dept is None:
            return
        if not await managed.in_slack(dept.slug):
            await dm(user, f"{dept.name} is defined in quality.yml: change it there.")
            return
        await editor(trigger, _editing(dept))

    @app.view(EDITOR_VIEW)
    @services.tasks.tracked
    async def saved(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = admin(body)
        values = field(view, "state", "values")
        if user is None or not isinstance(values, dict):
            await ack(response_action="errors", errors={NAME: ONLY_ADMINS})
            return
        slug = json_object(field(view, "private_metadata")).get("slug")
        editing = isinstance(slug, str)  # else a new department, named in the modal
        settings = _settings(values, slug if editing else None)
        try:
            dept = DepartmentConfig.model_validate(settings)
        except ValidationError as exc:
            await ack(response_action="errors", errors=_errors(exc, editing=editing))
            return
        quality, now = services.quality.current, services.clock()
        try:
            if editing:
                refused = await managed.edit(dept, quality, actor=user, now=now)
            else:
                refused = await managed.add(dept, quality, actor=user, now=now)
        except DATABASE_ERRORS as exc:
            log.warning("department not saved (%s)", type(exc).__name__)
            await ack(response_action="errors", errors={NAME: NOT_SAVED})
            return
        if refused is not None:
            beside = _BESIDE.get(refused.field or "", NAME)
            if beside == SLUG and editing:
                beside = NAME
            await ack(response_action="errors", errors={beside: refused.reason})
            return
        try:
            await services.directory.refresh()  # in effect here when the modal closes
        except DATABASE_ERRORS as exc:  # saved all the same: the next refresh reads it
            log.warning("departments not refreshed (%s)", type(exc).__name__)
        await ack()
        if dept.usergroup:
            await sync_usergroups(services.client, [dept])
        await services.home.publish(user)

    @admin_button(RETIRE_ACTION)
    async def retire(user: str, slug: str, trigger: str | None) -> None:
        refused = await managed.retire(slug, actor=user, now=services.clock())
        if refused is not None:
            await dm(user, refused.reason)
            return
        await services.directory.refresh()
        await services.home.publish(user)

    @admin_button(JOIN_ACTION)
    async def join_channel(user: str, channel: str, trigger: str | None) -> None:
        if (error := await join(services.client, channel)) is not None:
            log.warning("channel not joined (%s)", error)
            await dm(user, invite_instructions(channel, bot_name()))
        await services.home.publish(user)

    @admin_button(INVITE_ACTION)
    async def invite(user: str, channel: str, trigger: str | None) -> None:
        await dm(user, invite_instructions(channel, bot_name()))

    @admin_button(SAMPLE_ACTION)
    async def sample(user: str, value: str, trigger: str | None) -> None:
        quality, now = services.quality.current, services.clock()
        if await send_sample_poll(services.client, quality, user, now=now):
            await services.home.publish(user)


async def _usergroups(client: AsyncWebClient) -> list[tuple[str, str]]:
    """The workspace's user groups for the picker; none when Slack will not list them."""
    try:
        answer = await client.usergroups_list()
    except SlackApiError as exc:
        log.warning("user groups not listed (%s)", exc.response.get("error"))
        return []
    groups = answer.get("usergroups") or []
    return [(str(g["id"]), f"@{g.get('handle', '')} · {g.get('name', '')}") for g in groups]


def _editing(dept: DepartmentConfig) -> Editing:
    standard, reasons = dept.standard, dept.reasons
    return Editing(
        slug=dept.slug,
        name=dept.name,
        channels=dept.channels,
        alert_channel=dept.alert_channel,
        team_channel=dept.team_channel,
        members=dept.members,
        usergroup=dept.usergroup,
        managers=dept.managers,
        keywords=dept.keywords,
        promise=standard.promise if standard else None,
        target=standard.target if standard else None,
        resolve_within_hours=standard.resolve_within_hours if standard else None,
        reasons_low=reasons.low if reasons else None,
        reasons_high=reasons.high if reasons else None,
    )


def _settings(values: dict[str, Any], slug: str | None) -> dict[str, Any]:
    """The modal's state as quality.yml would give the department, empty inputs left out."""

    def value(block: str, key: str = "value") -> Any:
        return field(values, block, block, key)

    name = (value(NAME) or "").strip()
    settings: dict[str, Any] = {
        "slug": slug or (value(SLUG) or "").strip() or managed.slug_for(name),
        "name": name,
        "channels": list(value(CHANNELS, "selected_conversations") or []),
        "members": list(value(MEMBERS, "selected_users") or []),
        "managers": list(value(MANAGERS, "selected_users") or []),
        "keywords": [k.strip() for k in (value(KEYWORDS) or "").split(",") if k.strip()],
    }
    for key in (ALERT_CHANNEL, TEAM_CHANNEL):
        if chosen := value(key, "selected_conversation"):
            settings[key] = chosen
    if group := field(values, USERGROUP, USERGROUP, "selected_option", "value"):
        settings["usergroup"] = group
    standard: dict[str, Any] = {}
    if promise := (value(PROMISE) or "").strip():
        standard["promise"] = promise
    for key in (TARGET, RESOLVE_WITHIN):
        if (number := _number(value(key))) is not None:
            standard[key] = number
    if standard:
        settings["standard"] = standard
    reasons = {
        band: lines
        for band, block in _REASONS.items()
        if (lines := [r.strip() for r in (value(block) or "").splitlines() if r.strip()])
    }
    if reasons:
        settings["reasons"] = reasons
    return settings


def _number(typed: object) -> float | None:
    try:
        return float(str(typed)) if typed not in (None, "") else None
    except ValueError:
        return None


def _errors(exc: ValidationError, *, editing: bool) -> dict[str, str]:
    """Each setting's first complaint, beside its input."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = error["loc"]
        head = str(loc[0]) if loc else "name"
        if head == "standard" and len(loc) > 1:
            block = _STANDARD.get(str(loc[1]), PROMISE)
        elif head == "reasons" and len(loc) > 1:
            block = _REASONS.get(str(loc[1]), REASONS_LOW)
        else:
            block = _BESIDE.get(head, NAME)
        if block == SLUG and editing:
            block = NAME
        message = str(error["msg"])
        errors.setdefault(block, message[:1].upper() + message[1:])
    return errors
