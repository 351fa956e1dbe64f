"""A stand-in for the Slack Web API, for tests and the offline demo.

Usage::

    async with SlackStandIn() as slack:
        slack.add_user("U0EMP0001", name="ada", email="ada@example.com")
        slack.add_channel("C0ITHELP1", name="it-help")  # the bot invited to it
        slack.add_message("C0ITHELP1", "1763456400.000100", user="U0EMP0001",
                          text=slack.text_of("VPN <down> & slow"))  # stored escaped
        client = AsyncWebClient(token=slack.token, base_url=slack.api_url)
        await client.chat_postMessage(channel="U0EMP0001", text="Rate IT?")
        assert slack.messages[slack.dm_channel("U0EMP0001")][0]["text"] == "Rate IT?"

It answers auth.test, chat.postMessage/update/delete/postEphemeral, conversations.open/history/
replies/info/list/join, users.info/lookupByEmail/list, usergroups.list, usergroups.users.list,
views.open/push/publish/update, the three steps of files_upload_v2, and response_urls; any other
method is `unknown_method`. conversations.info/list/join, users.* and usergroups.* want their
scopes, and answer `missing_scope` as Slack does when the token (`scopes=`; by default
`server.DEFAULT_SCOPES`, the app's manifest's) lacks them.

The directory is Slack's too: users.list holds the bot user, Slackbot (USLACKBOT, is_bot
false) and deleted users; emails only with users:read.email. conversations.list pages first and
filters after, so a page can be short or empty before the last: only next_cursor == "" ends it.
Private channels exist for the bot only while it is in them; conversations.join joins public
ones only (`method_not_supported_for_channel_type` for private ones, the warning
`already_in_channel` where it already is) and leaves Slack's channel_join message. User groups
have a handle (`add_usergroup(..., handle="it-team")`) and a name; `archive_channel` archives.

It is as strict as Slack: Block Kit is checked (`blocks`) and refused with `invalid_blocks` or
`invalid_arguments` and Slack's "[ERROR] … [json-pointer:…]" messages; the bot posts to and
reads only channels it was invited to (`not_in_channel`, `channel_not_found`; DMs need no
invitation); a thread comes parent first from conversations.replies, whichever of its ts is
asked; seeded text must be as Slack stores it (`text`), and seeded messages have Slack's shapes
and subtypes (`seeding`).

Every request is in `calls`; `calls_to` and `wait_for` count the successful ones. Message
metadata is kept and, as Slack does, read back only with include_all_metadata. Faults on
demand: `fail`, `fail_http`, `rate_limit`, and the three ways a call can time out: `stall`
(Slack acts late), `lose_answer` (Slack acted, the answer never came) and `lose_request` (Slack
never saw it). Slack's rate limits, with `enforce_rate_limits=True`: see `ratelimits`.
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
