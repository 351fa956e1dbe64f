"""A stand-in for the Google Play Developer API's reviews, with Google's OAuth token endpoint,
for tests and the offline demo.

Usage::

    play = GooglePlayStandIn(clock=clock)
    play.add_review("com.example.app", "gp:AOqpTOE…", rating=2, text="Slow since 3.1",
                    author="Ada", modified=clock() - timedelta(hours=2), title="Slow")
    async with play:
        creds = service_account.Credentials.from_service_account_info(
            play.service_account_info(), scopes=[ANDROIDPUBLISHER])
        await asyncio.to_thread(creds.refresh, google.auth.transport.requests.Request())
        url = play.base_url + "androidpublisher/v3/applications/com.example.app/reviews"
        # GET it with "Authorization: Bearer <creds.token>", then pass tokenPagination's
        # nextPageToken as `token`

It answers reviews.list as Google documents it: `{"reviews": [Review], "tokenPagination":
{"nextPageToken"}}`, each key left out when empty, as Google's JSON does, and `pageInfo` left
out as the real API does in practice. Only reviews whose user comment was written or edited in
the 7 days before the stand-in's `clock` come back, the most recently written or edited first,
and only those with text (a rating alone is not a review here). A title is joined to the body
with a tab, as the UserComment resource says. Timestamps are {"seconds": "…", "nanos": n}.
`maxResults` is 10 by default and at most 100; `startIndex` is accepted and ignored, as reported
of the real API; `translationLanguage` swaps in a translation given to `add_review`, the original
going to `originalText`. Seed with `add_app`, `add_review`, `edit_review` (a new lastModified),
`reply` (a developerComment) and `remove_review`.

Auth is a service account's: `service_account_info()` is a complete key file whose token_uri is this
stand-in's `token` endpoint, which takes the RS256 JWT-bearer assertion google-auth makes (`aud`
Google's https://oauth2.googleapis.com/token, or this token_uri; at most an hour between iat and
exp, against the wall clock) and answers Google's {"access_token", "expires_in": 3599, "token_type":
"Bearer"} or its {"error", "error_description"} with 400. The reviews endpoint wants that access
token, unexpired (`expire_tokens` ends them all), as a Bearer header or `access_token` parameter:
else 401 UNAUTHENTICATED; without the androidpublisher scope 403 PERMISSION_DENIED; an unknown
package 404 applicationNotFound; past the Reply to Reviews quota (200 GETs an hour per app, a
rolling hour of `clock`) 429 RESOURCE_EXHAUSTED. Faults on demand: `rate_limit`, `fail`,
`fail_token`.
"""

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.store_standins.common import (
    JSON,
    Clock,
    Faults,
    RollingHour,
    StandInServer,
    page_token,
    read_page_token,
    utc_now,
)

