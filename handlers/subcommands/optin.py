"""`/quality optin`: this person may be asked for ratings again."""

from bot.blocks.help import HelpEntry
from bot.services import Services
from bot.surveys.requests import opt_in
from handlers.invocation import Invocation, Subcommand

NAME = "optin"
ORDER = 71


def build(services: Services) -> Subcommand:
    async def optin(inv: Invocation) -> None:
        await inv.commit_then_ack(
            opt_in(inv.user_id),
            "Welcome back: you may be asked, now and then, how a department served you.",
        )

    return Subcommand(HelpEntry("optin", "be asked again"), optin)
