"""An admin's set-up in App Home: the Departments editor (the list, and the modal that adds or
edits one with Slack's own pickers) and the first-run checklist."""

import json
from collections.abc import Sequence
from dataclasses import dataclass

from bot.blocks import (
    Block,
    button,
    context,
    divider,
    escape,
    input_block,
    option,
    plain,
    section,
    text_input,
)

EDITOR_VIEW = "department_editor"
ADD_ACTION, EDIT_ACTION, RETIRE_ACTION = "department_add", "department_edit", "department_retire"
JOIN_ACTION, INVITE_ACTION, SAMPLE_ACTION = "setup_join", "setup_invite", "setup_sample_poll"
# The modal's inputs: each block id is also its action id, and names the setting it sets.
NAME, SLUG, CHANNELS, ALERT_CHANNEL, TEAM_CHANNEL, MEMBERS, USERGROUP, MANAGERS = (
    "name", "slug", "channels", "alert_channel", "team_channel", "members", "usergroup",
    "managers",
)  # fmt: skip
KEYWORDS, PROMISE, TARGET, RESOLVE_WITHIN, REASONS_LOW, REASONS_HIGH = (
    "keywords", "promise", "target", "resolve_within_hours", "reasons_low", "reasons_high",
)  # fmt: skip
MAX_LISTED = 20  # departments in the editor, two blocks each
MAX_CHANNEL_ROWS = 10  # channels to fix, in the checklist


@dataclass(frozen=True)
class Listed:
    """A department as the editor lists it."""

    slug: str
    name: str
    in_file: bool  # defined in quality.yml, and changed there
    channels: tuple[str, ...]
    managers: tuple[str, ...]


@dataclass(frozen=True)
class ChannelToFix:
    channel: str
    use: str  # "IT's service channel"
    joinable: bool  # public: the bot can join it itself


@dataclass(frozen=True)
class SetupState:
    """The checklist's items, as App Home shows them until every one is done."""

    departments: int
    channels_checked: bool  # False: Slack could not be asked just now
    to_fix: Sequence[ChannelToFix]
    digest_channel: str | None
    sample_sent: bool


def admin_blocks(
    departments: Sequence[Listed], setup: SetupState | None, *, bot_name: str
) -> list[Block]:
    """The checklist (when `setup` is not done), then the Departments editor."""
    blocks = _checklist(setup, bot_name) if setup is not None else []
    return [*blocks, *_editor(departments)]


def _checklist(setup: SetupState, bot_name: str) -> list[Block]:
    blocks = [divider(), section("*Set-up checklist* — until everything here is done")]
    if setup.departments:
        many = "department" if setup.departments == 1 else "departments"
        blocks.append(section(f":white_check_mark: {setup.departments} {many} set up"))
    else:
        blocks.append(section(":white_large_square: Add a department below: who serves whom"))
    if not setup.channels_checked:
        blocks.append(context("Slack could not be asked which channels the bot is in just now."))
    elif not setup.to_fix:
        blocks.append(section(":white_check_mark: The bot is in every channel it uses"))
    for fix in list(setup.to_fix)[:MAX_CHANNEL_ROWS]:
        row = section(
            f":white_large_square: @{escape(bot_name)} is not in <#{fix.channel}>"
            f" ({escape(fix.use)}): it sees no reaction there and posts nothing"
        )
        if fix.joinable:
            row["accessory"] = button("Join", JOIN_ACTION, fix.channel, style="primary")
        else:
            row["accessory"] = button("How to invite", INVITE_ACTION, fix.channel)
        blocks.append(row)
    if setup.digest_channel:
        blocks.append(
            section(f":white_check_mark: The weekly digest goes to <#{setup.digest_channel}>")
        )
    else:
        blocks.append(
            section(
                ":white_large_square: No digest channel: set `digest.channel` in quality.yml"
                ' (a name like `"#quality"` will do)'
            )
        )
    sample = section(
        (":white_check_mark: " if setup.sample_sent else ":white_large_square: ")
        + "See what people get: a sample poll by DM, which stores nothing"
    )
    sample["accessory"] = button("Send me a sample poll", SAMPLE_ACTION, "sample")
    blocks.append(sample)
    return blocks


