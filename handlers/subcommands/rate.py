"""`/quality rate [department]`: the rating modal, with the department chosen when one is named."""

from bot.blocks.help import HelpEntry
from bot.blocks.poll import rate_by_hand_modal
from bot.people.departments import find_department
from bot.services import Services
from handlers.invocation import Invocation, Subcommand, unknown_department
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
                await inv.refuse(unknown_department(" ".join(inv.args), lookup.suggestion))
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
