"""The app stores' review API stand-ins, driven by real clients: PyJWT-signed tokens for App Store
Connect, google-auth's service-account credentials for Google Play, aiohttp for the HTTP."""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import google.auth.transport.requests
import jwt
import pytest
from google.auth.exceptions import RefreshError
from google.oauth2 import service_account

from bot.store_standins import AppStoreStandIn, GooglePlayStandIn, new_key
from tests.support import FakeClock

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database

ISSUER_ID = "57246542-96fe-1a63-e053-0824d011072a"
KEY_ID = "2X9R4HXF34"
APP_ID = "1234567890"
PACKAGE = "com.example.quality"
SCOPE = "https://www.googleapis.com/auth/androidpublisher"
NOV_20 = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)  # 10:00 in Cupertino
APPLE_KEY = new_key()
Answer = tuple[int, dict[str, str], Any]


def apple_token(
    private_pem: str = APPLE_KEY[0],
    *,
    lifetime: float = 15 * 60,
    issued: float = 0.0,
    kid: str = KEY_ID,
    aud: str = "appstoreconnect-v1",
) -> str:
    """A token as Apple's guide makes it; `issued` seconds from now."""
    iat = int(time.time() + issued)
    claims = {"iss": ISSUER_ID, "iat": iat, "exp": int(iat + lifetime), "aud": aud}
    return jwt.encode(claims, private_pem, algorithm="ES256", headers={"kid": kid, "typ": "JWT"})


async def get(url: str, token: str | None = None, params: dict[str, str] | None = None) -> Answer:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.get(url, headers=headers, params=params) as response,
    ):
        text = await response.text()
        body = await response.json() if response.content_type == "application/json" else text
        return response.status, dict(response.headers), body


# App Store Connect


@pytest.fixture
async def apple() -> AsyncIterator[AppStoreStandIn]:
    async with AppStoreStandIn(
        issuer_id=ISSUER_ID, key_id=KEY_ID, public_key=APPLE_KEY[1], clock=FakeClock(NOV_20)
    ) as stand_in:
        yield stand_in


def reviews_url(stand_in: AppStoreStandIn, app_id: str = APP_ID) -> str:
    return stand_in.base_url + f"v1/apps/{app_id}/customerReviews"


def add_apple_reviews(stand_in: AppStoreStandIn, count: int) -> None:
    for n in range(count):
        stand_in.add_review(
            APP_ID, f"review-{n}", rating=n % 5 + 1, title=f"Title {n}", body=f"Body {n}",
            nickname=f"user{n}", created=NOV_20 - timedelta(hours=n),
            territory=("USA", "GBR", "DEU")[n % 3],
        )  # fmt: skip


async def test_apple_answers_the_documented_document(apple: AppStoreStandIn) -> None:
    apple.add_review(
        APP_ID, "00000028-b08c-0014-729e-fbd500000000", rating=5, title="Awesome!!!",
        body="It's a really fantastic app!", nickname="Anne Johnson", created=NOV_20,
    )  # fmt: skip
    status, headers, body = await get(reviews_url(apple), apple_token(), {"limit": "1"})
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    assert headers["X-Rate-Limit"] == "user-hour-lim:3600;user-hour-rem:3599;"
    here = apple.base_url + "v1/customerReviews/00000028-b08c-0014-729e-fbd500000000"
    assert body == {
        "data": [
            {
                "type": "customerReviews",
                "id": "00000028-b08c-0014-729e-fbd500000000",
                "attributes": {
                    "rating": 5,
                    "title": "Awesome!!!",
                    "body": "It's a really fantastic app!",
                    "reviewerNickname": "Anne Johnson",
                    "createdDate": "2026-11-20T10:00:00-08:00",
                    "territory": "USA",
                },
                "relationships": {
                    "response": {
                        "links": {
                            "self": here + "/relationships/response",
                            "related": here + "/response",
                        }
                    }
                },
                "links": {"self": here},
            }
        ],
        "links": {"self": reviews_url(apple) + "?limit=1"},
        "meta": {"paging": {"total": 1, "limit": 1}},
    }


