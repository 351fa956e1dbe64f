"""Which language a text is in, offline.

Scripts settle Japanese, Korean and Chinese; plain English settles itself (a cheap first pass
on its function words, which lets most English texts skip lingua, two thirds of the cost of
scoring one); lingua, in its high-accuracy mode and restricted to the languages people in a
company plausibly write, settles the rest. bench/
LANGUAGE_DETECTION.md compares the candidates: lingua restricted this way reads 93 % of short
texts right and almost never takes another language for English, which matters most here —
English taken for another language loses a score, but another language taken for English
gets a made-up one.
"""

import re
from dataclasses import dataclass
from functools import cached_property

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
from lingua import LanguageDetector as Lingua

from bot.sentiment.text import script_language

# A language not listed is read as the nearest listed one, so list every language users
# plausibly write; each costs about 20–30 MiB once its model is loaded.
# fmt: off
CANDIDATES = (
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "pl", "cs", "hu", "ro",
    "ca", "hr", "sk", "tr", "id", "vi", "ru", "uk", "el", "ar", "he", "hi", "th",
)

# Function words English uses in almost every sentence and no other candidate uses as words.
ENGLISH_WORDS = frozenset(
    """
the and is was were are to of it it's its this that for with my our your you they we he she his
her their them i i'm i've me not don't didn't doesn't isn't wasn't can't won't couldn't
wouldn't have has had be been being very but so just what when which who would could should
will there here from at by about than then too also an or if all any some no more most really
because how much many one only out up get got do does did am us these those into after before
again over
""".split()  # noqa: SIM905 - a list of words reads best as words
)
# Short words of the other Latin-script candidates that English sentences do not contain: one
# of them sends the text to lingua ("Das Meeting war super" has no English function word, but
# "The Lieferung ist late" has both).
FOREIGN_WORDS = frozenset(
    """
de la le les des et est une un du au aux el los las y es muy que por para con una der die das
und ist nicht ein eine mit sehr zu auf von den dem het een niet zijn och att det inte är og er
ikke jeg som ja nie jest się o com não é um uma il lo gli di che non è per sono nel della ve
bir bu çok ya yang dan tidak ini itu pas
""".split()  # noqa: SIM905
)
# fmt: on
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# A short English text full of slang ("Damn typos", "Lovin it") is often a near tie in lingua
# with a language it is not in; English as close as this to the best, in an ASCII text with no
# function word of another language, is English.
CLOSE_SECOND = 0.7
# Measured on bench/data/language_samples.csv and the project's labelled sets: no text in
# another language passes; about three English texts in four do (the rest go to lingua).
FIRST_PASS_CONFIDENCE = 0.99


def looks_english(text: str) -> bool:
    """ASCII letters only, at least three words, two distinct English function words and no
    function word of another candidate language."""
    words = _ascii_words(text)
    if len(words) < 3 or len(ENGLISH_WORDS.intersection(words)) < 2:
        return False
    return FOREIGN_WORDS.isdisjoint(words)


def _ascii_words(text: str) -> list[str]:
    return _WORD.findall(text.lower()) if text.isascii() else []


def could_be_english(text: str) -> bool:
    """ASCII words, none of them a function word of another candidate language."""
    words = _ascii_words(text)
    return bool(words) and FOREIGN_WORDS.isdisjoint(words)


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
        if looks_english(text):
            return Detection("en", FIRST_PASS_CONFIDENCE)
        values = self._lingua.compute_language_confidence_values(text)
        if not values or values[0].value <= 0:
            return Detection(None, 0.0)
        best = values[0]
        if best.language.iso_code_639_1 != IsoCode639_1.EN and could_be_english(text):
            english = next(v.value for v in values if v.language.iso_code_639_1 == IsoCode639_1.EN)
            if english >= CLOSE_SECOND * best.value:
                return Detection("en", round(english, 3))
        return Detection(best.language.iso_code_639_1.name.lower(), round(best.value, 3))


def language_name(code: str) -> str:
    """The name people read for an ISO 639-1 code ("German" for "de"); the code itself for
    one lingua does not know."""
    try:
        return Language.from_iso_code_639_1(IsoCode639_1.from_str(code)).name.title()
    except ValueError:
        return code
