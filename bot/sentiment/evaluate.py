"""`quality-bot eval-sentiment`: the analyzer and plain TextBlob on labelled data."""

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from textblob import TextBlob

from bot.sentiment.analyzer import analyze
from bot.sentiment.ngram import NgramModel

GOLD_LABELS = ("positive", "negative", "neutral")
UNCOVERED = ("no_signal", "unsupported_language")


class EvalDataError(Exception):
    """The file cannot be evaluated; str() says where and why."""


@dataclass(frozen=True)
class Item:
    text: str
    gold: str
    row: dict[str, str]


def read_labelled(path: Path) -> list[Item]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise EvalDataError(f"{path}: {exc.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        if "text" not in fields or not ({"score", "label"} & set(fields)):
            raise EvalDataError(f"{path}: needs a header with `text` and `score` or `label`")
        items = [Item(row["text"] or "", _gold(row, path, reader.line_num), row) for row in reader]
    if not items:
        raise EvalDataError(f"{path}: no rows to evaluate")
    return items


def _gold(row: dict[str, str], path: Path, line: int) -> str:
    if row.get("label"):
        label = row["label"].strip().lower()
        if label not in GOLD_LABELS:
            raise EvalDataError(
                f"{path}:{line}: label {label!r} is not one of {', '.join(GOLD_LABELS)}"
            )
        return label
    try:
        score = float(row.get("score") or "")
    except ValueError:
        raise EvalDataError(f"{path}:{line}: score {row.get('score')!r} is not a number") from None
    return "positive" if score > 0 else "negative" if score < 0 else "neutral"


def plain_textblob(text: str) -> str:
    """TextBlob as it comes: the sign of its polarity. A 0.0 from a text in which it found no
    word it knows is `no_signal`, as it is for our analyzer."""
    assessed = TextBlob(text).sentiment_assessments
    if assessed.polarity > 0:
        return "positive"
    if assessed.polarity < 0:
        return "negative"
    return "neutral" if assessed.assessments else "no_signal"


def metrics(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float | int]:
    n = len(gold)
    polar = [(g, p) for g, p in zip(gold, predicted, strict=True) if g != "neutral"]
    covered_polar = [(g, p) for g, p in polar if p not in UNCOVERED]
    f1s = []
    for label in GOLD_LABELS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label != g)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label != p)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {
        "n": n,
        "accuracy": _ratio(sum(g == p for g, p in polar), len(polar)),
        "coverage": _ratio(sum(p not in UNCOVERED for p in predicted), n),
        "accuracy_covered": _ratio(sum(g == p for g, p in covered_polar), len(covered_polar)),
        "macro_f1": round(sum(f1s) / len(f1s), 4),
        # Not in the JSON contract; the text report shows it (the target is half of TextBlob's).
        "no_signal_share": _ratio(sum(p == "no_signal" for p in predicted), n),
    }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


Report = dict[str, dict[str, float | int]]


@dataclass(frozen=True)
class Evaluation:
    overall: Report
    groups: dict[str, Report]  # by the values of the column asked for
    languages: dict[str, Report]  # by the language the analyzer detected


def evaluate(
    items: Sequence[Item],
    *,
    by: str | None = None,
    learned: Mapping[str, NgramModel] | None = None,
) -> Evaluation:
    """The figures for every item, for each language the analyzer detected, and, with `by`,
    for each value of that column. `learned`: models learned from a company's texts."""
    scored = [analyze(i.text, learned) for i in items]
    ours = [s.label for s in scored]
    theirs = [plain_textblob(i.text) for i in items]

    def report(indices: Sequence[int]) -> Report:
        gold = [items[i].gold for i in indices]
        return {
            "analyzer": metrics(gold, [ours[i] for i in indices]),
            "textblob": metrics(gold, [theirs[i] for i in indices]),
        }

    groups: dict[str, list[int]] = {}
    languages: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        if by is not None:
            groups.setdefault(item.row.get(by) or "(empty)", []).append(index)
        languages.setdefault(scored[index].language or "(none)", []).append(index)
    return Evaluation(
        report(range(len(items))),
        {k: report(v) for k, v in sorted(groups.items())},
        {k: report(v) for k, v in sorted(languages.items())},
    )
