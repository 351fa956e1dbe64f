"""A stand-in for the App Store Connect API's customer reviews, for tests and the offline demo.

Usage::

    private_pem, public_pem = new_key()
    apple = AppStoreStandIn(issuer_id=ISSUER_ID, key_id="2X9R4HXF34", public_key=public_pem)
    apple.add_review("1234567890", "00000028-b08c-0014-729e-fbd500000000", rating=1,
                     title="Crashes", body="On every start", nickname="ada",
                     created=datetime(2026, 11, 20, 18, 0, tzinfo=UTC))
    async with apple:
        url = apple.base_url + "v1/apps/1234567890/customerReviews?sort=-createdDate"
        # GET it with "Authorization: Bearer <ES256 JWT>", then follow links.next

It answers GET v1/apps/{id}/customerReviews ("List all customer reviews for an app") as Apple
documents it: a JSON:API document of `customerReviews` (createdDate in Apple's Pacific-time ISO
8601, "2017-11-15T08:10:34-08:00"), `links.self`, `links.next` only while a page follows (the full
URL, the request's parameters and an opaque `cursor`), `meta.paging` {total, limit}. `limit`
defaults to 50 and may not pass 200; `sort` is one of createdDate, -createdDate, rating, -rating
(-createdDate when absent: Apple documents no default); `filter[rating]` and `filter[territory]`
take comma-separated lists; `exists[publishedResponse]` true/false; `include=response` and
`fields[customerReviews]` work; a parameter the endpoint does not document is
PARAMETER_ERROR.ILLEGAL, a bad value PARAMETER_ERROR.INVALID (400). The cursor counts positions: a
review removed between two pages shifts the rest, as with any offset. Seed with `add_app`,
`add_review`, `respond` (a published response) and `remove_review` (Apple removes reviews).

Auth is Apple's: a bearer JWT signed ES256 with the key's `kid`, `iss` the issuer id, `aud`
"appstoreconnect-v1", expiring at most 20 minutes ahead (and, with `iat`, living at most 20
minutes), checked against the wall clock; anything else is 401 NOT_AUTHORIZED. An unknown app is 404
NOT_FOUND. Every JSON answer carries `X-Rate-Limit: user-hour-lim:N;user-hour-rem:M;` for a rolling
hour of the stand-in's `clock`, spent by authenticated requests; past the budget Apple answers 429
RATE_LIMIT_EXCEEDED. Faults on demand: `rate_limit` (429s while budget remains, as Apple also sends)
and `fail` (500 is Apple's UNEXPECTED_ERROR document, other statuses a gateway's HTML page).
"""

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import jwt
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from bot.store_standins.common import (
    JSON,
    Clock,
    RollingHour,
    StandInServer,
    page_token,
    read_page_token,
    utc_now,
)

AUDIENCE = "appstoreconnect-v1"
MAX_TOKEN_SECONDS = 20 * 60
DEFAULT_LIMIT = 50
PACIFIC = ZoneInfo("America/Los_Angeles")
CURSOR_PREFIX = "AQ."
SORTS = ("createdDate", "-createdDate", "rating", "-rating")
FIELDS = ("rating", "title", "body", "reviewerNickname", "createdDate", "territory", "response")
KNOWN_PARAMETERS = {
    "sort", "limit", "cursor", "include", "filter[rating]", "filter[territory]",
    "exists[publishedResponse]", "fields[customerReviews]", "fields[customerReviewResponses]",
    "fields[territories]", "filter[reviewTerritory]",
}  # fmt: skip
NOT_AUTHORIZED = (
    "Authentication credentials are missing or invalid.",
    "Provide a properly configured and signed bearer token, and make sure that it has not "
    "expired. Learn more about Generating Tokens for API Requests "
    "https://developer.apple.com/go/?id=api-generating-tokens",
)
RATE_LIMIT_EXCEEDED = (
    "The request rate limit has been reached.",
    "We've received too many requests for this API. Please wait and try again or slow down "
    "your request rate.",
)
UNEXPECTED_ERROR = (
    "An unexpected error occurred.",
    "An unexpected error occurred on the server side. If this issue continues, contact us at "
    "https://developer.apple.com/contact/.",
)
INVALID_TITLE = "A parameter has an invalid value"
ILLEGAL_TITLE = "A parameter is not allowed for this request"
GATEWAY_PAGE = "<html><body><h1>{status} {reason}</h1></body></html>"


