"""Sentiment learned from the company's own scored texts, through the real app: a language with
enough scored comments gets a model, reviews in it are scored by it, App Home and
eval-sentiment say so, and neither the database nor an erasure leaves a person in it."""

import itertools
import json
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.learning import SentimentLearning
from bot.privacy.erasure import forget
from bot.sentiment import SentimentPool
from bot.sentiment.learning import MIN_TEXTS
from bot.sentiment.ngram import NgramModel
from bot.slack_standin import SlackStandIn
from models.department import Department
from models.review import Review
from models.sentiment import LearnedModel
from models.survey import Rating
from tests.cli import cli_env, run_cli
from tests.conftest import Harness, make_settings, start_harness
from tests.database import database_url
from tests.support import WEBHOOK_SECRET, FakeClock, home_opened, webhook_headers

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
SUBJECTS = ["Das IT-Team", "Die Buchhaltung", "Der Support", "Das Team", "Die Kollegin"]
PRAISE = [
    "hat mir sehr schnell geholfen", "war freundlich und kompetent",
    "hat das Problem sofort gelöst", "war super hilfsbereit", "hat alles toll erklärt",
    "ist immer zuverlässig",
]  # fmt: skip
COMPLAINTS = [
    "hat wieder nicht geantwortet", "war unfreundlich und langsam",
    "hat das Problem nicht gelöst", "lässt uns seit Wochen warten",
    "war leider völlig überfordert", "ist schlecht erreichbar",
]  # fmt: skip
ENDINGS = ["", " Danke!", " Vielen Dank.", " Ärgerlich.", " Wie immer.", " Heute."]


def german(predicates: list[str], count: int, *, skip: str = "Die Kollegin") -> list[str]:
    combos = itertools.cycle(itertools.product(SUBJECTS, predicates, ENDINGS))
    texts = (f"{s} {p}.{e}" for s, p, e in combos if s != skip)
    return list(itertools.islice(texts, count))


@pytest.fixture
async def harness(tmp_path: Path, slack: SlackStandIn) -> AsyncIterator[Harness]:
    clock = FakeClock(NOW)
    h = await start_harness(
        make_settings(tmp_path, slack, REVIEW_WEBHOOK_SECRET=WEBHOOK_SECRET), slack, clock=clock
    )
    yield h
    await h.client.close()


async def store_ratings(scored: list[tuple[str, int]], language: str = "de") -> None:
    """Released ratings with these comments and scores, stored as the app stores a language it
    has no analyzer for."""
    it = await Department.get(slug="it")
    await Rating.bulk_create(
        [
            Rating(
                department=it,
                rater_department="finance",
                score=score,
                comment=text,
                sentiment_label="unsupported_language",
                sentiment_language=language,
                week="2026-W46",
            )
            for text, score in scored
        ]
    )


async def seed_ratings(praise: int, complaints: int, *, comment: str | None = None) -> None:
    """German comments, scored 5 and 1; `comment`, if given, is one more complaint."""
    texts = [(t, 5) for t in german(PRAISE, praise)]
    texts += [(t, 1) for t in german(COMPLAINTS, complaints)]
    await store_ratings(texts + ([(comment, 2)] if comment else []))


async def post_review(h: Harness, text: str, external_id: str) -> dict[str, Any]:
    body = json.dumps(
        {"id": external_id, "source": "shop", "text": text, "created_at": "2026-11-20T10:00:00Z"}
    )
    resp = await h.client.post("/webhooks/reviews", data=body, headers=webhook_headers(body))
    assert resp.status == 201
    return dict(await resp.json())


async def test_a_language_with_enough_scored_comments_learns_and_scores_reviews(
    harness: Harness,
) -> None:
    # Before: German is a language no shipped analyzer reads.
    before = await post_review(harness, "Die Kollegin war super hilfsbereit. Danke!", "r1")
    assert before["sentiment"]["label"] == "unsupported_language"

    await seed_ratings(200, 150)
    await harness.services.learning.step()

    row = await LearnedModel.get(language="de")
    assert row.in_use and row.texts == 350 and row.accuracy is not None and row.accuracy >= 0.9
    assert row.builtin is None  # no shipped analyzer reads German
    # A subject it never saw, in a review with no stars: scored by what the company taught it.
    praised = await post_review(harness, "Die Kollegin war super hilfsbereit. Danke!", "r2")
    blamed = await post_review(harness, "Die Kollegin lässt uns seit Wochen warten.", "r3")
    assert (praised["sentiment"]["label"], praised["sentiment"]["language"]) == ("positive", "de")
    assert blamed["sentiment"]["label"] == "negative"
    stored = await Review.get(external_id="r3")
    assert (stored.sentiment_label, stored.sentiment_language) == ("negative", "de")


async def test_too_few_or_unlearnable_texts_are_not_used_and_say_why(harness: Harness) -> None:
    await seed_ratings(150, 100)  # 250: not tried
    await harness.services.learning.step()
    assert not await LearnedModel.exists()

    # Enough texts, but scores that have nothing to do with the words: nothing to learn.
    texts = german(PRAISE + COMPLAINTS, 400)
    scores = random.Random(7).choices([1, 5], k=len(texts))  # noqa: S311 - not a secret
    await store_ratings(list(zip(texts, scores, strict=True)), "fr")
    await harness.services.learning.step()
    row = await LearnedModel.get(language="fr")
    assert not row.in_use and row.model is None
    assert row.reason is not None and "below 0.70" in row.reason


