"""Sentiment: the only package that imports textblob or any other sentiment library.

May use: `bot.runtime` (its worker pool runs in `bot.runtime.processes`); nothing else of ours.
"""

from bot.sentiment.agreement import rating_disagrees
from bot.sentiment.analyzer import SHIPPED_LANGUAGES, analyze
from bot.sentiment.model import Driver, Label, Sentiment
from bot.sentiment.pool import SentimentPool

__all__ = [
    "SHIPPED_LANGUAGES",
    "Driver",
    "Label",
    "Sentiment",
    "SentimentPool",
    "analyze",
    "rating_disagrees",
]
