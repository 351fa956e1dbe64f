"""`/quality privacy`: exactly what is stored about the caller, and who sees what."""

from bot.blocks.help import HelpEntry
from bot.blocks.privacy import build_privacy, privacy_text
from bot.privacy.stored import what_we_store
from bot.services import Services
from handlers.invocation import Invocation, Subcommand

NAME = "privacy"
ORDER = 60


def build(services: Services) -> Subcommand:
    async def privacy(inv: Invocation) -> None:
        quality = services.quality.current
        if inv.args:
            await inv.refuse(
                "`/quality privacy` takes no arguments: it shows what is stored about you. "
                "`/quality help` lists everything else."
            )
            return
        await inv.ack()
        stored = await what_we_store(quality, inv.user_id)
        await inv.respond(
            response_type="ephemeral", text=privacy_text(stored), blocks=build_privacy(stored)
        )

    return Subcommand(HelpEntry("privacy", "what is stored about you, and who sees what"), privacy)
