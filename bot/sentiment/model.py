"""What the analyzer says about one text."""

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Label = Literal["positive", "negative", "neutral", "no_signal", "unsupported_language"]
SCORED_LABELS: frozenset[str] = frozenset({"positive", "negative", "neutral"})


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
