"""`python -m bot.sentiment.train LANGUAGE CORPUS [--out PATH]`: rebuild a shipped n-gram model.

Each language registers how its public corpus becomes labelled texts (`@corpus("korean")`);
the rest is shared: hyper-parameters and the abstain band are chosen on a dev split carved
from the training texts, the model is refitted on all of them, and the test split is scored
once, at the end. What it prints is what bot/sentiment/models/README.md records.

Training costs a few minutes and numpy: it is run by whoever updates a model, never by the app.
"""

import argparse
import csv
import json
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bot.sentiment.ngram import DEFAULT_BUCKETS, DEFAULT_ORDERS, NgramModel
from bot.sentiment.ngram_fit import train

MODELS = Path(__file__).parent / "models"
DEV_SHARE = 0.1  # of the training texts, held out to choose l2 and the band
L2_GRID = (0.03, 0.1, 0.3)  # the one with the lowest dev log loss is kept
# The band is the narrowest in which the texts the model does label are right this often.
COVERED_TARGET = 0.9
BANDS = (0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2)


@dataclass(frozen=True)
class Labelled:
    texts: list[str]
    positive: list[bool]


@dataclass(frozen=True)
class Corpus:
    language: str  # ISO 639-1
    file: str  # the model's name in bot/sentiment/models/
    train: Labelled
    test: Labelled
    # Hand-written texts of the kind the app scores, with the label they should get (None:
    # neutral, which should be no_signal): how far the corpus's domain carries.
    examples: Sequence[tuple[str, str | None]] = ()
    orders: tuple[int, ...] = DEFAULT_ORDERS
    buckets: int = DEFAULT_BUCKETS
    # Fixed by a corpus whose model serves another reader, chosen for that use (English: behind
    # the lexicon); None: chosen on the dev split, as above.
    l2: float | None = None
    abstain: float | None = None


CORPORA: dict[str, Callable[[Path], Corpus]] = {}


def corpus(name: str) -> Callable[[Callable[[Path], Corpus]], Callable[[Path], Corpus]]:
    """Register how a checkout of a public corpus becomes labelled train and test texts."""

    def register(read: Callable[[Path], Corpus]) -> Callable[[Path], Corpus]:
        CORPORA[name] = read
        return read

    return register


@dataclass(frozen=True)
class Figures:
    accuracy: float  # abstentions counted as wrong
    coverage: float  # share of texts outside the abstain band
    accuracy_covered: float  # accuracy on those texts
    accuracy_unbanded: float  # were there no band: to compare with others' NSMC figures
    log_loss: float  # of P(positive): how well calibrated, on which the band depends

    def __str__(self) -> str:
        return (
            f"accuracy {self.accuracy:.4f}, coverage {self.coverage:.4f}, "
            f"accuracy on covered {self.accuracy_covered:.4f}, "
            f"without a band {self.accuracy_unbanded:.4f}, log loss {self.log_loss:.4f}"
        )


def measure(model: NgramModel, data: Labelled) -> Figures:
    right = covered = sign = 0
    loss = 0.0
    for text, positive in zip(data.texts, data.positive, strict=True):
        label = model.score(text).label
        covered += label != "no_signal"
        right += label == ("positive" if positive else "negative")
        p = min(max(model.probability(text), 1e-12), 1 - 1e-12)
        sign += (p > 0.5) == positive
        loss -= math.log(p if positive else 1 - p)
    n = max(len(data.texts), 1)
    return Figures(right / n, covered / n, right / max(covered, 1), sign / n, loss / n)


def outside_the_domain(model: NgramModel, examples: Sequence[tuple[str, str | None]]) -> str:
    said = Counter((gold or "neutral", model.score(text).label) for text, gold in examples)
    parts = []
    for gold in ("positive", "negative", "neutral"):
        total = sum(n for (g, _), n in said.items() if g == gold)
        found = ", ".join(f"{n} {label}" for (g, label), n in sorted(said.items()) if g == gold)
        parts.append(f"{total} {gold} -> {found}")
    return "; ".join(parts)


