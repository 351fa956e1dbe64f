"""The `quality-bot` command line: `main` parses the arguments and hands each subcommand to its
module (`digest`, `export`, `privacy`, `reviews`, `sentiment`, `settings`).

May use: every service in `bot`; `serve` builds the app with `bot.app`. Modules import their
heavy dependencies inside the command that needs them, so `--help` stays quick.
"""
