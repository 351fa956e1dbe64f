"""Actions on what the figures show: the modals that record and update one, the button beside
an attention item, the lists in the digest, the report and App Home, and the owner's reminder."""

import json
from collections.abc import Sequence
from datetime import date, timedelta

from bot.blocks import (
    Block,
    button,
    context,
    escape,
    input_block,
    option,
    section,
    text_input,
)

RECORD_VIEW, UPDATE_VIEW = "action_record", "action_update"
RECORD_ACTION, UPDATE_ACTION = "action_record_open", "action_update_open"
WHAT, ADDRESSES, OWNER, DUE, STATUS, NOTE, ANNOUNCE = (
    "action_what", "action_addresses", "action_owner", "action_due", "action_status",
    "action_note", "action_announce",
)  # fmt: skip
TELL_ASKED, TELL_TEAM = "asked", "team"
DEFAULT_DUE = timedelta(days=14)
STATUS_LABELS = {"open": "Open", "done": "Done", "dropped": "Dropped"}


def actbutton(slug: str, week: str, finding: str, label: str = "Act on this") -> Block:
    """The button beside an attention item (or a department) that records an action on it."""
    value = json.dumps({"department": slug, "week": week, "finding": finding[:1500]})
    return button(label, RECORD_ACTION, value)


def updatebutton(action_id: int) -> Block:
    return button("Update…", UPDATE_ACTION, str(action_id))


def attention_item(text: str, slug: str, week: str) -> Block:
    """ "• internal average 2.6, under 3" with [Act on this] beside it."""
    return {**section(f"• {escape(text)}"), "accessory": actbutton(slug, week, text)}


def record_modal(
    slug: str, name: str, *, week: str, finding: str, owner: str, today: date
) -> Block:
    blocks: list[Block] = [section(f"*An action for {escape(name)}*")]
    if finding:
        blocks.append(context(f"On: {escape(finding)} (week {week})"))
    blocks += [
        input_block(WHAT, "What will change", text_input(WHAT, multiline=True, max_length=500)),
        input_block(
            ADDRESSES, "What it answers",
            text_input(ADDRESSES, initial=finding[:500], max_length=500), optional=True,
        ),
        input_block(OWNER, "Owner", {"type": "users_select", "action_id": OWNER,
                                "initial_user": owner}),
        input_block(DUE, "Due", {"type": "datepicker", "action_id": DUE,
                            "initial_date": (today + DEFAULT_DUE).isoformat()}),
        context("The owner is reminded when it falls due. Recorded in the audit log."),
    ]  # fmt: skip
    return _modal(RECORD_VIEW, "Record an action", blocks, {"department": slug, "week": week})


def update_modal(
    action_id: int, what: str, status: str, note: str, *, name: str, week: str, asked: int,
    team_channel: bool, announced: bool,
) -> Block:  # fmt: skip
    """Its status and note; once done, "You said, we did" to the `asked` people asked about
    the department in the finding's week, and/or to its team channel."""
    options = [option(label, value) for value, label in STATUS_LABELS.items()]
    radio: Block = {"type": "radio_buttons", "action_id": STATUS, "options": options}
    radio["initial_option"] = next(o for o in options if o["value"] == status)
    blocks = [
        section(f"*{escape(what)}*"),
        input_block(STATUS, "Status", radio),
        input_block(
            NOTE, "What was done, or why it was dropped",
            text_input(NOTE, multiline=True, initial=note, max_length=1000), optional=True,
        ),
    ]  # fmt: skip
    tell = []
    if asked and not announced:
        people = "person" if asked == 1 else "people"
        tell.append(option(f"DM the {asked} {people} asked about {name} in {week}", TELL_ASKED))
    if team_channel:
        tell.append(option(f"Post it in the team channel of {name}", TELL_TEAM))
    if tell:
        element = {"type": "checkboxes", "action_id": ANNOUNCE, "options": tell}
        blocks.append(input_block(ANNOUNCE, "When done: you said, we did", element, optional=True))
        blocks.append(
            context("Sent to everyone who was asked, whatever they answered, within each "
                    "person's weekly budget and opt-out; once per person.")
        )  # fmt: skip
    return _modal(UPDATE_VIEW, "Update the action", blocks, {"action": action_id})


def action_line(what: str, owner: str | None, due: date, *, overdue: bool) -> str:
    """'*Swap the courier* — @owner, due 12 Dec (overdue)', as mrkdwn."""
    who = f"<@{owner}>" if owner else "no owner"
    late = " *(overdue)*" if overdue else ""
    return f"*{escape(what)}* — {who}, due {due.day} {due:%b}{late}"


def action_entries(
    actions: Sequence[tuple[int, str, str | None, date, bool]], *, updatable: bool
) -> list[Block]:
    """A section per action (id, what, owner, due, overdue), with Update… beside it when the
    reader may update it."""
    blocks = []
    for action_id, what, owner, due, overdue in actions:
        block = section(f"• {action_line(what, owner, due, overdue=overdue)}")
        if updatable:
            block["accessory"] = updatebutton(action_id)
        blocks.append(block)
    return blocks


def due_reminder(name: str, what: str, due: date, action_id: int) -> tuple[str, list[Block]]:
    text = escape(f"An action you own for {name} is due on {due.day} {due:%b}: {what}")
    return text, [section(text), {"type": "actions", "elements": [updatebutton(action_id)]}]


def announcement(name: str, what: str, note: str, week: str) -> tuple[str, list[Block]]:
    """You said, we did: to everyone who was asked about the department that week, whatever
    they answered, and to its team channel."""
    text = escape(f"You said, we did — {name}: {what}")
    blocks = [
        section(f"*You said, we did — {escape(name)}*\n{escape(what)}"),
        *([section(f">{escape(note)}")] if note else []),
        context(
            f"You were among the people asked about {escape(name)} in week {week}. Thank you "
            "for telling us: this is what changed. Whatever you answered stays anonymous."
        ),
    ]
    return text, blocks


def _modal(callback: str, title: str, blocks: list[Block], meta: dict[str, object]) -> Block:
    return {
        "type": "modal",
        "callback_id": callback,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(meta),
        "blocks": blocks,
    }
