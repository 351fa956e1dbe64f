"""The digest reaches its channel once per week — with several posters at once, after a crash
midway, and when Slack fails — with its chart in the thread and each manager's DM."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import DepartmentConfig, QualityConfig
from bot.digest.post import DigestPoster, Outcome
from bot.people.membership import sync_departments
from bot.slack_standin import SlackStandIn
from bot.weeks import Week
from models.audit import AuditEntry
from models.digest import DONE, PENDING, SENDING, DigestPart, DigestPost
from tests.bot import digest_data as data
from tests.conftest import Harness
from tests.support import FakeClock

W47 = Week.parse("2026-W47")
DIGEST = "C0DIGEST01"
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Berlin


class Crash(BaseException):
    """The process dying: nothing after it runs, not even `except Exception`."""


class CrashAfterSend:
    """A client whose chat.postMessage reaches Slack, then the process dies before the
    answer is recorded."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    async def chat_postMessage(self, **kwargs: Any) -> Any:
        await self._client.chat_postMessage(**kwargs)
        raise Crash


class BreakOnCall:
    """A client whose n-th chat.postMessage never reaches Slack: the connection breaks."""

    def __init__(self, client: AsyncWebClient, *, failing_call: int) -> None:
        self._client = client
        self._calls = 0
        self._failing = failing_call

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    async def chat_postMessage(self, **kwargs: Any) -> Any:
        self._calls += 1
        if self._calls == self._failing:
            raise aiohttp.ClientConnectionError("connection reset")
        return await self._client.chat_postMessage(**kwargs)


def poster(h: Harness, clock: FakeClock, name: str, **kwargs: Any) -> DigestPoster:
    return DigestPoster(
        client=kwargs.pop("client", h.services.client),
        quality=kwargs.pop("quality", h.services.quality.current),
        clock=clock,
        instance=name,
        **kwargs,
    )


def digests(slack: SlackStandIn, week: str = "2026-W47") -> list[dict[str, Any]]:
    """Top-level digest messages of `week` in the digest channel."""
    return [
        m
        for m in slack.messages.get(DIGEST, [])
        if m.get("metadata", {}).get("event_payload") == {"week": week, "part": "main"}
    ]


def replies(slack: SlackStandIn, ts: str) -> list[dict[str, Any]]:
    return [m for m in slack.messages.get(DIGEST, []) if m.get("thread_ts") == ts]


def dms(slack: SlackStandIn, user: str) -> list[dict[str, Any]]:
    return [m for m in slack.messages.get(slack.dm_channel(user), []) if m.get("metadata")]


async def fifty_departments(h: Harness) -> QualityConfig:
    base = h.services.quality.current
    many = tuple(
        DepartmentConfig(slug=f"dept-{n:02d}", name=f"Department number {n:02d} of the company")
        for n in range(50)
    )
    quality: QualityConfig = base.model_copy(update={"departments": many})
    await sync_departments(quality)
    for n in range(50):
        await data.ratings(f"dept-{n:02d}", "2026-W47", [1 + n % 5] * 3, rater="dept-00")
        await data.ratings(f"dept-{n:02d}", "2026-W46", [5] * 3, rater="dept-01")
    return quality


async def seed() -> None:
    await data.ratings("it", "2026-W47", [4, 5, 3, 4], rater="finance")
    await data.reviews("it", "2026-W47", [2, 2, 3], sentiments=[("negative", -0.6)] * 3)


async def test_one_post_with_its_chart_and_each_managers_dm(harness: Harness) -> None:
    await seed()
    clock = FakeClock(MONDAY)
    result = await poster(harness, clock, "a").post(W47)
    assert result.outcome is Outcome.POSTED
    [main] = digests(harness.slack)
    assert main["ts"] == result.ts and main["blocks"][0]["type"] == "header"
    [chart] = [m for m in replies(harness.slack, main["ts"]) if m.get("files")]
    assert chart["files"][0]["name"] == "quality-2026-W47.png"
    [png] = [f["bytes"] for f in harness.slack.files.values()]
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    assert len(dms(harness.slack, "U0IT00001")) == 1 and len(dms(harness.slack, "U0FIN0001")) == 1
    again = await poster(harness, clock, "b").post(W47)
    assert again.outcome is Outcome.ALREADY_POSTED
    assert len(digests(harness.slack)) == 1 and len(dms(harness.slack, "U0IT00001")) == 1


