"""The App Home tab, as everyone sees it: polls waiting for them, and a way to rate."""

from collections.abc import Sequence

from bot.blocks import Block, context, divider, header, section
from bot.blocks.poll import PollView, poll_message

RATE_ACTION = "home_rate"
MAX_POLLS = 10  # each poll takes 4 blocks; a Home view holds at most 100


def home_view(polls: Sequence[PollView], *, min_group_size: int) -> Block:
    blocks: list[Block] = [
        header("Service quality"),
        section("Rate how another department served you — any time, without your name."),
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": RATE_ACTION,
                    "text": {"type": "plain_text", "text": "Rate a department"},
                }
            ],
        },
        divider(),
    ]
    if polls:
        blocks.append(section(f"*Waiting for your answer* ({len(polls)})"))
        for poll in polls[:MAX_POLLS]:
            _, poll_blocks = poll_message(poll, min_group_size=min_group_size)
            blocks += [*poll_blocks, divider()]
    else:
        blocks.append(context("No polls are waiting for you."))
    return {"type": "home", "blocks": blocks}
