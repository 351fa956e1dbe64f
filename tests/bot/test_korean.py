"""Korean: the shipped n-gram model reads praise and complaints, and knows when it cannot tell."""

import tomllib
from pathlib import Path

import pytest

from bot.sentiment import ngram
from bot.sentiment.korean import MODEL, KoreanBackend
from bot.sentiment.ngram import NgramModel

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database

SHIPPED = Path(ngram.__file__).parent / "models" / MODEL


@pytest.fixture(scope="module")
def korean() -> KoreanBackend:
    return KoreanBackend()


@pytest.mark.parametrize(
    "text",
    [
        "친절하게 설명해 주셔서 정말 감사해요",
        "항상 도와주셔서 감사합니다",
        "대응이 신속하고 좋았어요",
    ],
)
def test_praise_is_positive(korean: KoreanBackend, text: str) -> None:
    s = korean.score(text)
    assert (s.label, s.language) == ("positive", "ko")
    assert s.polarity is not None and s.polarity > 0 and s.drivers
    assert all(d.polarity > 0 and d.text in text for d in s.drivers)


@pytest.mark.parametrize(
    "text",
    [
        "정말 실망스럽습니다",
        "설명이 부족해서 이해가 안 돼요",
        "시스템이 또 고장났어요 짜증나네요",
    ],
)
def test_complaints_are_negative(korean: KoreanBackend, text: str) -> None:
    s = korean.score(text)
    assert s.label == "negative"
    assert s.polarity is not None and s.polarity < 0
    assert all(d.polarity < 0 and d.text in text for d in s.drivers)


def test_a_text_it_cannot_call_has_no_signal(korean: KoreanBackend) -> None:
    text = "보고서를 첨부합니다"  # "the report is attached"
    assert abs(korean.model.probability(text) - 0.5) < korean.model.abstain
    assert korean.score(text).label == "no_signal"


def test_no_word_is_claimed_as_known(korean: KoreanBackend) -> None:
    # Short texts are left to the language detector, never taken as Korean by vocabulary.
    assert korean.knows_every_word("감사합니다") is False


def test_the_shipped_model_is_what_train_writes() -> None:
    blob = SHIPPED.read_bytes()
    model = NgramModel.from_bytes(blob)  # refuses any other format version
    assert model.to_bytes() == blob
    assert (model.language, model.orders, model.buckets) == (
        "ko",
        ngram.DEFAULT_ORDERS,
        ngram.DEFAULT_BUCKETS,
    )
    assert 0 < model.abstain < 0.5
    assert len(blob) < 2**20  # int8 weights, not a copy of the corpus


def test_the_model_goes_into_the_wheel() -> None:
    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text("utf-8"))
    assert "*" + SHIPPED.suffix in project["tool"]["setuptools"]["package-data"]["*"]
