"""Which language a text is in, offline.

Scripts settle Japanese, Korean and Chinese; lingua, in its high-accuracy mode and restricted
to the languages people in a company plausibly write, settles the rest. bench/
LANGUAGE_DETECTION.md compares the candidates: lingua restricted this way reads 93 % of short
texts right and almost never takes another language for English, which matters most here —
English taken for another language loses a score, but another language taken for English
gets a made-up one.
"""

from dataclasses import dataclass
from functools import cached_property

from lingua import IsoCode639_1, LanguageDetectorBuilder
from lingua import LanguageDetector as Lingua

from bot.sentiment.text import script_language

# A language not listed is read as the nearest listed one, so list every language users
# plausibly write; each costs about 20–30 MiB once its model is loaded.
# fmt: off
CANDIDATES = (
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "pl", "cs", "hu", "ro",
    "ca", "hr", "sk", "tr", "id", "vi", "ru", "uk", "el", "ar", "he", "hi", "th",
)
# fmt: on


@dataclass(frozen=True)
class Detection:
    language: str | None  # ISO 639-1; None when nothing in the text tells
    confidence: float  # 0 … 1


class LanguageDetector:
    @cached_property
    def _lingua(self) -> Lingua:
        return self._builder().build()

    def preload(self) -> None:
        """Load every model now. Lazily, lingua loads a language's model the first time a
        text could be in it (about two seconds); a long-lived worker pays that up front."""
        self.__dict__["_lingua"] = self._builder().with_preloaded_language_models().build()

    @staticmethod
    def _builder() -> LanguageDetectorBuilder:
        codes = [getattr(IsoCode639_1, code.upper()) for code in CANDIDATES]
        return LanguageDetectorBuilder.from_iso_codes_639_1(*codes)

    def detect(self, text: str) -> Detection:
        script = script_language(text)
        if script is not None:
            return Detection(script, 1.0)
        values = self._lingua.compute_language_confidence_values(text)
        if not values or values[0].value <= 0:
            return Detection(None, 0.0)
        best = values[0]
        return Detection(best.language.iso_code_639_1.name.lower(), round(best.value, 3))
