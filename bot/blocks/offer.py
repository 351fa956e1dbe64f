"""What the thank-you offers after a score (bot/surveys/reasons.py), each as an ephemeral
message of its own: the band's reasons to pick, and after a 4 or 5 a thanks to the
department; the thanks modal, and the thanks as posted to the department's team channel."""

import json
from collections.abc import Sequence

from bot.blocks import Block, button, context, escape, option, plain, section
from bot.config import LOW

REASONS_BLOCK = "answer_reasons"
PICK_ACTION, ADD_ACTION, SKIP_ACTION = (
    "answer_reasons_pick", "answer_reasons_add", "answer_reasons_skip",
)  # fmt: skip
THANK_ACTION = "thank_department"
THANKS_VIEW = "thank_department"
THANKS_COMMENT, THANKS_SIGN = "thanks_comment", "thanks_sign"
MAX_THANKS = 1000


def reasons_offer(
    name: str, band: str, reasons: Sequence[str], token: str, *, minutes: int
) -> tuple[str, list[Block]]:
    """A band's reasons as checkboxes, to add to the answer the token holds, or skip."""
    ask = "What went wrong?" if band == LOW else "What went well?"
    text = f"{ask} Pick any that fit: they join your answer, without your name."
    return text, [
        section(f"*{ask}* Pick any that fit {escape(name)}'s service this time."),
        {
            "type": "actions",
            "block_id": REASONS_BLOCK,
            "elements": [
                {
                    "type": "checkboxes",
                    "action_id": PICK_ACTION,
                    "options": [_option(reason) for reason in reasons],
                },
                button("Add to my answer", ADD_ACTION, token, style="primary"),
                button("Skip", SKIP_ACTION, token),
            ],
        },
        context(
            f"They are stored with your score, without your name, and counted only once "
            f"enough people have picked them. You can add them for {minutes} minutes."
        ),
    ]


def reasons_done(added: bool, *, skipped: bool) -> str:
    """The offer's answer once used: noted, skipped, or too late."""
    if added:
        if skipped:
            return "Skipped — thank you."
        return "Noted — thank you. They are part of your anonymous answer."
    return (
        "Your answer has already gone in with the others, so nothing was added. "
        "It counts all the same."
    )


def thanks_offer(slug: str, name: str, week: str, token: str) -> tuple[str, list[Block]]:
    """A button to thank the department once: the token is spent when the thanks is sent."""
    text = escape(f"Glad it went well. Would you like to thank {name}?")
    value = json.dumps({"token": token, "department": slug, "week": week})
    return text, [
        section(text),
        {
            "type": "actions",
            "block_id": "thank_offer",
            "elements": [button(f"Thank {name}"[:75], THANK_ACTION, value)],
        },
    ]


def thanks_modal(name: str, metadata: str) -> Block:
    """A thanks to `name`: words if they like, and their name if they choose."""
    return {
        "type": "modal",
        "callback_id": THANKS_VIEW,
        "title": plain("Say thank you"),
        "submit": plain("Send thanks"),
        "close": plain("Cancel"),
        "private_metadata": metadata,
        "blocks": [
            section(f"*Thank {escape(name)}*: your thanks is posted in their team channel."),
            {
                "type": "input",
                "block_id": THANKS_COMMENT,
                "optional": True,
                "label": plain("A few words"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": THANKS_COMMENT,
                    "multiline": True,
                    "max_length": MAX_THANKS,
                },
            },
            {
                "type": "input",
                "block_id": THANKS_SIGN,
                "optional": True,
                "label": plain("Your name"),
                "element": {
                    "type": "checkboxes",
                    "action_id": THANKS_SIGN,
                    "options": [_option("Sign it with my name")],
                },
            },
            context(
                "Unsigned, it names no one and is posted together with the day's other thanks "
                "at the end of the afternoon, so its moment does not point at you; your own "
                "words may. Your score is never shown."
            ),
        ],
    }


def thanks_post(name: str, comment: str | None, signed_by: str | None) -> str:
    """The thanks as posted: escaped like every text a person wrote."""
    who = f"<@{signed_by}>" if signed_by else "Someone you served"
    quoted = "".join(f"\n>{escape(line)}" for line in (comment or "").splitlines())
    return f":tada: {who} says thank you, {escape(name)}!{quoted}"


def _option(text: str) -> Block:
    """A reason as a checkbox: its words are its value."""
    return option(text, text)
