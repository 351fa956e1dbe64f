"""VADER's rules (Hutto & Gilbert 2014), word by word, as `SentimentIntensityAnalyzer` applies
them — negation scope, boosters, capitals, idioms, "but", "!" — plus ours: every contrast word
pivots, an eye-roll turns praise round, "too" before a word that is not praise and a negation
that reaches no sentiment word are complaints. Kept apart from the English backend, which
decides what the valences mean together with TextBlob and its n-gram model.
"""

import math
from collections.abc import Mapping
from string import punctuation

from vaderSentiment.vaderSentiment import BOOSTER_DICT, C_INCR, N_SCALAR, NEGATE, SPECIAL_CASES

from bot.sentiment.lexicon import CONTRAST_WORDS

_IRONY_MARKERS = {"🙄", "😒", "/s"}
_NEGATIONS = frozenset(NEGATE)
# A negation that reaches no sentiment word still says something is missing or does not
# work ("it doesn't play mp3s", "nothing happens"); "despite" and "rarely" say no such thing.
_BARE_NEGATION = -0.6
_NOT_COMPLAINTS = frozenset({"despite", "rarely", "seldom"})
# "too" before a word that is not praise is a complaint: "too small", "took too long".
_TOO = -1.0
_CLAUSE_END = tuple(".,;:!?")


def words_of(tokens: list[str]) -> list[str]:
    """VADER's words: punctuation stripped from a token's ends unless that leaves two
    characters or fewer (":)" and ":(" stay whole)."""
    words = []
    for token in tokens:
        stripped = token.strip(punctuation)
        words.append(stripped if len(stripped) > 2 else token)
    return words


def valences_of(tokens: list[str], words: list[str], lexicon: Mapping[str, float]) -> list[float]:
    """VADER's valence of each word, its rules as `SentimentIntensityAnalyzer` applies them,
    then the contrast, irony, "too" and bare-negation rules. `tokens` are the words with
    their punctuation, which tells where a clause ends."""
    lower = [w.lower() for w in words]
    capitals = sum(w.isupper() for w in words)
    shouting = 0 < capitals < len(words)  # some words in capitals, not all
    valences = []
    for i, word in enumerate(lower):
        valence = lexicon.get(word, 0.0)
        if (
            not valence
            or word in BOOSTER_DICT
            or (word == "kind" and _at(lower, i + 1) == "of")
            or (word == "pretty" and _adverb(tokens, lower, i) and bool(lexicon.get(lower[i + 1])))
        ):
            valences.append(0.0)
            continue
        if word == "no" and lexicon.get(_at(lower, i + 1)):
            valence = 0.0  # "no" negates the word after it instead
        if "no" in (_at(lower, i - 1), _at(lower, i - 2)) or (
            _at(lower, i - 3) == "no" and _at(lower, i - 1) in ("or", "nor")
        ):
            valence = lexicon[word] * N_SCALAR
        if shouting and words[i].isupper():
            valence += C_INCR if valence > 0 else -C_INCR
        for distance in (1, 2, 3):
            if i < distance or lower[i - distance] in lexicon:
                continue
            boost = _boost(words[i - distance], valence, shouting)
            valence += boost * (1.0, 0.95, 0.9)[distance - 1]
            valence = _negate(valence, lower, i, distance)
            if distance == 3:
                valence = _idioms(valence, lower, i)
        valences.append(valence)
    valences = _weigh_contrast(tokens, lower, valences)
    if _IRONY_MARKERS.intersection(lower):
        # An eye-roll after praise ("great… 🙄") says the praise is not meant.
        valences = [-0.6 * v if v > 0 else v for v in valences]
    for i, word in enumerate(lower):
        if word == "too" and _adverb(tokens, lower, i) and valences[i + 1] <= 0:
            valences[i] = _TOO
        elif _negation(word) and word not in _NOT_COMPLAINTS and not any(valences[i : i + 4]):
            valences[i] = _BARE_NEGATION
    return valences


def _adverb(tokens: list[str], lower: list[str], i: int) -> bool:
    """Whether the word at `i` modifies the next one ("pretty bad") rather than ends its
    clause ("the lamp is pretty, the bulb is dim")."""
    return not tokens[i].endswith(_CLAUSE_END) and _at(lower, i + 1)[:1].isalpha()


