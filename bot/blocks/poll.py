"""The poll DM, its thank-you and closed states, the reminder, and the rating modal."""

import json
from collections.abc import Sequence
from dataclasses import dataclass

from bot.blocks import Block, button, context, escape, option, plain, section
from bot.config import QualityConfig
from models.survey import Poll

SCORE_ACTION = "poll_score_{}"  # one action id per button: 1 (worst) … 5 (best)
COMMENT_ACTION = "poll_comment"
RATE_VIEW = "rate_department"
# Modal block ids, which also key validation errors.
DEPARTMENT_BLOCK, SCORE_BLOCK, COMMENT_BLOCK, CONSENT_BLOCK = (
    "department", "score", "comment", "consent",
)  # fmt: skip
SCORE_LABELS = {1: "1 · poor", 2: "2", 3: "3", 4: "4", 5: "5 · excellent"}
MAX_COMMENT = 2000


@dataclass(frozen=True)
class PollView:
    poll_id: str
    department: str  # its name
    summary: str
    url: str | None
    promise: str | None = None  # the department's standard, in its own words

    @classmethod
    def of(cls, poll: Poll, quality: QualityConfig) -> "PollView":
        """A poll whose department was fetched with it."""
        dept = quality.department(poll.department.slug)
        promise = dept.standard.promise if dept and dept.standard else None
        return cls(str(poll.id), poll.department.name, poll.summary, poll.url, promise)


def privacy_line(department: str, min_group_size: int) -> str:
    return (
        f"Stored without your name: the score, your comment, your department and the week. "
        f"{department} sees figures only once {min_group_size} or more people have answered."
    )


CONSENT_NOTE = "Your comment then goes to them with your name; your score stays anonymous."


def poll_message(poll: PollView, *, min_group_size: int) -> tuple[str, list[Block]]:
    request = escape(poll.summary) if poll.summary else "your recent request"
    if poll.url:
        request = f"<{poll.url}|{request}>"
    # The notification's text: Slack reads markup in it too. The request comes last, quoted:
    # it often ends with its own "?" or "!".
    asked = f"How did {poll.department} do with your "
    text = escape(asked + (f"request? “{poll.summary}”" if poll.summary else "recent request?"))
    blocks = [section(f"*How did {escape(poll.department)} do?*\n{request}")]
    if poll.promise:
        blocks.append(context(f"{escape(poll.department)}'s promise: {escape(poll.promise)}"))
    blocks += [
        context(privacy_line(escape(poll.department), min_group_size)),
        {
            "type": "actions",
            # Its own ids: App Home stacks a person's open polls, and Slack refuses a view that
            # repeats a block_id.
            "block_id": f"poll_scores:{poll.poll_id}",
            # Alike on purpose: a coloured 5 or a red 1 nudges the answer.
            "elements": [
                {
                    "type": "button",
                    "action_id": SCORE_ACTION.format(score),
                    "text": {"type": "plain_text", "text": SCORE_LABELS[score]},
                    "value": poll.poll_id,
                }
                for score in range(1, 6)
            ],
        },
        {
            "type": "actions",
            "block_id": f"poll_more:{poll.poll_id}",
            "elements": [
                {
                    "type": "button",
                    "action_id": COMMENT_ACTION,
                    "text": {"type": "plain_text", "text": "Answer with a comment…"},
                    "value": poll.poll_id,
                }
            ],
        },
    ]
    return text, blocks


SAMPLE = "sample"  # the poll id of an admin's sample poll, which stores nothing


def sample_poll(
    department: str, promise: str | None, *, min_group_size: int
) -> tuple[str, list[Block]]:
    """The poll people get, as an admin sends it to themselves from App Home."""
    sample = PollView(SAMPLE, department, "Laptop replaced", None, promise)
    text, blocks = poll_message(sample, min_group_size=min_group_size)
    note = context(
        "A sample, sent from App Home: this is what people get after a request is served. "
        "Clicking stores nothing."
    )
    return f"Sample: {text}", [note, *blocks]


def sample_answered(score: int) -> tuple[str, list[Block]]:
    text = f"Sample answered with a {score}: nothing was stored."
    return text, [
        section(f":white_check_mark: {text}"),
        context("A real poll is replaced by a thank-you like this one, and may offer a few "
                "reasons to tick. The score is stored without the person's name."),
    ]  # fmt: skip


def thank_you(department: str) -> tuple[str, list[Block]]:
    """The message that replaces an answered poll. It does not repeat the score: a DM is
    readable by whoever can export the workspace's messages."""
    text = escape(f"Thank you — your answer about {department} is in.")
    return text, [
        section(f":white_check_mark: {text}"),
        context("Your answer is stored without your name."),
    ]


def follow_upplain(user_id: str, department: str, comment: str | None) -> str:
    """The post in the department's alert channel when someone asks to be contacted: their
    name and their comment, never their score (it stays among the anonymous ones)."""
    quoted = "".join(f"\n>{escape(line)}" for line in (comment or "").splitlines())
    return (
        f"<@{user_id}> would like {escape(department)} to contact them about how they were "
        f"served.{quoted}"
    )


CLAIM_ACTION, RESOLVE_ACTION, RESOLVE_VIEW, RESOLUTION_BLOCK = (
    "case_claim", "case_resolve", "case_resolve", "case_resolution",
)  # fmt: skip