def _editor(departments: Sequence[Listed]) -> list[Block]:
    blocks = [divider(), section(f"*Departments* ({len(departments)})")]
    for dept in list(departments)[:MAX_LISTED]:
        lines = [f"*{escape(dept.name)}* · `{dept.slug}`"]
        if dept.channels:
            lines.append("Service channels: " + ", ".join(f"<#{c}>" for c in dept.channels))
        if dept.managers:
            lines.append("Managers: " + ", ".join(f"<@{u}>" for u in dept.managers))
        if dept.in_file:
            blocks.append(section("\n".join(lines)))
            blocks.append(context("From quality.yml: changed there."))
            continue
        blocks.append(section("\n".join(lines)))
        blocks.append(
            {
                "type": "actions",
                "block_id": f"department:{dept.slug}",
                "elements": [
                    button("Edit", EDIT_ACTION, dept.slug),
                    {
                        **button("Retire", RETIRE_ACTION, dept.slug, style="danger"),
                        "confirm": {
                            "title": plain("Retire this department?"),
                            "text": plain(
                                f"Nobody will be asked about {dept.name} any more. Its ratings,"
                                " reviews and actions stay in the history."
                            ),
                            "confirm": plain("Retire"),
                            "deny": plain("Keep it"),
                            "style": "danger",
                        },
                    },
                ],
            }
        )
    if len(departments) > MAX_LISTED:
        more = len(departments) - MAX_LISTED
        blocks.append(context(f"And {more} more: `/quality departments` lists them all."))
    blocks.append({"type": "actions", "elements": [button("Add a department", ADD_ACTION, "add")]})
    return blocks


@dataclass(frozen=True)
class Editing:
    """What the modal starts from: a department's settings (as DepartmentConfig holds them),
    or nothing for a new one."""

    slug: str | None = None
    name: str = ""
    channels: tuple[str, ...] = ()
    alert_channel: str | None = None
    team_channel: str | None = None
    members: tuple[str, ...] = ()
    usergroup: str | None = None
    managers: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    promise: str | None = None
    target: float | None = None
    resolve_within_hours: float | None = None
    reasons_low: tuple[str, ...] | None = None
    reasons_high: tuple[str, ...] | None = None


