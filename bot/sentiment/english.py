"""English: VADER's rules (negation scope, intensifiers, "but", caps, "!") over its lexicon
plus the service and review vocabulary. Where those words say nothing, or nothing decisive,
TextBlob's adjectives and a character n-gram model trained on review snippets have a say.

VADER's rules are applied here word by word rather than through `polarity_scores`: its
emoji handling turns "👍" into words its lexicon lacks, the per-word valences are exactly
"the words that drove the score" that managers are shown, and its implementation lowercases
the whole text again for every word, which made it most of the cost of a score.
"""

import math
import re
from collections.abc import Iterable, Mapping
from functools import cached_property
from pathlib import Path
from string import punctuation

from textblob.en import sentiment as pattern_sentiment
from vaderSentiment.vaderSentiment import (
    BOOSTER_DICT,
    C_INCR,
    N_SCALAR,
    NEGATE,
    SPECIAL_CASES,
    SentimentIntensityAnalyzer,
)

from bot.sentiment.lexicon import (
    CONTRAST_WORDS,
    EMOJI,
    REVIEW_PHRASES,
    REVIEW_WORDS,
    SARCASM_OPENERS,
    SERVICE_PHRASES,
    SERVICE_WORDS,
)
from bot.sentiment.model import Driver, Sentiment, label_of, no_signal
from bot.sentiment.ngram import NgramModel
from bot.sentiment.text import EMOJI_SEQUENCE

_Trie = dict[str, "_Trie"]


def _trie_pattern(phrases: Iterable[str]) -> str:
    """One alternation with shared prefixes factored out: `re` tries the alternatives of a
    flat one by one at every position, which cost more than all of VADER's rules."""
    trie: _Trie = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: _Trie) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a phrase ends here; longer ones are tried first
            return f"(?:{body})?"
        return body

    return pattern(trie)


# A phrase becomes one token ("never answered" -> "never_answered") so that VADER's rules
# (negation, boosters, "but") apply to it as a unit and nothing counts its words twice.
_ALL_PHRASES = {**SERVICE_PHRASES, **REVIEW_PHRASES}
_PHRASES = {phrase.replace(" ", "_"): valence for phrase, valence in _ALL_PHRASES.items()}
_PHRASE_RE = re.compile(r"\b(" + _trie_pattern(_ALL_PHRASES) + r")(?!\w)", re.IGNORECASE)
# Sarcasm is only read at the start of the text or of a sentence: "the help was just great"
# is praise, "Just great. Another outage." is not.
_SARCASM_RE = re.compile(
    r"(?:^|[.!?]\s+)(" + "|".join(re.escape(o) for o in SARCASM_OPENERS) + r")\b", re.IGNORECASE
)
_IRONY_MARKERS = {"🙄", "😒", "/s"}
SARCASM_TOKEN = "sarcasm"  # noqa: S105 - a lexicon entry, not a secret
_SARCASM_VALENCE = -1.8

# Trained on the dev halves of VADER's Amazon and movie-review snippets by
# `python -m bot.sentiment.train english bench/data/vader` (bench/data/vader/README.md).
MODEL = Path(__file__).parent / "models" / "en.ngram"
# Below this the lexicon's compound barely leans, and the model's reading is added to it.
WEAK = 0.1

_FAINTEST = 0.4
_NEGATIONS = frozenset(NEGATE)
# A negation that reaches no sentiment word still says something is missing or does not
# work ("it doesn't play mp3s", "nothing happens"); "despite" and "rarely" say no such thing.
_BARE_NEGATION = -0.6
_NOT_COMPLAINTS = frozenset({"despite", "rarely", "seldom"})
# "too" before a word that is not praise is a complaint: "too small", "took too long".
_TOO = -1.0
_CLAUSE_END = tuple(".,;:!?")


