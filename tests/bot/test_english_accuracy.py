"""The English reader's goals, on the test halves of VADER's human-rated texts
(bench/data/vader): the halves nothing was tuned or trained on.

These are the whole analyzer's figures, language detection included: a tweet taken for
Turkish is a tweet lost. Accuracy is `eval-sentiment`'s: over the texts whose mean human rating
has a sign, every abstention and every "neutral" counted wrong.
"""

import csv
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from bot.sentiment import analyze
from bot.sentiment.evaluate import metrics, plain_textblob

pytestmark = pytest.mark.same_on_either_database(reason="no database")

VADER_DATA = Path(__file__).parents[2] / "bench" / "data" / "vader"


@cache
def _test_half(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    with (VADER_DATA / f"{name}.csv").open(encoding="utf-8", newline="") as rows:
        kept = [row for row in csv.DictReader(rows) if row["split"] == "test"]
    gold = tuple(_sign(float(row["score"])) for row in kept)
    return tuple(row["text"] for row in kept), gold


def _sign(score: float) -> str:
    return "positive" if score > 0 else "negative" if score < 0 else "neutral"


def _accuracy(name: str, read: Callable[[str], str]) -> float:
    texts, gold = _test_half(name)
    return float(metrics(gold, [read(text) for text in texts])["accuracy"])


def _ours(text: str) -> str:
    return analyze(text).label


def test_review_snippets_are_read_right_seven_times_in_ten() -> None:
    assert _accuracy("amazonReviewSnippets", _ours) >= 0.70


def test_tweets_are_read_at_least_as_well_as_by_vader_alone() -> None:
    vader = SentimentIntensityAnalyzer()

    def vader_alone(text: str) -> str:
        # VADER's own reading of its compound score: within ±0.05 is neutral.
        return _sign(c if abs(c := vader.polarity_scores(text)["compound"]) >= 0.05 else 0.0)

    assert _accuracy("tweets", _ours) >= _accuracy("tweets", vader_alone)


def test_editorials_are_read_at_least_as_well_as_by_textblob() -> None:
    assert _accuracy("nytEditorialSnippets", _ours) >= _accuracy(
        "nytEditorialSnippets", plain_textblob
    )
