"""What the webhook fuzzing sends: one `Attempt` is a request as an honest or a hostile
sender could put it on the wire, and `attempts(path)` draws them, mostly honest so that most
get past the first checks, with bodies drawn from the OpenAPI document and then broken."""

import base64
import gzip
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from multidict import CIMultiDict

from tests.handlers.contract import INTERACTIONS, REVIEWS, Contract, json_values
from tests.support import webhook_headers

SECRET = "whsec_" + base64.b64encode(b"fuzz-test-secret").decode()
WRONG = "whsec_" + base64.b64encode(b"not-the-configured-secret").decode()
LIMIT = 256 * 1024  # the webhooks' contract: "413 body over 256 KiB"
DEPARTMENTS = ("it", "finance")  # the departments of tests/conftest.py's quality.yml
CONTRACT = Contract()

SIGNINGS = (
    "valid", "unsigned", "wrong_secret", "stale", "future", "tampered", "garbage",
    "no_id", "no_timestamp", "no_signature", "random",
)  # fmt: skip
# Content-Types the receiver must read as UTF-8 JSON (type and charset names ignore case)...
JSON_TYPES = (
    "application/json",
    "application/json; charset=utf-8",
    "application/json;charset=utf-8",
    'application/json; charset="utf-8"',
    "APPLICATION/JSON",
    "application/json; charset=UTF-8",
    "application/json; version=1",
)
# ...and ones it must refuse with 415 (None: no Content-Type header at all).
OTHER_TYPES = (
    None,
    "",
    "text/plain",
    "text/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/json; charset=latin-1",
    "application/json; charset=utf-16",
    "application/jsonx",
    "application/problem+json",
    "application/octet-stream",
)
ENCODINGS = ("gzip", "deflate", "br", "zstd", "identity", "x-custom")


@dataclass(frozen=True)
class Attempt:
    """One request: what a sender, honest or not, could put on the wire."""

    path: str
    body: bytes
    content_type: str | None = "application/json"
    signing: str = "valid"
    encoding: str | None = None  # a Content-Encoding header
    compressed: bool = False  # whether the body really is gzip-compressed
    extra: tuple[tuple[str, str], ...] = ()

    def headers(self) -> CIMultiDict[str]:
        headers: CIMultiDict[str] = CIMultiDict(_signature(self.signing, self.body))
        if self.content_type is not None:
            headers["Content-Type"] = self.content_type
        if self.encoding is not None:
            headers["Content-Encoding"] = self.encoding
        headers.extend(self.extra)  # after: a second webhook-* header never replaces the first
        return headers

    def wire_body(self) -> bytes:
        return gzip.compress(self.body) if self.compressed else self.body

    def json(self) -> Any:
        """The body as the receiver's JSON parser reads it; ValueError when it cannot."""
        return json.loads(self.body.decode("utf-8"))


def _signature(signing: str, body: bytes) -> dict[str, str]:
    now = datetime.now(UTC)
    match signing:
        case "valid":
            return webhook_headers(body, secret=SECRET, content_type=None)
        case "unsigned":
            return {}
        case "wrong_secret":
            return webhook_headers(body, secret=WRONG, content_type=None)
        case "stale":
            return webhook_headers(
                body, secret=SECRET, at=now - timedelta(minutes=6), content_type=None
            )
        case "future":
            return webhook_headers(
                body, secret=SECRET, at=now + timedelta(minutes=6), content_type=None
            )
        case "tampered":
            return webhook_headers(body + b" ", secret=SECRET, content_type=None)
        case "garbage":
            return {
                **webhook_headers(body, secret=SECRET, content_type=None),
                "webhook-signature": "v1,bm90IGl0",
            }
        case "random":
            return {
                "webhook-id": "x",
                "webhook-timestamp": "nan",
                "webhook-signature": "v1,,v2 ==",
            }
    header = "webhook-" + signing.removeprefix("no_")
    return {
        k: v
        for k, v in webhook_headers(body, secret=SECRET, content_type=None).items()
        if k != header
    }


