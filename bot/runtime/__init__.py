"""Running the process: the database (`db`), what every entry point does first (`startup`),
background tasks (`tasks`), worker processes (`processes`), logging (`logs`), Prometheus
metrics (`metrics`) and the record of the installation (`installation`).

May use: `bot.config`, `models`, `bot.people` (start-up syncs the departments) and
`bot.surveys.release` (start-up closes the weeks that ended while nothing ran).
"""
