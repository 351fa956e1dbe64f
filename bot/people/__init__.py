"""Who is who: departments found from what a person typed (`departments`), their members from
quality.yml and Slack user groups (`membership`), what each person may see and do (`roles`),
and the App Home a person sees (`home`).

May use: `bot.config`, `bot.slack`, `bot.privacy`, `bot.blocks`, `bot.digest`, `bot.learning`,
`bot.sentiment` (what it reads), `models`.
"""
