"""Talking to Slack: the Web API client and its rate-limit gate (`client`), work waiting in the
database to be delivered (`outbox`), the app manifest (`manifest`), claims on event ids
(`dedup`), and Slack's text read once on the way in (`text`).

May use: slack-sdk, `bot.config`, `models`. The listeners that receive Slack's requests are in
`handlers/`.
"""
