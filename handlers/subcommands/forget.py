"""`/quality forget @user`: an admin erases everything stored about a person."""

import logging
import re

from slack_sdk.errors import SlackApiError

from bot.blocks import escape
from bot.blocks.help import HelpEntry
from bot.blocks.privacy import build_erased
from bot.privacy.erasure import USER_ID, describe, still_listed
from bot.privacy.erasure_texts import contact_of
from bot.services import Services
from handlers.invocation import Invocation, Subcommand

NAME = "forget"
ORDER = 80

log = logging.getLogger(__name__)

# What Slack sends for a mention when the command escapes them: <@U123ABC|name> or <@U123ABC>.
_MENTION = re.compile(r"<@([UW][A-Z0-9]{1,31})(?:\|[^<>]{0,100})?>")
_FORMAT = (
    "Mention the person, like `/quality forget @sam` (pick them from the list Slack offers as "
    "you type), or give their Slack member ID, like `/quality forget U0123ABCD`."
)


def target(args: list[str]) -> str | None:
    """The user id the arguments name, or None when they are not one mention or one id."""
    text = " ".join(args)
    found = _MENTION.fullmatch(text)
    if found:
        return found.group(1)
    return text if USER_ID.fullmatch(text) else None


def problem(args: list[str]) -> str:
    text = " ".join(args)
    if not text:
        return f"Whom should I forget? {_FORMAT}"
    if len(_MENTION.findall(text)) > 1:
        return f"One person at a time, please. {_FORMAT}"
    if text.startswith("@"):
        return (
            f"`{escape(text[:40])}` arrived as plain text, not as a mention, so I cannot tell "
            f"who it is. {_FORMAT}"
        )
    shown = escape(text[:40]) + ("…" if len(text) > 40 else "")
    return f"`{shown}` is not a person I can look up. {_FORMAT}"


def build(services: Services) -> Subcommand:
    async def run(inv: Invocation) -> None:
        quality = services.quality.current
        if not inv.person.may_erase:
            await inv.refuse(
                "Only an admin can erase what is stored about a person. "
                "`/quality privacy` shows what is stored about you, and whom to ask."
            )
            return
        user_id = target(inv.args)
        if user_id is None:
            await inv.refuse(problem(inv.args))
            return
        await inv.ack()
        contact = await contact_of(inv.client, user_id)
        erased = await services.deletions.forget(user_id, actor=inv.user_id, contact=contact)
        if erased.unlisted:
            await services.directory.refresh()  # the departments that listed them, now
        lines = describe(erased, f"<@{user_id}>", still_listed(quality, user_id, erased))
        await inv.respond(response_type="ephemeral", text=lines[0], blocks=build_erased(lines))
        try:
            await services.home.publish(user_id)  # their Home no longer lists the polls
        except SlackApiError as exc:  # a deactivated account has no Home to refresh
            log.warning("erased person's Home not refreshed (%s)", exc.response.get("error"))

    return Subcommand(
        HelpEntry("forget @user", "erase everything stored about a person", who="admins"), run
    )