def _at(words: list[str], i: int) -> str:
    return words[i] if 0 <= i < len(words) else ""


def _negation(word: str) -> bool:
    # A phrase token ("can't_beat", "doesn't_work") has its own valence; it negates nothing.
    return word in _NEGATIONS or ("n't" in word and "_" not in word)


def _boost(word: str, valence: float, shouting: bool) -> float:
    scalar: float = BOOSTER_DICT.get(word.lower(), 0.0)
    if not scalar:
        return 0.0
    if valence < 0:
        scalar = -scalar
    if shouting and word.isupper():
        scalar += C_INCR if valence > 0 else -C_INCR
    return scalar


def _negate(valence: float, lower: list[str], i: int, distance: int) -> float:
    """VADER's `_negation_check`: a negation up to three words before flips and dampens;
    "never so" and "never this" intensify instead; "without doubt" is no negation."""
    before = lower[i - distance]
    if distance == 1:
        return valence * N_SCALAR if _negation(before) else valence
    if (before == "never" and lower[i - distance + 1] in ("so", "this")) or (
        distance == 3 and lower[i - 1] in ("so", "this")
    ):
        return valence * 1.25
    if before == "without" and "doubt" in lower[i - distance + 1 : i]:
        return valence
    return valence * N_SCALAR if _negation(before) else valence


def _idioms(valence: float, lower: list[str], i: int) -> float:
    """VADER's `_special_idioms_check`: "the bomb", "yeah right", "kind of" and the like."""
    w3, w2, w1, w0 = lower[i - 3], lower[i - 2], lower[i - 1], lower[i]
    for sequence in (
        f"{w1} {w0}",
        f"{w2} {w1} {w0}",
        f"{w2} {w1}",
        f"{w3} {w2} {w1}",
        f"{w3} {w2}",
    ):
        if sequence in SPECIAL_CASES:
            valence = SPECIAL_CASES[sequence]
            break
    w_1, w_2 = _at(lower, i + 1), _at(lower, i + 2)
    if w_1 and f"{w0} {w_1}" in SPECIAL_CASES:
        valence = SPECIAL_CASES[f"{w0} {w_1}"]
    if w_2 and f"{w0} {w_1} {w_2}" in SPECIAL_CASES:
        valence = SPECIAL_CASES[f"{w0} {w_1} {w_2}"]
    for ngram in (f"{w3} {w2} {w1}", f"{w3} {w2}", f"{w2} {w1}"):
        if ngram in BOOSTER_DICT:
            valence += BOOSTER_DICT[ngram]
    return valence


def _weigh_contrast(tokens: list[str], lowered: list[str], valences: list[float]) -> list[float]:
    """VADER's "but" rule, for every contrast word: what follows the last one counts 1.5×,
    what precedes it half. A text that opens with one ("Although it was late, it works")
    puts its verdict after the first comma instead. One that ends its sentence ("I love it,
    late though.") contrasts nothing after it."""
    marks = [
        i
        for i, w in enumerate(lowered)
        if w in CONTRAST_WORDS and i + 1 < len(tokens) and not tokens[i].endswith((".", "!", "?"))
    ]
    if not marks:
        return valences
    pivot = marks[-1]
    if pivot == 0:
        commas = [i for i, t in enumerate(tokens) if t.endswith(",")]
        if not commas:
            return valences
        return [v * 0.5 if i <= commas[0] else v * 1.5 for i, v in enumerate(valences)]
    return [v * 0.5 if i < pivot else v * 1.5 if i > pivot else v for i, v in enumerate(valences)]


def compound(valences: list[float], text: str) -> float:
    """VADER's compound score: the sum, emphasised by "!" and "??", squashed into [-1, 1]."""
    total = sum(valences)
    emphasis = min(text.count("!"), 4) * 0.292
    questions = text.count("?")
    if questions > 1:
        emphasis += questions * 0.18 if questions <= 3 else 0.96
    if total > 0:
        total += emphasis
    elif total < 0:
        total -= emphasis
    return total / math.sqrt(total * total + 15)