SCOPE = "https://www.googleapis.com/auth/androidpublisher"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"  # noqa: S105 - a URL
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_SECONDS = 3599
MAX_ASSERTION_SECONDS = 3600
CLOCK_SKEW = 300  # seconds an assertion's iat may run ahead of Google's clock
WINDOW = timedelta(days=7)
DEFAULT_PAGE, MAX_PAGE = 10, 100
PAGE_PREFIX = "Cg"
SHORT_LIVED = (
    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
    "Check your iat and exp values in the JWT claim."
)
UNAUTHENTICATED = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)
MISSING_CREDENTIAL = (
    "Request is missing required authentication credential. Expected OAuth 2 access token, "
    "login cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)
EXHAUSTED = "Resource has been exhausted (e.g. check quota)."
FAULTS = {
    429: ("RESOURCE_EXHAUSTED", EXHAUSTED, "rateLimitExceeded"),
    500: ("INTERNAL", "Internal error encountered.", "backendError"),
    502: ("UNAVAILABLE", "Bad Gateway", "backendError"),
    503: ("UNAVAILABLE", "The service is currently unavailable.", "backendError"),
    504: ("DEADLINE_EXCEEDED", "The request timed out.", "backendError"),
}  # fmt: skip


@dataclass
class PlayReview:
    id: str
    author: str
    rating: int
    text: str
    title: str | None
    modified: datetime
    language: str
    device: str | None
    android_os_version: int | None
    app_version_code: int | None
    app_version_name: str | None
    thumbs_up: int
    thumbs_down: int
    translations: dict[str, str]
    reply: tuple[str, datetime] | None = None


class GoogleError(Exception):
    """An API error in Google's JSON: {"error": {"code", "message", "errors", "status"}}."""

    def __init__(self, code: int, status: str, message: str, reason: str, **where: str):
        super().__init__(message)
        self.code = code
        detail = {"message": message, "domain": "global", "reason": reason, **where}
        self.body = {
            "error": {"code": code, "message": message, "errors": [detail], "status": status}
        }


class OAuthError(Exception):
    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.body = {"error": error, "error_description": description}


def timestamp(at: datetime) -> JSON:
    """Google's Timestamp: whole seconds since the epoch as a string, and nanos."""
    return {
        "seconds": str(int(at.replace(microsecond=0).timestamp())),
        "nanos": at.microsecond * 1000,
    }


@dataclass
class AccessToken:
    expires: float  # wall clock
    scopes: frozenset[str]


class GooglePlayStandIn(StandInServer):
    """The app calls `base_url + "androidpublisher/v3/applications/{package}/reviews"`."""

    def __init__(
        self,
        *,
        clock: Clock = utc_now,
        hourly_limit: int = 200,
        project_id: str = "quality-bot-demo",
        client_email: str | None = None,
    ) -> None:
        super().__init__(clock)
        self.hourly_limit = hourly_limit
        self.project_id = project_id
        self.client_email = client_email or f"quality-bot@{project_id}.iam.gserviceaccount.com"
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.private_key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        self.private_key_id = secrets.token_hex(20)
        self.client_id = str(10**20 + secrets.randbelow(9 * 10**20))
        self._public_key = key.public_key()
        self.apps: dict[str, dict[str, PlayReview]] = {}
        self.tokens: dict[str, AccessToken] = {}
        self._quotas: dict[str, RollingHour] = {}
        self._token_faults = Faults()

    @property
    def token_uri(self) -> str:
        return self.base_url + "token"

    def service_account_info(self) -> JSON:
        """The service account's key file, as downloaded from the Cloud console, its token_uri
        pointing here; for `Credentials.from_service_account_info`. Needs the server started."""
        email = self.client_email.replace("@", "%40")
        return {
            "type": "service_account",
            "project_id": self.project_id,
            "private_key_id": self.private_key_id,
            "private_key": self.private_key_pem,
            "client_email": self.client_email,
            "client_id": self.client_id,
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": self.token_uri,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": f"https://www.googleapis.com/robot/v1/metadata/x509/{email}",
            "universe_domain": "googleapis.com",
        }

    # the store's content

    def add_app(self, package: str) -> None:
        """An app with no reviews yet (a package unknown to the stand-in is 404)."""
        self.apps.setdefault(package, {})

    def add_review(
        self,
        package: str,
        review_id: str,
        *,
        rating: int,
        text: str,
        author: str,
        modified: datetime,
        language: str = "en",
        title: str | None = None,
        device: str | None = None,
        android_os_version: int | None = None,
        app_version_code: int | None = None,
        app_version_name: str | None = None,
        thumbs_up: int = 0,
        thumbs_down: int = 0,
        translations: Mapping[str, str] | None = None,
    ) -> None:
        """`modified` is when the user wrote it; empty `text` is a rating alone, which the API
        does not show. `translations` maps a language code to the whole translated text."""
        if not 1 <= rating <= 5:
            raise ValueError("rating is 1 to 5")
        if modified.tzinfo is None:
            raise ValueError("modified must be an aware datetime")
        self.apps.setdefault(package, {})[review_id] = PlayReview(
            review_id, author, rating, text, title, modified, language, device,
            android_os_version, app_version_code, app_version_name, thumbs_up, thumbs_down,
            dict(translations or {}),
        )  # fmt: skip

    def edit_review(
        self,
        package: str,
        review_id: str,
        *,
        modified: datetime,
        rating: int | None = None,
        text: str | None = None,
        title: str | None = None,
    ) -> None:
        """The user edits the review: it gets a new lastModified (and moves to the top). An
        empty `title` drops the title."""
        review = self.apps[package][review_id]
        review.modified = modified
        review.rating = review.rating if rating is None else rating
        review.text = review.text if text is None else text
        review.title = review.title if title is None else (title or None)
        review.translations = {}

    def reply(self, package: str, review_id: str, text: str, *, at: datetime) -> None:
        """The developer's reply, as a developerComment (replacing an earlier one)."""
        self.apps[package][review_id].reply = (text, at)

    def remove_review(self, package: str, review_id: str) -> None:
        del self.apps[package][review_id]

    # faults and tokens

    def fail_token(self, times: int = 1, *, status: int = 503) -> None:
        """The next `times` token requests answer `status` with {"error": "internal_failure"},
        which google-auth tries again."""
        self._token_faults.add(status, times)

    def expire_tokens(self) -> None:
        """Every access token issued so far expires now: the next request is 401."""
        for token in self.tokens.values():
            token.expires = 0.0

    def quota_remaining(self, package: str) -> int:
        return self._quota(package).remaining()

    # HTTP

    def _routes(self, app: web.Application) -> None:
        app.router.add_post("/token", self._token)
        app.router.add_get("/androidpublisher/v3/applications/{package}/reviews", self._list)

    def _quota(self, package: str) -> RollingHour:
        return self._quotas.setdefault(package, RollingHour(self.hourly_limit, self.clock))

    async def _token(self, request: web.Request) -> web.Response:
        fault = self._token_faults.take()
        if fault is not None:
            return web.json_response({"error": "internal_failure"}, status=fault)
        form = await request.post()
        try:
            scopes = self._grant(str(form.get("grant_type", "")), str(form.get("assertion", "")))
        except OAuthError as error:
            return web.json_response(error.body, status=400)
        token = "ya29.c." + secrets.token_urlsafe(96)
        self.tokens[token] = AccessToken(time.time() + TOKEN_SECONDS, scopes)
        body = {"access_token": token, "expires_in": TOKEN_SECONDS, "token_type": "Bearer"}
        return web.json_response(body)

    def _grant(self, grant_type: str, assertion: str) -> frozenset[str]:
        if grant_type != JWT_BEARER:
            raise OAuthError("unsupported_grant_type", f"Invalid grant_type: {grant_type}")
        if not assertion:
            raise OAuthError("invalid_request", "Missing required parameter: assertion")
        bad_signature = OAuthError("invalid_grant", "Invalid JWT Signature.")
        try:
            header = jwt.get_unverified_header(assertion)
            if header.get("kid", self.private_key_id) != self.private_key_id:
                raise bad_signature
            claims = jwt.decode(
                assertion,
                self._public_key,
                algorithms=["RS256"],
                options={"verify_aud": False, "verify_exp": False, "verify_iat": False},
            )
        except jwt.PyJWTError:
            raise bad_signature from None
        if claims.get("iss") != self.client_email:
            raise OAuthError("invalid_grant", "Invalid grant: account not found")
        if claims.get("aud") not in (GOOGLE_TOKEN_URI, self.token_uri):
            raise OAuthError("invalid_grant", "Invalid JWT: Failed audience check.")
        iat, exp, now = claims.get("iat"), claims.get("exp"), time.time()
        if not isinstance(iat, int | float):
            raise OAuthError("invalid_grant", "Invalid JWT: iat (issued at) is not set.")
        if not isinstance(exp, int | float):
            raise OAuthError("invalid_grant", "Invalid JWT: exp (expiration time) is not set.")
        if exp <= now or iat > now + CLOCK_SKEW or exp - iat > MAX_ASSERTION_SECONDS:
            raise OAuthError("invalid_grant", SHORT_LIVED)
        scopes = str(claims.get("scope", "")).split()
        if not scopes or not all(s.startswith("https://") for s in scopes):
            raise OAuthError("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
        return frozenset(scopes)

    async def _list(self, request: web.Request) -> web.Response:
        package = request.match_info["package"]
        try:
            fault = self._faults.take()
            if fault is not None:
                status, message, reason = FAULTS.get(
                    fault, ("UNKNOWN", "Unknown Error.", "unknown")
                )
                raise GoogleError(fault, status, message, reason)
            self._authenticate(request)
            if package not in self.apps:
                message = "No application was found for the given package name."
                where = {"location": "packageName", "locationType": "parameter"}
                raise GoogleError(404, "NOT_FOUND", message, "applicationNotFound", **where)
            if not self._quota(package).spend():
                raise GoogleError(429, "RESOURCE_EXHAUSTED", *FAULTS[429][1:])
            body = self._page(self.apps[package], request.query)
        except GoogleError as error:
            return web.json_response(error.body, status=error.code)
        return web.json_response(body)

    def _authenticate(self, request: web.Request) -> None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        token = token if scheme == "Bearer" else request.query.get("access_token", "")
        where = {"location": "Authorization", "locationType": "header"}
        if not token:
            raise GoogleError(401, "UNAUTHENTICATED", MISSING_CREDENTIAL, "required", **where)
        issued = self.tokens.get(token)
        if issued is None or issued.expires <= time.time():
            raise GoogleError(401, "UNAUTHENTICATED", UNAUTHENTICATED, "authError", **where)
        if SCOPE not in issued.scopes:
            message = "Request had insufficient authentication scopes."
            raise GoogleError(403, "PERMISSION_DENIED", message, "insufficientPermissions")

    def _page(self, reviews: dict[str, PlayReview], query: Mapping[str, str]) -> JSON:
        size = self._uint32(query, "maxResults", DEFAULT_PAGE)
        self._uint32(query, "startIndex", 0)  # accepted, and ignored as the real API does
        size = min(size or DEFAULT_PAGE, MAX_PAGE)
        offset = 0
        if query.get("token"):
            found = read_page_token(PAGE_PREFIX, query["token"])
            if found is None:
                raise GoogleError(400, "INVALID_ARGUMENT", "Invalid pagination token.", "invalid")
            offset = found
        since = self.clock() - WINDOW
        shown = sorted(
            (r for r in reviews.values() if r.text and r.modified >= since),
            key=lambda r: (r.modified, r.id),
            reverse=True,
        )
        language = query.get("translationLanguage")
        body: JSON = {}
        page = shown[offset : offset + size]
        if page:
            body["reviews"] = [self._review(r, language) for r in page]
        if offset + size < len(shown):
            body["tokenPagination"] = {"nextPageToken": page_token(PAGE_PREFIX, offset + size)}
        return body

    @staticmethod
    def _uint32(query: Mapping[str, str], name: str, default: int) -> int:
        raw = query.get(name)
        if raw is None:
            return default
        if not raw.isdigit() or int(raw) >= 2**32:
            field = "".join("_" + c.lower() if c.isupper() else c for c in name)
            message = f"Invalid value at '{field}' (TYPE_UINT32), \"{raw}\""
            raise GoogleError(400, "INVALID_ARGUMENT", message, "invalid")
        return int(raw)

    @staticmethod
    def _review(review: PlayReview, language: str | None) -> JSON:
        text = review.text if review.title is None else f"{review.title}\t{review.text}"
        comment: JSON = {"text": text, "lastModified": timestamp(review.modified)}
        translated = review.translations.get(language or "")
        if language and translated is not None and language != review.language:
            comment["text"], comment["originalText"] = translated, text
        comment["starRating"] = review.rating
        comment["reviewerLanguage"] = review.language
        optional = {
            "device": review.device,
            "androidOsVersion": review.android_os_version,
            "appVersionCode": review.app_version_code,
            "appVersionName": review.app_version_name,
        }
        comment.update({k: v for k, v in optional.items() if v is not None})
        comment["thumbsUpCount"] = review.thumbs_up
        comment["thumbsDownCount"] = review.thumbs_down
        comments: list[JSON] = [{"userComment": comment}]
        if review.reply is not None:
            reply_text, at = review.reply
            comments.append(
                {"developerComment": {"text": reply_text, "lastModified": timestamp(at)}}
            )
        return {"reviewId": review.id, "authorName": review.author, "comments": comments}
