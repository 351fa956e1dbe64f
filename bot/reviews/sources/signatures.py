"""How each push source proves a delivery is its own: an HMAC of what it sent, in a header,
keyed with the secret the admin pasted into both sides; or that secret in the URL's path, for
a source that signs nothing. Any of several secrets may sign (rotation), compared in constant
time; a reason for a refusal never quotes a secret or a signature."""

import base64
import binascii
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

Encoding = Literal["hex", "base64"]


class SignatureError(Exception):
    """Not signed by any of the secrets: the reason, for a 401."""


@dataclass(frozen=True)
class HmacHeader:
    """`header` holds `prefix` + the `encoding` of HMAC-`digest` over the body, or over the
    value of `timestamp_header` followed by the body when the source signs a time as well,
    which must then be within `window` of now."""

    header: str
    digest: Literal["sha1", "sha256"]
    encoding: Encoding
    prefix: str = ""
    timestamp_header: str | None = None
    window: timedelta = timedelta(minutes=5)
    # Zendesk's documentation says the time comes first; its older worked example signs it
    # after the body. Either order proves the same secret signed the same time and body.
    either_order: bool = False

    def verify(
        self, secrets: Sequence[str], headers: Mapping[str, str], body: bytes, now: datetime
    ) -> None:
        given = headers.get(self.header)
        if not given:
            raise SignatureError(f"missing {self.header} header")
        if not given.startswith(self.prefix):
            raise SignatureError(f"{self.header} must start with {self.prefix!r}")
        signature = _decode(given[len(self.prefix) :].strip(), self.encoding)
        if signature is None:
            raise SignatureError(f"{self.header} is not {self.encoding}")
        signed = [body]
        if self.timestamp_header is not None:
            stamp = headers.get(self.timestamp_header)
            if not stamp:
                raise SignatureError(f"missing {self.timestamp_header} header")
            moment = _moment(stamp)
            if moment is None:
                raise SignatureError(f"{self.timestamp_header} is not a time")
            if abs(now - moment) > self.window:
                raise SignatureError(f"{self.timestamp_header} is outside the allowed window")
            signed = [stamp.encode() + body]
            if self.either_order:
                signed.append(body + stamp.encode())
        for secret in secrets:
            for message in signed:
                expected = hmac.new(secret.encode(), message, self.digest).digest()
                if hmac.compare_digest(expected, signature):
                    return
        raise SignatureError(f"{self.header} does not match")


@dataclass(frozen=True)
class SecretPath:
    """The secret is the last segment of the URL the source was given."""

    def verify(self, secrets: Sequence[str], given: str | None) -> None:
        if not given:
            raise SignatureError("the URL must end with the source's secret")
        if not any(hmac.compare_digest(given.encode(), s.encode()) for s in secrets):
            raise SignatureError("the secret in the URL does not match")


Scheme = HmacHeader | SecretPath


def sign(scheme: HmacHeader, secret: str, body: bytes, timestamp: str | None = None) -> str:
    """The header value the source would send: for the demo and for tests."""
    signed = (timestamp or "").encode() + body
    digest = hmac.new(secret.encode(), signed, scheme.digest).digest()
    encoded = digest.hex() if scheme.encoding == "hex" else base64.b64encode(digest).decode()
    return scheme.prefix + encoded


def _decode(value: str, encoding: Encoding) -> bytes | None:
    try:
        if encoding == "hex":
            return bytes.fromhex(value)
        return base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error):
        return None


def _moment(stamp: str) -> datetime | None:
    """A timestamp header: Unix seconds, or ISO 8601 (Zendesk sends the latter)."""
    try:
        if stamp.strip().isdigit():
            return datetime.fromtimestamp(int(stamp), tz=UTC)
        moment = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
