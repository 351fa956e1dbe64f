"""A stand-in for the Slack Web API, for tests and the offline demo.

Usage::

    async with SlackStandIn() as slack:
        slack.add_user("U0EMP0001", name="ada", email="ada@example.com")
        client = AsyncWebClient(token=slack.token, base_url=slack.api_url)
        await client.chat_postMessage(channel="U0EMP0001", text="Rate IT?")
        assert slack.messages[slack.dm_channel("U0EMP0001")][0]["text"] == "Rate IT?"

It answers auth.test, chat.postMessage/update/delete/postEphemeral, conversations.open/history/
replies, users.info/lookupByEmail, usergroups.users.list, views.open/push/publish/update, the three
steps of files_upload_v2, and response_urls; any other method is `unknown_method`. Every request
is in `calls`; `calls_to` and `wait_for` count the successful ones. Message metadata is kept and,
as Slack does, read back only with include_all_metadata. Faults on demand: `fail`, `fail_http`,
`rate_limit`, and the three ways a call can time out: `stall` (Slack acts late), `lose_answer`
(Slack acted, the answer never came) and `lose_request` (Slack never saw it). Slack's rate
limits, with `enforce_rate_limits=True`: see `ratelimits`.
"""

from bot.slack_standin.calls import RESPONSE_URL, UPLOAD, Call
from bot.slack_standin.ratelimits import (
    SLACK_RATE_LIMITS,
    MethodLimits,
    RateLimit,
    minimum_seconds,
)
from bot.slack_standin.server import SlackStandIn

__all__ = [
    "RESPONSE_URL",
    "SLACK_RATE_LIMITS",
    "UPLOAD",
    "Call",
    "MethodLimits",
    "RateLimit",
    "SlackStandIn",
    "minimum_seconds",
]
