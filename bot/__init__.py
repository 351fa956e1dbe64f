"""The services: what quality-bot does, independent of how a request reached it.

`app` builds the aiohttp application (the one place that reaches up into `handlers/` to
register the edges) and `services` the objects every handler may use. Packages: `config`
(settings), `cli`, `runtime` (database, start-up, tasks, processes, logs, metrics), `slack`
(talking to Slack), `people`, `privacy`, `surveys` (polls), `reviews`, `digest`, `sentiment`,
`blocks` (Block Kit), `slack_standin` (a stand-in of Slack for tests and the demo) and `demo`.
`clock` and `weeks` are the shared vocabulary of time.

May use: `models`; never `handlers` (import-linter checks it), but for `app`.
"""
