"""`/quality optout`: nobody asks this person for a rating any more (`optin` undoes it)."""

from bot.blocks.help import HelpEntry
from bot.services import Services
from bot.surveys.requests import opt_out
from handlers.invocation import Invocation, Subcommand

NAME = "optout"
ORDER = 70


def build(services: Services) -> Subcommand:
    async def optout(inv: Invocation) -> None:
        await inv.commit_then_ack(
            opt_out(inv.user_id),
            "Done: nobody will ask you for a rating. `/quality optin` turns polls back on.",
        )

    return Subcommand(HelpEntry("optout", "stop being asked to rate"), optout)
