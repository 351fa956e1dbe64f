"""What the analyzer says about one text."""

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Label = Literal["positive", "negative", "neutral", "no_signal", "unsupported_language"]
SCORED_LABELS: frozenset[str] = frozenset({"positive", "negative", "neutral"})
NEUTRAL_BAND = 0.05  # a polarity nearer 0 than this is balanced: neutral


@dataclass(frozen=True)
class Driver:
    """A word, phrase or emoji that moved the score, with what it contributed (-1 … 1)."""

    text: str
    polarity: float


@dataclass(frozen=True)
class Sentiment:
    label: Label
    polarity: float | None  # in [-1, 1]; None for no_signal and unsupported_language
    subjectivity: float | None
    language: str | None  # ISO 639-1; None when the text has no words to tell by
    confidence: float  # 0 … 1: how far to trust the label
    drivers: tuple[Driver, ...] = field(default=())

    @property
    def scored(self) -> bool:
        """Whether the text carried a signal: only these enter averages."""
        return self.label in SCORED_LABELS

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["drivers"] = [asdict(d) for d in self.drivers]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Sentiment":
        drivers = tuple(
            Driver(str(d["text"]), float(d["polarity"])) for d in data.get("drivers", [])
        )
        return cls(
            label=data["label"],
            polarity=data.get("polarity"),
            subjectivity=data.get("subjectivity"),
            language=data.get("language"),
            confidence=float(data.get("confidence", 0.0)),
            drivers=drivers,
        )


def no_signal(language: str | None, confidence: float = 1.0) -> Sentiment:
    return Sentiment("no_signal", None, None, language, confidence)


def unsupported(language: str | None, confidence: float) -> Sentiment:
    return Sentiment("unsupported_language", None, None, language, confidence)


def label_of(polarity: float) -> Label:
    if polarity >= NEUTRAL_BAND:
        return "positive"
    if polarity <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"


def clipped(value: float) -> float:
    return round(max(-1.0, min(1.0, value)), 3)


def word_confidence(polarity: float, values: list[float]) -> float:
    """A heuristic, not a probability: more words and a stronger score earn more trust, words
    pulling both ways earn less."""
    confidence = 0.3 + 0.12 * min(len(values), 4) + 0.3 * min(abs(polarity), 1.0)
    if any(v > 0 for v in values) and any(v < 0 for v in values):
        confidence *= 0.6
    return round(min(confidence, 1.0), 3)
