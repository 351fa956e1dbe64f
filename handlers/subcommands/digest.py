"""`/quality digest [post]`: a preview of last week's digest, or (admins) posting it now."""

from bot.blocks.digest import build_digest_messages
from bot.blocks.help import HelpEntry
from bot.digest.post import Outcome
from bot.services import Services
from bot.weeks import Week
from handlers.invocation import Invocation, Subcommand

NAME = "digest"
ORDER = 40


def build(services: Services) -> Subcommand:
    async def digest(inv: Invocation) -> None:
        quality = services.quality.current
        if inv.args and [a.lower() for a in inv.args] != ["post"]:
            await inv.show_help("`digest` takes nothing, or `post`.")
            return
        if inv.args and not inv.person.may_post_digest:
            await inv.refuse(
                "Only an admin can post the digest. `/quality digest` shows you a preview."
            )
            return
        await inv.ack()
        week = Week.last_complete(services.clock(), quality.tz)
        if inv.args:
            await post(inv, week)
            return
        first = build_digest_messages(await services.aggregates.digest(week))[0]
        await inv.respond(response_type="ephemeral", **first)

    async def post(inv: Invocation, week: Week) -> None:
        quality = services.quality.current
        if quality.digest.channel is None:
            await inv.respond(
                response_type="ephemeral",
                text="There is no digest channel: set `digest.channel` in quality.yml.",
            )
            return
        result = await services.digest.post(week, force=True)
        where = f"<#{result.channel}>"
        answers = {
            Outcome.POSTED: f"Posted the digest of {week} to {where}.",
            Outcome.ALREADY_POSTED: f"The digest of {week} is already in {where}: "
            "each week is posted once.",
            Outcome.BUSY: f"The digest of {week} is being posted to {where} right now.",
            Outcome.FAILED: f"The digest of {week} could not be posted ({result.error}). "
            "It will be retried; posting again resumes where it stopped.",
        }
        await inv.respond(response_type="ephemeral", text=answers[result.outcome])

    return Subcommand(
        HelpEntry("digest", "a preview of last week's digest"),
        digest,
        variants=(HelpEntry("digest post", "post it now (still once a week)", who="admins"),),
    )