async def test_apple_pages_through_links_next_to_the_end(apple: AppStoreStandIn) -> None:
    add_apple_reviews(apple, 7)
    url: str | None = reviews_url(apple) + "?sort=-createdDate&limit=3"
    seen: list[str] = []
    pages = 0
    while url is not None:
        status, _, body = await get(url, apple_token())
        assert status == 200
        assert body["meta"]["paging"] == {"total": 7, "limit": 3}
        seen += [r["id"] for r in body["data"]]
        url = body["links"].get("next")
        pages += 1
        if url is not None:
            assert "cursor=" in url and "limit=3" in url and "sort=-createdDate" in url
    assert pages == 3
    assert seen == [f"review-{n}" for n in range(7)]  # newest first


async def test_apple_page_size_is_50_by_default_and_at_most_200(apple: AppStoreStandIn) -> None:
    add_apple_reviews(apple, 55)
    _, _, body = await get(reviews_url(apple), apple_token())
    assert len(body["data"]) == 50
    assert body["meta"]["paging"] == {"total": 55, "limit": 50}
    status, _, body = await get(reviews_url(apple), apple_token(), {"limit": "200"})
    assert status == 200
    assert "next" not in body["links"]
    status, _, body = await get(reviews_url(apple), apple_token(), {"limit": "201"})
    assert status == 400
    [error] = body["errors"]
    assert error["code"] == "PARAMETER_ERROR.INVALID"
    assert error["source"] == {"parameter": "limit"}


async def test_apple_sorts_and_filters(apple: AppStoreStandIn) -> None:
    add_apple_reviews(apple, 10)
    apple.respond(APP_ID, "review-0", "Thanks!")

    async def ids(**params: str) -> list[str]:
        status, _, body = await get(reviews_url(apple), apple_token(), params)
        assert status == 200, body
        return [r["id"] for r in body["data"]]

    assert (await ids(sort="createdDate"))[0] == "review-9"
    assert (await ids(sort="-rating"))[:2] == ["review-4", "review-9"]  # 5 stars, newest first
    assert await ids(**{"filter[rating]": "1,2"}) == [f"review-{n}" for n in (0, 1, 5, 6)]
    assert await ids(**{"filter[territory]": "GBR"}) == ["review-1", "review-4", "review-7"]
    assert "review-0" not in await ids(**{"exists[publishedResponse]": "false"})
    assert await ids(**{"exists[publishedResponse]": "true"}) == ["review-0"]
    status, _, body = await get(reviews_url(apple), apple_token(), {"sort": "title"})
    assert (status, body["errors"][0]["code"]) == (400, "PARAMETER_ERROR.INVALID")
    status, _, body = await get(reviews_url(apple), apple_token(), {"filter[appVersion]": "1"})
    assert (status, body["errors"][0]["code"]) == (400, "PARAMETER_ERROR.ILLEGAL")


