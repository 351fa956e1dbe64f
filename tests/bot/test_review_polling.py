"""The app stores, polled through the app's own services against the stand-ins of their APIs:
every review lands once, a pass goes on where it stopped, rate limits are honoured, one
instance polls at a time, and Google Play's one-week window is said when it loses reviews."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.reviews.sources.polling import ReviewPolling
from bot.reviews.sources.stores import open_store
from bot.services import Services
from bot.slack_standin import SlackStandIn
from bot.store_standins import AppStoreStandIn, GooglePlayStandIn, new_key
from models.review import Review, ReviewPoll
from tests.conftest import QUALITY_YML, Harness, make_settings, start_harness
from tests.support import FakeClock

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
APP_ID = "1234567890"
PACKAGE = "com.acme.app"
ISSUER = "57246542-96fe-1a63-e053-0824d011072a"
KEY_ID = "2X9R4HXF34"
REVIEWS = "v1/apps/1234567890/customerReviews"


@dataclass
class Stores:
    h: Harness
    apple: AppStoreStandIn
    google: GooglePlayStandIn
    clock: FakeClock

    @property
    def services(self) -> Services:
        return self.h.services

    def polling(self, instance: str, **options: int) -> ReviewPolling:
        """Another instance's poller, on the same database."""
        s = self.services
        return ReviewPolling(
            quality=s.quality,
            secrets=s.settings.source_secrets,
            writer=s.reviews,
            sentiment=s.sentiment,
            clock=self.clock,
            open_api=open_store,
            instance=instance,
            **options,
        )

    def apple_pages(self) -> list[str]:
        """The cursor of each page asked for ("" for a first page)."""
        return [c.query.get("cursor", "") for c in self.apple.calls if c.path.endswith(REVIEWS)]


@pytest.fixture
async def stores(tmp_path: Path, slack: SlackStandIn) -> AsyncIterator[Stores]:
    clock = FakeClock(NOW)
    private, public = new_key()
    apple = AppStoreStandIn(issuer_id=ISSUER, key_id=KEY_ID, public_key=public, clock=clock)
    google = GooglePlayStandIn(clock=clock)
    apple.add_app(APP_ID)
    google.add_app(PACKAGE)
    async with apple, google:
        sources = f"""\
review_sources:
  - preset: appstore
    name: ios
    secret_env: APPSTORE_KEY
    app_id: "{APP_ID}"
    key_id: {KEY_ID}
    issuer_id: {ISSUER}
    api_url: {apple.base_url}
    department: it
  - preset: googleplay
    name: android
    secret_env: GOOGLE_PLAY_ACCOUNT
    package: {PACKAGE}
    api_url: {google.base_url}
    poll_every_minutes: 120
"""
        settings = make_settings(
            tmp_path,
            slack,
            quality_yml=QUALITY_YML + sources,
            APPSTORE_KEY=private,
            GOOGLE_PLAY_ACCOUNT=json.dumps(google.service_account_info()),
        )
        h = await start_harness(settings, slack, clock=clock)
        yield Stores(h, apple, google, clock)
        await h.client.close()


def add_apple_reviews(
    apple: AppStoreStandIn, count: int, *, newest: datetime, first: int = 0
) -> None:
    for n in range(first, first + count):
        apple.add_review(
            APP_ID,
            f"rev-{n:04d}",
            rating=1 + n % 5,
            title=f"Review {n}",
            body="The app crashes when I open my laptop settings." if n % 5 == 0 else "Works.",
            nickname=f"user{n}",
            created=newest - timedelta(hours=12 * (first + count - 1 - n)),
        )


async def row(name: str) -> ReviewPoll:
    return await ReviewPoll.get(source=name)


async def test_app_store_reviews_land_once_and_the_next_pass_reads_only_whats_new(
    stores: Stores,
) -> None:
    add_apple_reviews(stores.apple, 450, newest=NOW - timedelta(hours=1))
    await stores.services.review_polling.step()
    assert stores.apple_pages()[0] == "" and len(stores.apple_pages()) == 3  # 200 + 200 + 50
    assert await Review.filter(source="ios").count() == 450
    crash = await Review.get(source="ios", external_id="rev-0445").prefetch_related("department")
    assert crash.title == "Review 445" and crash.author == "user445" and crash.rating == 1
    # "laptop" routes it to IT by keyword; the others go to the source's department, IT too.
    assert crash.department is not None and crash.department.slug == "it"
    assert crash.routed_by == "keyword"

    # Not due yet: nothing is asked.
    await stores.services.review_polling.step()
    assert len(stores.apple_pages()) == 3

    stores.clock.advance(minutes=61)
    add_apple_reviews(stores.apple, 2, newest=stores.clock.now, first=450)
    await stores.services.review_polling.step()
    # One page: it reaches back past what the last pass covered.
    assert len(stores.apple_pages()) == 4
    assert await Review.filter(source="ios").count() == 452
    polled = await row("ios")
    assert (polled.failures, polled.error, polled.owner) == (0, None, None)
    assert polled.next_at == stores.clock.now + timedelta(minutes=60)


async def test_a_pass_cut_short_goes_on_where_it_stopped(stores: Stores) -> None:
    add_apple_reviews(stores.apple, 450, newest=NOW - timedelta(hours=1))
    first, second = stores.polling("one", pages_per_step=1), stores.polling("two", pages_per_step=1)
    await first.step()
    assert await Review.filter(source="ios").count() == 200
    assert (await row("ios")).cursor["resume"] is not None
    # The instance stopped (a deploy); another takes the pass up where it was.
    await first.close()
    await second.step()
    await second.step()
    pages = stores.apple_pages()
    assert len(pages) == 3 and len(set(pages)) == 3  # no page read twice
    assert await Review.filter(source="ios").count() == 450
    assert "resume" not in (await row("ios")).cursor
    await second.close()


