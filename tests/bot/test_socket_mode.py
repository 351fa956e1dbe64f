"""Socket Mode: Slack's requests over a websocket, the other routes still over HTTP."""

import json
from pathlib import Path
from urllib.parse import parse_qsl

from bot.config import load_settings
from bot.slack_standin import SlackStandIn
from tests.conftest import QUALITY_YML, start_harness
from tests.database import database_url
from tests.support import BOT_TOKEN, command_body, event_body, eventually


async def test_commands_and_events_arrive_over_the_socket(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    settings = load_settings(
        environ={
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": slack.app_token,  # and no signing secret: none is needed
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": database_url(tmp_path, "q"),
        },
        cwd=tmp_path,
        purpose="serve",
    )
    assert settings.socket_mode
    harness = await start_harness(settings, slack)
    try:
        command = dict(
            parse_qsl(command_body("help", user_id="U0EMP0001", response_url=slack.response_url()))
        )
        ack = await slack.socket_send("slash_commands", command)
        text = json.dumps(ack["payload"]["blocks"])
        assert "/quality departments" in text

        seen: list[str] = []

        @harness.bolt.event("emoji_changed")  # type: ignore[untyped-decorator]
        async def count(body: dict[str, object]) -> None:
            seen.append(str(body["event_id"]))

        event = json.loads(
            event_body(
                {"type": "emoji_changed", "subtype": "add", "name": "shipit", "event_ts": "1.2"},
                event_id="EvSock1",
            )
        )
        await slack.socket_send("events_api", event)
        await slack.socket_send("events_api", event)  # redelivered
        await eventually(lambda: len(seen) >= 1)
        resp = await harness.client.get("/healthz")
        assert resp.status == 200
        assert seen == ["EvSock1"]
    finally:
        await harness.client.close()