async def test_the_chart_says_what_it_shows_to_screen_readers(harness: Harness) -> None:
    await seed()
    assert (await poster(harness, FakeClock(MONDAY), "a").post(W47)).outcome is Outcome.POSTED
    # files_upload_v2 sends alt_txt with files.getUploadURLExternal; the file keeps it.
    [upload] = harness.slack.calls_to("files.getUploadURLExternal")
    [chart] = harness.slack.files.values()
    assert (
        chart["alt_txt"]
        == upload.params["alt_txt"]
        == (
            "Chart of service quality, week 2026-W47 (16 Nov – 22 Nov 2026). Top: eight-week trend"
            " of average ratings from 1 to 5 per department, colleagues' as solid lines, customers'"
            " as dashed lines (1 of 2 departments shown): IT this week: colleagues 4.0, customers"
            " 2.3. Bottom: colleagues'"
            " ratings by rater department: Finance rating IT 4.0."
        )
    )


async def test_many_posters_at_once_post_once(harness: Harness) -> None:
    await seed()
    clock = FakeClock(MONDAY)
    posters = [poster(harness, clock, f"instance-{n}") for n in range(6)]
    results = await asyncio.gather(*(p.post(W47) for p in posters))
    outcomes = sorted(r.outcome for r in results)
    assert outcomes.count(Outcome.POSTED) == 1, outcomes
    assert set(outcomes) <= {Outcome.POSTED, Outcome.BUSY, Outcome.ALREADY_POSTED}
    assert len(digests(harness.slack)) == 1
    assert await DigestPost.filter(week="2026-W47", channel=DIGEST).count() == 1


async def test_a_crash_after_slack_took_the_message_resumes_without_doubling(
    harness: Harness,
) -> None:
    await seed()
    clock = FakeClock(MONDAY)
    crashing = cast(AsyncWebClient, CrashAfterSend(harness.services.client))
    try:
        await poster(harness, clock, "dies", client=crashing).post(W47)
    except Crash:
        pass
    else:
        raise AssertionError("the first poster should have died")
    assert len(digests(harness.slack)) == 1  # Slack has it; the database only knows "sending"
    claim = await DigestPost.get(week="2026-W47")
    assert (claim.status, claim.owner) == (PENDING, "dies")
    assert (await DigestPart.get(post=claim, key="main")).status == SENDING

    survivor = poster(harness, clock, "survivor")
    assert (await survivor.post(W47)).outcome is Outcome.BUSY  # the lease still holds
    clock.advance(minutes=6)
    result = await survivor.post(W47)
    assert result.outcome is Outcome.POSTED
    [main] = digests(harness.slack)  # found by its metadata, not posted again
    assert result.ts == main["ts"]
    assert [m for m in replies(harness.slack, main["ts"]) if m.get("files")]
    assert len(dms(harness.slack, "U0IT00001")) == 1
    assert (await DigestPost.get(week="2026-W47")).status == DONE


async def test_slack_failing_midway_resumes_where_it_stopped(harness: Harness) -> None:
    quality = await fifty_departments(harness)
    clock = FakeClock(MONDAY)
    # The channel post goes through; the connection breaks on the first thread reply.
    broken = cast(AsyncWebClient, BreakOnCall(harness.services.client, failing_call=2))
    failed = await poster(harness, clock, "a", client=broken, quality=quality).post(W47)
    assert failed.outcome is Outcome.FAILED and failed.error == "ClientConnectionError"
    assert len(digests(harness.slack)) == 1
    resumer = poster(harness, clock, "a", quality=quality)
    assert (await resumer.post(W47)).outcome is Outcome.BUSY  # backing off after a failure
    assert (await resumer.post(W47, force=True)).outcome is Outcome.POSTED  # an admin asks
    [main] = digests(harness.slack)
    thread = replies(harness.slack, main["ts"])
    parts = [m["metadata"]["event_payload"]["part"] for m in thread if m.get("metadata")]
    parts = [p for p in parts if p != "main"]
    assert parts and len(parts) == len(set(parts)), parts  # every reply once, none doubled