def new_key() -> tuple[str, str]:
    """A fresh EC P-256 key pair as PEM: the private key PKCS#8 like Apple's AuthKey_*.p8,
    and its public key (SubjectPublicKeyInfo) for the stand-in."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private.decode(), public.decode()


@dataclass
class CustomerReview:
    id: str
    rating: int
    title: str
    body: str
    nickname: str
    created: datetime
    territory: str
    response: str | None = None  # the published developer response


class ApiError(Exception):
    def __init__(self, status: int, code: str, title: str, detail: str, parameter: str = ""):
        super().__init__(detail)
        self.status, self.code, self.title, self.detail = status, code, title, detail
        self.parameter = parameter

    def body(self) -> JSON:
        error: JSON = {
            "id": str(uuid.uuid4()),
            "status": str(self.status),
            "code": self.code,
            "title": self.title,
            "detail": self.detail,
        }
        if self.parameter:
            error["source"] = {"parameter": self.parameter}
        return {"errors": [error]}


def invalid(parameter: str, value: str, detail: str = "") -> ApiError:
    detail = detail or f"'{value}' is not a valid value for the parameter '{parameter}'"
    return ApiError(400, "PARAMETER_ERROR.INVALID", INVALID_TITLE, detail, parameter)


def rate_limit_exceeded() -> ApiError:
    return ApiError(429, "RATE_LIMIT_EXCEEDED", *RATE_LIMIT_EXCEEDED)


class AppStoreStandIn(StandInServer):
    """The app calls `base_url + "v1/apps/{id}/customerReviews"` with its own signed JWTs."""

    def __init__(
        self,
        *,
        issuer_id: str,
        key_id: str,
        public_key: str,
        hourly_limit: int = 3600,
        page_limit_max: int = 200,
        clock: Clock = utc_now,
    ) -> None:
        super().__init__(clock)
        self.issuer_id = issuer_id
        self.key_id = key_id
        key = serialization.load_pem_public_key(public_key.encode())
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise ValueError("App Store Connect keys are EC P-256 keys")
        self.public_key = key
        self.page_limit_max = page_limit_max
        self.quota = RollingHour(hourly_limit, clock)
        self.apps: dict[str, dict[str, CustomerReview]] = {}

    # the store's content

    def add_app(self, app_id: str) -> None:
        """An app with no reviews yet (an app id unknown to the stand-in is 404)."""
        self.apps.setdefault(app_id, {})

    def add_review(
        self,
        app_id: str,
        review_id: str,
        *,
        rating: int,
        title: str,
        body: str,
        nickname: str,
        created: datetime,
        territory: str = "USA",
        response: str | None = None,
    ) -> None:
        if not 1 <= rating <= 5:
            raise ValueError("rating is 1 to 5")
        if created.tzinfo is None:
            raise ValueError("created must be an aware datetime")
        self.apps.setdefault(app_id, {})[review_id] = CustomerReview(
            review_id, rating, title, body, nickname, created, territory, response
        )

    def respond(self, app_id: str, review_id: str, body: str | None) -> None:
        """Publish (or, with None, take back) the developer's response to a review."""
        self.apps[app_id][review_id].response = body

    def remove_review(self, app_id: str, review_id: str) -> None:
        """Apple removes reviews (moderation, a deleted account): gone from every page."""
        del self.apps[app_id][review_id]

    # faults

    # HTTP

    def _routes(self, app: web.Application) -> None:
        app.router.add_get("/v1/apps/{app_id}/customerReviews", self._list)

    def _rate_header(self) -> dict[str, str]:
        remaining = self.quota.remaining()
        return {"X-Rate-Limit": f"user-hour-lim:{self.quota.limit};user-hour-rem:{remaining};"}

    async def _list(self, request: web.Request) -> web.Response:
        try:
            fault = self._faults.take()
            if fault is not None:
                return self._fault(fault)
            self._authenticate(request.headers.get("Authorization", ""))
            if not self.quota.spend():
                raise rate_limit_exceeded()
            body = self._page(request)
        except ApiError as error:
            return web.json_response(error.body(), status=error.status, headers=self._rate_header())
        return web.json_response(body, headers=self._rate_header())

    def _fault(self, status: int) -> web.Response:
        if status == 429:
            error = rate_limit_exceeded()
        elif status == 500:
            error = ApiError(500, "UNEXPECTED_ERROR", *UNEXPECTED_ERROR)
        else:
            reason = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Time-out"}
            page = GATEWAY_PAGE.format(status=status, reason=reason.get(status, "Error"))
            return web.Response(status=status, text=page, content_type="text/html")
        return web.json_response(error.body(), status=status, headers=self._rate_header())

    def _authenticate(self, authorization: str) -> None:
        refused = ApiError(401, "NOT_AUTHORIZED", *NOT_AUTHORIZED)
        scheme, _, token = authorization.partition(" ")
        if scheme != "Bearer" or not token:
            raise refused
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") != "ES256" or header.get("kid") != self.key_id:
                raise refused
            claims = jwt.decode(
                token,
                self.public_key,
                algorithms=["ES256"],
                audience=AUDIENCE,
                issuer=self.issuer_id,
                # Times are checked below, against Apple's 20 minutes.
                options={
                    "require": ["exp", "aud", "iss"],
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError:
            raise refused from None
        now, exp, iat = time.time(), claims["exp"], claims.get("iat")
        if not isinstance(exp, int | float) or not now < exp <= now + MAX_TOKEN_SECONDS:
            raise refused
        if iat is not None and (not isinstance(iat, int | float) or exp - iat > MAX_TOKEN_SECONDS):
            raise refused

    def _page(self, request: web.Request) -> JSON:
        app_id = request.match_info["app_id"]
        reviews = self.apps.get(app_id)
        if reviews is None:
            detail = f"There is no resource of type 'apps' with id '{app_id}'"
            raise ApiError(404, "NOT_FOUND", "The specified resource does not exist", detail)
        query = request.query
        for name in query:
            if name not in KNOWN_PARAMETERS:
                detail = f"The parameter '{name}' can not be used with this request"
                raise ApiError(400, "PARAMETER_ERROR.ILLEGAL", ILLEGAL_TITLE, detail, name)
        limit = self._limit(query.get("limit"))
        chosen = self._filter(list(reviews.values()), query)
        chosen = self._sort(chosen, query.get("sort", "-createdDate"))
        offset = 0
        if "cursor" in query:
            found = read_page_token(CURSOR_PREFIX, query["cursor"])
            if found is None:
                raise invalid("cursor", query["cursor"])
            offset = found
        fields = self._fields(query.get("fields[customerReviews]"))
        include = query.get("include")
        if include not in (None, "response"):
            raise invalid("include", include)
        page = chosen[offset : offset + limit]
        url = self.base_url + "v1/apps/" + app_id + "/customerReviews"
        links: JSON = {"self": url + (f"?{request.query_string}" if request.query_string else "")}
        if offset + limit < len(chosen):
            rest = [(k, v) for k, v in query.items() if k != "cursor"]
            params = [("cursor", page_token(CURSOR_PREFIX, offset + limit)), *rest]
            links["next"] = url + "?" + urlencode(params, safe="[],-")
        document: JSON = {
            "data": [self._resource(r, fields, include is not None) for r in page],
            "links": links,
            "meta": {"paging": {"total": len(chosen), "limit": limit}},
        }
        if include is not None:
            document["included"] = [
                {
                    "type": "customerReviewResponses",
                    "id": f"{r.id}-response",
                    "attributes": {"responseBody": r.response, "state": "PUBLISHED"},
                    "links": {"self": f"{self.base_url}v1/customerReviewResponses/{r.id}-response"},
                }
                for r in page
                if r.response is not None
            ]
        return document

    def _limit(self, raw: str | None) -> int:
        if raw is None:
            return DEFAULT_LIMIT
        if not raw.isdigit() or not 1 <= int(raw) <= self.page_limit_max:
            detail = (
                f"'{raw}' is not a valid value for the parameter 'limit'. "
                f"The maximum allowed value is {self.page_limit_max}."
            )
            raise invalid("limit", raw, detail)
        return int(raw)

    @staticmethod
    def _filter(reviews: list[CustomerReview], query: Mapping[str, str]) -> list[CustomerReview]:
        if "filter[rating]" in query:
            raw = query["filter[rating]"].split(",")
            if not all(v in ("1", "2", "3", "4", "5") for v in raw):
                raise invalid("filter[rating]", query["filter[rating]"])
            reviews = [r for r in reviews if str(r.rating) in raw]
        if "filter[territory]" in query:
            territories = query["filter[territory]"].split(",")
            reviews = [r for r in reviews if r.territory in territories]
        if "exists[publishedResponse]" in query:
            wanted = query["exists[publishedResponse]"]
            if wanted not in ("true", "false"):
                raise invalid("exists[publishedResponse]", wanted)
            reviews = [r for r in reviews if (r.response is not None) == (wanted == "true")]
        return reviews

    @staticmethod
    def _sort(reviews: list[CustomerReview], sort: str) -> list[CustomerReview]:
        if sort not in SORTS:
            raise invalid("sort", sort)
        by_rating = sort.lstrip("-") == "rating"
        return sorted(
            reviews,
            key=lambda r: (r.rating if by_rating else 0, r.created, r.id),
            reverse=sort.startswith("-"),
        )

    @staticmethod
    def _fields(raw: str | None) -> tuple[str, ...]:
        if raw is None:
            return FIELDS
        fields = tuple(raw.split(","))
        if not all(f in FIELDS for f in fields):
            raise invalid("fields[customerReviews]", raw)
        return fields

    def _resource(self, review: CustomerReview, fields: tuple[str, ...], included: bool) -> JSON:
        values = {
            "rating": review.rating,
            "title": review.title,
            "body": review.body,
            "reviewerNickname": review.nickname,
            "createdDate": review.created.astimezone(PACIFIC).isoformat(timespec="seconds"),
            "territory": review.territory,
        }
        here = f"{self.base_url}v1/customerReviews/{review.id}"
        resource: JSON = {
            "type": "customerReviews",
            "id": review.id,
            "attributes": {k: v for k, v in values.items() if k in fields},
        }
        if "response" in fields:
            response: JSON = {
                "links": {"self": here + "/relationships/response", "related": here + "/response"}
            }
            if included:
                response["data"] = (
                    None
                    if review.response is None
                    else {"type": "customerReviewResponses", "id": f"{review.id}-response"}
                )
            resource["relationships"] = {"response": response}
        resource["links"] = {"self": here}
        return resource
