"""A sentiment model any language can have: logistic regression over hashed character n-grams.

Characters rather than words because a tokenizer per language is a dependency per language,
and because n-grams read what words miss: Korean endings glued to their stems, misspellings,
"ㅋㅋㅋ". A text is the set of its distinct n-grams, each hashed into one of `buckets`
weights and scaled by 1/√count, so that a long text is not more certain for being long.

Scoring is pure Python (for one text numpy would cost more than it saves) over int8 weights;
training (ngram_fit.py) is numpy, which the scoring workers never import.

The model never holds text: only weights per hash bucket. With `min_texts_per_feature`, a
bucket that fewer training texts contain than that keeps a weight of zero, so what occurs in
one or a few texts (a person's name) cannot enter a model trained on a company's comments.
"""

import json
import math
import re
import struct
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import add
from pathlib import Path
from typing import TYPE_CHECKING

from bot.sentiment.model import Driver, Sentiment, no_signal
from bot.sentiment.text import MAX_SCORED_CHARS

if TYPE_CHECKING:
    pass

DEFAULT_ORDERS = (1, 2, 3)
DEFAULT_BUCKETS = 2**18
FORMAT_VERSION = 1
_MAGIC = b"QBNG"
_PREAMBLE = struct.Struct("<4sHI")  # magic, format version, length of the JSON header
_SHOWN = 2  # n-grams shorter than this (single letters) are never shown as a reason
_DRIVERS = 3
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFKC, casefolded, whitespace folded, and padded so that n-grams see where words meet
    the ends of the text; "" for a text with nothing but space."""
    text = unicodedata.normalize("NFKC", text[:MAX_SCORED_CHARS]).casefold()
    text = _SPACE.sub(" ", text).strip()
    return f" {text} " if text else ""


def ngrams(text: str, orders: Sequence[int]) -> list[str]:
    """The distinct character n-grams of the normalised text, shortest first, each in the
    order they first occur."""
    text = normalise(text)
    grams: list[str] = []
    run = list(text)
    for n in range(1, max(orders) + 1):
        if n > 1:  # each n-gram is an (n-1)-gram and the letter after it
            run = list(map(add, run, text[n - 1 :]))
        if n in orders:
            grams += run
    return list(dict.fromkeys(grams))


def bucket(gram: str, buckets: int) -> int:
    return zlib.crc32(gram.encode("utf-8")) & (buckets - 1)


def features(text: str, orders: Sequence[int], buckets: int) -> list[int]:
    """The bucket of each distinct n-gram of `text` (a bucket repeats when two collide)."""
    return [bucket(g, buckets) for g in ngrams(text, orders)]


@dataclass(frozen=True)
class NgramModel:
    language: str  # ISO 639-1
    orders: tuple[int, ...]
    buckets: int  # a power of two
    abstain: float  # |p - 0.5| below this is no_signal
    scale: float  # a weight is its int8 times this
    bias: float
    weights: bytes = field(repr=False)  # one int8 per bucket
    _int8: memoryview = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.buckets <= 0 or self.buckets & (self.buckets - 1):
            raise ValueError(f"buckets must be a power of two, not {self.buckets}")
        if not self.orders or min(self.orders) < 1:
            raise ValueError(f"orders must be positive n-gram lengths, not {self.orders}")
        if len(self.weights) != self.buckets:
            raise ValueError(f"{len(self.weights)} weights for {self.buckets} buckets")
        if not 0 <= self.abstain < 0.5:
            raise ValueError(f"abstain must lie in [0, 0.5), not {self.abstain}")
        object.__setattr__(self, "_int8", memoryview(self.weights).cast("b"))

    def _weights(self, grams: list[str]) -> list[int]:
        weights, mask = self._int8, self.buckets - 1
        return [weights[h & mask] for h in map(zlib.crc32, map(str.encode, grams))]

    def _logit(self, found: list[int]) -> float:
        if not found:
            return self.bias
        return self.bias + self.scale * sum(found) / math.sqrt(len(found))

    def _grams(self, text: str) -> list[str]:
        return ngrams(text, self.orders)

    def probability(self, text: str) -> float:
        """P(positive)."""
        return _sigmoid(self._logit(self._weights(self._grams(text))))

    def contributions(self, text: str) -> list[tuple[str, float]]:
        """Each n-gram of two or more characters in `text` with what it adds to the logit,
        strongest first."""
        grams = self._grams(text)
        per_weight = self.scale / math.sqrt(len(grams)) if grams else 0.0
        found = [
            (g, w * per_weight)
            for g, w in zip(grams, self._weights(grams), strict=True)
            if len(g) >= _SHOWN
        ]
        return sorted(found, key=lambda gc: (-abs(gc[1]), gc[0]))

    def score(self, text: str) -> Sentiment:
        grams = self._grams(text)
        found = self._weights(grams)
        p = _sigmoid(self._logit(found))
        # A text none of whose n-grams the model learned anything about (another script, a
        # name) gets no signal, however the bias leans.
        if not any(found) or abs(p - 0.5) < self.abstain:
            return no_signal(self.language)
        positive = p > 0.5
        per_weight = self.scale / math.sqrt(len(found))
        return Sentiment(
            label="positive" if positive else "negative",
            polarity=round(2 * p - 1, 4),
            subjectivity=None,
            language=self.language,
            confidence=round(abs(2 * p - 1), 3),
            drivers=_drivers(grams, found, per_weight, positive),
        )

    def to_bytes(self) -> bytes:
        header = {
            "language": self.language,
            "orders": list(self.orders),
            "buckets": self.buckets,
            "abstain": self.abstain,
            "scale": self.scale,
            "bias": self.bias,
            "crc32": zlib.crc32(self.weights),
        }
        encoded = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
        return _PREAMBLE.pack(_MAGIC, FORMAT_VERSION, len(encoded)) + encoded + self.weights

    @classmethod
    def from_bytes(cls, data: bytes) -> "NgramModel":
        if len(data) < _PREAMBLE.size:
            raise ValueError("not an n-gram model: too short")
        magic, version, size = _PREAMBLE.unpack_from(data)
        if magic != _MAGIC:
            raise ValueError("not an n-gram model")
        if version != FORMAT_VERSION:
            raise ValueError(f"n-gram model format {version}; this code reads {FORMAT_VERSION}")
        try:
            header = json.loads(data[_PREAMBLE.size : _PREAMBLE.size + size])
            weights = data[_PREAMBLE.size + size :]
            if len(weights) != header["buckets"]:
                raise ValueError(f"{len(weights)} weights for {header['buckets']} buckets")
            if zlib.crc32(weights) != header["crc32"]:
                raise ValueError("weights do not match their checksum")
            return cls(
                language=str(header["language"]),
                orders=tuple(int(n) for n in header["orders"]),
                buckets=int(header["buckets"]),
                abstain=float(header["abstain"]),
                scale=float(header["scale"]),
                bias=float(header["bias"]),
                weights=bytes(weights),
            )
        except (KeyError, TypeError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"corrupt n-gram model header: {exc!r}") from None

    def save(self, path: str | Path) -> None:
        Path(path).write_bytes(self.to_bytes())

    @classmethod
    def load(cls, path: str | Path) -> "NgramModel":
        return cls.from_bytes(Path(path).read_bytes())


def _drivers(
    grams: list[str], found: list[int], per_weight: float, positive: bool
) -> tuple[Driver, ...]:
    """The strongest n-grams that pushed towards the label (the first in the text among
    equals), none inside another: "최고" and "최고의" are one reason, not two."""
    shown: list[Driver] = []
    for i in sorted(range(len(found)), key=found.__getitem__, reverse=positive):
        if (found[i] > 0) != positive or not found[i]:
            break
        words = grams[i].strip()
        if len(words) < _SHOWN or any(words in d.text or d.text in words for d in shown):
            continue
        shown.append(Driver(words, round(math.tanh(found[i] * per_weight), 3)))
        if len(shown) == _DRIVERS:
            break
    return tuple(shown)


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)
