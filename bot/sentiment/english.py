"""English: VADER's rules (negation scope, intensifiers, "but", caps, "!") over its lexicon
plus the service vocabulary, blended with TextBlob's adjective lexicon.

VADER is run word by word here rather than through `polarity_scores`, for two reasons: its
emoji handling turns "👍" into words its lexicon lacks, and the per-word valences are exactly
"the words that drove the score" that managers are shown.
"""

import re
from functools import cached_property

from textblob import TextBlob
from vaderSentiment.vaderSentiment import BOOSTER_DICT, SentimentIntensityAnalyzer, SentiText

from bot.sentiment.lexicon import (
    CONTRAST_WORDS,
    EMOJI,
    SARCASM_OPENERS,
    SERVICE_PHRASES,
    SERVICE_WORDS,
)
from bot.sentiment.model import Driver, Label, Sentiment, no_signal
from bot.sentiment.text import EMOJI_SEQUENCE

# A phrase becomes one token ("never answered" -> "never_answered") so that VADER's rules
# (negation, boosters, "but") apply to it as a unit and nothing counts its words twice.
_PHRASES = {phrase.replace(" ", "_"): valence for phrase, valence in SERVICE_PHRASES.items()}
_PHRASE_RE = re.compile(
    r"\b("
    + "|".join(re.escape(p) for p in sorted(SERVICE_PHRASES, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
# Sarcasm is only read at the start of the text or of a sentence: "the help was just great"
# is praise, "Just great. Another outage." is not.
_SARCASM_RE = re.compile(
    r"(?:^|[.!?]\s+)(" + "|".join(re.escape(o) for o in SARCASM_OPENERS) + r")\b", re.IGNORECASE
)
_IRONY_MARKERS = {"🙄", "😒", "/s"}
SARCASM_TOKEN = "sarcasm"  # noqa: S105 - a lexicon entry, not a secret
_SARCASM_VALENCE = -1.8

# VADER's compound and TextBlob's polarity both lie in [-1, 1]; VADER carries more of the
# weight because its rules and vocabulary fit short feedback far better.
_VADER_WEIGHT = 0.75
NEUTRAL_BAND = 0.05
_FAINTEST = 0.5  # VADER's own threshold for a neutral compound


class EnglishBackend:
    language = "en"

    @cached_property
    def _vader(self) -> SentimentIntensityAnalyzer:
        vader = SentimentIntensityAnalyzer()
        # VADER's faintest entries ("number" 0.3) are noise that turns a ticket number
        # into praise; a word must lean at least this much to count.
        vader.lexicon = {w: v for w, v in vader.lexicon.items() if abs(v) >= _FAINTEST}
        vader.lexicon.update(SERVICE_WORDS)
        vader.lexicon.update(_PHRASES)
        vader.lexicon.update(EMOJI)
        vader.lexicon[SARCASM_TOKEN] = _SARCASM_VALENCE
        return vader

    def knows_every_word(self, text: str) -> bool:
        """Whether every word of `text` carries sentiment in the English lexicon."""
        lexicon = self._vader.lexicon
        words = [w.strip(".,!?;:'\"()").lower() for w in _prepare(text).split()]
        words = [w for w in words if any(ch.isalpha() for ch in w)]
        return bool(words) and all(lexicon.get(w, 0.0) != 0.0 for w in words)

    def score(self, text: str) -> Sentiment:
        prepared = _prepare(text)
        words, valences = self._vader_valences(prepared)
        drivers = [Driver(w, round(v / 4, 3)) for w, v in zip(words, valences, strict=True) if v]
        blob = TextBlob(text).sentiment_assessments
        blob_signal = any(p != 0 for _, p, _, _ in blob.assessments)
        if not drivers and not blob_signal:
            return no_signal("en")
        vader = self._vader.score_valence(valences, prepared)["compound"] if drivers else None
        if vader is not None and blob_signal:
            polarity = _VADER_WEIGHT * vader + (1 - _VADER_WEIGHT) * blob.polarity
        else:
            polarity = vader if vader is not None else blob.polarity
        if not drivers:
            drivers = [Driver(" ".join(ws), round(p, 3)) for ws, p, _, _ in blob.assessments if p]
        return Sentiment(
            label=_label(polarity),
            polarity=round(max(-1.0, min(1.0, polarity)), 4),
            subjectivity=round(blob.subjectivity, 4),
            language="en",
            confidence=_confidence(
                polarity, len(drivers), vader, blob.polarity if blob_signal else None
            ),
            drivers=tuple(drivers),
        )

    def _vader_valences(self, prepared: str) -> tuple[list[str], list[float]]:
        vader = self._vader
        sentitext = SentiText(prepared)
        words = sentitext.words_and_emoticons
        valences: list[float] = []
        for i, item in enumerate(words):
            lower = item.lower()
            if lower in BOOSTER_DICT or (
                lower == "kind" and i + 1 < len(words) and words[i + 1].lower() == "of"
            ):
                valences.append(0.0)
                continue
            valences = vader.sentiment_valence(0.0, sentitext, item, i, valences)
        valences = _weigh_contrast(words, valences)
        if _IRONY_MARKERS & {w.lower() for w in words}:
            # An eye-roll after praise ("great… 🙄") says the praise is not meant.
            valences = [-0.6 * v if v > 0 else v for v in valences]
        return list(words), [float(v) for v in valences]


def _weigh_contrast(words: list[str], valences: list[float]) -> list[float]:
    """VADER's "but" rule, for every contrast word: what follows the last one counts 1.5×,
    what precedes it half. A text that opens with one ("Although it was late, it works")
    puts its verdict after the first comma instead."""
    lowered = [w.lower().strip(",.;:!?") for w in words]
    marks = [i for i, w in enumerate(lowered) if w in CONTRAST_WORDS]
    if not marks:
        return valences
    pivot = marks[-1]
    if pivot == 0:
        commas = [i for i, w in enumerate(words) if w.endswith(",")]
        if not commas:
            return valences
        pivot = commas[0]
    return [v * 0.5 if i < pivot else v * 1.5 if i > pivot else v for i, v in enumerate(valences)]


def _prepare(text: str) -> str:
    text = EMOJI_SEQUENCE.sub(lambda m: f" {m.group(0)} ", text)
    text = _SARCASM_RE.sub(
        lambda m: m.group(0)[: m.start(1) - m.start(0)] + f" {SARCASM_TOKEN} ", text
    )
    return _PHRASE_RE.sub(lambda m: m.group(1).lower().replace(" ", "_"), text)


def _label(polarity: float) -> Label:
    if polarity >= NEUTRAL_BAND:
        return "positive"
    if polarity <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"


def _confidence(polarity: float, drivers: int, vader: float | None, blob: float | None) -> float:
    """A heuristic, not a probability: more evidence and a stronger score earn more trust,
    and the two lexicons pulling in opposite directions earns less."""
    confidence = 0.3 + 0.12 * min(drivers, 4) + 0.3 * min(abs(polarity), 1.0)
    if vader is not None and blob is not None and vader * blob < 0:
        confidence *= 0.6
    return round(min(confidence, 1.0), 3)
