"""Handlers are tested against `harness` as poll_flows sets it up: the running app with a
served request in #it-help, on a fake `clock`. A module may define its own `harness` (other
settings, other fixtures), which then wins."""

from tests.handlers.poll_flows import clock, harness

__all__ = ["clock", "harness"]