def build(corpus: Corpus, out: Path) -> NgramModel:
    cut = len(corpus.train.texts) - int(len(corpus.train.texts) * DEV_SHARE)
    fit = Labelled(corpus.train.texts[:cut], corpus.train.positive[:cut])
    dev = Labelled(corpus.train.texts[cut:], corpus.train.positive[cut:])
    print(f"train {cut}, dev {len(dev.texts)}, test {len(corpus.test.texts)} texts")
    tried = []
    for l2 in L2_GRID if corpus.l2 is None else (corpus.l2,):
        started = time.perf_counter()
        model = train(
            fit.texts,
            fit.positive,
            language=corpus.language,
            orders=corpus.orders,
            buckets=corpus.buckets,
            l2=l2,
        )
        figures = measure(model, dev)
        print(f"l2 {l2:g}: dev {figures} ({time.perf_counter() - started:.0f} s)")
        tried.append((figures.log_loss, l2, model))
    _, l2, best = min(tried, key=lambda t: t[0])
    bands = [
        replace(best, abstain=band)
        for band in (BANDS if corpus.abstain is None else (corpus.abstain,))
    ]
    sure = (m for m in bands if measure(m, dev).accuracy_covered >= COVERED_TARGET)
    chosen = next(sure, bands[-1])
    print(f"chosen: l2 {l2:g}, abstain band {chosen.abstain}: dev {measure(chosen, dev)}")
    started = time.perf_counter()
    model = train(
        corpus.train.texts,
        corpus.train.positive,
        language=corpus.language,
        orders=corpus.orders,
        buckets=corpus.buckets,
        l2=l2,
        abstain=chosen.abstain,
    )
    print(f"refitted on {len(corpus.train.texts)} texts in {time.perf_counter() - started:.0f} s")
    print(f"test: {measure(model, corpus.test)}")
    if corpus.examples:
        print(f"examples: {outside_the_domain(model, corpus.examples)}")
    model.save(out)
    print(f"wrote {out} ({out.stat().st_size} bytes)")
    return model


# --- Korean: NSMC, the Naver sentiment movie corpus (github.com/e9t/nsmc, CC0) ---

NSMC_PER_CLASS = 100_000
NSMC_TRAIN = 150_000
NSMC_SEED = 1234


@corpus("korean")
def nsmc(checkout: Path) -> Corpus:
    """NSMC by its own rules (code/crawl_ratings.py, code/partition.py): ratings 9–10 are
    positive, 1–4 negative, 5–8 left out; whitespace folded; shuffled with seed 1234, the first
    100,000 of each class kept; shuffled again with seed 1234, the first 150,000 for training
    and the other 50,000 for testing.

    The published ratings_*.txt cannot be reproduced: the crawler shuffled its reviews in the
    order its file system listed them. Here they are read in order of movie id. And each text
    is kept once, with the label most of its copies carry (a tie is dropped), so that no test
    text ("굿" is 870 reviews) is also a training text. NSMC kept the copies and the empties."""
    import numpy as np

    files = sorted((checkout / "raw").glob("*.json"), key=lambda f: int(f.stem))
    if not files:
        raise SystemExit(f"{checkout}/raw/*.json: not an NSMC checkout")
    votes: dict[str, Counter[bool]] = {}
    for file in files:
        for review in json.loads(file.read_text("utf-8")):
            rating = int(review["rating"])
            if 5 <= rating <= 8:
                continue
            text = re.sub(r"\s+", " ", review["review"]).strip()
            if text:
                votes.setdefault(text, Counter())[rating >= 9] += 1
    reviews = [(t, v[True] > v[False]) for t, v in votes.items() if v[True] != v[False]]
    shuffled = [reviews[i] for i in np.random.RandomState(NSMC_SEED).permutation(len(reviews))]
    kept = [r for r in shuffled if r[1]][:NSMC_PER_CLASS]
    kept += [r for r in shuffled if not r[1]][:NSMC_PER_CLASS]
    kept = [kept[i] for i in np.random.RandomState(NSMC_SEED).permutation(len(kept))]

    def labelled(part: Sequence[tuple[str, bool]]) -> Labelled:
        return Labelled([t for t, _ in part], [bool(p) for _, p in part])

    train, test = labelled(kept[:NSMC_TRAIN]), labelled(kept[NSMC_TRAIN:])
    return Corpus("ko", "ko.ngram", train, test, WORKPLACE_KO)