async def test_apple_includes_responses_on_request(apple: AppStoreStandIn) -> None:
    add_apple_reviews(apple, 2)
    apple.respond(APP_ID, "review-1", "We fixed it in 3.2")
    _, _, body = await get(reviews_url(apple), apple_token(), {"include": "response"})
    assert body["data"][0]["relationships"]["response"]["data"] is None
    assert body["data"][1]["relationships"]["response"]["data"]["id"] == "review-1-response"
    [included] = body["included"]
    assert included["attributes"]["responseBody"] == "We fixed it in 3.2"


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda: None, id="missing"),
        pytest.param(lambda: "not-a-jwt", id="garbage"),
        pytest.param(lambda: apple_token(issued=-30 * 60), id="expired"),
        pytest.param(lambda: apple_token(lifetime=21 * 60), id="lives-over-20-minutes"),
        pytest.param(lambda: apple_token(new_key()[0]), id="signed-with-another-key"),
        pytest.param(lambda: apple_token(kid="OTHERKEY01"), id="another-kid"),
        pytest.param(lambda: apple_token(aud="appstoreconnect-v2"), id="wrong-audience"),
    ],
)
async def test_apple_refuses_bad_tokens_with_its_401(
    apple: AppStoreStandIn, make_token: Callable[[], str | None]
) -> None:
    add_apple_reviews(apple, 1)
    status, _, body = await get(reviews_url(apple), make_token())
    assert status == 401
    [error] = body["errors"]
    assert error.pop("id")
    assert error == {
        "status": "401",
        "code": "NOT_AUTHORIZED",
        "title": "Authentication credentials are missing or invalid.",
        "detail": "Provide a properly configured and signed bearer token, and make sure that "
        "it has not expired. Learn more about Generating Tokens for API Requests "
        "https://developer.apple.com/go/?id=api-generating-tokens",
    }
    assert apple.quota.remaining() == 3600  # refused before it counts


async def test_apple_accepts_20_minutes_and_a_token_without_iat(apple: AppStoreStandIn) -> None:
    apple.add_app(APP_ID)
    status, _, body = await get(reviews_url(apple), apple_token(lifetime=20 * 60))
    assert (status, body["data"]) == (200, [])
    claims = {"iss": ISSUER_ID, "exp": int(time.time()) + 600, "aud": "appstoreconnect-v1"}
    no_iat = jwt.encode(claims, APPLE_KEY[0], algorithm="ES256", headers={"kid": KEY_ID})
    assert (await get(reviews_url(apple), no_iat))[0] == 200


async def test_apple_refuses_a_cursor_it_did_not_make(apple: AppStoreStandIn) -> None:
    apple.add_app(APP_ID)
    status, _, body = await get(reviews_url(apple), apple_token(), {"cursor": "Mg"})
    assert (status, body["errors"][0]["source"]) == (400, {"parameter": "cursor"})


async def test_apple_unknown_app_is_404(apple: AppStoreStandIn) -> None:
    status, _, body = await get(reviews_url(apple, "999999999"), apple_token())
    assert status == 404
    [error] = body["errors"]
    assert error["code"] == "NOT_FOUND"
    assert error["detail"] == "There is no resource of type 'apps' with id '999999999'"


async def test_apple_hourly_budget_runs_out_and_comes_back() -> None:
    clock = FakeClock(NOV_20)
    async with AppStoreStandIn(
        issuer_id=ISSUER_ID, key_id=KEY_ID, public_key=APPLE_KEY[1], hourly_limit=3, clock=clock
    ) as apple:
        apple.add_app(APP_ID)
        limits = []
        for _ in range(3):
            status, headers, _ = await get(reviews_url(apple), apple_token())
            limits.append((status, headers["X-Rate-Limit"]))
        assert limits == [
            (200, "user-hour-lim:3;user-hour-rem:2;"),
            (200, "user-hour-lim:3;user-hour-rem:1;"),
            (200, "user-hour-lim:3;user-hour-rem:0;"),
        ]
        status, _, body = await get(reviews_url(apple), apple_token())
        assert (status, body["errors"][0]["code"]) == (429, "RATE_LIMIT_EXCEEDED")
        clock.advance(minutes=61)  # a rolling hour
        status, headers, _ = await get(reviews_url(apple), apple_token())
        assert (status, headers["X-Rate-Limit"]) == (200, "user-hour-lim:3;user-hour-rem:2;")