def dump(value: Any) -> bytes:
    """As most senders write JSON: UTF-8, not escaped; a lone surrogate from the junk makes
    bytes that are not UTF-8 at all."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8", errors="surrogatepass")


def _known_departments(body: Any) -> Any:
    """A valid body names a configured department: the document cannot list them."""
    items = body["reviews"] if isinstance(body, dict) and "reviews" in body else [body]
    for item, slug in zip(items, DEPARTMENTS * len(items), strict=False):
        if isinstance(item, dict) and isinstance(item.get("department"), str):
            item["department"] = slug
    return body


def valid_bodies(path: str) -> st.SearchStrategy[Any]:
    """Bodies the document accepts."""
    return CONTRACT.strategy(CONTRACT.request_pointer(path) + "/schema").map(_known_departments)


# Values that break a field: wrong types, edges, huge, odd unicode, dates and URLs at limits.
JUNK = st.one_of(
    json_values(),
    st.text(),
    st.text(st.characters(codec="utf-8"), min_size=1).map(lambda s: s * 3000),
    st.integers(-(10**30), 10**30),
    st.floats(),
    st.sampled_from(
        [
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59Z",
            "2026-02-30T10:00:00Z",
            "2026-11-20",
            "yesterday",
            "1e308",
            " ",
            "\u0000",
            "\u202e",
            "ftp://example.com/",
            "javascript:alert(1)",
            "https://",
        ]
    ),
    st.text(min_size=1, max_size=500).map(lambda s: "https://example.com/" + s),
)


@st.composite
def broken_bodies(draw: st.DrawFn, path: str) -> Any:
    """A valid body with one field replaced by junk or left out, or the body itself wrapped."""
    body = draw(valid_bodies(path))
    target = body
    if isinstance(body, dict) and "reviews" in body:
        target = draw(st.sampled_from(body["reviews"]))
    if path == INTERACTIONS and draw(st.booleans()):
        target = body["requester"]
    action = draw(st.sampled_from(["replace", "replace", "delete", "wrap"]))
    if action == "wrap":
        return draw(st.sampled_from([[body], {"reviews": body}, {"data": body}]))
    key = draw(st.sampled_from(sorted(target) or ["id"]))
    if action == "delete":
        target.pop(key, None)
    else:
        target[key] = draw(JUNK)
    return body


NESTING = st.integers(1, 20_000).flatmap(
    lambda n: st.sampled_from([b"[" * n + b"]" * n, b'{"a":' * n + b"1" + b"}" * n])
)
ODD_JSON = st.sampled_from(
    [
        b"",
        b"null",
        b"true",
        b"0",
        b"-0",
        b"1e999",
        b"NaN",
        b"Infinity",
        b'"text"',
        b"[]",
        b"{}",
        b'{"reviews": null}',
        b'{"reviews": []}',
        b'{"reviews": {}}',
        b'{"reviews": [null]}',
        b'{"id": "\\ud800", "source": "s", "text": "lone surrogate"}',
        b'{"id": "a", "source": "s", "text": "\\udfff"}',
        b'{"id": "a", "source": "s", "text": "x", "rating": NaN}',
        b'{"id": "a", "id": "b", "source": "s", "text": "duplicate key"}',
        b"\xef\xbb\xbf{}",
        b"9" * 5000,
    ]
)


def bodies(path: str) -> st.SearchStrategy[bytes]:
    near_the_limit = st.integers(LIMIT - 16, LIMIT + 16)
    return st.one_of(
        (near_the_limit | st.integers(0, 3 * LIMIT)).map(lambda n: padded(path, n)),
        valid_bodies(path).map(dump),
        broken_bodies(path).map(dump),
        json_values(max_leaves=30).map(dump),
        st.binary(max_size=2000),
        st.text().map(lambda s: s.encode()),
        NESTING,
        ODD_JSON,
    )


HEADER_VALUES = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
EXTRA_HEADERS = st.lists(
    st.tuples(
        st.sampled_from(["webhook-id", "webhook-signature", "X-Forwarded-For", "Accept", "X-Y"]),
        HEADER_VALUES,
    ),
    max_size=3,
).map(tuple)


@st.composite
def attempts(draw: st.DrawFn, path: str) -> Attempt:
    body = draw(bodies(path))
    # Mostly what an honest sender sends, so that most examples get past the first checks.
    content_type = draw(st.sampled_from(JSON_TYPES[:1] * 8 + JSON_TYPES + OTHER_TYPES))
    if draw(st.sampled_from([False] * 9 + [True])):  # now and then, anything at all
        content_type = draw(HEADER_VALUES)
    signing = draw(st.sampled_from(("valid",) * 12 + SIGNINGS))
    encoding = draw(st.sampled_from((None,) * 8 + ENCODINGS))
    compressed = encoding == "gzip" and draw(st.booleans())
    extra = draw(st.just(()) | EXTRA_HEADERS)
    return Attempt(path, body, content_type, signing, encoding, compressed, extra)


def padded(path: str, size: int) -> bytes:
    """A valid body padded with an ignored field to exactly `size` bytes."""
    body: dict[str, Any] = {"id": "pad-1", "source": "fuzz", "text": "padded"}
    if path == INTERACTIONS:
        body = {"id": "pad-1", "department": "it", "requester": {"slack_id": "U0PAD0001"}}
    raw = dump({**body, "padding": ""})
    return dump({**body, "padding": "x" * max(0, size - len(raw))})


def at_size(path: str, size: int) -> Attempt:
    return Attempt(path, padded(path, size))


def batch(size: int) -> Attempt:
    reviews = [{"id": f"b-{i}", "source": "fuzz", "text": "Great service"} for i in range(size)]
    return Attempt(REVIEWS, dump({"reviews": reviews}))