def editor_modal(
    editing: Editing, *, usergroups: Sequence[tuple[str, str]], default_reasons: dict[str, str]
) -> Block:
    """`usergroups`: (id, "@handle · name") for the user-group picker (none: no picker);
    `default_reasons`: the company's reasons of each band, shown as the hint."""
    new = editing.slug is None
    blocks: list[Block] = [
        input_block(NAME, "Name", text_input(NAME, initial=editing.name, max_length=200)),
    ]
    if new:
        blocks.append(
            input_block(
                SLUG, "Short name", text_input(SLUG, max_length=64), optional=True,
                hint="As in `/quality rate it`: lowercase letters, digits and -. Empty: made"
                " from the name. It cannot change later.",
            )
        )  # fmt: skip
    conversations = {"include": ["public", "private"], "exclude_bot_users": True}
    blocks += [
        input_block(
            CHANNELS, "Service channels",
            _picker("multi_conversations_select", CHANNELS, "initial_conversations",
                    list(editing.channels) or None, filter=conversations),
            optional=True,
            hint="Where colleagues ask this department for help. A member's ✅ on a request "
            "there asks its author for a rating.",
        ),
        input_block(
            MEMBERS, "Members",
            _picker("multi_users_select", MEMBERS, "initial_users", list(editing.members) or None),
            optional=True, hint="Nobody is asked to rate their own department.",
        ),
    ]  # fmt: skip
    if usergroups:
        options = [option(label, group) for group, label in usergroups][:100]
        element: Block = {"type": "static_select", "action_id": USERGROUP, "options": options}
        chosen = next((o for o in options if o["value"] == editing.usergroup), None)
        if chosen:
            element["initial_option"] = chosen
        blocks.append(
            input_block(USERGROUP, "Members from a user group", element, optional=True,
                   hint="Kept in sync with Slack.")
        )  # fmt: skip
    blocks += [
        input_block(
            MANAGERS, "Managers",
            _picker("multi_users_select", MANAGERS, "initial_users",
                    list(editing.managers) or None),
            optional=True, hint="They see its comments and get its detail with the digest.",
        ),
        input_block(
            ALERT_CHANNEL, "Alert channel",
            _picker("conversations_select", ALERT_CHANNEL, "initial_conversation",
                    editing.alert_channel, filter=conversations),
            optional=True, hint="Where bad customer reviews and signed comments are posted.",
        ),
        input_block(
            TEAM_CHANNEL, "Team channel",
            _picker("conversations_select", TEAM_CHANNEL, "initial_conversation",
                    editing.team_channel, filter=conversations),
            optional=True, hint="Where thanks are posted (default: the alert channel).",
        ),
        input_block(
            KEYWORDS, "Keywords",
            text_input(KEYWORDS, initial=", ".join(editing.keywords), max_length=1000),
            optional=True, hint="Comma-separated: customer reviews that mention one are routed "
            "here.",
        ),
        section("*Its standard* — what it promises its internal customers"),
        input_block(
            PROMISE, "Promise", text_input(PROMISE, initial=editing.promise, max_length=200),
            optional=True,
        ),
        input_block(TARGET, "Target average rating",
               _number(TARGET, editing.target, minimum="1", maximum="5"), optional=True),
        input_block(RESOLVE_WITHIN, "Resolve within (hours)",
               _number(RESOLVE_WITHIN, editing.resolve_within_hours, minimum="0.1"),
               optional=True),
        input_block(
            REASONS_LOW, "Reasons offered after a 1 or 2",
            text_input(REASONS_LOW, initial=_lines(editing.reasons_low), multiline=True,
                        max_length=500),
            optional=True, hint=f"One per line. Empty: {default_reasons.get('low', '')}",
        ),
        input_block(
            REASONS_HIGH, "Reasons offered after a 4 or 5",
            text_input(REASONS_HIGH, initial=_lines(editing.reasons_high), multiline=True,
                        max_length=500),
            optional=True, hint=f"One per line. Empty: {default_reasons.get('high', '')}",
        ),
    ]  # fmt: skip
    title = "Add a department" if new else "Edit the department"
    return {
        "type": "modal",
        "callback_id": EDITOR_VIEW,
        "title": plain(title),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps({"slug": editing.slug}),
        "blocks": blocks,
    }


def invite_instructions(channel: str, bot_name: str) -> str:
    return (
        f"To let @{bot_name} into <#{channel}>: open the channel and type "
        f"`/invite @{bot_name}`, or ask one of its members to. A private channel can only be "
        "joined by invitation."
    )


def _lines(values: tuple[str, ...] | None) -> str | None:
    return "\n".join(values) if values else None


def _number(
    action_id: str, initial: float | None, *, minimum: str, maximum: str | None = None
) -> Block:
    element: Block = {
        "type": "number_input",
        "action_id": action_id,
        "is_decimal_allowed": True,
        "min_value": minimum,
    }
    if maximum is not None:
        element["max_value"] = maximum
    if initial is not None:
        element["initial_value"] = f"{initial:g}"
    return element


def _picker(
    kind: str, action_id: str, initial_key: str, initial: object, *, filter: Block | None = None
) -> Block:
    element: Block = {"type": kind, "action_id": action_id}
    if filter is not None:
        element["filter"] = filter
    if initial:
        element[initial_key] = initial
    return element
