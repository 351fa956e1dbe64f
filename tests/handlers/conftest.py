"""Fixtures for driving polls: `app` (the running app with a served request in #it-help, on
a fake `clock`). A module may define its own `app`, which then wins."""

from tests.handlers.poll_flows import app, clock

__all__ = ["app", "clock"]
