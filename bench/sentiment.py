"""Scoring cost: CPU time per text of the analyzer, against TextBlob plus VADER on the same texts.

What runs is `bot.sentiment.analyze`, in this process, after `preload()` (every model loaded, as
the scoring worker has them), one text after another, timed with the process's CPU clock (a
busy machine lengthens the wall clock, not this). The floor is what any lexicon scorer costs:
`TextBlob(text).sentiment` and VADER's `polarity_scores`, both, on the same texts.

The texts: the project's hand-labelled comments and reviews (tests/data, six languages), the
review snippets and tweets of VADER's ground truth (bench/data/vader), each timed as its own
mix and all together, with accuracy beside the cost (binary; abstentions counted wrong), so a
speed-up that cost accuracy shows. Three passes, the fastest kept.
"""

import csv
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from textblob import TextBlob
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from bench.common import Bench, Goal, ratio, say
from bot.sentiment.analyzer import analyze, preload

SECTION = "sentiment"
GOAL_MS = 0.35
PASSES = 3
ROOT = Path(__file__).resolve().parent.parent
MIXES = {
    "project's texts (6 languages)": [
        ROOT / "tests" / "data" / "sentiment_dev.csv",
        ROOT / "tests" / "data" / "sentiment_test.csv",
    ],
    "review snippets": [ROOT / "bench" / "data" / "vader" / "amazonReviewSnippets.csv"],
    "tweets": [ROOT / "bench" / "data" / "vader" / "tweets.csv"],
}


def _read(paths: Sequence[Path]) -> list[tuple[str, str, str]]:
    """(text, gold label, language) per row."""
    rows = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                gold = row.get("label") or _sign(float(row["score"]))
                rows.append((row["text"], gold, row.get("language") or "en"))
    return rows


def _sign(score: float) -> str:
    return "positive" if score > 0 else "negative" if score < 0 else "neutral"


def _cpu_ms(score: Callable[[str], object], texts: Sequence[str]) -> float:
    best = float("inf")
    for _ in range(PASSES):
        started = time.process_time()
        for text in texts:
            score(text)
        best = min(best, time.process_time() - started)
    return round(best / len(texts) * 1000, 4)


def _accuracy(rows: Sequence[tuple[str, str, str]]) -> float:
    polar = [(text, gold) for text, gold, _ in rows if gold != "neutral"]
    return round(sum(analyze(text).label == gold for text, gold in polar) / len(polar), 3)


async def run(bench: Bench) -> dict[str, Any]:
    preload()
    vader = SentimentIntensityAnalyzer()

    def floor(text: str) -> None:
        TextBlob(text).sentiment  # noqa: B018 - computed, which is the cost measured
        vader.polarity_scores(text)

    mixes: dict[str, Any] = {}
    everything: list[str] = []
    by_language: dict[str, list[str]] = {}
    for name, paths in MIXES.items():
        rows = _read(paths)
        texts = [text for text, _, _ in rows]
        if bench.quick:
            texts, rows = texts[:300], rows[:300]
        everything += texts
        for text, _, language in rows:
            by_language.setdefault(language, []).append(text)
        say(f"sentiment: {name}, {len(texts)} texts")
        ours, theirs = _cpu_ms(analyze, texts), _cpu_ms(floor, texts)
        mixes[name] = {
            "texts": len(texts),
            "ms_per_text": ours,
            "floor_ms_per_text": theirs,
            "ratio_to_floor": ratio(ours, theirs),
            "accuracy": _accuracy(rows),
        }
    languages = {lang: _cpu_ms(analyze, texts) for lang, texts in sorted(by_language.items())}
    overall = _cpu_ms(analyze, everything)
    floor_overall = _cpu_ms(floor, everything)
    return {
        "sentiment": {
            "texts": len(everything),
            "ms_per_text": overall,
            "floor_ms_per_text": floor_overall,
            "ratio_to_floor": ratio(overall, floor_overall),
            "mixes": mixes,
            "ms_per_text_by_language": languages,
        }
    }


def goals(entries: dict[str, Any]) -> list[Goal]:
    e = entries["sentiment"]
    return [
        Goal(
            name="sentiment cost per text (one core)",
            measured=(
                f"{e['ms_per_text']:.3f} ms over {e['texts']:,} texts,"
                f" {e['ratio_to_floor']:.2f}× TextBlob + VADER ({e['floor_ms_per_text']:.3f} ms)"
            ),
            goal=f"≤ {GOAL_MS} ms",
            met=e["ms_per_text"] <= GOAL_MS,
        )
    ]