async def test_apple_faults_on_demand(apple: AppStoreStandIn) -> None:
    apple.add_app(APP_ID)
    apple.rate_limit()
    apple.fail(2, status=503)
    apple.fail(status=500)
    answers = [await get(reviews_url(apple), apple_token()) for _ in range(5)]
    assert [a[0] for a in answers] == [429, 503, 503, 500, 200]
    assert answers[0][2]["errors"][0]["code"] == "RATE_LIMIT_EXCEEDED"
    assert "Service Unavailable" in answers[1][2]  # a gateway's page, not JSON
    assert answers[3][2]["errors"][0]["code"] == "UNEXPECTED_ERROR"
    assert [c.status for c in apple.calls] == [429, 503, 503, 500, 200]
    assert apple.calls[0].path == f"/v1/apps/{APP_ID}/customerReviews"


async def test_apple_removed_reviews_are_gone(apple: AppStoreStandIn) -> None:
    add_apple_reviews(apple, 3)
    apple.remove_review(APP_ID, "review-1")
    _, _, body = await get(reviews_url(apple), apple_token())
    assert [r["id"] for r in body["data"]] == ["review-0", "review-2"]


# Google Play


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOV_20)


@pytest.fixture
async def play(clock: FakeClock) -> AsyncIterator[GooglePlayStandIn]:
    async with GooglePlayStandIn(clock=clock) as stand_in:
        yield stand_in


def play_url(stand_in: GooglePlayStandIn, package: str = PACKAGE) -> str:
    return stand_in.base_url + f"androidpublisher/v3/applications/{package}/reviews"


def credentials(info: dict[str, Any], scopes: tuple[str, ...] = (SCOPE,)) -> Any:
    """The app's way in: google-auth's service-account credentials from the key file."""
    make = service_account.Credentials.from_service_account_info
    return make(info, scopes=list(scopes))  # type: ignore[no-untyped-call]


async def access_token(stand_in: GooglePlayStandIn, scopes: tuple[str, ...] = (SCOPE,)) -> str:
    """The token google-auth gets, as the app gets it (requests is blocking: off the loop)."""
    info = stand_in.service_account_info()
    creds = credentials(info, scopes)
    await asyncio.to_thread(creds.refresh, google.auth.transport.requests.Request())
    assert creds.valid
    return str(creds.token)


def add_play_reviews(stand_in: GooglePlayStandIn, clock: FakeClock, count: int) -> None:
    for n in range(count):
        stand_in.add_review(
            PACKAGE, f"gp:{n:04}", rating=n % 5 + 1, text=f"Review {n}", author=f"User {n}",
            modified=clock() - timedelta(hours=n + 1),
        )  # fmt: skip


async def test_play_answers_the_documented_shape(play: GooglePlayStandIn, clock: FakeClock) -> None:
    written = clock() - timedelta(hours=2, microseconds=-713000)
    play.add_review(
        PACKAGE, "gp:AOqpTOE", rating=4, text="Syncs now, but slowly", author="Jane Bloggs",
        modified=written, title="Better", device="trltecan", android_os_version=33,
        app_version_code=312, app_version_name="3.1.2", thumbs_up=10, thumbs_down=3,
    )  # fmt: skip
    play.reply(PACKAGE, "gp:AOqpTOE", "Thanks, Jane!", at=clock() - timedelta(hours=1))
    status, headers, body = await get(play_url(play), await access_token(play))
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    assert body == {
        "reviews": [
            {
                "reviewId": "gp:AOqpTOE",
                "authorName": "Jane Bloggs",
                "comments": [
                    {
                        "userComment": {
                            "text": "Better\tSyncs now, but slowly",
                            "lastModified": {
                                "seconds": str(int(written.timestamp())),
                                "nanos": 713000000,
                            },
                            "starRating": 4,
                            "reviewerLanguage": "en",
                            "device": "trltecan",
                            "androidOsVersion": 33,
                            "appVersionCode": 312,
                            "appVersionName": "3.1.2",
                            "thumbsUpCount": 10,
                            "thumbsDownCount": 3,
                        }
                    },
                    {
                        "developerComment": {
                            "text": "Thanks, Jane!",
                            "lastModified": {
                                "seconds": str(int((clock() - timedelta(hours=1)).timestamp())),
                                "nanos": 0,
                            },
                        }
                    },
                ],
            }
        ]
    }


