"""Learning a language's sentiment from the company's own scored texts.

Every internal comment comes with a 1–5 score and many reviews with stars: for a language with
enough of them, a character n-gram classifier (ngram.py) learns from them how this company
writes praise and complaints. It is kept only when it earns its place: its cross-validated
accuracy clears `THRESHOLD` and beats the shipped analyzer on the same texts. It then scores that
language's texts, reviews without stars included.

It holds nothing that identifies a person: the weights of hashed n-grams, and only of n-grams
that at least `MIN_TEXTS_PER_FEATURE` texts share, so nothing one comment alone says (a name,
an order number) is in it. Training runs in a worker process (bot/sentiment/pool.py).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.sentiment import ngram_fit
from bot.sentiment.analyzer import analyze, backends

MIN_TEXTS = 300  # scored texts a language needs before a model is tried
MIN_EACH = 50  # of each side: a model that saw almost only praise has not learned complaints
MAX_TEXTS = 20_000  # the most recent; more would cost minutes and change little
THRESHOLD = 0.70  # cross-validated accuracy, abstentions counted wrong
MIN_TEXTS_PER_FEATURE = 5
# Company corpora are small: 2^16 buckets (64 KiB of weights) lose nothing against 2^18, and
# the weights travel with each batch sent to the scoring worker.
BUCKETS = 2**16


@dataclass(frozen=True)
class Learned:
    language: str
    texts: int
    accuracy: float | None  # None when too few texts to try
    builtin: float | None  # None when the shipped analyzer does not read the language
    model: bytes | None  # None when not used; `reason` says why
    reason: str | None


def learn(language: str, texts: Sequence[str], positive: Sequence[bool]) -> Learned:
    """Train, measure and decide. `positive[i]` is whether `texts[i]` was scored as praise."""
    praise = sum(positive)
    if len(texts) < MIN_TEXTS or min(praise, len(texts) - praise) < MIN_EACH:
        needs = f"needs {MIN_TEXTS} scored texts, at least {MIN_EACH} of them each way"
        return Learned(language, len(texts), None, None, None, needs)
    options: dict[str, Any] = {
        "language": language,
        "buckets": BUCKETS,
        "min_texts_per_feature": MIN_TEXTS_PER_FEATURE,
    }
    accuracy = round(ngram_fit.cross_validate(texts, positive, **options), 4)
    builtin = _builtin_accuracy(language, texts, positive)
    reason: str | None = None
    if accuracy < THRESHOLD:
        reason = f"cross-validated accuracy {accuracy:.2f} is below {THRESHOLD:.2f}"
    elif builtin is not None and accuracy <= builtin:
        reason = f"the shipped analyzer does as well ({builtin:.2f})"
    model: bytes | None = None
    if reason is None:
        model = ngram_fit.train(texts, positive, **options).to_bytes()
    return Learned(language, len(texts), accuracy, builtin, model, reason)


def _builtin_accuracy(
    language: str, texts: Sequence[str], positive: Sequence[bool]
) -> float | None:
    if language not in backends():
        return None
    right = 0
    for text, praise in zip(texts, positive, strict=True):
        label = analyze(text).label
        right += label == ("positive" if praise else "negative")
    return round(right / len(texts), 4)
