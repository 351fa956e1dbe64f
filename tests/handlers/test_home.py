"""App Home: a person's waiting polls, answerable there, and a way to rate."""

import json
import time

from models.survey import ANSWERED, Poll, Rating
from tests.conftest import Harness
from tests.handlers.poll_flows import click, sent_poll
from tests.support import eventually


def _home_opened(user: str) -> dict[str, str]:
    return {"type": "app_home_opened", "user": user, "channel": "D0HOME001", "tab": "home",
            "event_ts": f"{time.time():.6f}"}  # fmt: skip


async def test_home_shows_waiting_polls_and_answers_them_there(app: Harness) -> None:
    poll, _ = await sent_poll(app)
    await app.event(_home_opened("U0FIN0001"), event_id="EvHome1")
    [published] = await app.slack.wait_for("views.publish")
    assert published.params["user_id"] == "U0FIN0001"
    view = published.params["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    text = json.dumps(view["blocks"])
    assert "Waiting for your answer" in text and "My VPN drops every hour" in text
    assert "home_rate" in text

    answer = click(poll, 5)
    answer["container"] = {"type": "view", "view_id": "V0HOME"}
    answer.pop("response_url")
    await app.interact(answer)
    await eventually(lambda: len(app.slack.calls_to("views.publish")) == 2)
    assert (await Poll.get(id=poll.id)).status == ANSWERED
    assert [r.score for r in await Rating.all()] == [5]
    [dm] = app.slack.calls_to("chat.update")
    assert "rated IT 5 of 5" in dm.params["text"]  # the DM shows the answer too
    refreshed = json.dumps(app.slack.calls_to("views.publish")[-1].params["view"])
    assert "No polls are waiting for you" in refreshed


async def test_home_for_someone_with_nothing_waiting(app: Harness) -> None:
    await app.event(_home_opened("U0EMP0007"), event_id="EvHome2")
    [published] = await app.slack.wait_for("views.publish")
    assert "No polls are waiting for you" in json.dumps(published.params["view"])


async def test_rate_button_opens_the_modal(app: Harness) -> None:
    await app.interact({
        "type": "block_actions", "user": {"id": "U0EMP0001"}, "team": {"id": "T0TEST"},
        "container": {"type": "view", "view_id": "V0HOME"}, "trigger_id": f"{time.time()}.home",
        "actions": [{"action_id": "home_rate", "type": "button", "action_ts": f"{time.time()}"}],
    })  # fmt: skip
    [opened] = await app.slack.wait_for("views.open")
    assert opened.params["view"]["callback_id"] == "rate_department"
