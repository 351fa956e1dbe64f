"""Slack's documented Web API rate limits, modelled as token buckets.

Sources:
- tiers: https://docs.slack.dev/apis/web-api/rate-limits ("Tier 1: 1+ per minute" … "Tier 4:
  100+ per minute", applied per method, per app, per workspace, in per-minute windows);
- which method has which tier: each method's reference page (https://docs.slack.dev/reference/
  methods/<method>), as mirrored in slack-ruby/slack-api-ref `docs.slack.dev/methods/<method>.json`
  (key `rate_limits`; "t5" means Special);
- chat.postMessage (Special): the rate-limits page says it "generally allows posting one message per
  second per channel, while also maintaining a workspace-wide limit"; its reference page puts that
  limit at "several hundred messages per minute"; short bursts are allowed.

Slack publishes floors ("50+"), not burst sizes. The model takes each floor as the sustained rate
and lets a whole minute's allowance be spent at once (the windows are per minute), except per
channel on chat.postMessage, whose "short bursts" we read as 3. `minimum_seconds` applies the same
buckets to calls sent all at once, so a benchmark compares with exactly what the stand-in enforces.
"""

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class RateLimit:
    """A token bucket: `per_minute` sustained, up to `burst` at once."""

    per_minute: float
    burst: int

    @property
    def per_second(self) -> float:
        return self.per_minute / 60.0

    def minimum_seconds(self, count: int) -> float:
        """How long `count` calls sent at once take to get through a full bucket."""
        return max(0.0, (count - self.burst) / self.per_second)


@dataclass(frozen=True)
class MethodLimits:
    tier: str
    workspace: RateLimit | None
    per_channel: RateLimit | None = None


TIER_1 = MethodLimits("Tier 1", RateLimit(per_minute=1, burst=1))
TIER_2 = MethodLimits("Tier 2", RateLimit(per_minute=20, burst=20))
TIER_3 = MethodLimits("Tier 3", RateLimit(per_minute=50, burst=50))
TIER_4 = MethodLimits("Tier 4", RateLimit(per_minute=100, burst=100))
# "Several hundred messages per minute" per workspace: we take 300. One per second per channel.
POST_MESSAGE = MethodLimits(
    "Special",
    workspace=RateLimit(per_minute=300, burst=300),
    per_channel=RateLimit(per_minute=60, burst=3),
)
# auth.test is "Special" with no published number; Tier 4 is the closest documented behaviour.
AUTH_TEST = MethodLimits("Special", TIER_4.workspace)

# The one table of which method has which limit (every method the stand-in answers).
SLACK_RATE_LIMITS: Mapping[str, MethodLimits] = MappingProxyType(
    {
        "auth.test": AUTH_TEST,
        "chat.postMessage": POST_MESSAGE,
        "chat.update": TIER_3,
        "chat.delete": TIER_3,
        "chat.postEphemeral": TIER_4,
        "conversations.open": TIER_3,
        # Tier 3 for internal and Marketplace apps; commercially distributed non-Marketplace apps
        # created since 2025-05-29 get 1 per minute here.
        "conversations.history": TIER_3,
        "conversations.replies": TIER_3,
        "conversations.info": TIER_3,
        "conversations.list": TIER_2,
        "conversations.join": TIER_3,
        "users.info": TIER_4,
        "users.lookupByEmail": TIER_3,
        "users.list": TIER_2,
        "usergroups.list": TIER_2,
        "usergroups.users.list": TIER_2,
        "views.open": TIER_4,
        "views.publish": TIER_4,
        "views.update": TIER_4,
        "views.push": TIER_4,
        "files.getUploadURLExternal": TIER_4,
        "files.completeUploadExternal": TIER_4,
    }
)


def minimum_seconds(
    method: str,
    count: int,
    *,
    channels: int = 1,
    limits: Mapping[str, MethodLimits] = SLACK_RATE_LIMITS,
    time_scale: float = 1.0,
) -> float:
    """Wall-clock seconds the limits need for `count` calls of `method`, spread over `channels`.

    E.g. 1,000 DMs to 1,000 people: `minimum_seconds("chat.postMessage", 1000, channels=1000)`.
    """
    rule = limits.get(method)
    if rule is None or count <= 0:
        return 0.0
    needed = 0.0
    if rule.workspace is not None:
        needed = rule.workspace.minimum_seconds(count)
    if rule.per_channel is not None:
        busiest = math.ceil(count / max(1, channels))
        needed = max(needed, rule.per_channel.minimum_seconds(busiest))
    return needed / time_scale


class _Bucket:
    def __init__(self, limit: RateLimit, now: float) -> None:
        self.limit = limit
        self.tokens = float(limit.burst)
        self.updated = now

    def refill(self, now: float, time_scale: float) -> None:
        elapsed = (now - self.updated) * time_scale
        self.tokens = min(float(self.limit.burst), self.tokens + elapsed * self.limit.per_second)
        self.updated = now

    def seconds_short(self) -> float:
        """Stand-in seconds until one token is there (0 when it already is)."""
        return max(0.0, (1.0 - self.tokens) / self.limit.per_second)


class RateLimiter:
    """Buckets per method (and per channel where Slack has one) on a clock sped up by time_scale."""

    def __init__(
        self,
        limits: Mapping[str, MethodLimits],
        *,
        time_scale: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self._limits = limits
        self._time_scale = time_scale
        self._clock = clock
        self._buckets: dict[tuple[str, str | None], _Bucket] = {}

    def acquire(self, method: str, channel: str | None = None) -> float:
        """Take one token from every bucket the call draws on and return 0.0, or take none and
        return the wall-clock seconds until the call would be allowed."""
        rule = self._limits.get(method)
        if rule is None:
            return 0.0
        now = self._clock()
        buckets = []
        if rule.workspace is not None:
            buckets.append(self._bucket((method, None), rule.workspace, now))
        if rule.per_channel is not None and channel:
            buckets.append(self._bucket((method, channel), rule.per_channel, now))
        for bucket in buckets:
            bucket.refill(now, self._time_scale)
        # A refused call consumes nothing, as a client that waits Retry-After expects.
        short = max((bucket.seconds_short() for bucket in buckets), default=0.0)
        if short > 0.0:
            return short / self._time_scale
        for bucket in buckets:
            bucket.tokens -= 1.0
        return 0.0

    def reset(self) -> None:
        self._buckets.clear()

    def _bucket(self, key: tuple[str, str | None], limit: RateLimit, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(limit, now)
        return bucket


def retry_after_header(wait_seconds: float) -> int:
    """Retry-After is whole seconds: round up so a client that waits it is never early."""
    return max(1, math.ceil(wait_seconds - 1e-9))
