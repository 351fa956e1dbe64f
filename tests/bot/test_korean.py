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


# The workplace vocabulary: what movie reviews never taught the model.


@pytest.mark.parametrize(
    "text",
    [
        "지난주에 문의했는데 아직 답이 없어요",  # "I asked last week and still no answer"
        "메일을 세 번 보냈지만 연락이 없습니다",
        "전화를 몇 번이나 했는데 안 받으시네요",
    ],
)
def test_silence_is_a_complaint(korean: KoreanBackend, text: str) -> None:
    s = korean.score(text)
    assert s.label == "negative"
    assert s.drivers and all(d.polarity < 0 and d.text in text for d in s.drivers)


def test_negated_praise_is_negative(korean: KoreanBackend) -> None:
    s = korean.score("상담원이 친절하지 않았어요")  # "the agent was not kind"
    assert s.label == "negative"
    assert [d.text for d in s.drivers] == ["친절하지 않았어요"]
    assert korean.score("처리가 안 빨라서 답답해요").label == "negative"


@pytest.mark.parametrize("text", ["도와주셔서 고맙습니다", "덕분에 일이 잘 끝났어요 감사해요"])
def test_thanks_is_positive(korean: KoreanBackend, text: str) -> None:
    s = korean.score(text)
    assert s.label == "positive" and s.polarity is not None and s.polarity > 0


def test_drivers_name_the_words_found(korean: KoreanBackend) -> None:
    s = korean.score("응대는 친절했지만 오류가 해결이 안 됐어요")
    assert s.label == "negative"  # what follows 지만 weighs more
    assert [d.text for d in s.drivers] == ["친절했지만", "오류가", "해결이 안 됐어요"]
    assert [d.polarity > 0 for d in s.drivers] == [True, False, False]


def test_asking_for_help_is_not_praise(korean: KoreanBackend) -> None:
    assert korean.hits("이 문제 해결 부탁드립니다") == []
    assert korean.hits("친절하게 설명해 주세요") == []
