"""The two app stores, which never push reviews: App Store Connect's customer reviews and
Google Play's reviews.list, each read a page at a time for `polling`, each with its preset.

App Store Connect wants a JWT signed ES256 with the team's API key (PyJWT signs it); Google
Play an OAuth token for a service account (google-auth gets it, from the account's own
`token_uri`). Both answers carry what polling needs to honour their limits.
"""

import asyncio
import json
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import jwt
from google.auth.exceptions import GoogleAuthError, RefreshError
from google.auth.transport.requests import Request
from google.oauth2 import service_account

from bot.config import ReviewSourceConfig
from bot.reviews.sources.polling import RATE_LIMITED, Page, PollError, StoreApi
from bot.reviews.sources.preset import UPSERT, Event, Preset

APPSTORE_API = "https://api.appstoreconnect.apple.com/"
GOOGLEPLAY_API = "https://androidpublisher.googleapis.com/"
GOOGLEPLAY_SCOPE = "https://www.googleapis.com/auth/androidpublisher"


def _reviews(key: str, body: Any) -> list[Event]:
    """Each review of a page (Google leaves the key out of a page without any)."""
    found = body.get(key) if isinstance(body, dict) else None
    return [Event(UPSERT, item) for item in found] if isinstance(found, list) else []


# --- App Store Connect: GET v1/apps/{id}/customerReviews, newest first, 200 a page.

APPSTORE = Preset(
    name="appstore",
    events=lambda body, headers: _reviews("data", body),
    paths={
        "id": "id",
        "rating": "attributes.rating",
        "title": "attributes.title",
        "text": "attributes.body",
        "author": "attributes.reviewerNickname",
        "created_at": "attributes.createdDate",
    },
)

TOKEN_LIFE = 15 * 60  # seconds; Apple refuses tokens that live over 20 minutes
BUDGET_RESERVE = 10  # requests of the hour left to whatever else uses the key
_RATE = re.compile(r"user-hour-rem:(\d+)")


class AppStore:
    preset = APPSTORE
    overlap = timedelta(days=3)  # Apple shows a review some time after its createdDate

    def __init__(
        self, source: ReviewSourceConfig, key: str, session: aiohttp.ClientSession
    ) -> None:
        self._base = source.api_url or APPSTORE_API
        self._base += "" if self._base.endswith("/") else "/"
        self._first = f"{self._base}v1/apps/{source.app_id}/customerReviews"
        self._source = source
        self._key = key
        self._session = session
        self._token: tuple[str, float] | None = None

    def gap(self, last: datetime, now: datetime) -> str | None:
        return None  # Apple keeps every review

    async def page(self, resume: str | None) -> Page:
        if resume is not None and not resume.startswith(self._base):
            # Our token goes only where the reviews are.
            raise PollError(f"a next page outside {self._base}", stale=True)
        url = resume or self._first
        params = None if resume else {"sort": "-createdDate", "limit": "200"}
        headers = {"Authorization": f"Bearer {self._jwt()}"}
        try:
            async with self._session.get(url, params=params, headers=headers) as resp:
                rate = _RATE.search(resp.headers.get("X-Rate-Limit", ""))
                body = await _answer(resp, "App Store Connect", resumed=resume is not None)
        except aiohttp.ClientError as exc:
            raise PollError(f"App Store Connect unreachable ({type(exc).__name__})") from None
        data = body.get("data") if isinstance(body, dict) else None
        links = body.get("links") if isinstance(body, dict) else None
        if not isinstance(data, list) or not isinstance(links, dict):
            raise PollError("App Store Connect answered without data and links")
        times = [_moment(_get(item, "attributes", "createdDate")) for item in data]
        following = links.get("next")
        return Page(
            body=body,
            next=following if isinstance(following, str) else None,
            oldest=min((t for t in times if t is not None), default=None),
            spent=rate is not None and int(rate[1]) <= BUDGET_RESERVE,
        )

    def _jwt(self) -> str:
        # Signed with the wall clock, as Apple checks it, whatever clock the app runs on.
        now = time.time()
        if self._token is None or self._token[1] - 60 < now:
            claims = {
                "iss": self._source.issuer_id,
                "iat": int(now),
                "exp": int(now) + TOKEN_LIFE,
                "aud": "appstoreconnect-v1",
            }
            headers = {"kid": self._source.key_id, "typ": "JWT"}
            token = jwt.encode(claims, self._key, algorithm="ES256", headers=headers)
            self._token = (token, now + TOKEN_LIFE)
        return self._token[0]


# --- Google Play: GET androidpublisher/v3/applications/{package}/reviews, the last week only.


def _play_events(body: Any, headers: Mapping[str, str]) -> list[Event]:
    return [Event(UPSERT, _titled(e.item)) for e in _reviews("reviews", body)]