WORKPLACE_KO: tuple[tuple[str, str | None], ...] = (
    ("빠르게 처리해 주셔서 감사합니다", "positive"),
    ("친절하게 설명해 주셔서 정말 감사해요", "positive"),
    ("덕분에 문제가 금방 해결됐어요", "positive"),
    ("답변이 빠르고 정확했습니다", "positive"),
    ("항상 도와주셔서 감사합니다", "positive"),
    ("담당자분이 정말 친절하셨어요", "positive"),
    ("요청한 자료를 바로 보내주셔서 큰 도움이 됐습니다", "positive"),
    ("설명이 명확해서 이해하기 쉬웠어요", "positive"),
    ("이번 지원 정말 만족스럽습니다", "positive"),
    ("꼼꼼하게 챙겨 주셔서 고맙습니다", "positive"),
    ("대응이 신속하고 좋았어요", "positive"),
    ("최고의 서비스였습니다", "positive"),
    ("답변이 너무 늦어요", "negative"),
    ("일주일째 아무 연락이 없습니다", "negative"),
    ("문의했는데 아직도 해결이 안 됐어요", "negative"),
    ("담당자가 불친절했어요", "negative"),
    ("같은 문제가 계속 반복됩니다", "negative"),
    ("요청을 몇 번이나 했는데 무시당했어요", "negative"),
    ("처리가 너무 느려서 업무에 지장이 있습니다", "negative"),
    ("설명이 부족해서 이해가 안 돼요", "negative"),
    ("정말 실망스럽습니다", "negative"),
    ("이렇게 대응하시면 곤란합니다", "negative"),
    ("메일을 보냈는데 답장이 없네요", "negative"),
    ("시스템이 또 고장났어요 짜증나네요", "negative"),
    ("회의는 오후 3시에 시작합니다", None),
    ("보고서를 첨부합니다", None),
    ("다음 주 월요일까지 제출해 주세요", None),
    ("티켓 번호는 4821입니다", None),
    ("비밀번호 변경 방법을 알려주세요", None),
    ("내일 다시 확인하겠습니다", None),
    ("서버 점검은 금요일 밤에 진행됩니다", None),
    ("담당 부서가 어디인가요", None),
)


# --- English: VADER's human-rated snippets (bench/data/vader, MIT; Hutto & Gilbert 2014) ---

VADER_TRAINED_ON = (
    "amazonReviewSnippets",
    "movieReviewSnippets",
    "tweets",
    "nytEditorialSnippets",
)


@corpus("english")
def vader_snippets(data: Path) -> Corpus:
    """The four files of bench/data/vader (Amazon and movie-review snippets, tweets, NYT
    editorial snippets): their dev halves for training, their test halves for the test. A
    text whose mean human rating is above 0 is positive, below 0 negative; 0 is left out.

    The model reads only what english.py's lexicon finds nothing (or nothing decisive) in, so
    its shape, l2 and band were chosen for that, by cross-validation on the dev halves with the
    lexicon in front (bench/data/vader/README.md), not on the dev split carved here."""

    def labelled(split: str) -> Labelled:
        texts, positive = [], []
        for name in VADER_TRAINED_ON:
            with (data / f"{name}.csv").open(encoding="utf-8", newline="") as rows:
                for row in csv.DictReader(rows):
                    score = float(row["score"])
                    if row["split"] == split and score:
                        texts.append(row["text"])
                        positive.append(score > 0)
        if not texts:
            raise SystemExit(f"{data}: no {split} rows in {', '.join(VADER_TRAINED_ON)}")
        return Labelled(texts, positive)

    return Corpus(
        "en",
        "en.ngram",
        labelled("dev"),
        labelled("test"),
        orders=(3, 4, 5),
        buckets=2**16,
        l2=0.3,
        abstain=0.3,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.sentiment.train", description=__doc__)
    parser.add_argument("language", choices=sorted(CORPORA))
    parser.add_argument("corpus", type=Path, help="a checkout of the language's public corpus")
    parser.add_argument("--out", type=Path, help="where to write the model (default: shipped)")
    args = parser.parse_args(argv)
    data = CORPORA[args.language](args.corpus)
    build(data, args.out or MODELS / data.file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
