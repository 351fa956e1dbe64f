"""`analyze(text)`: the one place a text becomes a sentiment.

Each language is read by its own backend (`backends()`), or by the model learned from the
company's own scored texts in that language when it earned its place (learning.py). A text in
any other language is `unsupported_language` — never a score made up from the few
English-looking words in it.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import cache, lru_cache
from typing import Protocol

from bot.sentiment.english import EnglishBackend
from bot.sentiment.japanese import JapaneseBackend
from bot.sentiment.korean import KoreanBackend
from bot.sentiment.language import LanguageDetector, could_be_english
from bot.sentiment.model import Sentiment, no_signal, unsupported
from bot.sentiment.ngram import NgramModel
from bot.sentiment.text import clean, has_letters, is_latin, words_only

# One or two words are too few for any detector ("ok" reads as Hungarian, "meh" as German).
# Such a text is scored as English when its words are English sentiment words — a score
# that holds in any language — or when it is in Latin letters and the detector is unsure.
SHORT = 2
UNSURE = 0.2
# Longer slang defeats it too ("Boring as hell" reads as Norwegian, "Bad santa BAD" as
# Portuguese): an ASCII text with no function word of another language, in which the English
# lexicon finds sentiment, is English when the detector is this unsure of anything else. On
# the project's texts in other languages and bench/data/language_samples.csv, none passes.
UNSURE_OF_SLANG = 0.3


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
    for text in ("warming up: quick and helpful", "ありがとうございました", "감사합니다"):
        analyze(text)


# The languages a backend shipped with the product reads, and how each is made (each loads
# its lexicon or model on first use).
_SHIPPED: dict[str, Callable[[], Backend]] = {
    "en": _english,
    "ja": JapaneseBackend,
    "ko": KoreanBackend,
}
SHIPPED_LANGUAGES = tuple(_SHIPPED)


@cache
def backends() -> dict[str, Backend]:
    return {language: make() for language, make in _SHIPPED.items()}


def analyze(text: str, learned: Mapping[str, NgramModel] | None = None) -> Sentiment:
    """`learned`: models learned from the company's texts, by language; they take precedence
    over a shipped backend (they are only kept when they beat it)."""
    text = clean(text)
    if not text:
        return no_signal(None)
    english = _english()
    words = words_only(text)
    if not has_letters(words):
        # Emoji and emoticons only ("👍", ":("), maybe to someone: no language to tell, but a
        # signal all the same.
        return replace(english.score(text), language=None)
    detection = _detector().detect(words)
    model = (learned or {}).get(detection.language or "")
    if model is not None:
        return model.score(text)
    backend = backends().get(detection.language or "")
    if backend is not None:
        return backend.score(text)
    if _short_english(words, detection.confidence):
        return english.score(text)
    if detection.confidence < UNSURE_OF_SLANG and could_be_english(words):
        scored = english.score(text)
        if scored.label != "no_signal":
            return scored
    # Words no analyzer here reads, but emoji or emoticons that say the same in any language.
    symbols = english.score_symbols(text)
    if symbols.scored:
        return replace(symbols, language=detection.language)
    return unsupported(detection.language, detection.confidence)


def _short_english(text: str, confidence: float) -> bool:
    if len(text.split()) > SHORT or not is_latin(text):
        return False
    return _english().knows_every_word(text) or confidence < UNSURE


def analyze_all(texts: Iterable[str], learned: tuple[bytes, ...] = ()) -> list[Sentiment]:
    """`learned`: the serialised learned models, as the scoring worker receives them."""
    models = _decoded(learned)
    return [analyze(t, models) for t in texts]


@lru_cache(maxsize=4)
def _decoded(blobs: tuple[bytes, ...]) -> dict[str, NgramModel]:
    models = [NgramModel.from_bytes(blob) for blob in blobs]
    return {model.language: model for model in models}