def _titled(review: Any) -> Any:
    """Google Play sends a review's title and body as one text, apart by a tab."""
    text = _get(review, "comments", 0, "userComment", "text")
    if not isinstance(text, str):
        return review
    title, tab, body = text.partition("\t")
    return {**review, "title": title if tab else None, "body": body if tab else text}


GOOGLEPLAY = Preset(
    name="googleplay",
    events=_play_events,
    paths={
        "id": "reviewId",
        "rating": "comments[0].userComment.starRating",
        "title": "title",
        "text": "body",
        "author": "authorName",
        "created_at": "comments[0].userComment.lastModified.seconds",
        "language": "comments[0].userComment.reviewerLanguage",
    },
)

WEEK = timedelta(days=7)


class GooglePlay:
    preset = GOOGLEPLAY
    overlap = timedelta(hours=6)

    def __init__(
        self, source: ReviewSourceConfig, account: str, session: aiohttp.ClientSession
    ) -> None:
        base = source.api_url or GOOGLEPLAY_API
        base += "" if base.endswith("/") else "/"
        self._url = f"{base}androidpublisher/v3/applications/{source.package}/reviews"
        self._session = session
        info = _json_object(account)
        self._credentials = service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            info, scopes=[GOOGLEPLAY_SCOPE]
        )

    def gap(self, last: datetime, now: datetime) -> str | None:
        if now - last <= WEEK:
            return None
        return (
            f"no pass since {last:%Y-%m-%d %H:%M} UTC: reviews written or changed before"
            f" {now - WEEK:%Y-%m-%d %H:%M} UTC and not seen then are lost, as Google Play lists"
            " only the last week"
        )

    async def page(self, resume: str | None) -> Page:
        params = {"maxResults": "100", **({"token": resume} if resume else {})}
        headers = {"Authorization": f"Bearer {await self._access_token()}"}
        try:
            async with self._session.get(self._url, params=params, headers=headers) as resp:
                body = await _answer(resp, "Google Play", resumed=resume is not None)
        except aiohttp.ClientError as exc:
            raise PollError(f"Google Play unreachable ({type(exc).__name__})") from None
        reviews = body.get("reviews", []) if isinstance(body, dict) else None
        if not isinstance(reviews, list):
            raise PollError("Google Play answered without a list of reviews")
        times = [
            _epoch(_get(r, "comments", 0, "userComment", "lastModified", "seconds"))
            for r in reviews
        ]
        following = _get(body, "tokenPagination", "nextPageToken")
        return Page(
            body=body,
            next=following if isinstance(following, str) and following else None,
            oldest=min((t for t in times if t is not None), default=None),
        )

    async def _access_token(self) -> str:
        if not self._credentials.valid:
            try:
                # google-auth is blocking: its token request runs in a thread.
                await asyncio.to_thread(self._credentials.refresh, Request())
            except RefreshError as exc:
                raise PollError(
                    f"Google refused the service account: {exc}", lasting=True
                ) from None
            except GoogleAuthError as exc:
                raise PollError(f"Google's token endpoint failed ({type(exc).__name__})") from None
        return str(self._credentials.token)


def open_store(source: ReviewSourceConfig, secret: str, session: aiohttp.ClientSession) -> StoreApi:
    """The API a polled source reads, with its credentials."""
    if source.preset == "appstore":
        return AppStore(source, secret, session)
    return GooglePlay(source, secret, session)


async def _answer(resp: aiohttp.ClientResponse, store: str, *, resumed: bool) -> Any:
    if resp.status == 200:
        try:
            return await resp.json(content_type=None)
        except ValueError:
            raise PollError(f"{store} answered with a body that is not JSON") from None
    if resp.status == 429:
        wait = resp.headers.get("Retry-After", "")
        seconds = int(wait) if wait.isdigit() else None
        wait_for = timedelta(seconds=seconds) if seconds else RATE_LIMITED
        raise PollError(f"{store} is rate limiting (429)", wait=wait_for)
    if resp.status == 400 and resumed:
        raise PollError(f"{store} no longer takes the saved page (400)", stale=True)
    if resp.status in (400, 401, 403, 404):
        raise PollError(f"{store} refused: {resp.status} {await _reason(resp)}", lasting=True)
    raise PollError(f"{store} answered {resp.status}")


async def _reason(resp: aiohttp.ClientResponse) -> str:
    """The error's title, as the store words it (never anything of ours)."""
    try:
        body = await resp.json(content_type=None)
    except ValueError:
        return ""
    title = _get(body, "errors", 0, "title") or _get(body, "error", "message")
    return str(title)[:200] if title else ""


def _get(value: Any, *path: str | int) -> Any:
    for step in path:
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and len(value) > step else None
        else:
            value = value.get(step) if isinstance(value, dict) else None
    return value


def _moment(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment and moment.tzinfo else None


def _epoch(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _json_object(text: str) -> dict[str, Any]:
    found = json.loads(text)
    if not isinstance(found, dict):
        raise PollError("the service account is not a JSON object", lasting=True)
    return found