async def test_slack_refusing_the_post_fails_it_for_a_retry(harness: Harness) -> None:
    await seed()
    harness.slack.fail("chat.postMessage", "channel_not_found")
    result = await poster(harness, FakeClock(MONDAY), "a").post(W47)
    assert (result.outcome, result.error) == (Outcome.FAILED, "channel_not_found")
    assert digests(harness.slack) == []
    assert (await DigestPost.get(week="2026-W47")).attempts == 1


async def test_the_digest_posts_when_the_chart_upload_fails(harness: Harness) -> None:
    await seed()
    harness.slack.fail("files.getUploadURLExternal", "internal_error", times=5)
    result = await poster(harness, FakeClock(MONDAY), "a").post(W47)
    assert result.outcome is Outcome.POSTED
    [main] = digests(harness.slack)
    assert not [m for m in replies(harness.slack, main["ts"]) if m.get("files")]
    assert len(dms(harness.slack, "U0FIN0001")) == 1


async def test_fifty_departments_fit_slacks_limits(harness: Harness) -> None:
    quality = await fifty_departments(harness)
    result = await poster(harness, FakeClock(MONDAY), "a", quality=quality).post(W47)
    assert result.outcome is Outcome.POSTED
    [main] = digests(harness.slack)
    thread = [m for m in replies(harness.slack, main["ts"]) if not m.get("files")]
    assert thread, "fifty departments do not fit one message: the rest goes in the thread"
    for message in [main, *thread]:
        assert len(message["blocks"]) <= 50
        for block in message["blocks"]:
            assert len(block.get("text", {}).get("text", "")) <= 3000
    shown = " ".join(str(m["blocks"]) for m in [main, *thread])
    assert all(f"Department number {n:02d}" in shown for n in range(50))
    # The chart's description names what fits Slack's 1,000 characters and counts the rest.
    [upload] = harness.slack.calls_to("files.getUploadURLExternal")
    alt = upload.params["alt_txt"]
    assert len(alt) <= 1000 and "(8 of 50 departments shown)" in alt, alt
    assert "Department number 00 of the company rating" in alt and " more." in alt, alt


async def test_a_new_week_is_a_new_post(harness: Harness) -> None:
    await seed()
    clock = FakeClock(MONDAY + timedelta(days=7))
    p = poster(harness, clock, "a")
    assert (await p.post(W47)).outcome is Outcome.POSTED
    assert (await p.post(W47.next)).outcome is Outcome.POSTED
    assert len(digests(harness.slack)) == 1 and len(digests(harness.slack, "2026-W48")) == 1


async def test_a_managers_dm_with_comments_is_audited_once(harness: Harness) -> None:
    await data.ratings(
        "it", "2026-W47", [2, 2, 3], rater="finance",
        sentiments=[("negative", -0.7)] * 3, comments=["The new laptop is still not here"] * 3,
    )  # fmt: skip
    clock = FakeClock(MONDAY)
    assert (await poster(harness, clock, "a").post(W47)).outcome is Outcome.POSTED
    [dm] = dms(harness.slack, "U0IT00001")
    assert "The new laptop is still not here" in str(dm["blocks"])
    assert "The new laptop is still not here" not in str(digests(harness.slack)[0]["blocks"])
    await poster(harness, clock, "b").post(W47)  # already posted: nothing sent, nothing audited
    rows = await AuditEntry.all().values_list("actor", "action", "subject")
    assert rows == [("U0IT00001", "view_comments", "it")]  # Finance's DM quoted no comments
