"""The n-gram engine: it learns, it keeps what it learned byte for byte, and what occurs in
too few texts never enters it."""

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from bot.sentiment.ngram import FORMAT_VERSION, NgramModel
from bot.sentiment.ngram_fit import cross_validate, train

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database

PRAISE = ["great", "helpful", "quick", "thanks", "friendly", "perfect"]
COMPLAINTS = ["slow", "rude", "broken", "late", "useless", "awful"]
FILLER = ["the", "team", "ticket", "today", "support", "was", "and", "our", "desk"]


def feedback(count: int, seed: int) -> tuple[list[str], list[bool]]:
    """Texts of filler words and two words of one side; which side is the label."""
    rng = random.Random(seed)  # noqa: S311 - not a secret
    texts, labels = [], []
    for i in range(count):
        positive = i % 2 == 0
        words = rng.sample(FILLER, 4) + rng.sample(PRAISE if positive else COMPLAINTS, 2)
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(positive)
    return texts, labels


@pytest.fixture(scope="module")
def model() -> NgramModel:
    return train(*feedback(400, seed=1), language="en")


def test_it_learns_which_words_carry_the_label(model: NgramModel) -> None:
    texts, labels = feedback(200, seed=2)  # new combinations of the same words
    scored = [model.score(t) for t in texts]
    assert [s.label for s in scored] == ["positive" if p else "negative" for p in labels]
    assert min(s.confidence for s in scored) > 0.5
    good = model.score("the team was quick and friendly")
    assert good.polarity == round(2 * model.probability("the team was quick and friendly") - 1, 4)
    assert good.subjectivity is None and good.language == "en"
    assert 1 <= len(good.drivers) <= 3
    assert all(0 < d.polarity <= 1 for d in good.drivers)
    # The reasons shown are pieces of the words that carry praise, not of the filler.
    assert all(any(d.text in w for w in PRAISE) for d in good.drivers), good.drivers
    bad = model.score("our ticket was late, support rude")
    assert bad.label == "negative" and all(-1 <= d.polarity < 0 for d in bad.drivers)


def test_contributions_are_the_logit_each_ngram_adds(model: NgramModel) -> None:
    found = model.contributions("quick, but rude")
    grams = [g for g, _ in found]
    assert len(grams) == len(set(grams)) and all(len(g) >= 2 for g in grams)
    assert [abs(c) for _, c in found] == sorted((abs(c) for _, c in found), reverse=True)
    assert dict(found)["qui"] > 0 > dict(found)["rud"]


def test_the_abstain_band_and_unknown_text_give_no_signal(model: NgramModel) -> None:
    balanced = "quick but rude"
    assert abs(model.probability(balanced) - 0.5) < model.abstain
    assert model.score(balanced).label == "no_signal"
    assert model.score("보고서 제출 완료").label == "no_signal"  # nothing the model has seen
    assert model.score("   ").label == "no_signal"


def test_bytes_round_trip_exactly(model: NgramModel, tmp_path: Path) -> None:
    blob = model.to_bytes()
    assert NgramModel.from_bytes(blob) == model
    assert NgramModel.from_bytes(blob).to_bytes() == blob
    model.save(tmp_path / "en.ngram")
    assert NgramModel.load(tmp_path / "en.ngram") == model
    assert len(blob) < model.buckets + 300  # int8 weights and a small header


def test_corrupt_and_foreign_blobs_are_refused(model: NgramModel) -> None:
    blob = model.to_bytes()
    flipped = bytearray(blob)
    flipped[-1] ^= 0x55
    other_version = blob[:4] + (FORMAT_VERSION + 1).to_bytes(2, "little") + blob[6:]
    for bad in (blob[:-1], blob + b"\0", bytes(flipped), other_version, b"PK" + blob[2:], b""):
        with pytest.raises(ValueError):
            NgramModel.from_bytes(bad)


def test_training_is_deterministic_whatever_the_hash_seed() -> None:
    program = (
        "import sys; from tests.bot.test_ngram import feedback; "
        "from bot.sentiment.ngram_fit import train; "
        "sys.stdout.buffer.write(train(*feedback(300, seed=3), language='en').to_bytes())"
    )
    blobs = [
        subprocess.run(  # noqa: S603 - our own interpreter and program
            [sys.executable, "-c", program],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert blobs[0] == blobs[1] == train(*feedback(300, seed=3), language="en").to_bytes()


def test_what_too_few_texts_contain_weighs_nothing() -> None:
    texts, labels = feedback(300, seed=4)
    # A name in one complaint: its letters j, v, x and z appear in no other text.
    texts[1] = "Jazvex was rude and late"

    def name_grams(m: NgramModel) -> list[tuple[str, float]]:
        return [(g, c) for g, c in m.contributions(texts[1]) if set(g) & set("jvxz")]

    guarded = train(texts, labels, language="en", min_texts_per_feature=2)
    assert name_grams(guarded) and all(c == 0 for _, c in name_grams(guarded))
    # Without the guard the name is learnt as a complaint word: the guard is what zeroes it.
    unguarded = train(texts, labels, language="en")
    assert any(c < 0 for _, c in name_grams(unguarded))
    # Words that many texts share still carry their weight.
    assert guarded.score("the support was slow and useless").label == "negative"


def test_cross_validation_tells_signal_from_noise() -> None:
    texts, labels = feedback(300, seed=5)
    accuracy = cross_validate(texts, labels, language="en")
    assert accuracy > 0.95
    assert cross_validate(texts, labels, language="en") == accuracy
    shuffled = random.Random(6).sample(labels, len(labels))  # noqa: S311 - not a secret
    assert cross_validate(texts, shuffled, language="en", folds=3) < 0.7


def test_training_needs_both_classes() -> None:
    with pytest.raises(ValueError):
        train(["fine", "good"], [True, True], language="en")
    with pytest.raises(ValueError):
        train(["fine", "bad"], [True], language="en")
