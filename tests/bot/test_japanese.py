"""The Japanese backend: praise, complaints, negation, contrast, and the dictionary's phrases."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.sentiment.build_japanese import build, main
from bot.sentiment.japanese import JapaneseBackend
from bot.sentiment.model import Sentiment

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database

backend = JapaneseBackend()


def score(text: str) -> Sentiment:
    return backend.score(text)


@pytest.mark.parametrize(
    "text",
    [
        "情報システム部の方がすぐに対応してくれて助かりました。",
        "総務の皆さん、オフィス移転のサポートありがとうございました！",
        "梱包も丁寧で、届くのも早かったです。",
        "経理の対応が迅速で感謝しています。",
    ],
)
def test_praise_is_positive(text: str) -> None:
    s = score(text)
    assert (s.label, s.language) == ("positive", "ja")
    assert s.polarity is not None and 0 < s.polarity <= 1
    assert 0 <= s.confidence <= 1


@pytest.mark.parametrize(
    "text",
    [
        "人事に問い合わせてから二週間、まだ返事がありません。",
        "サポートに何度電話しても全然つながらない。",
        "窓口の対応が遅くて、一時間も待たされました。",
        "担当者が不親切で、説明もひどかった。",
        "チケットが解決されないままクローズされました。",
    ],
)
def test_complaints_are_negative(text: str) -> None:
    s = score(text)
    assert s.label == "negative"
    assert s.polarity is not None and -1 <= s.polarity < 0


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("良くない", "良く"),
        ("説明は丁寧ではありませんでした。", "丁寧"),
        ("丁寧じゃない", "丁寧"),
        ("あまり親切ではなかった。", "親切"),
        ("丁寧に対応してくれなかった。", "丁寧"),
    ],
)
def test_negated_praise_is_negative(text: str, word: str) -> None:
    s = score(text)
    assert s.label == "negative"
    negated = [d for d in s.drivers if word in d.text]
    assert negated and all(d.polarity < 0 for d in negated)


@pytest.mark.parametrize(
    "text", ["対応は遅くなかったです。", "特に問題はありませんでした。", "悪くないと思います。"]
)
def test_negated_complaint_is_not_negative(text: str) -> None:
    assert score(text).label == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "来月から経費精算のシステムが変わるそうです。",
        "会議は三階の会議室で行います。",
        "",
    ],
)
def test_no_polar_word_is_no_signal(text: str) -> None:
    s = score(text)
    assert (s.label, s.polarity, s.drivers) == ("no_signal", None, ())


def test_a_lukewarm_verdict_is_neutral_not_silence() -> None:
    for text in ("普通です。", "普通です。可もなく不可もなく。"):
        s = score(text)
        assert s.label == "neutral" and s.drivers


@pytest.mark.parametrize(
    ("text", "label", "phrase"),
    [
        # No word of these says it alone: 鼻 and 高い are not praise, 後味 is not a complaint.
        ("同僚として鼻が高いです。", "positive", "鼻が高い"),
        ("後味が悪い結末でした。", "negative", "後味が悪い"),
        ("いつも気が利くので助かります。", "positive", "気が利く"),
        ("窓口でたらい回しにされた。", "negative", "たらい回し"),
    ],
)
def test_entries_of_several_words_are_matched_whole(text: str, label: str, phrase: str) -> None:
    s = score(text)
    assert s.label == label
    assert phrase in [d.text for d in s.drivers]


def test_a_negated_phrase_flips_whole() -> None:
    s = score("新人なのに気が利かない。")
    assert s.label == "negative"
    assert any(d.text.startswith("気が利か") and d.polarity < 0 for d in s.drivers)


def test_drivers_name_the_words_with_their_signs() -> None:
    s = score("梱包は丁寧でしたが、配送が遅かったです。")
    by_word = {d.text: d.polarity for d in s.drivers}
    assert any("丁寧" in w and p > 0 for w, p in by_word.items())
    assert any("遅" in w and p < 0 for w, p in by_word.items())
    assert all(-1 <= p <= 1 for p in by_word.values())


def test_the_clause_after_a_contrast_decides() -> None:
    assert score("対応は丁寧だったけど、返事が遅い。").label == "negative"
    assert score("返事は遅かったけど、対応は丁寧だった。").label == "positive"
    assert score("対応は早い。しかし説明が雑だ。").label == "negative"


def test_wanting_to_come_back_is_praise_and_refusing_is_not() -> None:
    assert score("また利用したいです。").label == "positive"
    assert score("二度と利用しません。").label == "negative"


def test_importing_loads_neither_mecab_nor_the_dictionary() -> None:
    code = "import sys, bot.sentiment.japanese; print('fugashi' in sys.modules)"
    out = subprocess.run(  # noqa: S603 - our own interpreter and program
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_the_bundled_dictionary_credits_its_authors() -> None:
    models = Path(__file__).parents[2] / "bot" / "sentiment" / "models"
    data = json.loads((models / "ja_polarity.json").read_text("utf-8"))
    assert "乾・岡崎研究室" in data["credit"]
    assert len(data["entries"]) > 10_000
    notice = (models / "NOTICE").read_text("utf-8")
    assert "Kobayashi" in notice and "Higashiyama" in notice


def test_the_build_cuts_entries_into_lemmas_and_drops_what_it_cannot_use(
    tmp_path: Path,
) -> None:
    nouns = {"たらい回し": "p", "親切": "p", "サービス": "p", "種類": "?e"}
    wago = {"壊さ れる": "ネガ（経験）", "良い": "ポジ（評価）", "ばつ が 悪い": "ネガ（評価）"}
    entries = build(nouns, wago)
    assert entries["たらい 回し"] == 1  # a compound, as MeCab cuts it
    assert entries["壊す れる"] == -1  # a conjugated entry, as lemmas
    assert entries["ばつ が 悪い"] == -1
    assert entries["よい"] == 1  # the kana spelling of 良い
    assert "サービス" not in entries and "種類" not in entries

    (tmp_path / "pn_noun.json").write_text(json.dumps(nouns), "utf-8")
    (tmp_path / "pn_wago.json").write_text(json.dumps(wago), "utf-8")
    out = tmp_path / "out.json"
    assert main([str(tmp_path), "--out", str(out)]) == 0
    assert json.loads(out.read_text("utf-8"))["entries"] == entries