class EnglishBackend:
    """`model`: the n-gram model that reads what the lexicon finds nothing decisive in (None:
    the lexicon and TextBlob's adjectives only)."""

    language = "en"

    def __init__(self, *, model: Path | None = MODEL) -> None:
        self._model_path = model

    @cached_property
    def _model(self) -> NgramModel | None:
        return NgramModel.load(self._model_path) if self._model_path else None

    @cached_property
    def _lexicon(self) -> dict[str, float]:
        vader = SentimentIntensityAnalyzer().lexicon
        # VADER's faintest entries ("number" 0.3) are noise that turns a ticket number
        # into praise; a word must lean at least this much to count.
        lexicon = {w: v for w, v in vader.items() if abs(v) >= _FAINTEST}
        lexicon.update(REVIEW_WORDS)
        lexicon.update(SERVICE_WORDS)
        lexicon.update(_PHRASES)
        lexicon.update(EMOJI)
        lexicon[SARCASM_TOKEN] = _SARCASM_VALENCE
        return lexicon

    @cached_property
    def _subjectivities(self) -> dict[str, float]:
        return {w: tags[None][1] for w, tags in pattern_sentiment.items() if None in tags}

    def _subjectivity(self, words: list[str]) -> float:
        """TextBlob's subjectivity, its average over the words its lexicon knows, without its
        modifier rules (not worth running its tokenizer for a figure that is only stored)."""
        known = self._subjectivities
        found = [known[w] for w in map(str.lower, words) if w in known]
        return sum(found) / len(found) if found else 0.0

    def knows_every_word(self, text: str) -> bool:
        """Whether every word of `text` carries sentiment in the English lexicon."""
        lexicon = self._lexicon
        words = [w.strip(".,!?;:'\"()").lower() for w in _prepare(text).split()]
        words = [w for w in words if any(ch.isalpha() for ch in w)]
        return bool(words) and all(lexicon.get(w, 0.0) != 0.0 for w in words)

    def score_symbols(self, text: str) -> Sentiment:
        """The emoji and emoticons of `text` alone ("kendisine sormali :)"): what they say holds
        in any language. `no_signal` when it has none."""
        lexicon = self._lexicon
        tokens = _prepare(text).split()
        symbols = [t for t in tokens if t in lexicon and not any(c.isalpha() for c in t[:1])]
        if not symbols:
            return no_signal(None)
        return self.score(" ".join(symbols))

    def score(self, text: str) -> Sentiment:
        prepared = _prepare(text)
        tokens = prepared.split()
        words = _words(tokens)
        valences = _valences(tokens, words, self._lexicon)
        drivers = [
            Driver(w.replace("_", " "), round(v / 4, 3))
            for w, v in zip(words, valences, strict=True)
            if v
        ]
        if drivers:
            polarity = self._lexical(text, _compound(valences, prepared))
        else:
            read = self._without_lexicon(text)
            if read is None:
                return no_signal("en")
            polarity, drivers = read
        return Sentiment(
            label=label_of(polarity),
            polarity=round(max(-1.0, min(1.0, polarity)), 4),
            subjectivity=round(self._subjectivity(words), 4),
            language="en",
            confidence=_confidence(polarity, len(drivers)),
            drivers=tuple(drivers),
        )

    def _lexical(self, text: str, compound: float) -> float:
        """The lexicon's compound score; where it barely leans, or its words cancel out, plus
        the model's reading, if the model is sure of one."""
        if abs(compound) >= WEAK or self._model is None:
            return compound
        learned = self._model.score(text)
        return compound if learned.polarity is None else compound + learned.polarity

    def _without_lexicon(self, text: str) -> tuple[float, list[Driver]] | None:
        """A text in which no lexicon word occurs: TextBlob's adjectives plus the model's
        reading; else the model's reading, if it is sure of one."""
        blob = pattern_sentiment(text)
        found = [(" ".join(ws), p) for ws, p, _, _ in blob.assessments if p]
        model = self._model
        if found:
            polarity = blob[0]  # a (polarity, subjectivity) tuple
            if model is not None:
                polarity += 2 * model.probability(text) - 1
            return polarity, [Driver(ws, round(p, 3)) for ws, p in found]
        learned = model.score(text) if model is not None else None
        if learned is None or learned.polarity is None:
            return None
        return learned.polarity, _whole_words(text, learned.drivers)


def _whole_words(text: str, grams: Iterable[Driver]) -> list[Driver]:
    """The model's reasons, character n-grams ("umbe"), as the words of `text` they lie in
    ("number"): what a reader can check. Two n-grams of one word are one reason."""
    lowered = text.casefold()
    drivers: dict[str, Driver] = {}
    for gram in grams:
        at = lowered.find(gram.text)
        if at < 0:
            continue
        start = lowered.rfind(" ", 0, at) + 1
        end = lowered.find(" ", at + len(gram.text))
        words = text[start : end if end >= 0 else len(text)].strip(punctuation + " ")
        drivers.setdefault(words or gram.text, Driver(words or gram.text, gram.polarity))
    return list(drivers.values())


def _words(tokens: list[str]) -> list[str]:
    """VADER's words: punctuation stripped from a token's ends unless that leaves two
    characters or fewer (":)" and ":(" stay whole)."""
    words = []
    for token in tokens:
        stripped = token.strip(punctuation)
        words.append(stripped if len(stripped) > 2 else token)
    return words


def _valences(tokens: list[str], words: list[str], lexicon: Mapping[str, float]) -> list[float]:
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


def _compound(valences: list[float], text: str) -> float:
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


def _prepare(text: str) -> str:
    text = EMOJI_SEQUENCE.sub(lambda m: f" {m.group(0)} ", text)
    text = _SARCASM_RE.sub(
        lambda m: m.group(0)[: m.start(1) - m.start(0)] + f" {SARCASM_TOKEN} ", text
    )
    return _PHRASE_RE.sub(lambda m: m.group(1).lower().replace(" ", "_"), text)


def _confidence(polarity: float, drivers: int) -> float:
    """A heuristic, not a probability: more evidence and a stronger score earn more trust."""
    confidence = 0.3 + 0.12 * min(drivers, 4) + 0.3 * min(abs(polarity), 1.0)
    return round(min(confidence, 1.0), 3)
