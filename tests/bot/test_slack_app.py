"""The bolt app as production starts it: with SLACK_BOT_TOKEN in the process's environment."""

import logging
from pathlib import Path

import pytest
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from bot.slack_standin import SlackStandIn
from tests.conftest import make_settings, start_harness
from tests.support import BOT_TOKEN


async def test_no_warning_about_the_token_at_start_but_bolt_still_warns(
    tmp_path: Path,
    slack: SlackStandIn,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # bolt reads SLACK_BOT_TOKEN from os.environ whatever it is given, as in the image.
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    caplog.set_level(logging.WARNING)
    harness = await start_harness(make_settings(tmp_path, slack), slack)
    try:
        # An event no listener takes: bolt's own warning about it must still be logged.
        resp = await harness.event(
            {"type": "channel_rename", "channel": {"id": "C0ITHELP1", "name": "it"}},
            event_id="Ev0UNHANDLED1",
        )
        assert resp.status == 404
    finally:
        await harness.client.close()

    bolt = [r.getMessage() for r in caplog.records if r.name == "quality.bolt"]
    assert warning_client_prioritized_and_token_skipped() not in bolt
    assert any(message.startswith("Unhandled request") for message in bolt), bolt
