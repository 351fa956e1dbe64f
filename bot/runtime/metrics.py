"""Prometheus metrics: one registry per application, so tests can build many apps."""

import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
RECEIVED_AT = "received_at"  # in a bolt request's context: time.perf_counter() at arrival


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "quality_http_requests",
            "HTTP requests answered, by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "quality_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template.",
            ["route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.answer_commit = Histogram(
            "quality_answer_commit_seconds",
            "From a Slack request's arrival to its answer committed (a poll click or a rating "
            "modal), by kind: Slack is told it is done only after.",
            ["kind"],
            registry=self.registry,
            buckets=(0.002, 0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5),
        )
        self.slack_events_deduplicated = Counter(
            "quality_slack_events_deduplicated",
            "Slack event deliveries skipped because their event_id was already taken.",
            registry=self.registry,
        )
        self.slack_events_rate_limited = Counter(
            "quality_slack_events_rate_limited",
            "Notices from Slack (app_rate_limited) that it is dropping this app's events.",
            registry=self.registry,
        )

    def committed(self, kind: str, context: Mapping[str, Any]) -> None:
        """An answer committed, for the Slack request whose bolt `context` holds its arrival
        (RECEIVED_AT; absent for Socket Mode's frames, which are not timed)."""
        received = context.get(RECEIVED_AT)
        if isinstance(received, float):
            self.answer_commit.labels(kind).observe(time.perf_counter() - received)

    def render(self) -> bytes:
        return generate_latest(self.registry)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        # Label by route template, never by raw path: a scanner hitting random URLs
        # must not create a time series per URL.
        resource = request.match_info.route.resource
        route = resource.canonical if resource is not None else "unmatched"
        started = time.perf_counter()
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            self.requests.labels(route, request.method, str(status)).inc()
            self.latency.labels(route).observe(time.perf_counter() - started)


CONTENT_TYPE = CONTENT_TYPE_LATEST