def follow_up_message(
    case_id: int,
    user_id: str,
    department: str,
    comment: str | None,
    *,
    claimed_by: str | None = None,
    resolved_by: str | None = None,
    resolution: str | None = None,
) -> tuple[str, list[Block]]:
    """The follow-up as a case in the alert channel: Claim and Resolve… until it is resolved."""
    text = follow_upplain(user_id, department, comment)
    blocks: list[Block] = [section(text)]
    if resolved_by is not None:
        blocks.append(context(f":white_check_mark: Resolved by <@{resolved_by}>"))
        if resolution:
            blocks.append(section(f"*What was done:* {escape(resolution)}"))
        return text, blocks
    buttons = [] if claimed_by else [button("Claim", CLAIM_ACTION, str(case_id))]
    buttons.append(button("Resolve…", RESOLVE_ACTION, str(case_id)))
    if claimed_by:
        blocks.append(context(f"Claimed by <@{claimed_by}>"))
    blocks.append({"type": "actions", "block_id": f"case:{case_id}", "elements": buttons})
    return text, blocks


def case_nudge(hours: int) -> str:
    return f"Nobody has claimed this in {hours} hours: can someone pick it up?"


def resolve_modal(case_id: int, department: str) -> Block:
    return {
        "type": "modal",
        "callback_id": RESOLVE_VIEW,
        "title": plain("Resolve the case"),
        "submit": plain("Resolve"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps({"case": case_id}),
        "blocks": [
            section(f"*{escape(department)}*: what was done?"),
            {
                "type": "input",
                "block_id": RESOLUTION_BLOCK,
                "label": plain("What was done"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": RESOLUTION_BLOCK,
                    "multiline": True,
                    "max_length": 1000,
                },
            },
        ],
    }


def closed(department: str) -> tuple[str, list[Block]]:
    text = escape(f"This poll about {department} has closed.")
    return text, [
        section(text),
        context("You can still rate any time with `/quality rate`."),
    ]


def reminder(poll: PollView, hours_left: int) -> str:
    about = f": “{poll.summary}”" if poll.summary else "."
    return escape(
        f"A gentle reminder: the poll above closes in about {hours_left} hours. "
        f"{poll.department} would like to know how they did with your request{about}"
    )


def rating_modal(
    departments: Sequence[tuple[str, str]],  # (slug, name)
    *,
    selected: str | None = None,
    poll: PollView | None = None,
    consent_for: Sequence[str] = (),  # slugs with an alert channel: they can follow up
    min_group_size: int,
    origin: dict[str, str] | None = None,  # for a rating by hand: its trigger and summary
) -> Block:
    """The modal for a comment on a poll, or for a rating by hand (no poll)."""
    blocks: list[Block] = []
    if poll is not None:
        blocks.append(
            section(f"*{escape(poll.department)}* — {escape(poll.summary or 'your request')}")
        )
    else:
        options = [option(name, slug) for slug, name in departments[:100]]
        element: Block = {
            "type": "static_select",
            "action_id": DEPARTMENT_BLOCK,
            "placeholder": {"type": "plain_text", "text": "Choose a department"},
            "options": options,
        }
        initial = [o for o in options if o["value"] == selected]
        if initial:
            element["initial_option"] = initial[0]
        blocks.append(
            {
                "type": "input",
                "block_id": DEPARTMENT_BLOCK,
                "label": plain("Department"),
                "element": element,
            }
        )
    blocks.append(
        {
            "type": "input",
            "block_id": SCORE_BLOCK,
            "label": plain("How did they do?"),
            "element": {
                "type": "radio_buttons",
                "action_id": SCORE_BLOCK,
                "options": [option(SCORE_LABELS[s], str(s)) for s in range(1, 6)],
            },
        }
    )
    blocks.append(
        {
            "type": "input",
            "block_id": COMMENT_BLOCK,
            "optional": True,
            "label": plain("Comment"),
            "element": {
                "type": "plain_text_input",
                "action_id": COMMENT_BLOCK,
                "multiline": True,
                "max_length": MAX_COMMENT,
            },
        }
    )
    name = poll.department if poll else "The department"
    if consent_for:
        blocks.append(
            {
                "type": "input",
                "block_id": CONSENT_BLOCK,
                "optional": True,
                "label": plain("Follow-up"),
                "element": {
                    "type": "checkboxes",
                    "action_id": CONSENT_BLOCK,
                    "options": [
                        {
                            **option(f"{name} may contact me about this", "yes"),
                            "description": plain(CONSENT_NOTE),
                        }
                    ],
                },
            }
        )
    blocks.append(context(privacy_line(escape(name), min_group_size)))
    return {
        "type": "modal",
        "callback_id": RATE_VIEW,
        "title": plain("Rate a department"),
        "submit": plain("Send"),
        "close": plain("Cancel"),
        "private_metadata": json.dumps({"poll": poll.poll_id if poll else None, **(origin or {})})[
            :3000
        ],
        "blocks": blocks,
    }


def rate_by_hand_modal(
    quality: QualityConfig, *, selected: str | None = None, origin: dict[str, str] | None = None
) -> Block:
    """The modal of `/quality rate` and of the message shortcut: every department to choose."""
    return rating_modal(
        [(d.slug, d.name) for d in quality.departments],
        selected=selected,
        consent_for=[d.slug for d in quality.departments if d.alert_channel],
        min_group_size=quality.privacy.min_group_size,
        origin=origin,
    )