async def test_play_pages_ten_at_a_time_to_the_end(
    play: GooglePlayStandIn, clock: FakeClock
) -> None:
    add_play_reviews(play, clock, 25)
    token = await access_token(play)
    seen: list[str] = []
    params: dict[str, str] = {}
    pages = []
    while True:
        status, _, body = await get(play_url(play), token, params)
        assert status == 200
        assert "pageInfo" not in body
        pages.append(len(body["reviews"]))
        seen += [r["reviewId"] for r in body["reviews"]]
        if "tokenPagination" not in body:
            break
        params = {"token": body["tokenPagination"]["nextPageToken"]}
    assert pages == [10, 10, 5]
    assert seen == [f"gp:{n:04}" for n in range(25)]  # most recently written first
    _, _, body = await get(play_url(play), token, {"startIndex": "20"})
    assert body["reviews"][0]["reviewId"] == "gp:0000"  # ignored, as reported of the real API
    _, _, body = await get(play_url(play), token, {"maxResults": "150"})
    assert len(body["reviews"]) == 25  # at most 100 a page
    status, _, body = await get(play_url(play), token, {"maxResults": "-1"})
    assert (status, body["error"]["status"]) == (400, "INVALID_ARGUMENT")


async def test_play_shows_only_the_last_week_newest_edit_first(
    play: GooglePlayStandIn, clock: FakeClock
) -> None:
    play.add_review(PACKAGE, "old", rating=1, text="Broken", author="A",
                    modified=clock() - timedelta(days=8))  # fmt: skip
    play.add_review(PACKAGE, "week", rating=2, text="Meh", author="B",
                    modified=clock() - timedelta(days=6))  # fmt: skip
    play.add_review(PACKAGE, "fresh", rating=5, text="Great", author="C",
                    modified=clock() - timedelta(hours=1))  # fmt: skip
    play.add_review(PACKAGE, "stars-only", rating=3, text="", author="D", modified=clock())
    token = await access_token(play)

    async def ids() -> list[str]:
        status, _, body = await get(play_url(play), token)
        assert status == 200
        return [r["reviewId"] for r in body.get("reviews", [])]

    assert await ids() == ["fresh", "week"]
    play.edit_review(PACKAGE, "old", modified=clock() - timedelta(minutes=5), rating=3,
                     text="Fixed, mostly")  # fmt: skip
    assert await ids() == ["old", "fresh", "week"]
    clock.advance(days=2)
    assert await ids() == ["old", "fresh"]
    clock.advance(days=6)
    _, _, body = await get(play_url(play), token)
    assert body == {}  # neither "reviews" nor "tokenPagination" when empty


async def test_play_translates_on_request(play: GooglePlayStandIn, clock: FakeClock) -> None:
    play.add_review(PACKAGE, "de", rating=2, text="Zu langsam", author="Jonas", language="de",
                    modified=clock(), translations={"en": "Too slow"})  # fmt: skip
    token = await access_token(play)
    _, _, body = await get(play_url(play), token, {"translationLanguage": "en"})
    comment = body["reviews"][0]["comments"][0]["userComment"]
    assert (comment["text"], comment["originalText"]) == ("Too slow", "Zu langsam")


async def test_play_wants_an_unexpired_token_with_its_scope(
    play: GooglePlayStandIn, clock: FakeClock
) -> None:
    add_play_reviews(play, clock, 1)
    status, _, body = await get(play_url(play))
    assert (status, body["error"]["status"]) == (401, "UNAUTHENTICATED")
    status, _, body = await get(play_url(play), "ya29.made-up")
    assert status == 401
    assert body["error"]["message"].startswith("Request had invalid authentication credentials.")
    token = await access_token(play)
    assert (await get(play_url(play), None, {"access_token": token}))[0] == 200
    play.expire_tokens()
    assert (await get(play_url(play), token))[0] == 401
    other = await access_token(play, ("https://www.googleapis.com/auth/cloud-platform",))
    status, _, body = await get(play_url(play), other)
    assert (status, body["error"]["status"]) == (403, "PERMISSION_DENIED")


