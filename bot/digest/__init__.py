"""The weekly cross-department digest: computed, rendered, posted exactly once; and the
`/quality report` figures over several weeks (`report`), read in a worker process
(`aggregates`).

May use: every service package but `bot.cli` and `bot.demo`, and the models.
"""
