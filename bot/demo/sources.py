"""Review platforms as they themselves send: Zendesk posts a CSAT from a trigger and Trustpilot
a review it later deletes, each to its own webhook and signed (or proved) as that platform
does; the App Store, which never pushes, is polled from its stand-in, with an API key.

The secrets and the key are the demo's own, made up at every run.
"""

import json
import secrets
from datetime import UTC, datetime
from typing import Any

from bot.demo.clock import DemoClock
from bot.demo.player import Player
from bot.reviews.sources.polling import ReviewPolling
from bot.reviews.sources.push import ZENDESK
from bot.reviews.sources.signatures import HmacHeader, sign
from bot.store_standins import AppStoreStandIn, new_key
from models.review import Review

APP_ID = "1460000001"
ISSUER_ID = "57246542-96fe-1a63-e053-0824d011072a"
KEY_ID = "DEMOKEY001"


class Platforms:
    """The secrets the platforms and the app share, and the App Store's stand-in."""

    def __init__(self) -> None:
        self.zendesk_secret = secrets.token_urlsafe(24)
        self.trustpilot_secret = secrets.token_urlsafe(24)
        private, public = new_key()
        self.appstore_key = private
        self.apple = AppStoreStandIn(issuer_id=ISSUER_ID, key_id=KEY_ID, public_key=public)
        self.apple.add_app(APP_ID)

    def environ(self) -> dict[str, str]:
        """The variables bot/demo/quality.yml's review_sources name."""
        return {
            "ZENDESK_WEBHOOK_SECRET": self.zendesk_secret,
            "TRUSTPILOT_URL_SECRET": self.trustpilot_secret,
            "APPSTORE_KEY": self.appstore_key,
        }


async def reviews_from_platforms(
    player: Player, platforms: Platforms, polling: ReviewPolling, clock: DemoClock
) -> None:
    print("\n── Review platforms, each as it sends; the App Store, polled " + "─" * 18)
    # Zendesk: a ticket's satisfaction survey answered "Bad", posted by a trigger.
    ticket = {
        "ticket_id": "88412",
        "rating": "Bad",
        "comment": "Kept on hold for forty minutes, twice, and nobody called me back.",
        "requester": "Jane Doe",
        "rated_at": clock.at(3, 16, 5).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "url": "https://acme.zendesk.com/agent/tickets/88412",
    }
    raw = json.dumps(ticket).encode()
    assert isinstance(ZENDESK.scheme, HmacHeader)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # Zendesk signs the real time
    headers = {
        "X-Zendesk-Webhook-Signature": sign(ZENDESK.scheme, platforms.zendesk_secret, raw, stamp),
        "X-Zendesk-Webhook-Signature-Timestamp": stamp,
    }
    answer = await _post(player, "/webhooks/reviews/zendesk", raw, headers)
    stored = await Review.get(source=answer["source"], external_id=answer["id"])
    _line("zendesk", answer, f"“{stored.rating_original}” → {stored.rating:g}/5")

    # Trustpilot: a review, and then its author deletes it.
    path = f"/webhooks/reviews/trustpilot/{platforms.trustpilot_secret}"
    review = {
        "id": "6571d2f0a8c1e2b3c4d5e6f7", "language": "en", "title": "Wrong size",
        "text": "The delivery was on time but the shoes were the wrong size.", "stars": 3,
        "createdAt": clock.at(3, 11).isoformat().replace("+00:00", "Z"),
        "consumer": {"id": "5f0c1d2e3a4b", "name": "Mia K."},
        "link": "https://api.trustpilot.com/v1/reviews/6571d2f0a8c1e2b3c4d5e6f7",
    }  # fmt: skip
    created = await _events(player, path, ("service-review-created", review))
    _line("trustpilot", created["results"][0], "3 stars")
    deleted = await _events(player, path, ("service-review-deleted", {"id": review["id"]}))
    print(
        f"  {'trustpilot':11} {deleted['results'][0]['status']:8} the same review: gone from"
        " every figure, quote and export, and never stored again"
    )

    # The App Store: reviews of the week, read through App Store Connect's API.
    written = [
        (1, "Crashes on login", "Since the update the app crashes when I log in."),
        (5, "Finally", "Tracking my delivery in the app is great, the courier was on time."),
        (4, "Good", "Easy to reorder, support chat answered fast."),
    ]
    for n, (stars, title, body) in enumerate(written):
        platforms.apple.add_review(
            APP_ID, f"00000077-{n:04d}-0000-0000-000000000000", rating=stars, title=title,
            body=body, nickname=f"reviewer{n + 1}", created=clock.at(2 + n, 9 + n),
        )  # fmt: skip
    await polling.step()
    got = await Review.filter(source="ios-app").count()
    pages = sum(1 for c in platforms.apple.calls if c.path.endswith("customerReviews"))
    print(
        f"  {'appstore':11} polled   {got} reviews in {pages} page from App Store Connect (ES256"
        " token); one instance polls, from where the last pass got to"
    )


async def _events(player: Player, path: str, *events: tuple[str, dict[str, Any]]) -> Any:
    body = {"events": [{"eventName": n, "version": "1", "eventData": d} for n, d in events]}
    return await _post(player, path, json.dumps(body).encode(), {})


async def _post(player: Player, path: str, raw: bytes, headers: dict[str, str]) -> Any:
    status, answer = await player.post_json(path, raw, headers)
    if status >= 400:
        raise RuntimeError(f"{path} answered {status}: {answer}")
    return answer


def _line(platform: str, r: dict[str, Any], rating: str) -> None:
    feeling = f"{r['sentiment']['label']} ({r['sentiment']['language']})"
    where = f"{r['source']}/{r['id'][:10]}"
    print(
        f"  {platform:11} {r['status']:8} {where:22} {rating:14} → {r['department']:9}"
        f" by {r['routed_by']:7} {feeling}"
    )
