"""Scoring in bulk, off the event loop; the eval command on a fixture with known figures."""

import json
from pathlib import Path
from typing import NoReturn

import pytest

from bot.cli.main import main
from bot.sentiment import SentimentPool, analyze, rating_disagrees
from bot.sentiment.english import EnglishBackend
from bot.sentiment.evaluate import metrics

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database


async def test_2000_texts_are_scored_in_the_worker_not_in_the_process_of_the_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [f"Ticket {i}: the VPN fix was quick and helpful." for i in range(1000)]
    texts += [f"Ticket {i}: still waiting, nobody answered." for i in range(1000)]

    def scored_here(self: EnglishBackend, text: str) -> NoReturn:
        raise AssertionError(f"scored in the loop's process: {text!r}")

    # The worker is spawned: it imports the analyzer afresh, without this.
    monkeypatch.setattr(EnglishBackend, "score", scored_here)
    pool = SentimentPool(workers=1)
    try:
        results = await pool.analyze_many(texts)
        [one] = await pool.analyze_many(["Lovely people, quick and helpful, thank you!"])
    finally:
        pool.close()
    assert [r.label for r in results[:1000]] == ["positive"] * 1000
    assert [r.label for r in results[1000:]] == ["negative"] * 1000
    assert one.label == "positive"
    with pytest.raises(AssertionError, match="loop's process"):
        analyze("Lovely people, quick and helpful, thank you!")


def test_rating_and_text_disagreeing_is_flagged() -> None:
    awful = analyze("Awful. Rude staff and the parcel arrived broken.")
    lovely = analyze("Lovely people, quick and helpful, thank you!")
    assert rating_disagrees(5, awful)
    assert rating_disagrees(1, lovely)
    assert not rating_disagrees(5, lovely)
    assert not rating_disagrees(3, awful)
    assert not rating_disagrees(None, awful)
    assert not rating_disagrees(5, analyze("Der Service war schrecklich"))  # unsupported: no claim


def test_metrics_by_hand() -> None:
    gold = ["positive", "negative", "neutral", "positive", "negative"]
    pred = ["positive", "no_signal", "neutral", "negative", "negative"]
    m = metrics(gold, pred)
    assert m["n"] == 5
    assert m["accuracy"] == 0.5  # 2 of the 4 polar items right; no_signal counts as wrong
    assert m["coverage"] == 0.8
    assert m["accuracy_covered"] == round(2 / 3, 4)
    # F1: positive 2/3 (tp1 fp0 fn1), negative 1/2 (tp1 fp1 fn1), neutral 1.
    assert m["macro_f1"] == round((2 / 3 + 1 / 2 + 1) / 3, 4)
    assert m["no_signal_share"] == 0.2


def test_eval_sentiment_json_on_a_fixture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "mini.csv"
    data.write_text(
        "text,score\n"
        '"Quick and helpful, thank you",1\n'
        '"Rude and slow, never answered",-1\n'
        '"The ticket number is 4821",0\n'
        '"Der Support war wirklich toll",1\n'
    )
    assert main(["eval-sentiment", str(data), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"analyzer", "textblob"}
    assert out["analyzer"] == {
        "n": 4,
        "accuracy": round(2 / 3, 4),
        "coverage": 0.5,
        "accuracy_covered": 1.0,
        "macro_f1": round((2 / 3 + 1 + 0) / 3, 4),
    }
    # TextBlob: "Quick and helpful" +, "Rude and slow" -, the number 0.0 with no words it
    # knows (no_signal), the German text "toll" unknown -> positive? it says what it says.
    assert out["textblob"]["n"] == 4


def test_eval_sentiment_reports_a_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "bad.csv"
    data.write_text("text,label\nfine,great\n")
    assert main(["eval-sentiment", str(data)]) == 2
    assert (
        "bad.csv:2: label 'great' is not one of positive, negative, neutral"
        in capsys.readouterr().err
    )
