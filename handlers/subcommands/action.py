"""`/quality action [department]`: record an action on what the figures show (the modal), and
see the department's open actions, each with Update… to mark it done or dropped."""

from bot.actions.records import may_act, open_by_department
from bot.blocks import escape, section
from bot.blocks.actions import action_entries, record_modal
from bot.blocks.help import HelpEntry
from bot.config import DepartmentConfig, QualityConfig
from bot.people.departments import find_department
from bot.people.roles import Person
from bot.services import Services
from bot.weeks import Week
from handlers.invocation import Invocation, Subcommand, unknown_department
from handlers.modals import open_modal

NAME = "action"
ORDER = 45


def build(services: Services) -> Subcommand:
    async def run(inv: Invocation) -> None:
        quality = services.quality.current
        chosen = _department(quality, inv.person, " ".join(inv.args))
        if isinstance(chosen, str):
            await inv.refuse(chosen)
            return
        await inv.ack()
        now = services.clock()
        week = Week.last_complete(now, quality.tz).label
        today = now.astimezone(quality.tz).date()
        view = record_modal(
            chosen.slug, chosen.name, week=week, finding="", owner=inv.user_id, today=today
        )
        opened = await open_modal(inv.client, inv.trigger_id, view)
        actions = (await open_by_department([chosen.slug])).get(chosen.slug, [])
        entries = [(a.id, a.what, a.owner, a.due, a.overdue(today)) for a in actions]
        head = f"*{escape(chosen.name)}: open actions*" if entries else (
            f"{escape(chosen.name)} has no open action."
        )  # fmt: skip
        if not opened:
            head += " (Slack did not let me open the form in time: try again to record one.)"
        await inv.respond(
            response_type="ephemeral",
            text=head,
            blocks=[section(head), *action_entries(entries, updatable=True)],
        )

    return Subcommand(
        HelpEntry("action [department]", "record an action on the figures, or update one"), run
    )


def _department(quality: QualityConfig, who: Person, typed: str) -> DepartmentConfig | str:
    """The department to act for, or the polite refusal to answer with."""
    if typed.strip():
        lookup = find_department(quality, typed)
        if lookup.department is None:
            return unknown_department(typed, lookup.suggestion)
        dept = lookup.department
        if may_act(who, dept.slug):
            return dept
        return f"Sorry, only {dept.name}'s managers and the admins record its actions."
    managed = [d for d in quality.departments if d.slug in who.manages]
    if len(managed) == 1:
        return managed[0]
    if managed or who.admin:
        return "Which department? For example `/quality action it`."
    return (
        "Sorry, actions are recorded by a department's managers and the admins. "
        "`/quality report` shows the figures anyone may see."
    )
