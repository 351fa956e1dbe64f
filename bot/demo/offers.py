"""What the thank-you offers in the demo: the reasons that go with a score, and a thanks to the
department, played as people take them up (or do not)."""

from collections.abc import Mapping
from typing import Any

from bot.demo.player import Player
from bot.demo.screen import Screen
from bot.slack_standin import Call, SlackStandIn

WAIT = 15.0  # seconds: generous, for a slow CI machine
REASONS, THANK = "answer_reasons", "thank_department"


async def offers_to(slack: SlackStandIn, user: str, count: int) -> list[Call]:
    """The ephemeral offers the person got (reasons, then a thanks after a 4 or 5)."""
    return await slack.wait_for(
        "chat.postEphemeral", count, WAIT, where=lambda c: c.params.get("user") == user
    )


def button(message: Mapping[str, Any], action_id: str) -> dict[str, Any]:
    for block in message.get("blocks") or []:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return {**element, "block_id": block.get("block_id", "")}
    raise LookupError(action_id)


def offered(message: Mapping[str, Any]) -> list[str]:
    boxes = button(message, "answer_reasons_pick")
    return [str(option["value"]) for option in boxes["options"]]


async def pick(player: Player, user: str, offer: Mapping[str, Any], reasons: list[str]) -> Any:
    """Tick `reasons` in the offer and add them to the answer (none: skip)."""
    if not reasons:
        return await player.click(user, button(offer, "answer_reasons_skip"))
    ticked = [{"value": r, "text": {"type": "plain_text", "text": r}} for r in reasons]
    state = {REASONS: {"answer_reasons_pick": {"type": "checkboxes", "selected_options": ticked}}}
    return await player.click(user, button(offer, "answer_reasons_add"), state)


async def thank(
    player: Player, slack: SlackStandIn, user: str, offer: Mapping[str, Any], words: str,
    *, sign: bool,
) -> Mapping[str, Any]:  # fmt: skip
    """Click "Thank …", and send the modal; the modal as it opened."""
    trigger = await player.press(user, button(offer, THANK))
    [opened] = await slack.wait_for(
        "views.open", 1, WAIT, where=lambda c: c.params.get("trigger_id") == trigger
    )
    values = {
        "thanks_comment": {"thanks_comment": {"type": "plain_text_input", "value": words}},
        "thanks_sign": {
            "thanks_sign": {
                "type": "checkboxes",
                "selected_options": [{"value": "Sign it with my name"}] if sign else [],
            }
        },
    }
    reply = await player.submit(user, opened.response["view"], values)
    assert not reply, reply  # an empty answer closes the modal
    view: Mapping[str, Any] = opened.params["view"]
    return view


async def sam_says_why_and_thanks(
    player: Player, slack: SlackStandIn, screen: Screen, user: str, team_channel: str
) -> None:
    reasons, thanks = await offers_to(slack, user, 2)
    screen.show("…and, only for Sam, the reasons that go with a 4", reasons.params)
    noted = await pick(player, user, reasons.params, ["fast", "fixed first time"])
    screen.show("Sam ticks “fast” and “fixed first time”", noted)
    screen.show("…and is offered to thank IT", thanks.params)
    view = await thank(
        player, slack, user, thanks.params, "Back online in two hours & you kept me posted!",
        sign=True,
    )  # fmt: skip
    screen.show("Sam clicks “Thank IT”", view)
    [post] = await slack.wait_for(
        "chat.postMessage", 1, WAIT, where=lambda c: c.params.get("channel") == team_channel
    )
    screen.show("Sam signs it: #it-kudos gets the thanks at once", post.params)
