"""English: VADER's rules (negation scope, intensifiers, "but", caps, "!") over its lexicon
plus the service and review vocabulary. Where those words say nothing, or nothing decisive,
TextBlob's adjectives and a character n-gram model trained on review snippets have a say.

VADER's rules are applied word by word (english_rules.py) rather than through
`polarity_scores`: its emoji handling turns "👍" into words its lexicon lacks, the per-word
valences are exactly "the words that drove the score" that managers are shown, and its
implementation lowercases the whole text again for every word, which made it most of the cost
of a score.
"""

import re
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from string import punctuation

from textblob.en import sentiment as pattern_sentiment
from vaderSentiment.vaderSentiment import (
    SentimentIntensityAnalyzer,
)

from bot.sentiment.english_rules import compound, valences_of, words_of
from bot.sentiment.lexicon import (
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
SARCASM_TOKEN = "sarcasm"  # noqa: S105 - a lexicon entry, not a secret
_SARCASM_VALENCE = -1.8

# Trained on the dev halves of VADER's rated texts (reviews, tweets, editorials) by
# `python -m bot.sentiment.train english bench/data/vader` (bench/data/vader/README.md).
MODEL = Path(__file__).parent / "models" / "en.ngram"
# Below this the lexicon's compound barely leans, and the model's reading is added to it
# when the model leans at least LEANS (|P - 0.5|): less than it must to speak alone (its
# abstain band), since the lexicon has found a word that carries sentiment.
WEAK = 0.2
LEANS = 0.15

_FAINTEST = 0.4


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
        words = words_of(tokens)
        valences = valences_of(tokens, words, self._lexicon)
        drivers = [
            Driver(w.replace("_", " "), round(v / 4, 3))
            for w, v in zip(words, valences, strict=True)
            if v
        ]
        if drivers:
            polarity = self._lexical(text, compound(valences, prepared))
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
        the model's reading, if the model leans one way (LEANS)."""
        if abs(compound) >= WEAK or self._model is None:
            return compound
        p = self._model.probability(text)
        return compound + 2 * p - 1 if abs(p - 0.5) >= LEANS else compound

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