async def test_play_token_endpoint_refuses_bad_assertions(play: GooglePlayStandIn) -> None:
    info = play.service_account_info()
    stranger = {**info, "private_key": GooglePlayStandIn().private_key_pem}
    creds = credentials(stranger)
    with pytest.raises(RefreshError, match="Invalid JWT Signature"):
        await asyncio.to_thread(creds.refresh, google.auth.transport.requests.Request())

    async def grant(**claims: Any) -> tuple[int, Any]:
        now = int(time.time())
        claims = {"iss": info["client_email"], "aud": "https://oauth2.googleapis.com/token",
                  "scope": SCOPE, "iat": now, "exp": now + 3600, **claims}  # fmt: skip
        assertion = jwt.encode(claims, info["private_key"], algorithm="RS256",
                               headers={"kid": info["private_key_id"]})  # fmt: skip
        form = {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion}
        async with (
            aiohttp.ClientSession() as session,
            session.post(info["token_uri"], data=form) as response,
        ):
            return response.status, await response.json()

    status, body = await grant()
    assert status == 200
    assert body["expires_in"] == 3599 and body["token_type"] == "Bearer"
    now = int(time.time())
    status, body = await grant(exp=now + 7200)
    assert (status, body["error"]) == (400, "invalid_grant")
    assert body["error_description"].startswith("Invalid JWT: Token must be a short-lived token")
    status, body = await grant(aud="https://example.com/token")
    assert body["error_description"] == "Invalid JWT: Failed audience check."
    status, body = await grant(iss="someone@else.iam.gserviceaccount.com")
    assert body["error_description"] == "Invalid grant: account not found"
    status, body = await grant(scope="")
    assert (status, body["error"]) == (400, "invalid_scope")


async def test_play_unknown_package_is_404(play: GooglePlayStandIn) -> None:
    status, _, body = await get(play_url(play, "com.example.nope"), await access_token(play))
    assert status == 404
    assert body["error"]["message"] == "No application was found for the given package name."
    assert body["error"]["errors"][0]["reason"] == "applicationNotFound"


async def test_play_hourly_quota_per_app(clock: FakeClock) -> None:
    async with GooglePlayStandIn(clock=clock, hourly_limit=2) as play:
        add_play_reviews(play, clock, 1)
        token = await access_token(play)
        statuses = [(await get(play_url(play), token))[0] for _ in range(3)]
        assert statuses == [200, 200, 429]
        _, _, body = await get(play_url(play), token)
        assert body["error"]["status"] == "RESOURCE_EXHAUSTED"
        clock.advance(hours=1)
        assert (await get(play_url(play), token))[0] == 200
        assert play.quota_remaining(PACKAGE) == 1


async def test_play_faults_on_demand(play: GooglePlayStandIn, clock: FakeClock) -> None:
    add_play_reviews(play, clock, 1)
    token = await access_token(play)
    play.rate_limit()
    play.fail(status=503)
    answers = [await get(play_url(play), token) for _ in range(3)]
    assert [a[0] for a in answers] == [429, 503, 200]
    assert answers[1][2]["error"]["status"] == "UNAVAILABLE"
    play.fail_token(status=503)
    await access_token(play)  # google-auth tries again after a 5xx
    assert [(c.method, c.path, c.status) for c in play.calls[-3:]] == [
        ("GET", f"/androidpublisher/v3/applications/{PACKAGE}/reviews", 200),
        ("POST", "/token", 503),
        ("POST", "/token", 200),
    ]