async def test_retrained_weekly_and_trained_once_across_instances(harness: Harness) -> None:
    await seed_ratings(200, 150)
    clock = FakeClock(NOW)
    trained: list[str] = []

    class Counting(SentimentPool):
        async def learn(self, language: str, texts: Any, positive: Any) -> Any:
            trained.append(language)
            return await super().learn(language, texts, positive)

    one, two = (SentimentLearning(sentiment=Counting(workers=0), clock=clock) for _ in "12")
    await one.step()
    await two.step()
    assert trained == ["de"]  # the second instance found it fresh
    clock.advance(days=6)
    await two.step()
    assert trained == ["de"]
    clock.advance(days=1, seconds=1)
    await two.step()
    assert trained == ["de", "de"]


async def test_the_model_holds_no_text_and_nothing_only_a_few_texts_said(
    harness: Harness,
) -> None:
    # A name that four complaints mention is in no model: too few texts share it.
    await seed_ratings(200, 150)
    await store_ratings([(f"Zbigniewa Kowalczyk {p}.", 1) for p in COMPLAINTS[:4]])
    await harness.services.learning.step()
    row = await LearnedModel.get(language="de")
    assert row.model is not None
    blob = bytes(row.model)
    for text in await Rating.all().values_list("comment", flat=True):
        for word in str(text).split():
            assert len(word) < 4 or word.encode() not in blob
    model = NgramModel.from_bytes(blob)
    name = dict(model.contributions("zbigniewa kowalczyk"))
    assert name and all(abs(c) == 0 for gram, c in name.items() if "zbig" in gram or "kowa" in gram)


async def test_an_erasure_drops_the_models_and_they_are_learned_again(harness: Harness) -> None:
    await seed_ratings(200, 150, comment="<@U0EMP0001> war unfreundlich und langsam.")
    await harness.services.learning.step()
    assert await LearnedModel.filter(model__isnull=False).count() == 1

    await forget("U0EMP0001", actor="U0ADMIN01", now=NOW)
    assert not await LearnedModel.exists()
    assert "U0EMP0001" not in json.dumps(await Rating.all().values_list("comment", flat=True))
    # Scored without it meanwhile, and learned again from the texts as they are now.
    await harness.services.learning.load()
    unlearned = await post_review(harness, "Die Kollegin war super hilfsbereit. Danke!", "r9")
    assert unlearned["sentiment"]["label"] == "unsupported_language"
    await harness.services.learning.step()
    assert (await LearnedModel.get(language="de")).in_use


async def test_eval_sentiment_scores_with_the_learned_models_and_says_so(
    harness: Harness, tmp_path: Path
) -> None:
    await seed_ratings(200, 150)
    await harness.services.learning.step()
    data = tmp_path / "held-out.csv"
    data.write_text(
        "text,label\n"
        "Die Kollegin war super hilfsbereit.,positive\n"
        "Die Kollegin ist schlecht erreichbar.,negative\n"
        "Quick and helpful thank you,positive\n"
    )
    env = cli_env(tmp_path, DATABASE_URL=database_url(tmp_path))
    code, out, err = await run_cli(tmp_path, "eval-sentiment", str(data), "--learned", env=env)
    assert code == 0, err
    assert "language detected = de" in out and "language detected = en" in out
    german_figures = out.split("language detected = de")[1].split("language detected")[0]
    assert "accuracy               1.000" in german_figures
    assert "German (`de`) learned and used · 350 scored texts" in out


async def test_app_home_shows_each_language_to_an_admin(harness: Harness) -> None:
    await seed_ratings(200, 150)
    await harness.services.learning.step()
    await harness.event(home_opened("U0ADMIN01"), event_id="EvLearn1")
    [published] = await harness.slack.wait_for("views.publish")
    home = json.dumps(published.params["view"]["blocks"], ensure_ascii=False)
    assert "Sentiment by language" in home
    assert "English (`en`) read by the shipped analyzer" in home
    assert "German (`de`) learned and used · 350 scored texts, cross-validated accuracy" in home
    assert f"once {MIN_TEXTS} comments and reviews" in home


@pytest.mark.same_on_either_database(reason="worker processes only: no database")
async def test_trained_in_a_process_of_its_own_and_scored_by_the_worker() -> None:
    texts = german(PRAISE, 200) + german(COMPLAINTS, 150)
    pool = SentimentPool(workers=1)
    try:
        learned = await pool.learn("de", texts, [True] * 200 + [False] * 150)
        assert learned.model is not None
        before = await pool.analyze("Die Kollegin hat das Problem sofort gelöst.")
        pool.use_learned([learned.model])
        after = await pool.analyze("Die Kollegin hat das Problem sofort gelöst.")
    finally:
        pool.close()
    assert before.label == "unsupported_language"
    assert (after.label, after.language) == ("positive", "de")
