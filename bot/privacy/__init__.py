"""Privacy: the suppression rule every figure goes through (`suppression`), scrubbing names out
of quotes (`scrub`), the audit log (`audit`), what is stored about a person (`stored`),
erasure (`erasure`, `erasure_texts`, `erased_messages`) and the export (`export`).

May use: `bot.config`, `bot.slack`, `bot.weeks`, `models`. docs/privacy.md says what this
covers and what remains.
"""
