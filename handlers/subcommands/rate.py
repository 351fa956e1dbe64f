"""`/quality rate [department]`: the rating modal, with the department chosen when one is named."""

from bot.blocks import escape
from bot.blocks.help import HelpEntry
from bot.blocks.poll import rate_by_hand_modal
from bot.people.departments import find_department
from bot.services import Services
from handlers.invocation import Invocation, Subcommand
from handlers.modals import open_modal

NAME = "rate"
ORDER = 10


def build(services: Services) -> Subcommand:
    async def rate(inv: Invocation) -> None:
        quality = services.quality.current
        selected = None
        if inv.args:
            lookup = find_department(quality, " ".join(inv.args))
            if lookup.department is None:
                hint = f" Did you mean `{lookup.suggestion}`?" if lookup.suggestion else ""
                await inv.refuse(
                    f"I don't know the department `{escape(' '.join(inv.args)[:60])}`.{hint} "
                    "`/quality departments` lists them."
                )
                return
            selected = lookup.department.slug
        await inv.ack()
        view = rate_by_hand_modal(quality, selected=selected, origin={"trigger": "manual"})
        if not await open_modal(inv.client, inv.trigger_id, view):
            await inv.respond(
                response_type="ephemeral",
                text="Slack did not let me open the rating form in time. Please try again.",
            )

    return Subcommand(HelpEntry("rate [department]", "rate a department now"), rate)
