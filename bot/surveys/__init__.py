"""Internal-customer rating polls: triggers, the fatigue budget, delivery and answers.

May use: `bot.config`, `bot.slack`, `bot.people`, `bot.privacy`, `bot.sentiment`, `bot.blocks`,
the time helpers, and the survey and department models.
"""
