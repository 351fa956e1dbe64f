"""External reviews: routing, storing, alerting and importing.

May use: `bot.config`, `bot.slack`, `bot.sentiment`, `bot.blocks`, the time helpers, and the
review and department models.
"""
