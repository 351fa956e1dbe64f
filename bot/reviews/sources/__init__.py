"""Review sources as they themselves send: a preset per platform (`push` for those that call
a webhook, `appstore` and `googleplay` for the stores, which are polled), the signatures they
use (`signatures`), and the reading of their bodies into reviews (`preset`, `intake`).

Adding a source is adding a preset: docs/contributing.md shows how.
"""

from bot.config import ReviewSourceConfig
from bot.reviews.sources.preset import Preset
from bot.reviews.sources.push import PUSH, trustpilot


def push_preset(source: ReviewSourceConfig) -> Preset:
    """The preset a push source's deliveries are read with."""
    if source.preset == "trustpilot":
        return trustpilot(source.signature)
    return PUSH[source.preset]
