"""Cleaning text before it is scored, and what its characters alone reveal."""

import re
import unicodedata

# Long enough for any review; past it, scoring time would grow with an attacker's patience.
MAX_SCORED_CHARS = 10_000

# Emoji, with their skin-tone modifiers, variation selectors and zero-width joiners.
EMOJI_SEQUENCE = re.compile(
    "(?:[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff]"
    "[\ufe0f\U0001f3fb-\U0001f3ff]*"
    "(?:\u200d[\U0001f000-\U0001faff\u2600-\u27bf][\ufe0f\U0001f3fb-\U0001f3ff]*)*)"
)
# What names or points rather than says: @mentions (Slack's <@U…> and <#C…|name> markup too),
# links and hashtags. A language detector reads "@anonymous" as Finnish.
_NOT_WORDS = re.compile(r"<[@#!][^>]*>|<https?://[^>]*>|https?://\S+|[@#][\w.-]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """Control characters out, spaces folded, Unicode composed, length bounded."""
    text = unicodedata.normalize("NFC", text[: MAX_SCORED_CHARS * 2])
    text = _CONTROL.sub(" ", text)
    return _SPACE.sub(" ", text).strip()[:MAX_SCORED_CHARS]


def words_only(text: str) -> str:
    """The text without mentions, links and hashtags: what tells its language."""
    return _SPACE.sub(" ", _NOT_WORDS.sub(" ", text)).strip()


def has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def is_latin(text: str) -> bool:
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())


def script_language(text: str) -> str | None:
    """Japanese and Korean are told apart by their scripts more reliably than by any model:
    kana means Japanese, hangul means Korean. Han characters alone are most likely Chinese."""
    kana = hangul = han = letters = 0
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        code = ord(ch)
        if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9D:
            kana += 1
        elif 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            hangul += 1
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            han += 1
    if not letters:
        return None
    if hangul / letters > 0.3:
        return "ko"
    if kana and (kana + han) / letters > 0.3:
        return "ja"
    if han / letters > 0.3:
        return "zh"
    return None
