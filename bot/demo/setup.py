"""Alex, the admin, sets Acme up from App Home before the week is played: the first-run
checklist, Travel added with Slack's own pickers (no id looked up, nothing restarted), and a
sample poll to see what people get."""

from typing import Any

from bot.blocks.setup import ADD_ACTION, SAMPLE_ACTION
from bot.demo.company import ADMIN
from bot.demo.player import Player
from bot.demo.screen import Screen
from bot.slack_standin import SlackStandIn

WAIT = 15.0  # seconds: generous, for a slow CI machine
TRAVEL_DESK = "C0TRAVEL01"
TRAVEL = ("U0TRV0001", "U0TRV0002", "U0TRV0003")  # Iris manages it


async def alex_sets_up(player: Player, slack: SlackStandIn, screen: Screen) -> None:
    await player.event({"type": "app_home_opened", "user": ADMIN, "channel": "D0ADMIN01",
                        "tab": "home", "event_ts": "1.000001"})  # fmt: skip
    home = await _home(slack, 1)
    screen.show("Alex, the admin, opens App Home: the set-up checklist and the departments", home)

    trigger = await player.press(ADMIN, {"type": "button", "action_id": ADD_ACTION, "value": "add"})
    [opened] = await slack.wait_for(
        "views.open", 1, WAIT, where=lambda c: c.params.get("trigger_id") == trigger
    )
    modal = opened.params["view"]
    screen.show("Alex clicks “Add a department”: Slack's own pickers, no ids", modal)
    reply = await player.submit(ADMIN, opened.response["view"], _travel())
    assert not reply, reply  # an empty answer closes the modal
    print("  Alex saves Travel: in effect at once, on every instance, and in the audit log.")

    await player.press(ADMIN, {"type": "button", "action_id": SAMPLE_ACTION, "value": "sample"})
    [sample] = await slack.wait_for(
        "chat.postMessage", 1, WAIT, where=lambda c: c.params.get("channel") == ADMIN
    )
    screen.show("Alex clicks “Send me a sample poll”: what people will get", sample.params)
    home = await _home(slack, 3)
    screen.show("App Home again: set-up done, Travel among the departments", home)


async def _home(slack: SlackStandIn, count: int) -> dict[str, Any]:
    published = await slack.wait_for(
        "views.publish", count, WAIT, where=lambda c: c.params.get("user_id") == ADMIN
    )
    view: dict[str, Any] = published[-1].params["view"]
    return view


def _travel() -> dict[str, Any]:
    """The modal as Alex fills it in: Slack sends ids for what its pickers picked."""

    def text(value: str | None) -> dict[str, Any]:
        return {"type": "plain_text_input", "value": value}

    return {
        "name": {"name": text("Travel")},
        "slug": {"slug": text(None)},
        "channels": {"channels": {"type": "multi_conversations_select",
                                  "selected_conversations": [TRAVEL_DESK]}},
        "members": {"members": {"type": "multi_users_select", "selected_users": list(TRAVEL)}},
        "usergroup": {"usergroup": {"type": "static_select", "selected_option": None}},
        "managers": {"managers": {"type": "multi_users_select", "selected_users": [TRAVEL[0]]}},
        "alert_channel": {"alert_channel": {"type": "conversations_select",
                                            "selected_conversation": None}},
        "team_channel": {"team_channel": {"type": "conversations_select",
                                          "selected_conversation": None}},
        "keywords": {"keywords": text("flight, hotel, train, booking, reise")},
        "promise": {"promise": text("Trips booked within one working day")},
        "target": {"target": {"type": "number_input", "value": "4"}},
        "resolve_within_hours": {"resolve_within_hours": {"type": "number_input", "value": "8"}},
        "reasons_low": {"reasons_low": text(None)},
        "reasons_high": {"reasons_high": text(None)},
    }  # fmt: skip
