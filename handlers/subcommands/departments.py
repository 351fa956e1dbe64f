"""`/quality departments`: every department, its service channels, managers and size."""

from bot.blocks.departments import build_departments
from bot.blocks.help import HelpEntry
from bot.people.membership import member_counts
from bot.services import Services
from handlers.invocation import Invocation, Subcommand

NAME = "departments"
ORDER = 30


def build(services: Services) -> Subcommand:
    async def departments(inv: Invocation) -> None:
        quality = services.quality.current
        if inv.args:
            await inv.show_help("`departments` takes no arguments.")
            return
        await inv.ack()
        counts = await member_counts()
        await inv.respond(
            response_type="ephemeral",
            text=f"{len(quality.departments)} departments",
            blocks=build_departments(quality.departments, counts),
        )

    help_ = HelpEntry("departments", "the departments, their channels and managers")
    return Subcommand(help_, departments)
