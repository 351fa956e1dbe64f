"""Settings: the environment (`settings`) and quality.yml (`quality`, read by `quality_yaml`,
checked by `quality_fields` and `quality_models`), and how a mistake in either is worded
(`problems`, `env_checks`, `validation` — the latter also for webhook payloads and imports).

May use: the standard library and pydantic/PyYAML. Nothing here talks to Slack or the database.
"""
