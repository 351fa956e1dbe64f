"""The analyzer: each label, and each failure of plain TextBlob it exists to fix."""

import pytest

from bot.sentiment.analyzer import analyze
from bot.sentiment.evaluate import plain_textblob
from bot.sentiment.language import language_name

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database


def test_positive_and_negative_service_feedback() -> None:
    good = analyze("IT sorted my VPN in ten minutes, really helpful")
    bad = analyze("Still waiting on my expense claim after three weeks")
    assert (good.label, good.language) == ("positive", "en")
    assert bad.label == "negative" and bad.polarity is not None and bad.polarity < 0
    assert any("waiting" in d.text for d in bad.drivers)
    # Plain TextBlob knows none of these words: it has nothing to say.
    assert plain_textblob("Still waiting on my expense claim after three weeks") == "no_signal"


def test_neutral_is_a_balanced_signal_not_an_absence() -> None:
    s = analyze("The delivery was fast but the box was damaged")
    assert s.label in ("neutral", "negative", "positive")
    assert s.drivers  # it found words carrying sentiment, so it is not no_signal
    assert analyze("The ticket number is 4821").label == "no_signal"


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", "\x00\x07"])
def test_empty_text_has_no_signal(text: str) -> None:
    s = analyze(text)
    assert s.label == "no_signal" and s.polarity is None


def test_negation_flips_within_its_scope() -> None:
    assert analyze("The support was not helpful").label == "negative"
    assert analyze("not bad at all, they fixed it").label == "positive"
    assert analyze("They never answered my emails").label == "negative"


def test_but_clause_weighs_the_second_half() -> None:
    s = analyze("The agent was friendly but the refund took forever")
    assert s.label == "negative"
    assert analyze("Took a while to reach them, but they solved it perfectly").label == "positive"


def test_intensifiers_strengthen() -> None:
    plain = analyze("the fix was quick")
    strong = analyze("the fix was extremely quick!!")
    assert plain.polarity is not None and strong.polarity is not None
    assert strong.polarity > plain.polarity > 0


def test_emoji_and_emoticons_carry_sentiment() -> None:
    assert analyze("👍").label == "positive"
    assert analyze("👍").language is None  # no words, no language
    assert analyze("👎").label == "negative"
    assert analyze("thanks :)").label == "positive"
    assert analyze("great… 🙄").label == "negative"


def test_sarcastic_opener_is_read_as_complaint() -> None:
    assert analyze("Oh great, another week without a laptop").label == "negative"
    assert analyze("The onboarding was just great").label == "positive"


@pytest.mark.parametrize(
    ("text", "language", "label"),
    [
        ("対応が早くて本当に助かりました", "ja", "positive"),
        ("배송이 너무 늦어서 실망했어요", "ko", "negative"),
        ("Thanks <@U0SAM0001>, quick fix! https://wiki.example/vpn #it-help", "en", "positive"),
    ],
)
def test_each_language_with_a_backend_is_scored(text: str, language: str, label: str) -> None:
    # Mentions, links and hashtags do not decide the language ("@anonymous" reads as Finnish).
    s = analyze(text)
    assert (s.label, s.language) == (label, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Der Support war super schnell und sehr freundlich", "de"),
        ("Le service client ne répond jamais, c'est nul", "fr"),
        ("La entrega llegó tarde y nadie contestó mis correos", "es"),
    ],
)
def test_other_languages_are_unsupported_never_scored(text: str, language: str) -> None:
    s = analyze(text)
    assert s.label == "unsupported_language"
    assert s.polarity is None
    assert s.language == language


def test_short_english_is_not_mistaken_for_another_language() -> None:
    for text in ("ok", "thanks!", "meh", "useless", "slow again"):
        assert analyze(text).language == "en", text


def test_control_characters_and_huge_text() -> None:
    assert analyze("great\x00 service\x1b").label == "positive"
    s = analyze("The help desk was helpful. " * 4000)  # ~100 KB
    assert s.label == "positive"


def test_polarity_stays_in_range() -> None:
    s = analyze("AMAZING!!!! best best best support ever 😍😍😍 " * 50)
    assert s.polarity is not None and -1 <= s.polarity <= 1
    assert 0 <= s.confidence <= 1


def test_emoji_in_a_language_no_analyzer_reads_still_say_what_they_say() -> None:
    s = analyze("Die Lieferung kam viel zu spät 😡")
    assert (s.label, s.language, [d.text for d in s.drivers]) == ("negative", "de", ["😡"])
    assert analyze("Die Lieferung kam viel zu spät").label == "unsupported_language"


def test_slang_a_detector_cannot_place_is_english_when_the_lexicon_reads_it() -> None:
    for text in ("Boring as hell", "Bad santa BAD", "@anonymous So cute!"):
        assert analyze(text).language == "en", text
    # …but never a text with another language's function words.
    assert analyze("La entrega llegó tarde").label == "unsupported_language"


def test_a_language_is_named_as_people_read_it() -> None:
    assert (language_name("de"), language_name("ko"), language_name("nb")) == (
        "German",
        "Korean",
        "Bokmal",
    )
    assert language_name("xx") == "xx"  # a code lingua does not know stays as it came