async def test_only_one_instance_polls_a_source_at_a_time(stores: Stores) -> None:
    add_apple_reviews(stores.apple, 450, newest=NOW - timedelta(hours=1))
    instances = [stores.polling(name) for name in ("a", "b", "c")]
    await asyncio.gather(*(i.step() for i in instances))
    assert len(stores.apple_pages()) == 3
    assert await Review.filter(source="ios").count() == 450
    for instance in instances:
        await instance.close()


async def test_rate_limits_are_honoured_by_every_instance(stores: Stores) -> None:
    add_apple_reviews(stores.apple, 10, newest=NOW - timedelta(hours=1))
    stores.apple.rate_limit(1)
    await stores.services.review_polling.step()
    limited = await row("ios")
    assert "rate limiting" in (limited.error or "")
    assert limited.next_at == NOW + timedelta(minutes=15)
    other = stores.polling("other")
    stores.clock.advance(minutes=14)
    await other.step()  # still waiting, on any instance
    assert len(stores.apple_pages()) == 1
    stores.clock.advance(minutes=2)
    await other.step()
    assert await Review.filter(source="ios").count() == 10
    await other.close()


async def test_a_nearly_spent_hourly_budget_stops_the_pass_until_later(
    tmp_path: Path, stores: Stores
) -> None:
    add_apple_reviews(stores.apple, 450, newest=NOW - timedelta(hours=1))
    stores.apple.quota.limit = 12  # the key's hour is almost used up by other tools
    await stores.services.review_polling.step()
    assert len(stores.apple_pages()) == 2  # 11 left after the first, 10 after the second
    assert await Review.filter(source="ios").count() == 400
    waiting = await row("ios")
    assert waiting.next_at == NOW + timedelta(minutes=15) and waiting.cursor["resume"]
    assert (waiting.failures, waiting.error) == (0, None)  # waiting is not failing


async def test_a_wrong_key_is_said_and_not_retried_at_once(
    stores: Stores, caplog: pytest.LogCaptureFixture
) -> None:
    add_apple_reviews(stores.apple, 3, newest=NOW - timedelta(hours=1))
    _, other_public = new_key()
    stores.apple.public_key = AppStoreStandIn(
        issuer_id=ISSUER, key_id=KEY_ID, public_key=other_public
    ).public_key  # the key was revoked and replaced in App Store Connect
    with caplog.at_level(logging.ERROR):
        await stores.services.review_polling.step()
    failed = await row("ios")
    assert (
        failed.error
        == "App Store Connect refused: 401 Authentication credentials are missing or invalid."
    )
    assert failed.next_at == NOW + timedelta(minutes=60)
    assert "review source ios" in caplog.text and "BEGIN" not in caplog.text
    assert not await Review.exists(source="ios")


async def test_google_play_through_a_service_account(
    stores: Stores, caplog: pytest.LogCaptureFixture
) -> None:
    google = stores.google
    google.add_review(PACKAGE, "gp-1", rating=2, text="Slow to load", title="Meh", author="Ana",
                      modified=NOW - timedelta(days=1), language="en")  # fmt: skip
    google.add_review(PACKAGE, "gp-2", rating=5, text="Lovely app", author="Bo",
                      modified=NOW - timedelta(days=2), language="de")  # fmt: skip
    google.add_review(PACKAGE, "gp-old", rating=1, text="Too old to be listed", author="Cy",
                      modified=NOW - timedelta(days=9))  # fmt: skip
    await stores.services.review_polling.step()
    assert {r.external_id async for r in Review.filter(source="android")} == {"gp-1", "gp-2"}
    meh = await Review.get(source="android", external_id="gp-1")
    assert (meh.title, meh.text, meh.rating, meh.author) == ("Meh", "Slow to load", 2, "Ana")
    assert meh.created_at == NOW - timedelta(days=1)
    assert (await Review.get(source="android", external_id="gp-2")).language == "de"
    assert len(google.tokens) == 1  # google-auth's token, from the account's token_uri

    # Edited: the same review, updated, at the next pass two hours on.
    stores.clock.advance(minutes=121)
    google.edit_review(PACKAGE, "gp-1", modified=stores.clock.now, rating=4, text="Faster now")
    await stores.services.review_polling.step()
    edited = await Review.get(source="android", external_id="gp-1")
    assert (edited.rating, edited.text, edited.title) == (4, "Faster now", "Meh")

    # Down for nine days: Google Play no longer lists what changed in the first two.
    stores.clock.advance(days=9)
    with caplog.at_level(logging.WARNING):
        await stores.services.review_polling.step()
    assert "review source android: no pass since" in caplog.text
    assert "Google Play lists only the last week" in caplog.text
    # Passes a day apart lose nothing, however long ago the newest review was written.
    caplog.clear()
    stores.clock.advance(days=1)
    with caplog.at_level(logging.WARNING):
        await stores.services.review_polling.step()
    assert "no pass since" not in caplog.text


async def test_a_google_play_outage_is_retried_sooner_each_time_up_to_the_interval(
    stores: Stores,
) -> None:
    stores.google.add_review(PACKAGE, "gp-1", rating=3, text="Fine", author="Ana",
                             modified=NOW - timedelta(hours=3))  # fmt: skip
    stores.google.fail(3, status=503)
    waits = []
    for _ in range(3):
        await stores.services.review_polling.step()
        polled = await row("android")
        waits.append(polled.next_at - stores.clock.now)
        stores.clock.now = polled.next_at
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    await stores.services.review_polling.step()
    assert await Review.exists(source="android", external_id="gp-1")
    assert (await row("android")).failures == 0
