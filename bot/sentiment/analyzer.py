"""`analyze(text)`: the one place a text becomes a sentiment.

Each language is read by its own backend; today only English has one. A text in any other
language is `unsupported_language` — never a score made up from the few English-looking
words in it — and adding a language is adding a backend to `BACKENDS`.
"""

from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from typing import Protocol

from bot.sentiment.english import EnglishBackend
from bot.sentiment.language import LanguageDetector
from bot.sentiment.model import Sentiment, no_signal, unsupported
from bot.sentiment.text import clean, has_letters, is_latin

# One or two words are too few for any detector ("ok" reads as Hungarian, "meh" as German).
# Such a text is scored as English when its words are English sentiment words — a score
# that holds in any language — or when it is in Latin letters and the detector is unsure.
SHORT = 2
UNSURE = 0.2


class Backend(Protocol):
    language: str

    def score(self, text: str) -> Sentiment: ...

    def knows_every_word(self, text: str) -> bool: ...


@cache
def _english() -> EnglishBackend:
    return EnglishBackend()


@cache
def _detector() -> LanguageDetector:
    return LanguageDetector()


def preload() -> None:
    """Load every model now, in a process that will score for a long time."""
    _detector().preload()
    analyze("warming up: quick and helpful")


def backends() -> dict[str, Backend]:
    return {"en": _english()}


def analyze(text: str) -> Sentiment:
    text = clean(text)
    if not text:
        return no_signal(None)
    english = _english()
    if not has_letters(text):
        # Emoji and emoticons only ("👍", ":("): no language to tell, but a signal all the same.
        return replace(english.score(text), language=None)
    detection = _detector().detect(text)
    backend = backends().get(detection.language or "")
    if backend is None and _short_english(text, detection.confidence):
        backend = english
    if backend is None:
        return unsupported(detection.language, detection.confidence)
    return backend.score(text)


def _short_english(text: str, confidence: float) -> bool:
    if len(text.split()) > SHORT or not is_latin(text):
        return False
    return _english().knows_every_word(text) or confidence < UNSURE


def analyze_all(texts: Iterable[str]) -> list[Sentiment]:
    return [analyze(t) for t in texts]
